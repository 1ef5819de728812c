import SGDiagnostics

/// A YAML node with the position it came from. Scalars stay strings: the field that reads a
/// value decides its type, so `environment: no` is the string "no" and never a boolean.
///
/// Stored compactly, as a 2 MB scenario has ~200,000 nodes and the whole tree is alive while
/// the model is read from it (the run's peak of memory): both positions share one interned file
/// path (`SourcePath`, so copying a node retains no path string) and keep line and column as
/// 32-bit numbers; the tag and any position the compact form cannot hold (another file for the
/// end, a number past UInt32) live out of line. `location` and `endLocation` read and write
/// whole `SourceLocation`s.
public struct YAMLNode: Sendable, Hashable {
    /// What the node holds.
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    /// The node's content.
    public var content: Content
    // Declared in this order so the fields pack without padding: 48 bytes a node.
    private var path: SourcePath
    private var startLine: UInt32 = 0
    private var startColumn: UInt32 = 0
    private var endLine: UInt32 = 0
    private var endColumn: UInt32 = 0
    /// The rare parts (a tag, positions the compact form cannot hold) in one shared box, so a
    /// node without them pays one pointer instead of an optional string and a pointer.
    private var extras: Extras?

    /// The explicit tag as written after resolution of handles, e.g. `!Ref` or
    /// `tag:yaml.org,2002:str`; nil when the node has none.
    public var tag: String? {
        get { extras?.tag }
        set { extras = Extras.make(tag: newValue, wide: extras?.wide) }
    }

    /// Creates a node.
    public init(_ content: Content, location: SourceLocation, endLocation: SourceLocation? = nil, tag: String? = nil) {
        self.content = content
        self.path = location.path
        setPositions(location, endLocation ?? location)
        if tag != nil { self.tag = tag }
    }

    /// Where the node starts (for a tagged or anchored node: where its tag or anchor starts).
    public var location: SourceLocation {
        get {
            if let wide = extras?.wide { return wide.location }
            return SourceLocation(path: path, line: Int(startLine), column: Int(startColumn))
        }
        set { setPositions(newValue, endLocation) }
    }

    /// Where the node ends (exclusive), for tools that mark a span (SARIF).
    public var endLocation: SourceLocation {
        get {
            if let wide = extras?.wide { return wide.endLocation }
            return SourceLocation(path: path, line: Int(endLine), column: Int(endColumn))
        }
        set { setPositions(location, newValue) }
    }

    private mutating func setPositions(_ start: SourceLocation, _ end: SourceLocation) {
        path = start.path
        if end.path == start.path,
           let startLine = UInt32(exactly: start.line), let startColumn = UInt32(exactly: start.column),
           let endLine = UInt32(exactly: end.line), let endColumn = UInt32(exactly: end.column) {
            (self.startLine, self.startColumn, self.endLine, self.endColumn) = (startLine, startColumn, endLine, endColumn)
            if extras?.wide != nil { extras = Extras.make(tag: extras?.tag, wide: nil) }
        } else {
            extras = Extras.make(tag: extras?.tag, wide: WidePositions(location: start, endLocation: end))
        }
    }

    // Equality and hashing over what the node means, not over how the positions are stored.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        lhs.content == rhs.content && lhs.tag == rhs.tag && lhs.location == rhs.location && lhs.endLocation == rhs.endLocation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(content)
        hasher.combine(location)
        hasher.combine(endLocation)
        hasher.combine(tag)
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

/// What few nodes have: a tag, or positions the compact form cannot hold; shared, never
/// mutated (a change makes a new box).
private final class Extras: Sendable {
    let tag: String?
    let wide: WidePositions?

    private init(tag: String?, wide: WidePositions?) {
        self.tag = tag
        self.wide = wide
    }

    /// A box for what is given, or nil when there is nothing to keep.
    static func make(tag: String?, wide: WidePositions?) -> Extras? {
        tag == nil && wide == nil ? nil : Extras(tag: tag, wide: wide)
    }
}

/// The positions of a node that the compact form cannot hold; shared, never mutated.
private final class WidePositions: Sendable {
    let location: SourceLocation
    let endLocation: SourceLocation

    init(location: SourceLocation, endLocation: SourceLocation) {
        self.location = location
        self.endLocation = endLocation
    }
}
