import SGDiagnostics

/// A parsed file's bytes with the byte position of every node, for edits that change one value
/// and leave every other byte (comments, key order, quoting, line breaks) exactly as it was.
///
/// Positions come from libyaml's marks, as the parser stored them on each node (1-based line, and
/// a column counted in Unicode scalars after any byte-order mark); this type turns them back into
/// byte offsets. libyaml's mark for the end of a block collection is where the next token starts
/// (after any comments and blank lines), so the end of what a node actually holds is found from its
/// last scalar or flow collection instead (`contentEnd`).
public struct YAMLSourceText: Sendable {
    /// The file's bytes.
    public let bytes: [UInt8]
    /// Byte offset of each line's start; line 1 starts after a UTF-8 byte-order mark.
    private let lineStarts: [Int]

    /// Wraps a file's bytes. Line breaks are LF, CRLF or CR, as YAML defines them.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        var index = starts[0]
        while index < bytes.count {
            if bytes[index] == 0x0A {
                starts.append(index + 1)
            } else if bytes[index] == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        lineStarts = starts
    }

    /// The line break the file uses (its first one), LF when it has none: inserted lines use it too.
    public var lineBreak: [UInt8] {
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { return [0x0A] }
            if byte == 0x0D { return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? [0x0D, 0x0A] : [0x0D] }
        }
        return [0x0A]
    }

    /// The byte offset of a 1-based line and scalar column (past the end of a line: its break).
    public func offset(of location: SourceLocation) -> Int {
        guard location.line >= 1 else { return 0 }
        guard location.line <= lineStarts.count else { return bytes.count }
        var offset = lineStarts[location.line - 1]
        var column = 1
        while column < location.column, offset < bytes.count, bytes[offset] != 0x0A, bytes[offset] != 0x0D {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        return offset
    }

    /// The 1-based scalar column of a byte offset on its line.
    public func column(of offset: Int) -> Int {
        let start = lineStart(of: offset)
        var column = 1
        var index = start
        while index < offset {
            index += 1
            while index < offset, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
        return column
    }

    /// The offset where the line holding `offset` starts.
    public func lineStart(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return lineStarts[low]
    }

    /// True when `offset` is the start of a line.
    public func isLineStart(_ offset: Int) -> Bool { lineStart(of: offset) == offset }

    /// The start of the line after the one holding `offset`; the file's end when that line is the last.
    public func startOfNextLine(after offset: Int) -> Int {
        var index = offset
        while index < bytes.count {
            if bytes[index] == 0x0A { return index + 1 }
            if bytes[index] == 0x0D { return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? index + 2 : index + 1 }
            index += 1
        }
        return bytes.count
    }

    /// True when the file ends with a line break (or is empty).
    public var endsWithLineBreak: Bool { bytes.last.map { $0 == 0x0A || $0 == 0x0D } ?? true }

    /// How a collection was written.
    public enum CollectionStyle: Sendable { case block, flow }

    /// Block or flow, from the first byte of the node after any anchor or tag; nil for scalars.
    public func style(of node: YAMLNode) -> CollectionStyle? {
        guard node.mapping != nil || node.sequence != nil else { return nil }
        var index = offset(of: node.location)
        // Skip `&anchor` and `!tag` properties and the blanks after them.
        while index < bytes.count, bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "!") {
            while index < bytes.count, !Self.isBlank(bytes[index]) { index += 1 }
            while index < bytes.count, Self.isBlank(bytes[index]) || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        }
        guard index < bytes.count else { return .block }
        return bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "{") ? .flow : .block
    }

    /// True when the node is written as an alias (`*name`).
    public func isAlias(_ node: YAMLNode) -> Bool {
        let index = offset(of: node.location)
        return index < bytes.count && bytes[index] == UInt8(ascii: "*")
    }

    /// The offset just after the last thing the node holds: a scalar's or flow collection's end,
    /// or, for a block collection, the end of its last item or value.
    public func contentEnd(of node: YAMLNode) -> Int {
        switch node.content {
        case .scalar:
            return offset(of: node.endLocation)
        case .sequence(let items):
            if style(of: node) == .flow || items.isEmpty { return offset(of: node.endLocation) }
            return contentEnd(of: items[items.count - 1])
        case .mapping(let entries):
            if style(of: node) == .flow || entries.isEmpty { return offset(of: node.endLocation) }
            let last = entries.max { offset(of: $0.key.location) < offset(of: $1.key.location) }!
            return max(contentEnd(of: last.value), offset(of: last.key.endLocation))
        }
    }

    /// The bytes with `edits` applied (ranges of the original, none overlapping).
    public func applying(_ edits: [Edit]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        // Sorted by position; edits at the same place keep the order they were given in.
        let ordered = edits.enumerated().sorted { ($0.element.range.lowerBound, $0.element.range.upperBound, $0.offset) < ($1.element.range.lowerBound, $1.element.range.upperBound, $1.offset) }
        for edit in ordered.map(\.element) {
            precondition(edit.range.lowerBound >= cursor, "overlapping YAML edits")
            out += bytes[cursor..<edit.range.lowerBound]
            out += edit.replacement
            cursor = edit.range.upperBound
        }
        out += bytes[cursor...]
        return out
    }

    /// A replacement of a byte range of the original.
    public struct Edit: Sendable, Hashable {
        /// Bytes of the original replaced (empty for an insertion).
        public var range: Range<Int>
        /// What goes there.
        public var replacement: [UInt8]

        /// Creates an edit.
        public init(range: Range<Int>, replacement: [UInt8]) {
            self.range = range
            self.replacement = replacement
        }

        /// An insertion at `offset`.
        public static func insert(_ text: [UInt8], at offset: Int) -> Edit { Edit(range: offset..<offset, replacement: text) }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
