/// JSON string literals (RFC 8259), shared by every JSON the tool writes — templates, reports,
/// SARIF, machine output — so all of them escape the same way.
public enum JSONText {
    /// `text` as a quoted JSON string: quote, backslash and control characters escaped (plus DEL and
    /// U+2028/U+2029, which break JavaScript consumers); everything else kept as UTF-8.
    public static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// True when `text` holds a character `quoted` escapes; false means the literal is the text
    /// between two quotes. A byte scan: most strings (ids, names, CIDRs) need no escaping, and
    /// they are most of what big templates and reports render, so they cost one pass over bytes.
    public static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    /// Appends `text` as a quoted JSON string to `out`, without an intermediate copy.
    public static func appendQuoted(_ text: String, to out: inout String) {
        guard needsEscaping(text) else {
            out += "\""
            out += text
            out += "\""
            return
        }
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
