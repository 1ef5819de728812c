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
        let started = system.now()
        var attempt = 0
        // Every failed attempt so far: an error that ends the call carries them, first first.
        var failures: [AWSRequestFailure] = []
        while true {
            attempt += 1
            let failure: AWSRequestFailure
            do {
                switch try await attemptOnce(action: action, body: body, attempt: attempt, idempotency: idempotency) {
                case .success(let root): return root
                case .retryable(let retryableFailure): failure = retryableFailure
                }
            } catch var error as AWSError {
                error.earlierAttempts = failures
                throw error
            } catch AWSClientError.retriesExhausted(let action, let attempts, let last) {
                throw AWSClientError.retriesExhausted(action: action, attempts: attempts, failures: failures + last)
            }
            failures.append(failure)
            // Retryable failure: wait, unless the attempt count or the time budget is spent.
            let delay = retryPolicy.delay(beforeRetry: attempt, random: system.randomFraction())
            let elapsed = system.now().timeIntervalSince(started)
            guard attempt < retryPolicy.maxAttempts, elapsed + delay <= retryPolicy.maxTotalTime else {
                throw AWSClientError.retriesExhausted(action: action, attempts: attempt, failures: failures)
            }
            try await system.sleep(delay)
        }
    }

    private enum AttemptOutcome {
        case success(XMLElementNode)
        case retryable(AWSRequestFailure)
    }

    /// One HTTP attempt. Returns the response root, or a failure that may be retried;
    /// throws failures that must not be.
    private func attemptOnce(action: String, body: [UInt8], attempt: Int, idempotency: Idempotency) async throws
        -> AttemptOutcome
    {
        let attemptStart = system.now()
        let request = try await signedRequest(body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            log(action, attempt, nil, nil, attemptStart)
            switch (error, idempotency) {
            case (.connectionFailed, _):
                // Never reached the server: safe to repeat whatever the call does.
                return .retryable(.transport(error))
            case (_, .unsafe):
                throw AWSClientError.notRetriedUnsafe(action: action, failure: error)
            case (.timedOut, _), (.connectionLost, _):
                return .retryable(.transport(error))
            case (.other, _):
                throw AWSClientError.retriesExhausted(action: action, attempts: attempt, failures: [.transport(error)])
            }
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
        var url = endpoint
        if endpoint.path.isEmpty { url = endpoint.appendingPathComponent("") }
        if credentials is AnonymousAccess {
            return HTTPRequest(method: "POST", url: url, headers: [
                HTTPHeader("Host", Self.hostHeader(for: endpoint)), HTTPHeader("Content-Type", Self.contentType),
            ], body: body, timeout: timeout)
        }
        let current: AWSCredentials
        do {
            current = try await credentials.credentials()
        } catch let error as AWSClientError {
            throw error
        } catch {
            throw AWSClientError.credentials(String(describing: error))
        }
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let unsigned = SigV4Request(
            method: "POST", path: path,
            headers: [HTTPHeader("Host", Self.hostHeader(for: endpoint)), HTTPHeader("Content-Type", Self.contentType)],
            body: body)
        let signer = SigV4Signer(credentials: current, region: region, service: service.signingName)
        let signed = signer.sign(unsigned, date: system.now())
        return HTTPRequest(method: "POST", url: url, headers: signed.headers, body: body, timeout: timeout)
    }

    /// `host` or `host:port` exactly as the HTTP client will send it (default ports omitted).
    static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }

    /// The request id inside a success document (`ResponseMetadata/RequestId` or EC2's `requestId`).
    static func requestID(in root: XMLElementNode) -> String? {
        root.path("ResponseMetadata", "RequestId").map { $0.text } ?? root.string("requestId")
    }

    private func log(_ action: String, _ attempt: Int, _ status: Int?, _ requestID: String?, _ start: Date) {
        debugLog?(AWSRequestLog(service: service.signingName, action: action, attempt: attempt, statusCode: status,
                                requestID: requestID, durationSeconds: system.now().timeIntervalSince(start)))
    }
}
