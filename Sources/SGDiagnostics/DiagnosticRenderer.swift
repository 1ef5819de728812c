/// Prints diagnostics the way compilers do:
///
///     scenarios/x.yaml:14:9: error: port 70000 is out of range 0-65535 [E305]
///        14 |       - { protocol: tcp, port: 70000, source_tier: web }
///           |                               ^
///
/// Colour is used only when asked for (the caller decides: only on a TTY).
public struct DiagnosticRenderer: Sendable {
    /// Returns the text of a source file's line (1-based), or nil if unknown.
    public typealias SourceLineProvider = @Sendable (_ file: String, _ line: Int) -> String?
    /// Returns the clipped excerpt of a line around a column (`SourceExcerpt`), or nil if unknown.
    public typealias SourceExcerptProvider = @Sendable (_ file: String, _ line: Int, _ column: Int) -> SourceExcerpt?

    private let excerpt: SourceExcerptProvider
    private let useColor: Bool

    /// In text output, diagnostics of one code shown before the rest are only counted.
    public static let textMaxPerCode = 20

    /// Creates a renderer. `sourceLine` supplies the quoted source line; pass `{ _, _ in nil }`
    /// to print only the header line.
    public init(useColor: Bool, sourceLine: @escaping SourceLineProvider) {
        self.init(useColor: useColor, excerpt: { file, line, column in
            sourceLine(file, line).map { SourceExcerpt.make(line: Array($0.utf8), column: column) }
        })
    }

    /// Creates a renderer whose quoted lines come clipped from `excerpt`
    /// (`SourceFileRegistry.excerptProvider`).
    public init(useColor: Bool, excerpt: @escaping SourceExcerptProvider) {
        self.useColor = useColor
        self.excerpt = excerpt
    }

    /// The full text of one diagnostic, ending in a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let prefix = diagnostic.location.map { "\($0): " } ?? "sg-provisioner: "
        out += bold(prefix) + colored(diagnostic.severity.rawValue + ":", for: diagnostic.severity)
        out += " " + bold(diagnostic.message) + " [\(diagnostic.code)]\n"
        if let location = diagnostic.location { out += snippet(at: location) }
        for note in diagnostic.notes {
            let notePrefix = note.location.map { "\($0): " } ?? ""
            out += bold(notePrefix) + colored("note:", for: .note) + " " + note.message + "\n"
            if let location = note.location { out += snippet(at: location) }
        }
        return out
    }

    /// Renders many diagnostics in order.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    /// Renders diagnostics in order, at most `maxPerCode` of each code; one closing note per
    /// capped code counts the rest (10,000 of one error are a pattern, not 10,000 things to read).
    public func render(_ diagnostics: [Diagnostic], maxPerCode: Int) -> String {
        var shown: [DiagnosticCode: Int] = [:]
        var hidden: [(code: DiagnosticCode, severity: DiagnosticSeverity, count: Int)] = []
        var hiddenIndex: [DiagnosticCode: Int] = [:]
        var out = ""
        for diagnostic in diagnostics {
            let count = shown[diagnostic.code, default: 0]
            if count < maxPerCode {
                shown[diagnostic.code] = count + 1
                out += render(diagnostic)
            } else if let index = hiddenIndex[diagnostic.code] {
                hidden[index].count += 1
            } else {
                hiddenIndex[diagnostic.code] = hidden.count
                hidden.append((diagnostic.code, diagnostic.severity, 1))
            }
        }
        for entry in hidden {
            let noun = entry.severity == .error ? "error" : entry.severity == .warning ? "warning" : "note"
            out += bold("sg-provisioner: ") + colored("note:", for: .note)
                + " \(entry.count) more \(noun)\(entry.count == 1 ? "" : "s") [\(entry.code)] not shown after the first \(maxPerCode)"
                + " (--output json or sarif lists every one)\n"
        }
        return out
    }

    private func snippet(at location: SourceLocation) -> String {
        guard let excerpt = excerpt(location.file, location.line, location.column) else { return "" }
        return excerpt.rendered(line: location.line, caret: colored("^", for: .note))
    }

    private func bold(_ text: String) -> String {
        useColor && !text.isEmpty ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    private func colored(_ text: String, for severity: DiagnosticSeverity) -> String {
        guard useColor else { return text }
        let code: String
        switch severity {
        case .error: code = "31"
        case .warning: code = "33"
        case .note: code = "36"
        }
        return "\u{1B}[1;\(code)m\(text)\u{1B}[0m"
    }
}
