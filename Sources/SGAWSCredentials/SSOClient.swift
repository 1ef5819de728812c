import Foundation
import SGAWS

/// The IAM Identity Center portal API: trades the access token `aws sso login` cached for
/// short-lived role credentials. A REST-JSON GET authenticated by a bearer token header, not SigV4.
/// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html
public struct SSOClient: Sendable {
    /// Portal endpoint, e.g. https://portal.sso.eu-west-1.amazonaws.com.
    public let endpoint: URL
    /// HTTP transport.
    public let transport: any HTTPTransport
    /// Clock, sleep, randomness.
    public let system: AWSSystem
    /// Retry bounds (the call only reads, so every transient failure is retried).
    public let retryPolicy: RetryPolicy
    /// Per-attempt timeout in seconds.
    public let timeout: TimeInterval
    /// Debug hook; receives `AWSRequestLog` values only (never the token).
    public let debugLog: (@Sendable (AWSRequestLog) -> Void)?

    /// Creates a client.
    public init(endpoint: URL, transport: any HTTPTransport, system: AWSSystem, retryPolicy: RetryPolicy = RetryPolicy(),
                timeout: TimeInterval = 30, debugLog: (@Sendable (AWSRequestLog) -> Void)? = nil) {
        self.endpoint = endpoint
        self.transport = transport
        self.system = system
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.debugLog = debugLog
    }

    private struct Response: Decodable {
        struct RoleCredentials: Decodable {
            let accessKeyId: String?
            let secretAccessKey: String?
            let sessionToken: String?
            /// Milliseconds since 1970.
            let expiration: Double?
        }
        let roleCredentials: RoleCredentials?
    }

    /// Role credentials for `roleName` in `accountID`. Throws `AWSError` with the portal's code
    /// (UnauthorizedException for a token it does not accept, ForbiddenException for a role the
    /// user may not use) or `AWSClientError`.
    public func getRoleCredentials(accountID: String, roleName: String, accessToken: String) async throws -> AWSCredentials {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)
        let basePath = components?.path.hasSuffix("/") == true ? String(components!.path.dropLast()) : (components?.path ?? "")
        components?.path = basePath + "/federation/credentials"
        components?.queryItems = [URLQueryItem(name: "account_id", value: accountID), URLQueryItem(name: "role_name", value: roleName)]
        guard let url = components?.url else {
            throw AWSClientError.configuration("IAM Identity Center endpoint \(endpoint) cannot take a path")
        }
        let request = HTTPRequest(method: "GET", url: url, headers: [
            HTTPHeader("x-amz-sso_bearer_token", accessToken), HTTPHeader("Accept", "application/json"),
        ], timeout: timeout)
        let body = try await send(request)
        guard let decoded = try? JSONDecoder().decode(Response.self, from: Data(body)),
              let credentials = decoded.roleCredentials,
              let keyID = credentials.accessKeyId, !keyID.isEmpty,
              let secret = credentials.secretAccessKey, !secret.isEmpty else {
            throw AWSClientError.malformedResponse(action: "GetRoleCredentials", detail: "no roleCredentials with accessKeyId and secretAccessKey")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: credentials.sessionToken,
                              expiration: credentials.expiration.map { Date(timeIntervalSince1970: $0 / 1000) },
                              method: .sso, source: "IAM Identity Center account \(accountID) role \(roleName)")
    }

    /// One GET with retries for throttling, server faults and failed or lost connections.
    private func send(_ request: HTTPRequest) async throws -> [UInt8] {
        let started = system.now()
        var attempt = 0
        var failures: [AWSRequestFailure] = []
        while true {
            attempt += 1
            let attemptStart = system.now()
            do {
                let response = try await transport.send(request)
                let requestID = response.headers["x-amzn-requestid"]
                log(attempt, response.statusCode, requestID, attemptStart)
                if (200..<300).contains(response.statusCode) { return response.body }
                let error = Self.decodeError(response)
                guard error.isThrottling || error.isServerFault else { throw error }
                failures.append(.service(error))
            } catch let error as HTTPTransportError {
                log(attempt, nil, nil, attemptStart)
                failures.append(.transport(error))
                if case .other = error {
                    throw AWSClientError.retriesExhausted(action: "GetRoleCredentials", attempts: attempt, failures: failures)
                }
            }
            let delay = retryPolicy.delay(beforeRetry: attempt, random: system.randomFraction())
            guard attempt < retryPolicy.maxAttempts, system.now().timeIntervalSince(started) + delay <= retryPolicy.maxTotalTime else {
                throw AWSClientError.retriesExhausted(action: "GetRoleCredentials", attempts: attempt, failures: failures)
            }
            try await system.sleep(delay)
        }
    }

    /// A REST-JSON error: the type from `x-amzn-ErrorType` (before any `:`) or the body's
    /// `__type` (after any `#`), the message from the body.
    static func decodeError(_ response: HTTPResponse) -> AWSError {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        let headerType = response.headers["x-amzn-errortype"].map { String($0.split(separator: ":").first ?? "") }
        let bodyType = (object["__type"] as? String).map { String($0.split(separator: "#").last ?? "") }
        let code = [headerType, bodyType].compactMap { $0 }.first { !$0.isEmpty }
            ?? (response.statusCode == 401 ? "UnauthorizedException" : "HTTP\(response.statusCode)")
        let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? "HTTP \(response.statusCode)"
        return AWSError(code: code, message: message, requestID: response.headers["x-amzn-requestid"], httpStatus: response.statusCode)
    }

    private func log(_ attempt: Int, _ status: Int?, _ requestID: String?, _ start: Date) {
        debugLog?(AWSRequestLog(service: "sso", action: "GetRoleCredentials", attempt: attempt, statusCode: status,
                                requestID: requestID, durationSeconds: system.now().timeIntervalSince(start)))
    }
}
