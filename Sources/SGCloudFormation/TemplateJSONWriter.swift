import SGDiagnostics
/// Renders a `TemplateValue` document as JSON: 2-space indentation, long-form intrinsics
/// (`{"Fn::GetAtt": ["A", "GroupId"]}`), keys in model order so output is stable.
enum TemplateJSONWriter {
    /// The whole document, ending in a newline.
    static func document(_ root: TemplateValue) -> String {
        var sink = TemplateByteSink()
        render(root, depth: 0, to: &sink)
        sink.write(byte: UInt8(ascii: "\n"))
        return sink.text
    }

    /// The byte size of `document(root)`, computed without building the text.
    static func documentSize(_ root: TemplateValue) -> Int {
        var counter = TemplateByteCounter()
        render(root, depth: 0, to: &counter)
        return counter.count + 1
    }

    /// The exact text of one entry of a map at `depth`, without the separating ",\n".
    static func entry(key: String, value: TemplateValue, depth: Int) -> String {
        var sink = TemplateByteSink()
        entry(key: key, value: value, depth: depth, to: &sink)
        return sink.text
    }

    /// The byte size of `entry(key:value:depth:)`, computed without building the text.
    static func entrySize(key: String, value: TemplateValue, depth: Int) -> Int {
        var counter = TemplateByteCounter()
        entry(key: key, value: value, depth: depth, to: &counter)
        return counter.count
    }

    private static func entry<Sink: TemplateTextSink>(key: String, value: TemplateValue, depth: Int, to sink: inout Sink) {
        sink.writeSpaces(2 * depth)
        string(key, to: &sink)
        sink.write(": ")
        render(value, depth: depth, to: &sink)
    }

    private static func render<Sink: TemplateTextSink>(_ value: TemplateValue, depth: Int, to sink: inout Sink) {
        switch value {
        case .string(let text): string(text, to: &sink)
        case .int(let number): sink.write(String(number))
        case .bool(let flag): sink.write(flag ? "true" : "false")
        case .list(let items):
            if items.isEmpty { return sink.write("[]") }
            sink.write("[\n")
            for (index, item) in items.enumerated() {
                if index > 0 { sink.write(",\n") }
                sink.writeSpaces(2 * (depth + 1))
                render(item, depth: depth + 1, to: &sink)
            }
            sink.write(byte: UInt8(ascii: "\n"))
            sink.writeSpaces(2 * depth)
            sink.write(byte: UInt8(ascii: "]"))
        case .map(let entries):
            if entries.isEmpty { return sink.write("{}") }
            sink.write("{\n")
            for (index, (key, value)) in entries.enumerated() {
                if index > 0 { sink.write(",\n") }
                entry(key: key, value: value, depth: depth + 1, to: &sink)
            }
            sink.write(byte: UInt8(ascii: "\n"))
            sink.writeSpaces(2 * depth)
            sink.write(byte: UInt8(ascii: "}"))
        case .ref(let name): render(.map([("Ref", .string(name))]), depth: depth, to: &sink)
        case .getAtt(let resource, let attribute):
            render(.map([("Fn::GetAtt", .list([.string(resource), .string(attribute)]))]), depth: depth, to: &sink)
        case .importValue(let name): render(.map([("Fn::ImportValue", name)]), depth: depth, to: &sink)
        case .sub(let text): render(.map([("Fn::Sub", .string(text))]), depth: depth, to: &sink)
        case .join(let separator, let items):
            render(.map([("Fn::Join", .list([.string(separator), .list(items)]))]), depth: depth, to: &sink)
        }
    }

    /// A JSON string literal (the shared escaping of `JSONText`).
    static func string(_ text: String) -> String { JSONText.quoted(text) }

    /// Writes `string(text)`; text with nothing to escape (nearly all of a template) is copied as is.
    private static func string<Sink: TemplateTextSink>(_ text: String, to sink: inout Sink) {
        if JSONText.needsEscaping(text) {
            sink.write(JSONText.quoted(text))
        } else {
            sink.write(byte: UInt8(ascii: "\""))
            sink.write(text)
            sink.write(byte: UInt8(ascii: "\""))
        }
    }
}
