import SGDiagnostics

/// A YAML node with the position it came from. Scalars stay strings: the field that reads a
/// value decides its type, so `environment: no` is the string "no" and never a boolean.
public struct YAMLNode: Sendable, Hashable {
    /// What the node holds.
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    /// The node's content.
    public var content: Content
    /// Where the node starts (for a tagged or anchored node: where its tag or anchor starts).
    public var location: SourceLocation
    /// Where the node ends (exclusive), for tools that mark a span (SARIF).
    public var endLocation: SourceLocation
    /// The explicit tag as written after resolution of handles, e.g. `!Ref` or
    /// `tag:yaml.org,2002:str`; nil when the node has none.
    public var tag: String?

    /// Creates a node.
    public init(_ content: Content, location: SourceLocation, endLocation: SourceLocation? = nil, tag: String? = nil) {
        self.content = content
        self.location = location
        self.endLocation = endLocation ?? location
        self.tag = tag
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The scalar's text, if this node is a scalar.
    public var string: String? { scalar?.value }

    /// The items, if this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries in document order, if this node is a mapping.
    public var mapping: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value for a scalar key in a mapping (first match), or nil.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.string == key }?.value
    }

    /// True for a plain scalar that YAML would read as null (`~`, `null`, empty).
    public var isNull: Bool {
        guard let scalar, tag == nil, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.value)
    }

    /// A short noun for the node's kind, used in messages ("expected a mapping, found a sequence").
    public var kindName: String {
        switch content {
        case .scalar: return isNull ? "null" : "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}

/// A scalar's text and how it was written.
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written in the source.
    public enum Style: String, Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The text after YAML unescaping and folding.
    public var value: String
    /// The presentation style; quoted scalars are never null.
    public var style: Style

    /// Creates a scalar.
    public init(_ value: String, style: Style = .plain) {
        self.value = value
        self.style = style
    }
}

/// A key and its value, kept in document order.
public struct YAMLMappingEntry: Sendable, Hashable {
    /// The key node (always a scalar for inputs this tool accepts).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates an entry.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A parsed YAML file: its single document's root (nil for an empty file) and its text.
public struct YAMLDocument: Sendable {
    /// The root node, or nil when the file holds no document.
    public var root: YAMLNode?
    /// The source, for quoting lines in diagnostics.
    public var source: SourceFile
}
