/// Collects diagnostics across stages so that one run reports every problem it can.
public struct Diagnostics: Sendable {
    /// Everything reported so far, in the order reported.
    public private(set) var all: [Diagnostic] = []

    /// How many errors were reported, kept as they arrive: readers compare it before and after
    /// reading an item, which must stay constant time however many errors a file has.
    public private(set) var errorCount = 0

    /// Creates an empty collection.
    public init() {}

    /// True when at least one error was reported.
    public var hasErrors: Bool { errorCount > 0 }

    /// Only the errors.
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }

    /// Adds a diagnostic.
    public mutating func report(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    /// Adds several diagnostics.
    public mutating func report(contentsOf diagnostics: [Diagnostic]) {
        all.append(contentsOf: diagnostics)
        errorCount += diagnostics.lazy.filter { $0.severity == .error }.count
    }

    /// Reports an error.
    public mutating func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        report(.error(code, message, at: location, notes: notes))
    }

    /// Reports a warning.
    public mutating func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        report(.warning(code, message, at: location, notes: notes))
    }

    /// Diagnostics sorted by file, line, column, then code: the order they are printed in,
    /// so output does not depend on the order stages ran in.
    public var sorted: [Diagnostic] {
        all.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            switch (la, lb) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return true
            case (_?, nil): return false
            default:
                if a.element.code != b.element.code { return a.element.code.rawValue < b.element.code.rawValue }
                return a.offset < b.offset
            }
        }.map(\.element)
    }
}
