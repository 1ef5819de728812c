/// The security severity of a finding or of one rule, from the seed guide's risk table.
///
/// This is separate from `DiagnosticSeverity` (error/warning/note): a valid input can still carry a
/// critical risk, and an invalid input has no risk level at all. Cases are declared worst first so
/// `allCases` reads like a report's severity sections.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case critical, high, medium, low, info

    /// Larger is worse; `Comparable` uses it so `.critical > .high`.
    public var rank: Int {
        switch self {
        case .critical: return 4
        case .high: return 3
        case .medium: return 2
        case .low: return 1
        case .info: return 0
        }
    }

    /// Upper-case label as the seed guide prints it: `CRITICAL`, `HIGH`, ...
    public var label: String { rawValue.uppercased() }

    /// Parses `critical`, `HIGH`, ... (the values `--fail-on` accepts).
    public init?(text: String) {
        self.init(rawValue: text.lowercased())
    }

    public var description: String { rawValue }

    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool { lhs.rank < rhs.rank }
}
