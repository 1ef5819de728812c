import Foundation

/// Helpers shared by the typed decoders of every AWS module (credentials, services): AWS
/// timestamps and the `<Action>Result` wrapper.
package enum WireDecoding {
    /// Parses AWS ISO 8601 timestamps, with or without fractional seconds.
    package static func date(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }

    /// `<ActionResult>` inside `<ActionResponse>` (CloudFormation, STS); EC2 has no wrapper.
    package static func result(_ root: XMLElementNode, _ action: String) -> XMLElementNode {
        root.child("\(action)Result") ?? root
    }

    /// `true` (any case) or false; nil when absent.
    package static func bool(_ text: String?) -> Bool? {
        text.map { $0.lowercased() == "true" }
    }

    /// An integer field; nil when absent or not a number.
    package static func int(_ text: String?) -> Int? {
        text.flatMap { Int($0) }
    }

    /// Reads a required field or reports which one is missing.
    package static func required(_ node: XMLElementNode, _ name: String, action: String) throws -> String {
        guard let value = node.string(name), !value.isEmpty else {
            throw AWSClientError.malformedResponse(action: action, detail: "missing <\(name)> in <\(node.name)>")
        }
        return value
    }
}

/// A key/value tag as AWS APIs carry it.
public struct AWSTag: Sendable, Equatable, Hashable {
    /// Tag key.
    public var key: String
    /// Tag value.
    public var value: String
    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    package static func decodeList(_ items: [XMLElementNode], keyName: String = "Key", valueName: String = "Value") -> [AWSTag] {
        items.compactMap { item in
            guard let key = item.string(keyName) else { return nil }
            return AWSTag(key: key, value: item.string(valueName) ?? "")
        }
    }
}
