import Foundation
import SGDiagnostics

/// A JSON value as the AWS JSON protocols carry it: request bodies, responses, and the CloudTrail
/// record inside a LookupEvents event. Sendable and order-free (objects are dictionaries), so
/// typed decoders can walk shapes that vary between services and API versions without
/// `[String: Any]`.
public indirect enum AWSJSON: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AWSJSON])
    case object([String: AWSJSON])

    /// Decodes any JSON value; booleans stay booleans (JSONDecoder does not read 1 as true).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AWSJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AWSJSON].self))
        }
    }

    /// Parses a whole document; throws `AWSJSONError.malformed` with a short reason.
    public static func parse(_ bytes: [UInt8]) throws -> AWSJSON {
        do {
            return try JSONDecoder().decode(AWSJSON.self, from: Data(bytes))
        } catch {
            throw AWSJSONError.malformed(Self.reason(error))
        }
    }

    /// Parses JSON text (a CloudTrail record arrives as a string inside the response).
    public static func parse(_ text: String) throws -> AWSJSON {
        try parse(Array(text.utf8))
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DecodingError {
            switch error {
            case .dataCorrupted(let context): return context.debugDescription
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
                return context.debugDescription
            @unknown default: return "not JSON"
            }
        }
        return "not JSON"
    }

    // MARK: Reading

    /// The member `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> AWSJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The member whose name equals `key` ignoring case (CloudTrail spells request parameters
    /// `groupId` for Query-era APIs and `GroupId` for newer ones).
    public func member(ignoringCase key: String) -> AWSJSON? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        let lowered = key.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    /// The text of a string.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number, or a string holding one (CloudTrail writes some ports as strings).
    public var number: Double? {
        switch self {
        case .number(let value): return value
        case .string(let text): return Double(text)
        default: return nil
        }
    }

    /// An integral number, when the value is one.
    public var int: Int? {
        guard let value = number, value.rounded() == value, abs(value) < 9_007_199_254_740_992 else { return nil }
        return Int(value)
    }

    /// A boolean, or the strings "true"/"false".
    public var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let text): return text == "true" ? true : text == "false" ? false : nil
        default: return nil
        }
    }

    /// The items of an array.
    public var array: [AWSJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members of an object.
    public var object: [String: AWSJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    // MARK: Writing

    /// Compact JSON with keys sorted (so a request body is the same bytes for the same request and
    /// its signature is reproducible); whole numbers without a fraction, as AWS expects integers.
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
                out += String(Int64(value))
            } else if value.isFinite {
                out += String(value)
            } else {
                out += "null"
            }
        case .string(let text): JSONText.appendQuoted(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.render(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                JSONText.appendQuoted(key, to: &out)
                out += ":"
                members[key]!.render(into: &out)
            }
            out += "}"
        }
    }
}

/// A JSON document that could not be read.
public enum AWSJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not JSON, or not the JSON expected; the reason is short and holds no request data.
    case malformed(String)

    /// One line.
    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed JSON: \(reason)"
        }
    }
}

extension AWSJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: AWSJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, AWSJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
