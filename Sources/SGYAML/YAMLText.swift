/// Text for the YAML files the tool writes (import-security-groups' config and scenario, the
/// entries check-drift --accept adds to a config): scalars plain when every YAML reader takes them
/// as the same string, double-quoted otherwise; comments that cannot break out of their line.
///
/// AWS descriptions may hold `* & ! # : { } [ ] ,` (all allowed by EC2), and a template's may hold
/// anything: each of them means something to YAML at the start of a scalar or inside a flow
/// mapping, so only a narrow, boring set stays plain. Everything else is double-quoted with YAML's
/// escapes, which also covers line breaks and characters YAML may not hold raw.
/// https://yaml.org/spec/1.2.2/#731-double-quoted-style
public enum YAMLText {
    /// The scalar as it should appear in a flow mapping or after `key: `.
    public static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    /// Characters a plain scalar may hold after its first: nothing YAML treats as an indicator in
    /// flow context (`, [ ] { }`), no `:` or `#` (`: ` starts a value, ` #` a comment), no quotes.
    private static let plainBody: Set<UInt8> = Set(
        Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._/()@+=-".utf8))

    /// Words YAML 1.1 or 1.2 readers turn into null or booleans when plain.
    private static let reservedWords: Set<String> = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]

    /// True when the text reads back as itself from a plain scalar in any YAML reader: starts with
    /// a letter or digit, holds only `plainBody`, does not end in a space, is not a reserved word
    /// or a number (so no reader types it differently from ours, which types by field).
    public static func isPlainSafe(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        let isAlphanumeric = { (byte: UInt8) in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard isAlphanumeric(first), last != UInt8(ascii: " "), bytes.allSatisfy({ plainBody.contains($0) }) else { return false }
        if reservedWords.contains(text.lowercased()) { return false }
        return !looksNumeric(bytes)
    }

    /// Digits with at most `.`, `_`, `e`, `+`, `-` (`443`, `1e3`, `1_000`, `1.5`): numbers to
    /// YAML's type guessing. CIDRs (`10.0.0.0/8`) contain `/` and stay plain.
    private static func looksNumeric(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
    }

    /// A double-quoted scalar: `\` and `"` escaped, and every character YAML may not hold raw
    /// (C0/C1 controls, DEL, line and paragraph separators, the BOM, unpaired surrogates cannot
    /// occur in a Swift string) written as an escape, so the result is one line.
    public static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "\\u" + hex(scalar.value, width: 4)
                }
            }
        }
        return out + "\""
    }

    /// libyaml's printable set: tab aside, 0x20-0x7E, NEL, 0xA0-0xD7FF, 0xE000-0xFFFD without the
    /// BOM, and the planes above. NEL (a line break in YAML 1.1) is escaped too.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        // U+2028 and U+2029 are line breaks to YAML 1.1 readers such as libyaml.
        case 0xA0...0xD7FF: return scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: return scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Text safe after `# ` on one line: anything outside plain printable ASCII and spaces is shown
    /// through `doubleQuoted`'s escapes, so a value cannot end the comment and start YAML.
    public static func commentText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F {
                out.unicodeScalars.append(scalar)
            } else if isPrintable(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u" + hex(scalar.value, width: 4)
            }
        }
        return out
    }
}
