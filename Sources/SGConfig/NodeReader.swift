import SGDiagnostics
import SGModel
import SGYAML

/// The keys of one mapping after unknown and missing keys were reported.
///
/// Kept as a short list searched in order, not a hash table: a mapping has a handful of known
/// keys (a rule four), fewer than building a table for every rule pays for.
struct Fields {
    /// The mapping node itself (where "missing key" errors point).
    let node: YAMLNode
    /// Each known key's entry (for a key written twice, which SGYAML reports, the last one).
    private let entries: [(key: String, entry: YAMLMappingEntry)]

    init(node: YAMLNode, entries: [(key: String, entry: YAMLMappingEntry)]) {
        self.node = node
        self.entries = entries
    }

    private func entry(_ key: String) -> YAMLMappingEntry? {
        for candidate in entries where candidate.key == key { return candidate.entry }
        return nil
    }

    /// The value of a known key, if present.
    subscript(key: String) -> YAMLNode? { entry(key)?.value }

    /// The key node of a known key, if present (where "this key is not allowed here" errors point).
    func keyNode(_ key: String) -> YAMLNode? { entry(key)?.key }

    /// True when the key is present.
    func has(_ key: String) -> Bool { entry(key) != nil }
}

/// Reads typed values out of YAML nodes. Every problem is reported to `diagnostics` and the read
/// returns nil, so callers go on and one run reports every independent problem.
///
/// Scalars are typed by the field that reads them, never by YAML 1.1 guessing: `environment: no`
/// is the string "no", and `port: 0x16` is an error rather than 22.
struct NodeReader {
    var diagnostics = Diagnostics()
    /// Unknown keys that got a "did you mean" so far: past `Suggester.maxDistinctNames` a file
    /// of 200,000 unknown keys is not a typo, and the comparisons would dominate the run.
    private(set) var suggestedKeys = 0

    /// Creates a reader with no diagnostics.
    init() {}

    /// Creates a reader for a part of a file read apart from the rest (a run of tiers read on
    /// another core): `suggestedKeys` is how many unknown keys the reading so far suggested for.
    init(suggestedKeys: Int) {
        self.suggestedKeys = suggestedKeys
    }

    /// Counts unknown keys whose suggestions were searched by another reader (a tier run read
    /// on another core) and merged into this one.
    mutating func addSuggestedKeys(_ count: Int) {
        suggestedKeys += count
    }

    /// Where the diagnostics end now, for `hasErrors(since:)`.
    var mark: Int { diagnostics.all.count }

    /// True when an error was reported after `mark`. Looks at the new diagnostics only, so a check
    /// after every rule stays linear in a scenario with many errors.
    func hasErrors(since mark: Int) -> Bool {
        diagnostics.all[mark...].contains { $0.severity == .error }
    }

    // MARK: - Kinds

    /// Reports an explicit tag; types are the field's business, so `!!str` or `!Ref` only mislead.
    mutating func rejectTag(_ node: YAMLNode) -> Bool {
        guard let tag = node.tag else { return true }
        let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
        diagnostics.error(.explicitTag, "explicit YAML tag '\(shown)' is not allowed; remove it (the field decides the type)", at: node.location)
        return false
    }

    /// "a mapping", "a sequence", "a scalar", "null".
    static func kindPhrase(_ node: YAMLNode) -> String {
        node.isNull ? "null" : "a \(node.kindName)"
    }

    /// The entries of a mapping node, or nil with an error.
    mutating func mapping(_ node: YAMLNode, for label: @autoclosure () -> String) -> [YAMLMappingEntry]? {
        guard rejectTag(node) else { return nil }
        guard let entries = node.mapping else {
            diagnostics.error(.wrongKind, "expected a mapping for \(label()), found \(Self.kindPhrase(node))", at: node.location)
            return nil
        }
        return entries
    }

    /// The items of a sequence node, or nil with an error.
    mutating func sequence(_ node: YAMLNode, for label: String) -> [YAMLNode]? {
        guard rejectTag(node) else { return nil }
        guard let items = node.sequence else {
            diagnostics.error(.wrongKind, "expected a sequence for \(label), found \(Self.kindPhrase(node))", at: node.location)
            return nil
        }
        return items
    }

    /// Checks a mapping's keys: unknown keys (with a suggestion) at the key, missing required keys
    /// at the mapping. Returns the known keys even when some were missing, so their values are
    /// still checked. `advertised` (default: `allowed`) is what suggestions and the "allowed keys"
    /// note offer: a rule accepts the other direction's peer keys only to explain them better.
    /// `label` is built only for an error message (it is per list item, and most items are fine).
    mutating func fields(
        _ node: YAMLNode, of what: String, label: @autoclosure () -> String, allowed: [String], required: [String],
        advertised: [String]? = nil
    ) -> Fields? {
        let advertised = advertised ?? allowed
        guard let entries = mapping(node, for: label()) else { return nil }
        var known: [(key: String, entry: YAMLMappingEntry)] = []
        known.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = entry.key.string else { continue }  // SGYAML already reported complex keys
            _ = rejectTag(entry.key)
            if allowed.contains(key) {
                // A repeated key (already an SGYAML error) keeps its last value, as a table would.
                if let index = known.firstIndex(where: { $0.key == key }) {
                    known[index].entry = entry
                } else {
                    known.append((key, entry))
                }
            } else {
                var suggestion = ""
                if suggestedKeys < TextSupport.Suggester.maxDistinctNames {
                    suggestedKeys += 1
                    suggestion = TextSupport.didYouMean(key, in: advertised)
                }
                diagnostics.error(
                    .unknownKey, "unknown key \(TextSupport.quoted(key)) in \(what)\(suggestion)",
                    at: entry.key.location,
                    notes: [.init("allowed keys: \(advertised.joined(separator: ", "))")])
            }
        }
        for key in required where !known.contains(where: { $0.key == key }) {
            diagnostics.error(.missingKey, "\(what) is missing required key '\(key)'", at: node.location)
        }
        return Fields(node: node, entries: known)
    }

    // MARK: - Scalars

    /// A string value. Null reads as the empty string (`key:` means "nothing"), which the field's
    /// own checks then judge.
    mutating func string(_ node: YAMLNode, for label: String) -> String? {
        guard rejectTag(node) else { return nil }
        guard let scalar = node.scalar else {
            diagnostics.error(.wrongKind, "expected a string for \(label), found \(Self.kindPhrase(node))", at: node.location)
            return nil
        }
        return node.isNull ? "" : scalar.value
    }

    /// A non-empty string; empty or null is an `emptyValue` error.
    mutating func nonEmptyString(_ node: YAMLNode, for label: String) -> String? {
        guard let text = string(node, for: label) else { return nil }
        guard !text.trimmingWhitespace.isEmpty else {
            diagnostics.error(.emptyValue, "\(label) must not be empty", at: node.location)
            return nil
        }
        return text
    }

    /// Parses plain decimal digits only: no sign, no leading zero, no `0x`, `_`, `:` or `.`, so
    /// YAML 1.1's sexagesimal `22:80` or octal `022` cannot sneak in as a different number.
    static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ ("0"..."9").contains($0) }),
              text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }

    /// Decimal digits without a leading zero, as `("0"..."9").contains` on each Character and
    /// `text == "0" || !text.hasPrefix("0")` decide: on bytes when the text is ASCII (the usual
    /// case, and then the same answer), on Characters otherwise (a digit with a combining mark
    /// is "in" "0"..."9" there, which decides which error is reported).
    static func isDecimal(_ text: String) -> Bool {
        let bytes = text.utf8
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return !bytes.isEmpty && bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                && (bytes.count == 1 || bytes.first != UInt8(ascii: "0"))
        }
        return !text.isEmpty && text.allSatisfy({ ("0"..."9").contains($0) }) && (text == "0" || !text.hasPrefix("0"))
    }

    /// A decimal integer (plain or quoted) within `range`, else nil with an error; out-of-range
    /// values are reported with `rangeCode`.
    /// `hint` is built only when the value is not a decimal integer.
    mutating func integer(
        _ node: YAMLNode, for label: String, in range: ClosedRange<Int>, rangeCode: DiagnosticCode,
        hint: @autoclosure () -> String = ""
    ) -> Int? {
        guard rejectTag(node) else { return nil }
        guard let scalar = node.scalar, !node.isNull else {
            diagnostics.error(.wrongKind, "expected an integer for \(label), found \(Self.kindPhrase(node))", at: node.location)
            return nil
        }
        let text = scalar.value
        guard Self.isDecimal(text) else {
            diagnostics.error(.invalidInteger, "\(label) must be a decimal integer, found \(TextSupport.quoted(text))\(hint())", at: node.location)
            return nil
        }
        // Int(text) is nil only on overflow, which is out of any range we accept.
        guard let value = Int(text), range.contains(value) else {
            diagnostics.error(rangeCode, "\(label) \(text) is out of range \(range.lowerBound)-\(range.upperBound)", at: node.location)
            return nil
        }
        return value
    }

    /// `true` or `false`, exactly. `yes`, `on`, `True` are rejected: YAML 1.1 and 1.2 disagree on
    /// them, and a security flag must not depend on which reader is used.
    mutating func boolean(_ node: YAMLNode, for label: String) -> Bool? {
        guard rejectTag(node) else { return nil }
        guard let scalar = node.scalar, !node.isNull else {
            diagnostics.error(.wrongKind, "expected true or false for \(label), found \(Self.kindPhrase(node))", at: node.location)
            return nil
        }
        switch scalar.value {
        case "true": return true
        case "false": return false
        default:
            diagnostics.error(.invalidBoolean, "\(label) must be true or false, found \(TextSupport.quoted(scalar.value))", at: node.location)
            return nil
        }
    }

    /// A real calendar date `YYYY-MM-DD`.
    mutating func date(_ node: YAMLNode, for label: String) -> CalendarDate? {
        guard let text = string(node, for: label) else { return nil }
        if let date = CalendarDate.parse(text) { return date }
        let shaped = text.count == 10 && text.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : ("0"..."9").contains(character)
        }
        let message = shaped
            ? "\(label) \(TextSupport.quoted(text)) is not a real date"
            : "\(label) must be a date YYYY-MM-DD, found \(TextSupport.quoted(text))"
        diagnostics.error(.invalidDate, message, at: node.location)
        return nil
    }

    /// A name following `NameRules`; `code` is the field's own code.
    mutating func name(_ node: YAMLNode, for label: String, code: DiagnosticCode) -> String? {
        guard let text = string(node, for: label) else { return nil }
        return checkName(text, for: label, code: code, at: node.location)
    }

    /// Checks a name already read (e.g. a mapping key).
    mutating func checkName(_ text: String, for label: String, code: DiagnosticCode, at location: SourceLocation) -> String? {
        guard let problem = NameRules.problem(in: text) else { return text }
        let message = text.isEmpty ? "\(label) \(problem)" : "invalid \(label) \(TextSupport.quoted(text)): \(problem)"
        diagnostics.error(code, message, at: location, notes: [.init(NameRules.patternNote)])
        return nil
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
