import SGDiagnostics
import Testing

/// `SourceFile`'s line table: LF, CRLF and CR each end a line, lines come back without their
/// breaks, and invalid UTF-8 is repaired for display only.
@Suite struct SourceFileTests {
    @Test(arguments: [
        ("", 1, [""]),
        ("a", 1, ["a"]),
        ("a\n", 2, ["a", ""]),
        ("a\nb", 2, ["a", "b"]),
        ("a\r\nb\r\n", 3, ["a", "b", ""]),
        ("a\rb\rc", 3, ["a", "b", "c"]),
        ("a\r\n\r\nb", 3, ["a", "", "b"]),
        ("\n\n", 3, ["", "", ""]),
        ("x\r\ry\n\rz", 5, ["x", "", "y", "", "z"]),
    ])
    func linesSplitAtEveryKindOfBreak(text: String, lineCount: Int, lines: [String]) {
        let file = SourceFile(path: "t.yaml", text: text)
        #expect(file.lineCount == lineCount)
        #expect((1...lineCount).map { file.line($0) } == lines)
        #expect(file.line(0) == nil)
        #expect(file.line(lineCount + 1) == nil)
    }

    @Test func invalidUTF8IsRepairedForDisplay() {
        let file = SourceFile(path: "t.yaml", bytes: [0x61, 0xFF, 0x62, 0x0A, 0x63])
        #expect(file.line(1) == "a\u{FFFD}b")
        #expect(file.line(2) == "c")
    }
}
