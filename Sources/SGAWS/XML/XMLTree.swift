import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed XML document: name, attributes, child elements and the text
/// directly inside it. AWS Query responses are small, so a whole tree is fine and lets the
/// typed decoders navigate by name instead of writing one SAX state machine per response.
public struct XMLElementNode: Sendable, Equatable {
    /// Element name as written (namespace prefixes kept; AWS uses default namespaces).
    public var name: String
    /// Attributes by name.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [XMLElementNode]
    /// Concatenated character data directly inside this element.
    public var text: String

    /// Creates an element.
    public init(name: String, attributes: [String: String] = [:], children: [XMLElementNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElementNode? {
        children.first { $0.name == name }
    }

    /// All children named `name`.
    public func children(_ name: String) -> [XMLElementNode] {
        children.filter { $0.name == name }
    }

    /// The element reached by following child names, e.g. `path("Errors", "Error", "Code")`.
    public func path(_ names: String...) -> XMLElementNode? {
        var node: XMLElementNode? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// Text of the child `name`, trimmed; nil when the child is absent.
    public func string(_ name: String) -> String? {
        child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The items of an AWS list: `<name><member>…</member></name>` (Query) or
    /// `<name><item>…</item></name>` (EC2). Empty when the list is absent.
    public func list(_ name: String) -> [XMLElementNode] {
        guard let container = child(name) else { return [] }
        return container.children.filter { $0.name == "member" || $0.name == "item" }
    }
}

/// Why XML could not be parsed.
public struct XMLTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem, when known.
    public let line: Int
    /// 1-based column of the problem, when known.
    public let column: Int
    /// What went wrong.
    public let message: String

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}

/// Parses XML with FoundationXML's XMLParser into an `XMLElementNode` tree.
///
/// On Linux `parse()` returns true for some truncated documents (e.g. "<a>"), so success
/// also requires no parser or delegate error and an element stack that closed back to
/// exactly one root.
public enum XMLTree {
    /// Parses a complete document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws -> XMLElementNode {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let succeeded = parser.parse()
        let position = (parser.lineNumber, parser.columnNumber)
        if let error = builder.error ?? parser.parserError.map({ _ in "malformed XML" }) {
            throw XMLTreeError(line: position.0, column: position.1, message: error)
        }
        guard succeeded else {
            throw XMLTreeError(line: position.0, column: position.1, message: "malformed XML")
        }
        guard builder.stack.isEmpty else {
            throw XMLTreeError(line: position.0, column: position.1,
                               message: "truncated XML: <\(builder.stack.last!.name)> is never closed")
        }
        guard builder.roots.count == 1, let root = builder.roots.first else {
            throw XMLTreeError(line: position.0, column: position.1,
                               message: builder.roots.isEmpty ? "no root element" : "more than one root element")
        }
        return root
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String) throws -> XMLElementNode {
        try parse(Array(text.utf8))
    }
}

/// XMLParser delegate that builds the tree; lives only for one synchronous parse.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var roots: [XMLElementNode] = []
    var error: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(XMLElementNode(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let element = stack.popLast(), element.name == elementName else {
            error = error ?? "unexpected </\(elementName)>"
            parser.abortParsing()
            return
        }
        if stack.isEmpty {
            roots.append(element)
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = error ?? "malformed XML (\((parseError as NSError).code))"
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {
        error = error ?? "invalid XML (\((validationError as NSError).code))"
    }
}
