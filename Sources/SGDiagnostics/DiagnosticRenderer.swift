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

    private let sourceLine: SourceLineProvider
    private let useColor: Bool

    /// Creates a renderer. `sourceLine` supplies the quoted source line; pass `{ _, _ in nil }`
    /// to print only the header line.
    public init(useColor: Bool, sourceLine: @escaping SourceLineProvider) {
        self.useColor = useColor
        self.sourceLine = sourceLine
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

    private func snippet(at location: SourceLocation) -> String {
        guard let text = sourceLine(location.file, location.line) else { return "" }
        let cleaned = String(text.unicodeScalars.map { scalar -> Character in
            // Tabs and control characters would misplace the caret; show them as spaces. C1
            // controls (U+0080-U+009F) too: U+009B is a terminal's CSI, as dangerous as ESC.
            scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? " " : Character(scalar)
        })
        let gutter = String(location.line)
        let pad = String(repeating: " ", count: gutter.count)
        let caretColumn = max(1, min(location.column, cleaned.unicodeScalars.count + 1))
        let caretLine = String(repeating: " ", count: caretColumn - 1) + colored("^", for: .note)
        return " \(gutter) | \(cleaned)\n \(pad) | \(caretLine)\n"
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
