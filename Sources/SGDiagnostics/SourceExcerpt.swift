/// A source line as quoted under a diagnostic or a finding, with the caret's position in it.
///
/// Long lines are clipped around the column: a one-line (JSON-style) scenario of 700 KB quoted
/// whole under each of 10,000 diagnostics was 7 GB of output. At most `width` characters are
/// kept — `before` of them ahead of the column — and a clipped end is marked with `...`. Tabs and
/// control characters become spaces, so the caret lines up and nothing in the input can drive the
/// terminal (C1 controls too: U+009B is a terminal's CSI, as dangerous as ESC); a byte-order mark
/// is not shown.
public struct SourceExcerpt: Sendable, Equatable {
    /// The text to print.
    public let text: String
    /// 1-based position of the caret in `text`.
    public let caretColumn: Int

    /// Most characters shown of one line.
    public static let width = 120
    /// Characters kept ahead of the column when a line is clipped.
    public static let before = 40

    /// Creates an excerpt.
    public init(text: String, caretColumn: Int) {
        self.text = text
        self.caretColumn = caretColumn
    }

    /// The excerpt of one line's UTF-8 bytes around a 1-based column (counted in characters, as
    /// the YAML front end counts them). Only the bytes up to the window's end are looked at.
    public static func make<Bytes: Collection<UInt8>>(line bytes: Bytes, column: Int) -> SourceExcerpt where Bytes.Index == Int {
        var start = bytes.startIndex
        let end = bytes.endIndex
        if end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
        let column = max(1, column)
        let firstShown = column - 1 > width - before ? column - 1 - before : 0
        // Byte offsets of the first character shown and of the first one past the window.
        var index = start, character = 0
        var windowStart = start
        while index < end, character < firstShown + width {
            if character == firstShown { windowStart = index }
            index += 1
            while index < end, bytes[index] & 0xC0 == 0x80 { index += 1 }
            character += 1
        }
        if character <= firstShown { windowStart = index }
        let clippedEnd = index < end
        var text = firstShown > 0 ? "..." : ""
        for scalar in String(decoding: bytes[windowStart..<index], as: UTF8.self).unicodeScalars {
            let value = scalar.value
            text.unicodeScalars.append(value < 0x20 || (0x7F..<0xA0).contains(value) ? " " : scalar)
        }
        if clippedEnd { text += "..." }
        let caret = column - firstShown + (firstShown > 0 ? 3 : 0)
        return SourceExcerpt(text: text, caretColumn: min(caret, text.unicodeScalars.count + 1))
    }

    /// The two lines printed under a message: ` 14 | text` and the caret under the column.
    public func rendered(line: Int, caret: String = "^") -> String {
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        return " \(gutter) | \(text)\n \(pad) | \(String(repeating: " ", count: caretColumn - 1))\(caret)\n"
    }
}

extension SourceFile {
    /// The excerpt of a 1-based line around a column, or nil when the file has no such line.
    public func excerpt(line number: Int, column: Int) -> SourceExcerpt? {
        guard let range = lineRange(number) else { return nil }
        return SourceExcerpt.make(line: bytes[range], column: column)
    }
}
