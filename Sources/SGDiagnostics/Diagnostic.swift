/// How serious a diagnostic is for the run. This is about input correctness, and is kept
/// separate from the *security* severity of a finding (critical..info) on purpose.
public enum DiagnosticSeverity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .note: return 0
        }
    }

    public static func < (lhs: DiagnosticSeverity, rhs: DiagnosticSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in the input, with where it is and a stable code.
public struct Diagnostic: Hashable, Sendable {
    /// Error, warning or note.
    public var severity: DiagnosticSeverity
    /// Stable code, e.g. `E301`.
    public var code: DiagnosticCode
    /// One sentence, lower-case start, no trailing period, e.g. `port 70000 is out of range 0-65535`.
    public var message: String
    /// Where the problem is; nil only for problems that have no file (a missing file has its path).
    public var location: SourceLocation?
    /// Further explanation attached to the diagnostic (e.g. the first occurrence of a duplicate key).
    public var notes: [Note]

    /// A secondary message, optionally pointing somewhere else.
    public struct Note: Hashable, Sendable {
        /// The note's text.
        public var message: String
        /// Where it points, if anywhere.
        public var location: SourceLocation?

        /// Creates a note.
        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    /// Creates a diagnostic.
    public init(
        _ severity: DiagnosticSeverity, code: DiagnosticCode, message: String,
        at location: SourceLocation?, notes: [Note] = []
    ) {
        // A code has one severity (its letter); the catalog test checks the call sites, this the rest.
        assert(severity == code.severity || severity == .note, "\(code) is a \(code.severity) code, reported as \(severity)")
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// An error diagnostic.
    public static func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code: code, message: message, at: location, notes: notes)
    }

    /// A warning diagnostic.
    public static func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code: code, message: message, at: location, notes: notes)
    }
}

/// A diagnostic that aborts a stage (used where going on would only produce noise, e.g. a YAML
/// syntax error: there is no tree to check further).
public struct DiagnosticError: Error, Sendable {
    /// The diagnostics gathered up to the point of failure; at least one is an error.
    public var diagnostics: [Diagnostic]

    /// Wraps one or more diagnostics.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// Wraps a single diagnostic.
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
}
