import Foundation

/// An error answered by an AWS service: the `<Code>`/`<Message>` of its error XML, the
/// request id (quote it to AWS support) and the HTTP status.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// AWS error code, e.g. "ValidationError", "InvalidGroup.NotFound", "Throttling".
    public let code: String
    /// AWS's message.
    public let message: String
    /// The request id, when the service returned one.
    public let requestID: String?
    /// HTTP status code of the response.
    public let httpStatus: Int

    /// Creates an error.
    public init(code: String, message: String, requestID: String?, httpStatus: Int) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.httpStatus = httpStatus
    }

    /// `Code (HTTP n): message [request id]`.
    public var description: String {
        "\(code) (HTTP \(httpStatus)): \(message)" + (requestID.map { " [request id \($0)]" } ?? "")
    }

    /// Codes AWS uses for rate limiting across Query services.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "RequestLimitExceeded", "RequestThrottled", "TooManyRequestsException", "SlowDown",
        "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "EC2ThrottledException",
        "PriorRequestNotComplete",
    ]

    /// True for throttling codes and HTTP 429.
    public var isThrottling: Bool { Self.throttlingCodes.contains(code) || httpStatus == 429 }

    /// True for server-side failures (HTTP 5xx, or AWS's InternalError-style codes).
    public var isServerFault: Bool {
        httpStatus >= 500 || ["InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable"].contains(code)
    }

    /// Decodes an error response. Understands CloudFormation/STS
    /// (`<ErrorResponse><Error><Code>…</Code></Error><RequestId>`) and EC2
    /// (`<Response><Errors><Error><Code>…</Code></Error></Errors><RequestID>`). A body that is
    /// not such XML (a proxy's HTML page, an empty 503) still gives an error, named after the status.
    public static func decode(body: [UInt8], httpStatus: Int, headerRequestID: String?) -> AWSError {
        if let root = try? XMLTree.parse(body) {
            let error: XMLElementNode?
            let requestID: String?
            switch root.name {
            case "ErrorResponse":
                // Some Query emulators (moto for EC2 auth failures) nest Errors/Error here too.
                error = root.child("Error") ?? root.path("Errors", "Error")
                requestID = root.string("RequestId") ?? root.string("RequestID")
            case "Response":
                error = root.path("Errors", "Error")
                requestID = root.string("RequestID") ?? root.string("RequestId")
            case "Error":
                error = root
                requestID = root.string("RequestId") ?? root.string("RequestID")
            default:
                error = nil
                requestID = nil
            }
            if let error, let code = error.string("Code"), !code.isEmpty {
                return AWSError(code: code, message: error.string("Message") ?? "",
                                requestID: requestID ?? headerRequestID, httpStatus: httpStatus)
            }
        }
        let code: String
        switch httpStatus {
        case 429: code = "TooManyRequestsException"
        case 503: code = "ServiceUnavailable"
        case 500...599: code = "InternalFailure"
        default: code = "HTTP\(httpStatus)"
        }
        return AWSError(code: code, message: "HTTP \(httpStatus) without an AWS error document",
                        requestID: headerRequestID, httpStatus: httpStatus)
    }
}

/// The last failure of a request whose retries ran out.
public enum AWSRequestFailure: Sendable, Equatable, CustomStringConvertible {
    /// The service answered with an error.
    case service(AWSError)
    /// No HTTP response.
    case transport(HTTPTransportError)

    /// The underlying failure's description.
    public var description: String {
        switch self {
        case .service(let error): return error.description
        case .transport(let error): return error.description
        }
    }
}

/// Client-side failures (as opposed to `AWSError`, which the service returned).
public enum AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A retryable failure persisted through every allowed attempt or the time budget.
    case retriesExhausted(action: String, attempts: Int, last: AWSRequestFailure)
    /// A transport failure that was not retried because the call is not idempotent and the
    /// request may have reached AWS: check the resource's state before trying again.
    case notRetriedUnsafe(action: String, failure: HTTPTransportError)
    /// The response could not be understood.
    case malformedResponse(action: String, detail: String)
    /// No credentials could be found, or a provider failed.
    case credentials(String)
    /// Region, endpoint or profile settings are unusable.
    case configuration(String)

    /// One-line explanation; never contains credentials.
    public var description: String {
        switch self {
        case .retriesExhausted(let action, let attempts, let last):
            return "\(action) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(last)"
        case .notRetriedUnsafe(let action, let failure):
            return "\(action) failed (\(failure)); not retried because \(action) is not idempotent"
                + " and the request may have reached AWS"
        case .malformedResponse(let action, let detail):
            return "\(action): malformed response: \(detail)"
        case .credentials(let detail):
            return "credentials: \(detail)"
        case .configuration(let detail):
            return "configuration: \(detail)"
        }
    }
}
