import SGDiagnostics
/// Renders a `TemplateValue` document as JSON: 2-space indentation, long-form intrinsics
/// (`{"Fn::GetAtt": ["A", "GroupId"]}`), keys in model order so output is stable.
enum TemplateJSONWriter {
    /// The whole document, ending in a newline.
    static func document(_ root: TemplateValue) -> String {
        render(root, depth: 0) + "\n"
    }

    /// The exact text of one entry of a map at `depth`, without the separating ",\n".
    static func entry(key: String, value: TemplateValue, depth: Int) -> String {
        pad(depth) + string(key) + ": " + render(value, depth: depth)
    }

    private static func render(_ value: TemplateValue, depth: Int) -> String {
        switch value {
        case .string(let text): return string(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items):
            if items.isEmpty { return "[]" }
            let body = items.map { pad(depth + 1) + render($0, depth: depth + 1) }.joined(separator: ",\n")
            return "[\n" + body + "\n" + pad(depth) + "]"
        case .map(let entries):
            if entries.isEmpty { return "{}" }
            let body = entries.map { entry(key: $0.0, value: $0.1, depth: depth + 1) }.joined(separator: ",\n")
            return "{\n" + body + "\n" + pad(depth) + "}"
        case .ref(let name): return render(.map([("Ref", .string(name))]), depth: depth)
        case .getAtt(let resource, let attribute):
            return render(.map([("Fn::GetAtt", .list([.string(resource), .string(attribute)]))]), depth: depth)
        case .importValue(let name): return render(.map([("Fn::ImportValue", name)]), depth: depth)
        case .sub(let text): return render(.map([("Fn::Sub", .string(text))]), depth: depth)
        case .join(let separator, let items):
            return render(.map([("Fn::Join", .list([.string(separator), .list(items)]))]), depth: depth)
        }
    }

    private static func pad(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    /// A JSON string literal (the shared escaping of `JSONText`).
    static func string(_ text: String) -> String { JSONText.quoted(text) }
}
