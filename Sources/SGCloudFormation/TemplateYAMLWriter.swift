/// Renders a `TemplateValue` document as CloudFormation YAML: 2-space indentation, short-form
/// intrinsic tags, and strings quoted whenever a YAML reader could take them for something else.
///
/// The output is a concatenation of one fragment per map entry, so the size of a template is the
/// sum of its entries' sizes; the stack splitter relies on that to pack stacks without rendering
/// each candidate.
enum TemplateYAMLWriter {
    /// The whole document, ending in a newline.
    static func document(_ root: TemplateValue) -> String {
        var sink = TemplateByteSink()
        write(root, to: &sink)
        return sink.text
    }

    /// The byte size of `document(root)`, computed without building the text.
    static func documentSize(_ root: TemplateValue) -> Int {
        var counter = TemplateByteCounter()
        write(root, to: &counter)
        return counter.count
    }

    /// The exact text of one entry of a map rendered at `indent` spaces.
    static func entry(key: String, value: TemplateValue, indent: Int) -> String {
        var sink = TemplateByteSink()
        appendEntry(key: key, value: value, indent: indent, skipFirstPad: false, to: &sink)
        return sink.text
    }

    /// The byte size of `entry(key:value:indent:)`, computed without building the text.
    static func entrySize(key: String, value: TemplateValue, indent: Int) -> Int {
        var counter = TemplateByteCounter()
        appendEntry(key: key, value: value, indent: indent, skipFirstPad: false, to: &counter)
        return counter.count
    }

    private static func write<Sink: TemplateTextSink>(_ root: TemplateValue, to sink: inout Sink) {
        guard case .map(let entries) = root, !entries.isEmpty else {
            if !writeInline(root, to: &sink) { sink.write("{}") }
            sink.write(byte: UInt8(ascii: "\n"))
            return
        }
        mapBody(entries, indent: 0, skipFirstPad: false, to: &sink)
    }

    // `skipFirstPad`: the first line's indentation is already on the line, written as the "- "
    // of a list item ("- Key: value"), so only later lines carry their padding.

    private static func mapBody<Sink: TemplateTextSink>(
        _ entries: [(String, TemplateValue)], indent: Int, skipFirstPad: Bool, to sink: inout Sink
    ) {
        var skipPad = skipFirstPad
        for (key, value) in entries {
            appendEntry(key: key, value: value, indent: indent, skipFirstPad: skipPad, to: &sink)
            skipPad = false
        }
    }

    private static func appendEntry<Sink: TemplateTextSink>(
        key: String, value: TemplateValue, indent: Int, skipFirstPad: Bool, to sink: inout Sink
    ) {
        if !skipFirstPad { sink.writeSpaces(indent) }
        YAMLScalarStyle.writeKey(key, to: &sink)
        sink.write(byte: UInt8(ascii: ":"))
        if isInline(value) {
            sink.write(byte: UInt8(ascii: " "))
            _ = writeInline(value, to: &sink)
            sink.write(byte: UInt8(ascii: "\n"))
            return
        }
        switch value {
        case .map(let entries):
            sink.write(byte: UInt8(ascii: "\n"))
            mapBody(entries, indent: indent + 2, skipFirstPad: false, to: &sink)
        case .list(let items):
            sink.write(byte: UInt8(ascii: "\n"))
            listBody(items, indent: indent + 2, skipFirstPad: false, to: &sink)
        case .join(let separator, let items):
            sink.write(" !Join\n")
            listBody([.string(separator), .list(items)], indent: indent + 2, skipFirstPad: false, to: &sink)
        case .importValue(let name):
            // A node carries one tag, so `!ImportValue !Sub ...` is not YAML: use the long form.
            sink.write(byte: UInt8(ascii: "\n"))
            mapBody([("Fn::ImportValue", name)], indent: indent + 2, skipFirstPad: false, to: &sink)
        default:
            sink.write(" {}\n")  // unreachable: every other case renders inline
        }
    }

    private static func listBody<Sink: TemplateTextSink>(
        _ items: [TemplateValue], indent: Int, skipFirstPad: Bool, to sink: inout Sink
    ) {
        var skipPad = skipFirstPad
        for item in items {
            if !skipPad { sink.writeSpaces(indent) }
            skipPad = false
            sink.write("- ")
            if isInline(item) {
                _ = writeInline(item, to: &sink)
                sink.write(byte: UInt8(ascii: "\n"))
                continue
            }
            // The first line of a block item shares the line with its dash: "- Key: value".
            switch item {
            case .join(let separator, let nestedItems):
                sink.write("!Join\n")
                listBody([.string(separator), .list(nestedItems)], indent: indent + 2, skipFirstPad: false, to: &sink)
            case .map(let entries): mapBody(entries, indent: indent + 2, skipFirstPad: true, to: &sink)
            case .list(let nestedItems): listBody(nestedItems, indent: indent + 2, skipFirstPad: true, to: &sink)
            case .importValue(let name): mapBody([("Fn::ImportValue", name)], indent: indent + 2, skipFirstPad: true, to: &sink)
            default: sink.write("{}\n")
            }
        }
    }

    /// True for the values `writeInline` writes on one line: scalars, short-form tags and empty
    /// collections.
    private static func isInline(_ value: TemplateValue) -> Bool {
        switch value {
        case .string, .int, .bool, .ref, .getAtt, .sub: return true
        case .list(let items): return items.isEmpty
        case .map(let entries): return entries.isEmpty
        case .importValue(.string): return true
        case .importValue, .join: return false
        }
    }

    /// Writes the one-line form of scalars, short-form tags and empty collections; false (and
    /// nothing written) for blocks.
    @discardableResult
    private static func writeInline<Sink: TemplateTextSink>(_ value: TemplateValue, to sink: inout Sink) -> Bool {
        switch value {
        case .string(let text): YAMLScalarStyle.write(text, to: &sink)
        case .int(let number): sink.write(String(number))
        case .bool(let flag): sink.write(flag ? "true" : "false")
        case .list(let items):
            guard items.isEmpty else { return false }
            sink.write("[]")
        case .map(let entries):
            guard entries.isEmpty else { return false }
            sink.write("{}")
        case .ref(let name):
            sink.write("!Ref ")
            YAMLScalarStyle.write(name, to: &sink)
        case .getAtt(let resource, let attribute):
            sink.write("!GetAtt ")
            YAMLScalarStyle.write(resource + "." + attribute, to: &sink)
        case .sub(let text):
            sink.write("!Sub ")
            YAMLScalarStyle.write(text, to: &sink)
        case .importValue(.string(let name)):
            sink.write("!ImportValue ")
            YAMLScalarStyle.write(name, to: &sink)
        case .importValue, .join: return false
        }
        return true
    }
}

/// Decides when a YAML string must be quoted, and writes the double-quoted form.
///
/// Every decision is made on the UTF-8 bytes: it runs for every scalar of every template (and of
/// every sizing pass), and `String.contains(_:)` with Foundation loaded goes through
/// `CFStringFind`, many times slower than a scan of the bytes.
enum YAMLScalarStyle {
    /// The text as a YAML scalar: plain when unambiguous, double-quoted otherwise.
    static func quoted(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    /// A mapping key: as `quoted`, and also quoted when it contains a colon, so a key such as
    /// `sg-provisioner:tier` is never read as a nested key by a lenient reader.
    static func quotedKey(_ key: String) -> String {
        keyNeedsQuotes(key) ? doubleQuoted(key) : key
    }

    /// Writes `quoted(text)` without building it when it is plain.
    static func write<Sink: TemplateTextSink>(_ text: String, to sink: inout Sink) {
        if needsQuotes(text) { writeDoubleQuoted(text, to: &sink) } else { sink.write(text) }
    }

    /// Writes `quotedKey(key)` without building it when it is plain.
    static func writeKey<Sink: TemplateTextSink>(_ key: String, to sink: inout Sink) {
        if keyNeedsQuotes(key) { writeDoubleQuoted(key, to: &sink) } else { sink.write(key) }
    }

    /// Writes `doubleQuoted(text)`. Most quoted scalars (CIDRs, port numbers as strings) are
    /// printable ASCII without `"` or `\`, which the double-quoted form keeps as they are.
    private static func writeDoubleQuoted<Sink: TemplateTextSink>(_ text: String, to sink: inout Sink) {
        let keptAsIs = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        guard keptAsIs else { return sink.write(doubleQuoted(text)) }
        sink.write(byte: UInt8(ascii: "\""))
        sink.write(text)
        sink.write(byte: UInt8(ascii: "\""))
    }

    private static func keyNeedsQuotes(_ key: String) -> Bool {
        key.utf8.contains(UInt8(ascii: ":")) || needsQuotes(key)
    }

    /// True when a plain scalar would be misread or is not allowed.
    static func needsQuotes(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(needsQuotes(utf8:))
    }

    /// `needsQuotes` on UTF-8 bytes. Once every byte is printable ASCII (anything else is quoted),
    /// one byte is one character, so the character rules become byte tests.
    private static func needsQuotes(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        // Control characters, DEL and every non-ASCII scalar (whose UTF-8 bytes are all >= 0x80).
        var previous: UInt8 = 0
        for byte in bytes {
            guard byte >= 0x20, byte < 0x7F else { return true }
            // ": " starts a mapping value and " #" a comment inside a plain scalar.
            if (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " "))
                || (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#")) { return true }
            previous = byte
        }
        if isLeadingIndicator(first) { return true }
        // Anything starting like a number (ints, floats, octal, hex, sexagesimal, dates, .inf).
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            return true
        }
        return bytes.count <= 5 && isSpecialWord(bytes)
    }

    /// Characters that mean something at the start of a plain scalar.
    private static func isLeadingIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "<"),
             UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    /// Words YAML 1.1 or 1.2 readers turn into booleans or null, compared ASCII-case-insensitively.
    private static let specialWords: [[UInt8]] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        .map { Array($0.utf8) }

    private static func isSpecialWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        specialWords.contains { word in
            word.count == bytes.count && zip(word, bytes).allSatisfy { expected, byte in
                // ASCII lower-casing: the bytes are printable ASCII here.
                let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                return lowered == expected
            }
        }
    }

    /// The double-quoted form, escaping what YAML requires and every non-printable character.
    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{0}": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) {
                    out += "\\x" + hex(value, width: 2)
                } else if value == 0xFEFF || (0xFFFE...0xFFFF).contains(value) {
                    out += "\\u" + hex(value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
