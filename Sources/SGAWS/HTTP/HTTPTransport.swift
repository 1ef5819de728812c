import Foundation

/// One HTTP header field; order and repetition are kept because SigV4 signs repeated
/// headers in the order they were given.
public struct HTTPHeader: Sendable, Equatable {
    /// Field name as written (comparisons are case-insensitive).
    public var name: String
    /// Field value as written.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as the AWS client builds it: transport-neutral and fully in memory.
public struct HTTPRequest: Sendable {
    /// HTTP method, e.g. "POST".
    public var method: String
    /// Absolute URL, http or https.
    public var url: URL
    /// Header fields in order. `Host` and `Content-Length` are carried for signing; transports
    /// derive the wire values from `url` and `body`, which are identical.
    public var headers: [HTTPHeader]
    /// Request body.
    public var body: [UInt8]
    /// Per-request timeout in seconds.
    public var timeout: TimeInterval

    /// Creates a request.
    public init(method: String, url: URL, headers: [HTTPHeader] = [], body: [UInt8] = [], timeout: TimeInterval = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first value of the header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An HTTP response: status, headers (names lowercased) and the whole body.
public struct HTTPResponse: Sendable {
    /// HTTP status code.
    public var statusCode: Int
    /// Header fields keyed by lowercased name.
    public var headers: [String: String]
    /// Response body.
    public var body: [UInt8]

    /// Creates a response.
    public init(statusCode: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests. The AWS client depends only on this protocol so tests can inject
/// canned responses and faults.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response, or throws `HTTPTransportError`.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Why a request got no HTTP response. The distinction matters for retries: only
/// `.connectionFailed` proves the server never saw the request.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made (refused, unreachable host, DNS failure): the request
    /// provably did not reach the server.
    case connectionFailed(String)
    /// The request timed out; the server may or may not have acted on it.
    case timedOut(String)
    /// The connection broke after the request may have been sent.
    case connectionLost(String)
    /// Any other transport failure.
    case other(String)

    /// Human-readable explanation (never includes request headers or bodies).
    public var description: String {
        switch self {
        case .connectionFailed(let detail): return "could not connect: \(detail)"
        case .timedOut(let detail): return "request timed out: \(detail)"
        case .connectionLost(let detail): return "connection lost: \(detail)"
        case .other(let detail): return "transport error: \(detail)"
        }
    }

    /// True when the request provably never reached the server.
    public var requestNeverSent: Bool {
        if case .connectionFailed = self { return true }
        return false
    }
}
