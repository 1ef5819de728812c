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
    /// What the attempts before this answer got, first first, when the call was retried: a retry
    /// can meet the consequence of an attempt that did reach AWS (AlreadyExists after a CreateStack
    /// that failed late), and then the first failure is the one that explains what happened.
    public var earlierAttempts: [AWSRequestFailure] = []

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

    /// Every attempt's failure in order, this answer last.
    public var attempts: [AWSRequestFailure] { earlierAttempts + [.service(self)] }

    /// True when `other` is the same answer (code, status, message), whatever its request id.
    public func isSameAnswer(as other: AWSError) -> Bool {
        code == other.code && httpStatus == other.httpStatus && message == other.message
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

    /// True for the same failure apart from its request id.
    public func isSame(as other: AWSRequestFailure) -> Bool {
        switch (self, other) {
        case (.service(let a), .service(let b)): return a.isSameAnswer(as: b)
        case (.transport(let a), .transport(let b)): return a == b
        default: return false
        }
    }

    /// The attempts of one call, first first: `attempt 1: X; attempts 2-4: Y; attempt 5: Z`, runs of
    /// the same failure told once. The first failure always leads: it is what happened first.
    public static func history(_ failures: [AWSRequestFailure]) -> String {
        var parts: [String] = []
        var index = 0
        while index < failures.count {
            var end = index
            while end + 1 < failures.count && failures[end + 1].isSame(as: failures[index]) { end += 1 }
            let label = end == index ? "attempt \(index + 1)" : "attempts \(index + 1)-\(end + 1)"
            parts.append("\(label): \(failures[index])")
            index = end + 1
        }
        return parts.joined(separator: "; ")
    }
}

/// Client-side failures (as opposed to `AWSError`, which the service returned).
public enum AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A retryable failure persisted through every allowed attempt or the time budget; `failures`
    /// holds every attempt's failure, first first.
    case retriesExhausted(action: String, attempts: Int, failures: [AWSRequestFailure])
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
        case .retriesExhausted(let action, let attempts, let failures):
            let head = "\(action) failed after \(attempts) attempt\(attempts == 1 ? "" : "s")"
            // One failure repeated: say it once. Different ones: the first leads, then what followed.
            guard let first = failures.first else { return head }
            if failures.allSatisfy({ $0.isSame(as: first) }) { return "\(head): \(failures.last ?? first)" }
            return "\(head): \(AWSRequestFailure.history(failures))"
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
