/// Renders a `TemplateValue` document as CloudFormation YAML: 2-space indentation, short-form
/// intrinsic tags, and strings quoted whenever a YAML reader could take them for something else.
///
/// The output is a concatenation of one fragment per map entry, so the size of a template is the
/// sum of its entries' sizes; the stack splitter relies on that to pack stacks without rendering
/// each candidate.
enum TemplateYAMLWriter {
    /// The whole document, ending in a newline.
    static func document(_ root: TemplateValue) -> String {
        guard case .map(let entries) = root, !entries.isEmpty else { return (inline(root) ?? "{}") + "\n" }
        return mapBody(entries, indent: 0)
    }

    /// The exact text of one entry of a map rendered at `indent` spaces.
    static func entry(key: String, value: TemplateValue, indent: Int) -> String {
        var out = ""
        appendEntry(key: key, value: value, indent: indent, to: &out)
        return out
    }

    private static func mapBody(_ entries: [(String, TemplateValue)], indent: Int) -> String {
        var out = ""
        for (key, value) in entries { appendEntry(key: key, value: value, indent: indent, to: &out) }
        return out
    }

    private static func appendEntry(key: String, value: TemplateValue, indent: Int, to out: inout String) {
        let head = String(repeating: " ", count: indent) + YAMLScalarStyle.quotedKey(key) + ":"
        if let text = inline(value) {
            out += head + " " + text + "\n"
            return
        }
        switch value {
        case .map(let entries):
            out += head + "\n" + mapBody(entries, indent: indent + 2)
        case .list(let items):
            out += head + "\n" + listBody(items, indent: indent + 2)
        case .join(let separator, let items):
            out += head + " !Join\n" + listBody([.string(separator), .list(items)], indent: indent + 2)
        case .importValue(let name):
            // A node carries one tag, so `!ImportValue !Sub ...` is not YAML: use the long form.
            out += head + "\n" + mapBody([("Fn::ImportValue", name)], indent: indent + 2)
        default:
            out += head + " {}\n"  // unreachable: every other case renders inline
        }
    }

    private static func listBody(_ items: [TemplateValue], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for item in items {
            if let text = inline(item) {
                out += pad + "- " + text + "\n"
                continue
            }
            let nested: String
            switch item {
            case .join(let separator, let nestedItems):
                out += pad + "- !Join\n" + listBody([.string(separator), .list(nestedItems)], indent: indent + 2)
                continue
            case .map(let entries): nested = mapBody(entries, indent: indent + 2)
            case .list(let nestedItems): nested = listBody(nestedItems, indent: indent + 2)
            case .importValue(let name): nested = mapBody([("Fn::ImportValue", name)], indent: indent + 2)
            default: nested = String(repeating: " ", count: indent + 2) + "{}\n"
            }
            // The first line of a block item shares the line with its dash: "- Key: value".
            out += pad + "- " + String(nested.dropFirst(indent + 2))
        }
        return out
    }

    /// The one-line form of scalars, short-form tags and empty collections; nil for blocks.
    private static func inline(_ value: TemplateValue) -> String? {
        switch value {
        case .string(let text): return YAMLScalarStyle.quoted(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return items.isEmpty ? "[]" : nil
        case .map(let entries): return entries.isEmpty ? "{}" : nil
        case .ref(let name): return "!Ref " + YAMLScalarStyle.quoted(name)
        case .getAtt(let resource, let attribute): return "!GetAtt " + YAMLScalarStyle.quoted(resource + "." + attribute)
        case .sub(let text): return "!Sub " + YAMLScalarStyle.quoted(text)
        case .importValue(.string(let name)): return "!ImportValue " + YAMLScalarStyle.quoted(name)
        case .importValue, .join: return nil
        }
    }
}

/// Decides when a YAML string must be quoted, and writes the double-quoted form.
enum YAMLScalarStyle {
    /// Words YAML 1.1 or 1.2 readers turn into booleans or null (compared lower-cased).
    private static let specialWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]
    /// Characters that mean something at the start of a plain scalar.
    private static let leadingIndicators: Set<Character> = [
        "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "<", "=",
    ]

    /// The text as a YAML scalar: plain when unambiguous, double-quoted otherwise.
    static func quoted(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    /// A mapping key: as `quoted`, and also quoted when it contains a colon, so a key such as
    /// `sg-provisioner:tier` is never read as a nested key by a lenient reader.
    static func quotedKey(_ key: String) -> String {
        key.contains(":") ? doubleQuoted(key) : quoted(key)
    }

    /// True when a plain scalar would be misread or is not allowed.
    static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " { return true }
        if text.unicodeScalars.contains(where: { !($0.value >= 0x20 && $0.value < 0x7F) }) { return true }
        if leadingIndicators.contains(first) { return true }
        // Anything starting like a number (ints, floats, octal, hex, sexagesimal, dates, .inf).
        if first.isASCII, first.isNumber || first == "+" || first == "." { return true }
        if text.contains(": ") || text.contains(" #") || last == ":" { return true }
        return specialWords.contains(text.lowercased())
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
