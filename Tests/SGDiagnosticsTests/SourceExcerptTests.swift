import SGDiagnostics
import Testing

/// Quoted source lines are clipped around the column and cleaned; repeated diagnostics are capped
/// in text with a count of the rest.
@Suite struct SourceExcerptTests {
    @Test func aShortLineIsShownWholeWithTheCaretAtTheColumn() {
        let excerpt = SourceExcerpt.make(line: Array("port: 70000".utf8), column: 7)
        #expect(excerpt == SourceExcerpt(text: "port: 70000", caretColumn: 7))
        #expect(excerpt.rendered(line: 14) == " 14 | port: 70000\n    |       ^\n")
    }

    @Test func aLongLineIsClippedAroundTheColumnWithMarkedEnds() {
        let line = String(repeating: "a", count: 5000) + "X" + String(repeating: "b", count: 5000)
        let excerpt = SourceExcerpt.make(line: Array(line.utf8), column: 5001)
        #expect(excerpt.text.count == 3 + SourceExcerpt.width + 3)
        #expect(excerpt.text.hasPrefix("...") && excerpt.text.hasSuffix("..."))
        let caretIndex = excerpt.text.index(excerpt.text.startIndex, offsetBy: excerpt.caretColumn - 1)
        #expect(excerpt.text[caretIndex] == "X", "the caret points at the column's character")
        #expect(excerpt.caretColumn == 3 + SourceExcerpt.before + 1)
    }

    @Test func theStartOfALongLineIsNotClippedOnTheLeft() {
        let line = "x" + String(repeating: "b", count: 1000)
        let excerpt = SourceExcerpt.make(line: Array(line.utf8), column: 1)
        #expect(excerpt.text == "x" + String(repeating: "b", count: SourceExcerpt.width - 1) + "...")
        #expect(excerpt.caretColumn == 1)
    }

    @Test func columnsCountCharactersAndControlsBecomeSpaces() {
        // é is two bytes and one column; ESC and U+009B (CSI) cannot reach the terminal.
        let excerpt = SourceExcerpt.make(line: Array("é\u{1B}[31m\u{9B}: x".utf8), column: 9)
        #expect(excerpt.text == "é [31m : x")
        #expect(excerpt.caretColumn == 9)
    }

    @Test func aByteOrderMarkIsNotShown() {
        #expect(SourceExcerpt.make(line: [0xEF, 0xBB, 0xBF] + Array("a: 1".utf8), column: 4).text == "a: 1")
        let file = SourceFile(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\nb: 2\n".utf8))
        #expect(file.excerpt(line: 1, column: 4) == SourceExcerpt(text: "a: 1", caretColumn: 4))
        #expect(file.excerpt(line: 2, column: 1) == SourceExcerpt(text: "b: 2", caretColumn: 1))
        #expect(file.excerpt(line: 9, column: 1) == nil)
    }

    @Test func manyDiagnosticsOfOneCodeAreCappedInTextWithACountOfTheRest() {
        let file = SourceFile(path: "s.yaml", text: "{" + String(repeating: "p: 70000, ", count: 50) + "}\n")
        let registry = SourceFileRegistry()
        registry.add(file)
        var diagnostics: [Diagnostic] = (0..<50).map { index in
            .error(.portOutOfRange, "port 70000 is out of range 0-65535", at: SourceLocation(file: "s.yaml", line: 1, column: 2 + index * 10))
        }
        diagnostics.append(.warning(.scenarioNameMismatch, "something else", at: nil))
        let text = DiagnosticRenderer(useColor: false, excerpt: registry.excerptProvider).render(diagnostics, maxPerCode: 20)
        #expect(text.split(separator: "\n").filter { $0.contains("error: port 70000") }.count == 20)
        #expect(text.contains("sg-provisioner: warning: something else [W301]"))
        #expect(text.hasSuffix("sg-provisioner: note: 30 more errors [E305] not shown after the first 20 (--output json or sarif lists every one)\n"))
        // Every quoted line is clipped: no line of the output is longer than the excerpt allows.
        #expect(text.split(separator: "\n").allSatisfy { $0.count < SourceExcerpt.width + 20 || $0.hasPrefix("sg-provisioner: note:") })
    }
}
