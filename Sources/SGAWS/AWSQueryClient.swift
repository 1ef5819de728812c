import Foundation

/// What the debug log hook receives about each HTTP attempt: deliberately only the action,
/// status, request id and timing, so no credential, header or body can reach a log.
public struct AWSRequestLog: Sendable, Equatable, CustomStringConvertible {
    /// Service signing name, e.g. "cloudformation".
    public let service: String
    /// API action, e.g. "DescribeStacks".
    public let action: String
    /// 1-based attempt number.
    public let attempt: Int
    /// HTTP status, nil when no response arrived.
    public let statusCode: Int?
    /// AWS request id, when known.
    public let requestID: String?
    /// Wall time of the attempt in seconds.
    public let durationSeconds: Double

    /// `cloudformation DescribeStacks attempt 1: HTTP 200 request-id abc 0.123s`.
    public var description: String {
        let status = statusCode.map { "HTTP \($0)" } ?? "no response"
        let id = requestID.map { " request-id \($0)" } ?? ""
        return "\(service) \(action) attempt \(attempt): \(status)\(id) \(String(format: "%.3f", durationSeconds))s"
    }
}

/// Sends AWS Query-protocol calls: form-encoded POST, SigV4-signed, XML responses, typed
/// errors, retries with backoff according to the call's idempotency.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
public struct AWSQueryClient: Sendable {
    /// The service called.
    public let service: AWSService
    /// Region of the credential scope.
    public let region: String
    /// Endpoint base URL.
    public let endpoint: URL
    /// Where credentials come from (asked before every attempt, so refreshed ones are used).
    public let credentials: any AWSCredentialProvider
    /// HTTP transport.
    public let transport: any HTTPTransport
    /// Clock, sleep, randomness.
    public let system: AWSSystem
    /// Retry bounds.
    public let retryPolicy: RetryPolicy
    /// Per-attempt timeout in seconds.
    public let timeout: TimeInterval
    /// Debug hook; receives `AWSRequestLog` values only.
    public let debugLog: (@Sendable (AWSRequestLog) -> Void)?

    /// The content type AWS Query endpoints (and moto) require.
    public static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// Creates a client for one service in one region.
    public init(service: AWSService, region: String, endpoint: URL, credentials: any AWSCredentialProvider,
                transport: any HTTPTransport, system: AWSSystem, retryPolicy: RetryPolicy = RetryPolicy(),
                timeout: TimeInterval = 30, debugLog: (@Sendable (AWSRequestLog) -> Void)? = nil) {
        self.service = service
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.transport = transport
        self.system = system
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.debugLog = debugLog
    }

    /// Starts a parameter set for `action` with this service's API version.
    public func parameters(_ action: String) -> QueryParameters {
        QueryParameters(action: action, version: service.apiVersion)
    }

    /// Performs one logical call and returns the root element of the success response.
    /// Throws `AWSError` for a service error that is not retried, `AWSClientError` otherwise.
    public func send(_ parameters: QueryParameters, idempotency: Idempotency) async throws -> XMLElementNode {
        let action = parameters.action
        let body = Array(parameters.formBody.utf8)
        let loop = AWSRetryLoop(action: action, policy: retryPolicy, system: system)
        return try await loop.run { attempt in
            try await attemptOnce(action: action, body: body, attempt: attempt, idempotency: idempotency, loop: loop)
        }
    }

    /// One HTTP attempt. Returns the response root, or a failure that may be retried;
    /// throws failures that must not be.
    private func attemptOnce(action: String, body: [UInt8], attempt: Int, idempotency: Idempotency, loop: AWSRetryLoop) async throws
        -> AWSAttemptOutcome<XMLElementNode>
    {
        let attemptStart = system.now()
        let request = try await signedRequest(body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            log(action, attempt, nil, nil, attemptStart)
            return .retryable(try loop.transportFailure(error, attempt: attempt, idempotency: idempotency))
        }
        let headerRequestID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        if (200..<300).contains(response.statusCode) {
            do {
                let root = try XMLTree.parse(response.body)
                log(action, attempt, response.statusCode, headerRequestID ?? Self.requestID(in: root), attemptStart)
                return .success(root)
            } catch let error as XMLTreeError {
                log(action, attempt, response.statusCode, headerRequestID, attemptStart)
                throw AWSClientError.malformedResponse(action: action, detail: error.description)
            }
        }
        let error = AWSError.decode(body: response.body, httpStatus: response.statusCode, headerRequestID: headerRequestID)
        log(action, attempt, response.statusCode, error.requestID, attemptStart)
        if (error.isThrottling || error.isServerFault) && idempotency != .unsafe {
            return .retryable(.service(error))
        }
        throw error
    }

    /// Builds and signs the POST for one attempt (fresh date and credentials each time); with
    /// `AnonymousAccess` the POST goes unsigned.
    func signedRequest(body: [UInt8]) async throws -> HTTPRequest {
        try await SignedPOST.request(
            endpoint: endpoint, region: region, signingName: service.signingName, credentials: credentials, system: system,
            headers: [HTTPHeader("Content-Type", Self.contentType)], body: body, timeout: timeout)
    }

    /// `host` or `host:port` exactly as the HTTP client will send it (default ports omitted).
    static func hostHeader(for url: URL) -> String { SignedPOST.hostHeader(for: url) }

    /// The request id inside a success document (`ResponseMetadata/RequestId` or EC2's `requestId`).
    static func requestID(in root: XMLElementNode) -> String? {
        root.path("ResponseMetadata", "RequestId").map { $0.text } ?? root.string("requestId")
    }

    private func log(_ action: String, _ attempt: Int, _ status: Int?, _ requestID: String?, _ start: Date) {
        debugLog?(AWSRequestLog(service: service.signingName, action: action, attempt: attempt, statusCode: status,
                                requestID: requestID, durationSeconds: system.now().timeIntervalSince(start)))
    }
}
