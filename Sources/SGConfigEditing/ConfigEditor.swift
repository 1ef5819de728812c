import SGDiagnostics
import SGModel
import SGYAML

/// Why a config could not be edited in place.
public struct ConfigEditError: Error, Sendable, CustomStringConvertible {
    /// What is in the way.
    public var message: String
    /// Where, when there is a place to point at.
    public var location: SourceLocation?

    /// One line.
    public var description: String { (location.map { "\($0): " } ?? "") + message }
}

/// Adds entries to a config's `overrides` and `accepted_risks` by editing its text where those
/// lists are, so every other byte of the file stays as it was: comments, key order, quoting, blank
/// lines, line breaks (CRLF stays CRLF), a byte-order mark. Never a re-serialisation of the document.
///
/// Positions come from libyaml's marks on the parsed nodes (`YAMLSourceText`). New entries follow
/// the list's own style: after the last item of a block list, at its indentation; inside a flow
/// list (`[ {...} ]`) as flow items; a list that is empty (`overrides:`, `overrides: ~`,
/// `overrides: []`) becomes a block list; a missing key is added at the end of the root mapping,
/// indented like the file's other lists. A list that is an alias, or a key that a merge (`<<`)
/// supplies, is not edited: changing it would change what else refers to it.
public struct ConfigEditor: Sendable {
    private let text: YAMLSourceText
    private let root: YAMLNode
    private let path: String

    /// Parses the config's text; a file that does not parse cannot be edited.
    public init(source: SourceFile) throws(ConfigEditError) {
        let document: YAMLDocument
        do {
            document = try YAMLParser().parse(source)
        } catch {
            throw ConfigEditError(message: "the config does not parse: \(error.diagnostics.map(\.message).joined(separator: "; "))", location: .file(source.path))
        }
        guard let root = document.root, root.mapping != nil else {
            throw ConfigEditError(message: "the config's root is not a mapping", location: .file(source.path))
        }
        self.text = YAMLSourceText(bytes: source.bytes)
        self.root = root
        self.path = source.path
    }

    /// The file's bytes with `overrides` appended to its `overrides` list and `acceptedRisks` to its
    /// `accepted_risks` list.
    public func appending(overrides: [Override], acceptedRisks: [AcceptedRisk]) throws(ConfigEditError) -> [UInt8] {
        var edits: [YAMLSourceText.Edit] = []
        var appendedKeys: [(key: String, block: [[String]], flow: [String])] = []
        for (key, block, flow) in [
            ("overrides", overrides.map(ConfigYAMLWriter.block), overrides.map(ConfigYAMLWriter.flow)),
            ("accepted_risks", acceptedRisks.map(ConfigYAMLWriter.block), acceptedRisks.map(ConfigYAMLWriter.flow)),
        ] where !block.isEmpty {
            if let entry = root.mapping?.first(where: { $0.key.string == key }) {
                edits += try append(block: block, flow: flow, to: entry)
            } else {
                appendedKeys.append((key, block, flow))
            }
        }
        if !appendedKeys.isEmpty { edits.append(try newKeys(appendedKeys)) }
        return text.applying(edits)
    }

    // MARK: An existing list

    private func append(block: [[String]], flow: [String], to entry: YAMLMappingEntry) throws(ConfigEditError) -> [YAMLSourceText.Edit] {
        let value = entry.value
        let key = entry.key.string ?? ""
        if text.isAlias(value) {
            throw ConfigEditError(message: "\(key) is an alias of a list written elsewhere; add the entries by hand", location: value.location)
        }
        if text.style(of: root) == .block, entry.key.location.column != rootKeyColumn {
            throw ConfigEditError(message: "\(key) comes from a merge key (<<); add the entries by hand", location: entry.key.location)
        }
        let lineBreak = text.lineBreak
        if text.style(of: root) == .flow {
            if value.isNull {
                let start = text.offset(of: value.location), end = text.offset(of: value.endLocation)
                let list = "[\(flow.joined(separator: ", "))]"
                return [.init(range: start..<end, replacement: Array((end > start ? list : " " + list).utf8))]
            }
            guard let items = value.sequence, text.style(of: value) == .flow else {
                throw ConfigEditError(message: "\(key) is not a list", location: value.location)
            }
            return [flowInsertion(flow, into: value, items: items)]
        }
        let emptyFlow = value.sequence?.isEmpty == true && text.style(of: value) == .flow
        if value.isNull || emptyFlow {
            // An empty list becomes a block list under its key.
            var edits: [YAMLSourceText.Edit] = []
            var start = text.offset(of: value.location)
            let end = text.offset(of: value.endLocation)
            if end > start {
                // `key: ~` loses ` ~`, so the line reads `key:` (and keeps any comment after it).
                while start > 0, YAMLSourceText.isBlankByte(text.bytes[start - 1]) { start -= 1 }
                edits.append(.init(range: start..<end, replacement: []))
            }
            let keyColumn = entry.key.location.column - 1
            let dash = keyColumn + listIndent
            edits.append(insertionAtLineEnd(after: max(end, text.offset(of: entry.key.endLocation)), lines: block.flatMap { render($0, dash: dash) }, lineBreak: lineBreak))
            return edits
        }
        guard let items = value.sequence else {
            throw ConfigEditError(message: "\(key) is not a list", location: value.location)
        }
        if text.style(of: value) == .flow { return [flowInsertion(flow, into: value, items: items)] }
        let dash = dashColumn(of: items[0]) ?? (value.location.column - 1)
        let lastEnd = text.contentEnd(of: items[items.count - 1])
        return [insertionAtLineEnd(after: lastEnd, lines: block.flatMap { render($0, dash: dash) }, lineBreak: lineBreak)]
    }

    /// `, {...}` after the last item of a flow list, or the items inside `[]`.
    private func flowInsertion(_ flow: [String], into list: YAMLNode, items: [YAMLNode]) -> YAMLSourceText.Edit {
        if let last = items.last {
            return .insert(Array(flow.map { ", " + $0 }.joined().utf8), at: text.contentEnd(of: last))
        }
        // `[` ... `]`: the closing bracket is the last byte of the list.
        let close = max(text.offset(of: list.location), text.offset(of: list.endLocation) - 1)
        return .insert(Array(flow.joined(separator: ", ").utf8), at: close)
    }

    // MARK: A new key

    private func newKeys(_ keys: [(key: String, block: [[String]], flow: [String])]) throws(ConfigEditError) -> YAMLSourceText.Edit {
        let entries = root.mapping ?? []
        let lineBreak = text.lineBreak
        if text.style(of: root) == .flow {
            let addition = keys.map { "\($0.key): [\($0.flow.joined(separator: ", "))]" }.joined(separator: ", ")
            if let last = entries.max(by: { text.offset(of: $0.key.location) < text.offset(of: $1.key.location) }) {
                return .insert(Array((", " + addition).utf8), at: text.contentEnd(of: last.value))
            }
            return .insert(Array(addition.utf8), at: max(0, text.offset(of: root.endLocation) - 1))
        }
        let keyColumn = rootKeyColumn - 1
        var lines: [String] = []
        for key in keys {
            lines.append(String(repeating: " ", count: keyColumn) + "\(key.key):")
            lines += key.block.flatMap { render($0, dash: keyColumn + listIndent) }
        }
        return insertionAtLineEnd(after: text.contentEnd(of: root), lines: lines, lineBreak: lineBreak)
    }

    // MARK: Layout

    /// Lines inserted at the start of the line after `offset` (after the line break, which is added
    /// when the file's last line has none).
    private func insertionAtLineEnd(after offset: Int, lines: [String], lineBreak: [UInt8]) -> YAMLSourceText.Edit {
        let at = offset > 0 && text.isLineStart(offset) ? offset : text.startOfNextLine(after: offset)
        var bytes: [UInt8] = []
        if at == text.bytes.count, !text.endsWithLineBreak { bytes += lineBreak }
        for line in lines { bytes += Array(line.utf8) + lineBreak }
        return .insert(bytes, at: at)
    }

    /// An item's lines with its dash at `dash` spaces: the first line after `- `, the rest two further in.
    private func render(_ item: [String], dash: Int) -> [String] {
        let pad = String(repeating: " ", count: dash)
        return item.enumerated().map { index, line in index == 0 ? "\(pad)- \(line)" : "\(pad)  \(line)" }
    }

    /// The column (0-based) of the `-` before a block list's item, on the item's line.
    private func dashColumn(of item: YAMLNode) -> Int? {
        var index = text.offset(of: item.location) - 1
        let lineStart = text.lineStart(of: index + 1)
        while index >= lineStart, YAMLSourceText.isBlankByte(text.bytes[index]) { index -= 1 }
        guard index >= lineStart, text.bytes[index] == UInt8(ascii: "-") else { return nil }
        return text.column(of: index) - 1
    }

    /// The column of the root mapping's keys.
    private var rootKeyColumn: Int {
        root.mapping?.map(\.key.location.column).min() ?? 1
    }

    /// How far the file indents a list's dashes under its key (2 when it has no block list).
    private var listIndent: Int {
        for entry in root.mapping ?? [] {
            guard let items = entry.value.sequence, !items.isEmpty, text.style(of: entry.value) == .block,
                  let dash = dashColumn(of: items[0]) else { continue }
            return max(0, dash - (entry.key.location.column - 1))
        }
        return 2
    }
}

extension YAMLSourceText {
    /// A space or a tab.
    static func isBlankByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}

/// The config's own YAML for overrides, accepted risks and rules, written the way the README and
/// the bundled configs write them: rules as one-line flow mappings, values plain when YAML reads
/// them back as the same text, double-quoted otherwise.
public enum ConfigYAMLWriter {
    /// An override as the lines of one block list item (first line without its `- `).
    public static func block(_ override: Override) -> [String] {
        var lines = ["tier: \(scalar(override.tier))"]
        for (key, rules) in [("add_ingress", override.addIngress), ("remove_ingress", override.removeIngress),
                             ("add_egress", override.addEgress), ("remove_egress", override.removeEgress)] where !rules.isEmpty {
            lines.append("\(key):")
            lines += rules.map { "  - \(rule($0))" }
        }
        lines.append("description: \(YAMLText.doubleQuoted(override.description))")
        return lines
    }

    /// An override as one flow mapping.
    public static func flow(_ override: Override) -> String {
        var fields = ["tier: \(scalar(override.tier))"]
        for (key, rules) in [("add_ingress", override.addIngress), ("remove_ingress", override.removeIngress),
                             ("add_egress", override.addEgress), ("remove_egress", override.removeEgress)] where !rules.isEmpty {
            fields.append("\(key): [\(rules.map(rule).joined(separator: ", "))]")
        }
        fields.append("description: \(YAMLText.doubleQuoted(override.description))")
        return "{ \(fields.joined(separator: ", ")) }"
    }

    /// An accepted risk as the lines of one block list item.
    public static func block(_ risk: AcceptedRisk) -> [String] {
        var lines = ["finding: \(scalar(risk.findingID))", "tier: \(scalar(risk.tier))"]
        if let binding = binding(risk.binding) { lines.append(binding) }
        lines.append("reason: \(YAMLText.doubleQuoted(risk.reason))")
        lines.append("expires: \(risk.expires)")
        return lines
    }

    /// An accepted risk as one flow mapping.
    public static func flow(_ risk: AcceptedRisk) -> String {
        var fields = ["finding: \(scalar(risk.findingID))", "tier: \(scalar(risk.tier))"]
        if let binding = binding(risk.binding) { fields.append(binding) }
        fields += ["reason: \(YAMLText.doubleQuoted(risk.reason))", "expires: \(risk.expires)"]
        return "{ \(fields.joined(separator: ", ")) }"
    }

    private static func binding(_ binding: AcceptanceBinding) -> String? {
        switch binding {
        case .tierOnly: return nil
        case .fingerprint(let value): return "fingerprint: \(value)"
        case .rule(let key): return "\(key.direction.rawValue): \(rule(key: key, description: nil))"
        }
    }

    /// A rule as a one-line flow mapping: `{ protocol: tcp, port: 22, source: "0.0.0.0/0", description: "..." }`.
    public static func rule(_ rule: Rule) -> String {
        self.rule(key: rule.key, description: rule.description)
    }

    static func rule(key: RuleKey, description: String?) -> String {
        var fields = ["protocol: \(key.ipProtocol == .all ? "all" : key.ipProtocol.wireValue)"]
        switch key.ports {
        case .all:
            break
        case .ports(let range):
            fields.append(range.isSinglePort ? "port: \(range.lower)" : "port_range: \(range.lower)-\(range.upper)")
        case .icmp(let type, let code):
            if type != -1 { fields.append("icmp_type: \(type)") }
            if type != -1, code != -1 { fields.append("icmp_code: \(code)") }
        }
        let side = key.direction == .ingress ? "source" : "destination"
        switch key.peer {
        case .cidr(let block): fields.append("\(side): \(YAMLText.doubleQuoted(block.description))")
        case .tier(let name): fields.append("\(side)_tier: \(scalar(name))")
        case .securityGroup(let id): fields.append("\(side)_security_group: \(scalar(id))")
        case .prefixList(let id): fields.append("\(side)_prefix_list: \(scalar(id))")
        }
        if let description { fields.append("description: \(YAMLText.doubleQuoted(description))") }
        return "{ \(fields.joined(separator: ", ")) }"
    }

    /// Plain when the text is a name YAML reads back as that same text in any context (flow
    /// included), else double-quoted.
    static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        let plain = !text.isEmpty && !reserved.contains(text.lowercased()) && (text.first?.isLetter ?? false)
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        return plain ? text : YAMLText.doubleQuoted(text)
    }
}
