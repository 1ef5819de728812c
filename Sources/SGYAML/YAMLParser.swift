import CYAML
import SGDiagnostics

/// Turns YAML text into a `YAMLNode` tree with locations, on top of libyaml's event parser.
///
/// What it adds to libyaml: 1-based locations on every node, duplicate-key errors, bounded
/// aliases and nesting, strict UTF-8, one document per file, and `<<` merge keys.
/// Values are never type-guessed here.
public struct YAMLParser: Sendable {
    /// The limits applied while parsing.
    public var limits: YAMLLimits

    /// Creates a parser with the given limits.
    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Parses one file. Throws a `DiagnosticError` holding every problem found before parsing had
    /// to stop (duplicate keys do not stop it; syntax errors and limits do).
    public func parse(_ source: SourceFile) throws(DiagnosticError) -> YAMLDocument {
        try parse(source, observer: nil)
    }

    /// Parses one file like `parse(_:)`, and hands each entry of the mapping at `path` (keys
    /// from the root, e.g. `["tiers"]`) to `onEntry` as soon as the entry's value is complete,
    /// while the parse goes on: a caller can start working on the first entries of a big file
    /// before the last are read. Only entries written in that mapping are handed out (not those
    /// a `<<` merge adds), in document order, on the calling thread; the document is the same
    /// as `parse(_:)` returns, and when parsing fails the entries handed out belong to no
    /// document.
    public func parse(
        _ source: SourceFile, observing path: [String], onEntry: @escaping (YAMLMappingEntry) -> Void
    ) throws(DiagnosticError) -> YAMLDocument {
        try parse(source, observer: EntryObserver(path: path, onEntry: onEntry))
    }

    private func parse(_ source: SourceFile, observer: EntryObserver?) throws(DiagnosticError) -> YAMLDocument {
        if source.bytes.count > limits.maxFileBytes {
            throw DiagnosticError(.error(
                .yamlFileTooLarge,
                "file is \(source.bytes.count) bytes; the limit is \(limits.maxFileBytes) bytes",
                at: .file(source.path)))
        }
        if let problem = EncodingCheck.firstProblem(in: source) {
            throw DiagnosticError(problem)
        }
        var builder = TreeBuilder(source: source, limits: limits, observer: observer)
        let root = try builder.run()
        if !builder.diagnostics.isEmpty {
            throw DiagnosticError(builder.diagnostics)
        }
        return YAMLDocument(root: root, source: source)
    }

    /// Parses text (a convenience for tests and small inputs).
    public func parse(_ text: String, path: String) throws(DiagnosticError) -> YAMLDocument {
        try parse(SourceFile(path: path, text: text))
    }
}

/// Who is told about the entries of one mapping as they complete (see `YAMLParser.parse(_:observing:onEntry:)`).
private struct EntryObserver {
    let path: [String]
    let onEntry: (YAMLMappingEntry) -> Void
}

/// The state of the event-to-tree walk: an explicit stack, so nesting depth costs no recursion.
private struct TreeBuilder {
    let source: SourceFile
    let observer: EntryObserver?
    /// The source's path, interned once: every event makes a location.
    let sourcePath: SourcePath
    let limits: YAMLLimits
    var diagnostics: [Diagnostic] = []

    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, count: Int)] = [:]
    private var root: YAMLNode?
    private var documentCount = 0
    private var nodeCount = 0
    private var aliasExpansion = 0

    init(source: SourceFile, limits: YAMLLimits, observer: EntryObserver?) {
        self.source = source
        self.observer = observer
        self.sourcePath = SourcePath(source.path)
        self.limits = limits
    }

    /// An open sequence or mapping.
    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var location: SourceLocation
        var tag: String?
        var anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var pendingKey: YAMLNode?
        var pendingKeyIsMerge = false
        /// The first position of each key, built only when the mapping grows past
        /// `TreeBuilder.keyIndexThreshold` entries; smaller mappings (nearly all: a rule has
        /// four keys) are searched in `entries`, which saves a hash table per mapping.
        var seenKeys: [String: SourceLocation]?
        var merged: [YAMLMappingEntry] = []
        /// Nodes inside this collection (aliases expanded), for the alias budget.
        var count = 0
    }

    mutating func run() throws(DiagnosticError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DiagnosticError(.error(.yamlSyntax, "cannot initialise the YAML parser", at: .file(source.path)))
        }
        defer { yaml_parser_delete(&parser) }
        // Force UTF-8: libyaml would otherwise decode UTF-16 input on its own.
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        let bytes = source.bytes
        return try bytes.withUnsafeBufferPointer { (buffer) throws(DiagnosticError) -> YAMLNode? in
            // libyaml does not copy the input: the whole parse happens inside this closure. A
            // leading UTF-8 byte-order mark (editors on Windows write one) is not content: with the
            // encoding forced, libyaml would read it as a character and fail at line 2. Columns on
            // line 1 then count from after it, as `SourceExcerpt` prints the line.
            let bom = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
            yaml_parser_set_input_string(&parser, (buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!) + bom, buffer.count - bom)
            // One event, reused: each is freed before the next parse overwrites it, and the
            // `defer` frees the last one on every way out, errors included. (A local, not a class
            // box: reaching a class's property costs a dynamic exclusivity check per event.)
            var event = yaml_event_t()
            var isLive = false
            defer { if isLive { yaml_event_delete(&event) } }
            while true {
                if isLive {
                    yaml_event_delete(&event)
                    isLive = false
                }
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw DiagnosticError(diagnostics + [syntaxError(parser)])
                }
                isLive = true
                if event.type == YAML_STREAM_END_EVENT || event.type == YAML_NO_EVENT { break }
                try handle(event)
            }
            return root
        }
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(path: sourcePath, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        if parser.error == YAML_READER_ERROR {
            // Reader errors (control characters, NUL) carry a byte offset and the offending
            // character, not a mark: turn the offset into a line and column ourselves.
            let value = parser.problem_value
            let shown = value >= 0 && value <= 0x10FFFF ? " (U+\(Self.hex(value, width: 4)))" : ""
            // libyaml was handed the bytes after a BOM, so its offsets start there.
            let bom = source.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return .error(.yamlEncoding, message + shown, at: location(ofByte: Int(parser.problem_offset) + bom))
        }
        var notes: [Diagnostic.Note] = []
        if parser.context != nil, parser.context_mark.index != parser.problem_mark.index {
            // "while scanning a quoted scalar" is reported at the end of the file; the note says
            // where that scalar (or flow collection, or block) began.
            notes.append(.init("it started here", at: location(parser.context_mark)))
        }
        return .error(.yamlSyntax, message, at: location(parser.problem_mark), notes: notes)
    }

    /// The 1-based line and column of a byte offset, counted the way libyaml's marks count: LF,
    /// CR and CRLF end a line, a column is one Unicode scalar, and a leading UTF-8 BOM takes none.
    private func location(ofByte offset: Int) -> SourceLocation {
        let bytes = source.bytes
        let end = min(max(0, offset), bytes.count)
        var line = 1
        var column = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A || (byte == 0x0D && !(index + 1 < bytes.count && bytes[index + 1] == 0x0A)) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80, byte != 0x0D {
                column += 1
            }
            index += 1
        }
        return SourceLocation(path: sourcePath, line: line, column: column)
    }

    /// A key as shown in a message: quoted, with control characters escaped, because a
    /// double-quoted YAML key can hold ESC or a newline that would forge terminal output.
    private static func displayed(_ text: String) -> String {
        var out = "'"
        for (count, scalar) in text.unicodeScalars.enumerated() {
            if count == 60 {
                out += "..."
                break
            }
            let value = Int32(scalar.value)
            if value < 0x20 || value == 0x7F || (0x80..<0xA0).contains(value) || value == 0x2028 || value == 0x2029 {
                out += "\\u{\(hex(value, width: 1))}"
            } else if scalar == "'" {
                out += "\\'"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    private static func hex(_ value: Int32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private mutating func handle(_ event: yaml_event_t) throws(DiagnosticError) {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > 1 {
                throw DiagnosticError(diagnostics + [.error(
                    .yamlMultipleDocuments,
                    "a file must hold exactly one YAML document; a second one starts here",
                    at: location(event.start_mark))])
            }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            if data.length > limits.maxScalarBytes {
                throw DiagnosticError(diagnostics + [.error(
                    .yamlScalarTooLarge,
                    "scalar is \(data.length) bytes; the limit is \(limits.maxScalarBytes) bytes",
                    at: location(event.start_mark))])
            }
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let style: YAMLScalar.Style
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let node = YAMLNode(
                .scalar(YAMLScalar(value, style: style)),
                location: location(event.start_mark), endLocation: location(event.end_mark),
                tag: Self.string(data.tag))
            try countNodes(1, at: node.location)
            try attach(node, count: 1, anchor: Self.string(data.anchor))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isSequence = event.type == YAML_SEQUENCE_START_EVENT
            let start = location(event.start_mark)
            if stack.count + 1 > limits.maxDepth {
                throw DiagnosticError(diagnostics + [.error(
                    .yamlTooDeep, "nesting is deeper than \(limits.maxDepth) levels", at: start)])
            }
            try countNodes(1, at: start)
            let tag = isSequence ? Self.string(event.data.sequence_start.tag) : Self.string(event.data.mapping_start.tag)
            let anchor = isSequence ? Self.string(event.data.sequence_start.anchor) : Self.string(event.data.mapping_start.anchor)
            stack.append(Frame(kind: isSequence ? .sequence : .mapping, location: start, tag: tag, anchor: anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            var frame = stack.removeLast()
            let content: YAMLNode.Content
            if frame.kind == .sequence {
                content = .sequence(frame.items)
            } else {
                if frame.pendingKey != nil {
                    // libyaml always delivers a value (possibly empty); this is defensive only.
                    frame.pendingKey = nil
                }
                var entries = frame.entries
                if !frame.merged.isEmpty {
                    // Explicit keys win over merged ones; `merged` holds each key once already.
                    let explicitKeys = Set(frame.entries.compactMap { $0.key.string })
                    for entry in frame.merged where entry.key.string.map({ !explicitKeys.contains($0) }) ?? true {
                        entries.append(entry)
                    }
                }
                content = .mapping(entries)
            }
            let node = YAMLNode(content, location: frame.location, endLocation: location(event.end_mark), tag: frame.tag)
            try attach(node, count: frame.count + 1, anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            let at = location(event.start_mark)
            guard let target = anchors[name] else {
                throw DiagnosticError(diagnostics + [.error(.yamlUnknownAlias, "alias *\(name) names no anchor defined before it", at: at)])
            }
            aliasExpansion += target.count
            if aliasExpansion > limits.maxAliasExpansion {
                throw DiagnosticError(diagnostics + [.error(
                    .yamlAliasBudget,
                    "aliases expand to more than \(limits.maxAliasExpansion) nodes (alias bomb?)",
                    at: at)])
            }
            try countNodes(target.count, at: at)
            // The alias takes the anchored node's content but reports its own position.
            var node = target.node
            node.location = at
            node.endLocation = location(event.end_mark)
            try attach(node, count: target.count, anchor: nil)
        default:
            break
        }
    }

    private mutating func countNodes(_ count: Int, at location: SourceLocation) throws(DiagnosticError) {
        nodeCount += count
        if nodeCount > limits.maxNodes {
            throw DiagnosticError(diagnostics + [.error(
                .yamlTooManyNodes, "document has more than \(limits.maxNodes) nodes", at: location)])
        }
    }

    /// Adds a finished node to the collection being built (or makes it the root).
    private mutating func attach(_ node: YAMLNode, count: Int, anchor: String?) throws(DiagnosticError) {
        if let anchor { anchors[anchor] = (node, count) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].count += count
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
        case .mapping:
            guard let key = stack[top].pendingKey else {
                startEntry(withKey: node)
                return
            }
            stack[top].pendingKey = nil
            if stack[top].pendingKeyIsMerge {
                stack[top].pendingKeyIsMerge = false
                try merge(node, into: top, key: key)
            } else {
                let entry = YAMLMappingEntry(key: key, value: node)
                stack[top].entries.append(entry)
                if let observer, top == observer.path.count, isObserved(observer.path) { observer.onEntry(entry) }
            }
        }
    }

    /// True when the open collections are the mappings at `path`: each one's pending key is the
    /// next name of the path (the mapping on top is the observed one).
    private func isObserved(_ path: [String]) -> Bool {
        for (depth, name) in path.enumerated() {
            let frame = stack[depth]
            guard frame.kind == .mapping, !frame.pendingKeyIsMerge, frame.pendingKey?.string == name else { return false }
        }
        return true
    }

    private mutating func startEntry(withKey key: YAMLNode) {
        let top = stack.count - 1
        stack[top].pendingKey = key
        guard let text = key.string else {
            diagnostics.append(.error(.yamlComplexKey, "mapping keys must be scalars, found a \(key.kindName)", at: key.location))
            return
        }
        if key.tag == nil, key.scalar?.style == .plain, text == "<<" {
            stack[top].pendingKeyIsMerge = true
            return
        }
        if let first = firstLocation(ofKey: text, inFrame: top) {
            diagnostics.append(.error(
                .yamlDuplicateKey, "duplicate key \(Self.displayed(text))", at: key.location,
                notes: [.init("first defined here", at: first)]))
        } else if stack[top].seenKeys != nil {
            stack[top].seenKeys![text] = key.location
        }
    }

    /// Mappings up to this many entries look for duplicate keys by scanning their entries.
    static let keyIndexThreshold = 16

    /// Where `text` is first a key of the mapping being built, or nil.
    private mutating func firstLocation(ofKey text: String, inFrame top: Int) -> SourceLocation? {
        if let seenKeys = stack[top].seenKeys { return seenKeys[text] }
        let entries = stack[top].entries
        if entries.count < Self.keyIndexThreshold {
            for entry in entries where entry.key.string == text { return entry.key.location }
            return nil
        }
        // Past the threshold, index the keys once (first position wins, as with a scan).
        var index: [String: SourceLocation] = [:]
        index.reserveCapacity(entries.count * 2)
        for entry in entries {
            guard let key = entry.key.string, index[key] == nil else { continue }
            index[key] = entry.key.location
        }
        stack[top].seenKeys = index
        return index[text]
    }

    /// YAML merge keys: `<<: *defaults` or `<<: [*a, *b]`; explicit keys win, earlier merges win.
    private mutating func merge(_ value: YAMLNode, into top: Int, key: YAMLNode) throws(DiagnosticError) {
        let sources: [YAMLNode]
        switch value.content {
        case .mapping: sources = [value]
        case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }): sources = items
        default:
            diagnostics.append(.error(
                .yamlInvalidMerge, "a merge key '<<' needs a mapping or a sequence of mappings, found a \(value.kindName)",
                at: value.location))
            return
        }
        var mergedKeys = Set(stack[top].merged.compactMap { $0.key.string })
        for source in sources {
            for entry in source.mapping ?? [] {
                guard let name = entry.key.string, !mergedKeys.contains(name) else { continue }
                mergedKeys.insert(name)
                stack[top].merged.append(entry)
            }
        }
    }
}
