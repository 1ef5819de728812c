/// The security severity of a finding or of one rule, from the seed guide's risk table.
///
/// This is separate from `DiagnosticSeverity` (error/warning/note): a valid input can still carry a
/// critical risk, and an invalid input has no risk level at all. Cases are declared worst first so
/// `allCases` reads like a report's severity sections.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Fix before deploying: a database or every port open to the internet.
    case critical
    /// Remote administration, application or other non-web ports open to the internet.
    case high
    /// Broad but bounded exposure: web ports on a private tier, all egress, the entire VPC to a database.
    case medium
    /// Accepted patterns listed for the approver: 443 on a public tier, 443 egress, tier references.
    case low
    /// Context, never failing by default: exposure paths, closed egress.
    case info

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

    /// `critical`, `high`, ...: the spelling used in JSON and on the command line.
    public var description: String { rawValue }

    /// Orders by `rank`, so `.critical` is the maximum.
    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool { lhs.rank < rhs.rank }
}
