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
        let started = system.now()
        let response: HTTPResponse
        do {
            // Signed once its turn came, so the signature's date is the send's.
            response = try await paced { try await transport.send(try await signedRequest(operation, body: body)) }
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

    /// `call` in the pacer's turn, or right away without a pacer.
    private func paced(_ call: @Sendable () async throws -> HTTPResponse) async throws -> HTTPResponse {
        guard let pacer else { return try await call() }
        return try await pacer.paced(system: system, call)
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

/// Keeps calls to a rate-limited API apart as the service sees them: one call in flight at a
/// time, whoever makes it (retries included), each starting at least `interval` after the previous
/// one's answer arrived. Spacing the starts alone is not enough: a call delayed on its way out (a
/// loaded machine, a slow connection) can reach the service right before the next one. Since the
/// service answered a call before the next leaves, the service sees them `interval` apart whatever
/// the network does. CloudTrail's LookupEvents, for example, allows two requests per second per
/// account and region and answers ThrottlingException beyond that.
public actor AWSRequestPacer {
    /// The least time between one call's answer and the next call's start, in seconds.
    public nonisolated let interval: TimeInterval
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var lastAnswer: Date?

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

    /// Waits for this call's turn and for `interval` after the previous answer; every `begin` that
    /// returns must be followed by `end`. A cancelled wait gives its turn back.
    public func begin(system: AWSSystem) async throws {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        if let lastAnswer {
            let delay = lastAnswer.addingTimeInterval(interval).timeIntervalSince(system.now())
            if delay > 0 {
                do {
                    try await system.sleep(delay)
                } catch {
                    end(at: lastAnswer)
                    throw error
                }
            }
        }
    }

    /// The call's answer (or failure) arrived at `date`: the next call may go `interval` later.
    public func end(at date: Date) {
        lastAnswer = max(lastAnswer ?? date, date)
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `call` in its turn.
    public func paced<Value: Sendable>(system: AWSSystem, _ call: @Sendable () async throws -> Value) async throws -> Value {
        try await begin(system: system)
        do {
            let value = try await call()
            end(at: system.now())
            return value
        } catch {
            end(at: system.now())
            throw error
        }
    }
}
