import Foundation
import Testing

@testable import SGDiagnostics

/// The engine's tests report made-up codes (`E1`, `W2`): what they check does not depend on what a
/// code means. Only this test module can make them; the tool's codes come from the catalog alone.
extension DiagnosticCode: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value, .action, "a code of the engine's tests") }
}

/// The diagnostics engine: the collection every stage reports into, the order diagnostics are
/// printed in, and the compiler-style rendering with the source line and a caret.
@Suite struct DiagnosticsTests {
    static func at(_ file: String, _ line: Int, _ column: Int) -> SGDiagnostics.SourceLocation { SGDiagnostics.SourceLocation(file: file, line: line, column: column) }

    @Test func errorsAreCountedAsTheyArriveWhateverWayTheyAreReported() {
        var diagnostics = Diagnostics()
        #expect(!diagnostics.hasErrors && diagnostics.errorCount == 0 && diagnostics.all.isEmpty)
        diagnostics.warning("W1", "only a warning", at: nil)
        diagnostics.report(Diagnostic(.note, code: "N1", message: "a note", at: nil))
        #expect(!diagnostics.hasErrors)
        diagnostics.error("E1", "first", at: Self.at("a.yaml", 1, 1))
        diagnostics.report(contentsOf: [
            .error("E2", "second", at: nil), .warning("W2", "another warning", at: nil), .error("E3", "third", at: nil),
        ])
        #expect(diagnostics.hasErrors)
        #expect(diagnostics.errorCount == 3)
        #expect(diagnostics.errors.map(\.code.rawValue) == ["E1", "E2", "E3"])
        #expect(diagnostics.all.map(\.code.rawValue) == ["W1", "N1", "E1", "E2", "W2", "E3"], "kept in the order reported")
    }

    /// Printed order: no location first, then file, line, column; at one place (or none) by code,
    /// then in the order reported, so output does not depend on the order stages ran in.
    @Test func sortedIsLocationThenCodeThenArrival() {
        var diagnostics = Diagnostics()
        diagnostics.error("E5", "b.yaml 1:1", at: Self.at("b.yaml", 1, 1))
        diagnostics.error("E9", "a.yaml 2:1 E9", at: Self.at("a.yaml", 2, 1))
        diagnostics.error("E1", "a.yaml 2:1 E1", at: Self.at("a.yaml", 2, 1))
        diagnostics.error("E7", "no file, later", at: nil)
        diagnostics.error("E7", "a.yaml 1:9", at: Self.at("a.yaml", 1, 9))
        diagnostics.error("E2", "no file, first", at: nil)
        diagnostics.error("E1", "a.yaml 2:1 E1 second", at: Self.at("a.yaml", 2, 1))
        #expect(diagnostics.sorted.map(\.message) == [
            "no file, first", "no file, later",
            "a.yaml 1:9", "a.yaml 2:1 E1", "a.yaml 2:1 E1 second", "a.yaml 2:1 E9", "b.yaml 1:1",
        ])
    }

    @Test func severitiesOrderErrorAboveWarningAboveNote() {
        #expect(DiagnosticSeverity.note < .warning && DiagnosticSeverity.warning < .error)
        #expect([DiagnosticSeverity.warning, .error, .note].max() == .error)
    }

    @Test func aCodeIsFoundByItsTextInTheCatalogOnly() {
        #expect(DiagnosticCode(cataloged: "E305") == .portOutOfRange)
        #expect(DiagnosticCode(cataloged: "E305")?.description == "E305")
        #expect(DiagnosticCode(cataloged: "E999") == nil && DiagnosticCode(cataloged: "e305") == nil)
        #expect(DiagnosticCode.portOutOfRange.severity == .error && DiagnosticCode.publicVPCCIDR.severity == .warning)
    }

    @Test func aDiagnosticErrorCarriesWhatWasGathered() {
        #expect(DiagnosticError(.error("E1", "x", at: nil)).diagnostics.count == 1)
        #expect(DiagnosticError([.warning("W1", "w", at: nil), .error("E1", "x", at: nil)]).diagnostics.map(\.severity) == [.warning, .error])
    }

    // MARK: - Rendering

    static let lines = [
        "scenarios/x.yaml": ["tiers:", "  web:", "      - { protocol: tcp, port: 70000, source_tier: web }", "\tport:\t22", "bad \u{1B}[31m \u{9B}2J"],
    ]
    static let plain = DiagnosticRenderer(useColor: false) { file, line in
        guard let lines = DiagnosticsTests.lines[file], lines.indices.contains(line - 1) else { return nil }
        return lines[line - 1]
    }

    @Test func anErrorIsAHeaderTheSourceLineAndACaretUnderTheColumn() {
        let text = Self.plain.render(.error("E305", "port 70000 is out of range 0-65535", at: Self.at("scenarios/x.yaml", 3, 32)))
        #expect(text == """
            scenarios/x.yaml:3:32: error: port 70000 is out of range 0-65535 [E305]
             3 |       - { protocol: tcp, port: 70000, source_tier: web }
               |                                ^

            """)
    }

    @Test func aProblemWithoutAFileNamesTheToolAndQuotesNothing() {
        #expect(Self.plain.render(.error("E101", "no config given", at: nil)) == "sg-provisioner: error: no config given [E101]\n")
        // A location whose line cannot be read prints the header alone.
        #expect(Self.plain.render(.warning("W1", "gone", at: Self.at("missing.yaml", 4, 2))) == "missing.yaml:4:2: warning: gone [W1]\n")
    }

    @Test func notesFollowWithTheirOwnPlaces() {
        let diagnostic = Diagnostic.error(
            "E201", "duplicate key 'web'", at: Self.at("scenarios/x.yaml", 2, 3),
            notes: [.init("first defined here", at: Self.at("scenarios/x.yaml", 1, 1)), .init("keys must be unique")])
        #expect(Self.plain.render(diagnostic) == """
            scenarios/x.yaml:2:3: error: duplicate key 'web' [E201]
             2 |   web:
               |   ^
            scenarios/x.yaml:1:1: note: first defined here
             1 | tiers:
               | ^
            note: keys must be unique

            """)
    }

    /// Tabs and control characters (C0, DEL and C1, whose U+009B is a terminal's CSI) are shown as
    /// spaces, so the caret stays under its column and a source line cannot drive the terminal.
    @Test func controlCharactersInTheSourceLineBecomeSpaces() {
        let tab = Self.plain.render(.error("E1", "x", at: Self.at("scenarios/x.yaml", 4, 7)))
        #expect(tab.contains(" 4 |  port: 22\n   |       ^\n"))
        let escapes = Self.plain.render(.error("E1", "x", at: Self.at("scenarios/x.yaml", 5, 1)))
        #expect(!escapes.contains("\u{1B}") && !escapes.contains("\u{9B}"))
        #expect(escapes.contains(" 5 | bad  [31m  2J\n"))
    }

    @Test func theCaretStaysOnTheLine() {
        let past = Self.plain.render(.error("E1", "x", at: Self.at("scenarios/x.yaml", 2, 40)))
        #expect(past.hasSuffix(" 2 |   web:\n   |       ^\n"), "one past the end at most")
        let before = Self.plain.render(.error("E1", "x", at: Self.at("scenarios/x.yaml", 2, 0)))
        #expect(before.hasSuffix("   | ^\n"))
    }

    @Test func colourOnlyWhenAskedFor() {
        let coloured = DiagnosticRenderer(useColor: true) { _, _ in "x: 1" }
        let text = coloured.render(.warning("W9", "careful", at: Self.at("a.yaml", 1, 4), notes: [.init("see here")]))
        #expect(text.contains("\u{1B}[1;33mwarning:\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1;36mnote:\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1ma.yaml:1:4: \u{1B}[0m"))
        #expect(!Self.plain.render(.warning("W9", "careful", at: Self.at("a.yaml", 1, 4))).contains("\u{1B}"))
        #expect(coloured.render(.error("E1", "e", at: nil)).contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    @Test func manyDiagnosticsRenderInTheOrderGiven() {
        let list: [Diagnostic] = [.error("E2", "two", at: nil), .error("E1", "one", at: nil)]
        #expect(Self.plain.render(list) == "sg-provisioner: error: two [E2]\nsg-provisioner: error: one [E1]\n")
    }

    // MARK: - JSON strings

    @Test(arguments: [
        ("plain sg-0123", #""plain sg-0123""#, false),
        ("quote \" backslash \\", #""quote \" backslash \\""#, true),
        ("line\nfeed\ttab\r\u{08}\u{0C}", #""line\nfeed\ttab\r\b\f""#, true),
        ("nul \u{0} bell \u{7} del \u{7F}", #""nul \u0000 bell \u0007 del \u007f""#, true),
        ("js \u{2028} \u{2029}", #""js \u2028 \u2029""#, true),
        ("ü 東京 \u{2027} \u{202A}", "\"ü 東京 \u{2027} \u{202A}\"", false),
    ])
    func jsonStringsEscapeWhatRFC8259AndJavaScriptNeed(text: String, quoted: String, needsEscaping: Bool) throws {
        #expect(JSONText.quoted(text) == quoted)
        #expect(JSONText.needsEscaping(text) == needsEscaping)
        // What a JSON parser reads back is the text itself.
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [text])
    }
}
