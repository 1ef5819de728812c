import Foundation
import Synchronization

/// Sends AWS JSON-protocol calls (awsJson1_0 / awsJson1_1, e.g. CloudTrail): a POST of a JSON body
/// to `/`, the operation named in `X-Amz-Target`, SigV4-signed exactly as the Query client signs
/// (`SignedPOST`), JSON answers, typed errors, and the same retries (`AWSRetryLoop`).
/// Protocol: https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
public struct AWSJSONClient: Sendable {
    /// The service called (signing name, endpoint variable).
    public let service: AWSService
    /// `X-Amz-Target` prefix, e.g. `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`.
    public let targetPrefix: String
    /// `1.0` or `1.1`: the version in the content type.
    public let jsonVersion: String
    /// Region of the credential scope.
    public let region: String
    /// Endpoint base URL.
    public let endpoint: URL
    /// Where credentials come from (asked before every attempt).
    public let credentials: any AWSCredentialProvider
    /// HTTP transport.
    public let transport: any HTTPTransport
    /// Clock, sleep, randomness.
    public let system: AWSSystem
    /// Retry bounds.
    public let retryPolicy: RetryPolicy
    /// Per-attempt timeout in seconds.
    public let timeout: TimeInterval
    /// Spaces attempts out for services with a low request rate; nil for none.
    public let pacer: AWSRequestPacer?
    /// Debug hook; receives `AWSRequestLog` values only.
    public let debugLog: (@Sendable (AWSRequestLog) -> Void)?

    /// Creates a client for one JSON-protocol service in one region.
    public init(
        service: AWSService, targetPrefix: String, jsonVersion: String = "1.1", region: String, endpoint: URL,
        credentials: any AWSCredentialProvider, transport: any HTTPTransport, system: AWSSystem,
        retryPolicy: RetryPolicy = RetryPolicy(), timeout: TimeInterval = 30, pacer: AWSRequestPacer? = nil,
        debugLog: (@Sendable (AWSRequestLog) -> Void)? = nil
    ) {
        self.service = service
        self.targetPrefix = targetPrefix
        self.jsonVersion = jsonVersion
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.transport = transport
        self.system = system
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.pacer = pacer
        self.debugLog = debugLog
    }

    /// `application/x-amz-json-1.1`.
    public var contentType: String { "application/x-amz-json-\(jsonVersion)" }

    /// Performs one logical call of `operation` with `input` and returns the decoded answer (an
    /// empty object for an empty body). Throws `AWSError` for a service error that is not retried,
    /// `AWSClientError` otherwise.
    public func send(_ operation: String, input: AWSJSON, idempotency: Idempotency) async throws -> AWSJSON {
        let body = Array(input.rendered.utf8)
        let loop = AWSRetryLoop(action: operation, policy: retryPolicy, system: system)
        return try await loop.run { attempt in
            try await attemptOnce(operation, body: body, attempt: attempt, idempotency: idempotency, loop: loop)
        }
    }

    private func attemptOnce(
        _ operation: String, body: [UInt8], attempt: Int, idempotency: Idempotency, loop: AWSRetryLoop
    ) async throws -> AWSAttemptOutcome<AWSJSON> {
        if let pacer { try await pacer.wait(system: system) }
        let started = system.now()
        let request = try await signedRequest(operation, body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            log(operation, attempt, nil, nil, started)
            return .retryable(try loop.transportFailure(error, attempt: attempt, idempotency: idempotency))
        }
        let requestID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        log(operation, attempt, response.statusCode, requestID, started)
        if (200..<300).contains(response.statusCode) {
            if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(.object([:])) }
            do {
                return .success(try AWSJSON.parse(response.body))
            } catch let error as AWSJSONError {
                throw AWSClientError.malformedResponse(action: operation, detail: error.description)
            }
        }
        let error = Self.decodeError(response)
        if (error.isThrottling || error.isServerFault) && idempotency != .unsafe {
            return .retryable(.service(error))
        }
        throw error
    }

    /// The signed POST of one attempt: `X-Amz-Target` and the content type are signed with the rest.
    func signedRequest(_ operation: String, body: [UInt8]) async throws -> HTTPRequest {
        try await SignedPOST.request(
            endpoint: endpoint, region: region, signingName: service.signingName, credentials: credentials, system: system,
            headers: [HTTPHeader("Content-Type", contentType), HTTPHeader("X-Amz-Target", "\(targetPrefix).\(operation)")],
            body: body, timeout: timeout)
    }

    /// A JSON-protocol error: the code from `x-amzn-ErrorType` (before any `:`), else the body's
    /// `__type` (after any `#`), else `code`; the message from `message`/`Message`. A body that is
    /// not such JSON (a proxy's HTML page, an empty 503) still gives an error named after the status.
    /// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization
    public static func decodeError(_ response: HTTPResponse) -> AWSError {
        let requestID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        let document = try? AWSJSON.parse(response.body)
        let headerType = response.headers["x-amzn-errortype"].map { String($0.split(separator: ":", maxSplits: 1).first ?? "") }
        let bodyType = (document?["__type"]?.string ?? document?["code"]?.string ?? document?["Code"]?.string)
            .map { String($0.split(separator: "#").last ?? "") }
        let message = document?["message"]?.string ?? document?["Message"]?.string ?? document?["errorMessage"]?.string
        if let code = [headerType, bodyType].compactMap({ $0 }).first(where: { !$0.isEmpty }) {
            return AWSError(code: code, message: message ?? "", requestID: requestID, httpStatus: response.statusCode)
        }
        let code: String
        switch response.statusCode {
        case 429: code = "TooManyRequestsException"
        case 503: code = "ServiceUnavailable"
        case 500...599: code = "InternalFailure"
        default: code = "HTTP\(response.statusCode)"
        }
        return AWSError(code: code, message: "HTTP \(response.statusCode) without an AWS error document",
                        requestID: requestID, httpStatus: response.statusCode)
    }

    private func log(_ operation: String, _ attempt: Int, _ status: Int?, _ requestID: String?, _ start: Date) {
        debugLog?(AWSRequestLog(service: service.signingName, action: operation, attempt: attempt, statusCode: status,
                                requestID: requestID, durationSeconds: system.now().timeIntervalSince(start)))
    }
}

/// Keeps calls to a rate-limited API at most one per `interval` (retries included), whoever makes
/// them: each call reserves the next free start time, then sleeps until it. CloudTrail's
/// LookupEvents, for example, allows two requests per second per account and region and answers
/// ThrottlingException beyond that.
public final class AWSRequestPacer: Sendable {
    /// The least time between the starts of two calls, in seconds.
    public let interval: TimeInterval
    private let lastStart = Mutex<Date?>(nil)

    /// Creates a pacer.
    public init(interval: TimeInterval) {
        self.interval = interval
    }

    private static let registry = Mutex<[String: AWSRequestPacer]>([:])

    /// The process's one pacer for `key` (e.g. an endpoint and region): clients made apart, such as
    /// one per deployment when a run checks many configs at once, still share the service's rate.
    public static func shared(key: String, interval: TimeInterval) -> AWSRequestPacer {
        registry.withLock { pacers in
            if let pacer = pacers[key] { return pacer }
            let pacer = AWSRequestPacer(interval: interval)
            pacers[key] = pacer
            return pacer
        }
    }

    /// Waits until this call may start.
    public func wait(system: AWSSystem) async throws {
        let now = system.now()
        let start = lastStart.withLock { last -> Date in
            let next = last.map { max(now, $0.addingTimeInterval(interval)) } ?? now
            last = next
            return next
        }
        let delay = start.timeIntervalSince(now)
        if delay > 0 { try await system.sleep(delay) }
    }
}
