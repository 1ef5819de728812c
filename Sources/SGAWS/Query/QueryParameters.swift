/// The parameters of one AWS Query-protocol call, serialized as the form-encoded POST body.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
public struct QueryParameters: Sendable, Equatable {
    /// The API action, e.g. "DescribeStacks".
    public let action: String
    /// The API version, e.g. "2010-05-15".
    public let version: String
    private(set) var values: [String: String] = [:]

    /// Starts an empty parameter set for `action`.
    public init(action: String, version: String) {
        self.action = action
        self.version = version
    }

    /// Sets `name` to `value`; a nil value leaves the parameter out.
    public mutating func set(_ name: String, _ value: String?) {
        if let value { values[name] = value }
    }

    /// Sets `name` to "true"/"false"; nil leaves it out.
    public mutating func set(_ name: String, _ value: Bool?) {
        if let value { values[name] = value ? "true" : "false" }
    }

    /// Sets `name` to a decimal integer; nil leaves it out.
    public mutating func set(_ name: String, _ value: Int?) {
        if let value { values[name] = String(value) }
    }

    /// A list of scalars: `prefix.1`, `prefix.2`, ... (the EC2 and Query convention, where
    /// `prefix` already ends in ".member" for CloudFormation-style lists).
    public mutating func setList(_ prefix: String, _ items: [String]) {
        for (index, item) in items.enumerated() { values["\(prefix).\(index + 1)"] = item }
    }

    /// A list of structures: `prefix.N.field` for each item's fields.
    public mutating func setStructureList(_ prefix: String, _ items: [[(String, String?)]]) {
        for (index, fields) in items.enumerated() {
            for (field, value) in fields { set("\(prefix).\(index + 1).\(field)", value) }
        }
    }

    /// The value of a parameter (tests and logging of non-secret fields).
    public subscript(name: String) -> String? {
        name == "Action" ? action : name == "Version" ? version : values[name]
    }

    /// All parameters, Action and Version first, then by name, so bodies are deterministic.
    public var orderedPairs: [(String, String)] {
        [("Action", action), ("Version", version)] + values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `application/x-www-form-urlencoded` body with AWS's percent-encoding (space as %20).
    public var formBody: String {
        orderedPairs
            .map { "\(AWSPercentEncoding.encode($0.0))=\(AWSPercentEncoding.encode($0.1))" }
            .joined(separator: "&")
    }

    /// Equal when action, version and every parameter match.
    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.action == rhs.action && lhs.version == rhs.version && lhs.values == rhs.values
    }
}
