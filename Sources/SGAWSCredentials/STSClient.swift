import Foundation
import SGAWS

/// Who the credentials belong to (sts:GetCallerIdentity).
public struct CallerIdentity: Sendable, Equatable {
    /// 12-digit account id.
    public let account: String
    /// ARN of the calling identity.
    public let arn: String
    /// Unique id of the identity.
    public let userID: String
}

/// AWS STS over the Query protocol.
/// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
public struct STSClient: Sendable {
    /// The underlying Query client (service `.sts`).
    public let query: AWSQueryClient

    /// Wraps a Query client configured for STS.
    public init(query: AWSQueryClient) { self.query = query }

    /// The identity of the caller; needs no permissions, so it is the cheapest credentials check.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let root = try await query.send(query.parameters("GetCallerIdentity"), idempotency: .idempotent)
        let result = WireDecoding.result(root, "GetCallerIdentity")
        return CallerIdentity(
            account: try WireDecoding.required(result, "Account", action: "GetCallerIdentity"),
            arn: try WireDecoding.required(result, "Arn", action: "GetCallerIdentity"),
            userID: result.string("UserId") ?? "")
    }

    /// Temporary credentials for `roleARN`. Repeating the call only mints another session,
    /// so it is retried like a read.
    /// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
    public func assumeRole(roleARN: String, sessionName: String, durationSeconds: Int? = nil,
                           externalID: String? = nil) async throws -> AWSCredentials {
        var parameters = query.parameters("AssumeRole")
        parameters.set("RoleArn", roleARN)
        parameters.set("RoleSessionName", sessionName)
        parameters.set("DurationSeconds", durationSeconds)
        parameters.set("ExternalId", externalID)
        let root = try await query.send(parameters, idempotency: .idempotent)
        return try Self.credentials(in: root, action: "AssumeRole", method: .assumeRole, source: "role \(roleARN)")
    }

    /// Temporary credentials for `roleARN` in exchange for an OpenID Connect token (a CI job's
    /// or a Kubernetes service account's). The client should use `AnonymousAccess`: the token is
    /// the proof, and it is sent only in the request body, never logged.
    /// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String,
                                          durationSeconds: Int? = nil) async throws -> AWSCredentials {
        var parameters = query.parameters("AssumeRoleWithWebIdentity")
        parameters.set("RoleArn", roleARN)
        parameters.set("RoleSessionName", sessionName)
        parameters.set("WebIdentityToken", webIdentityToken)
        parameters.set("DurationSeconds", durationSeconds)
        let root = try await query.send(parameters, idempotency: .idempotent)
        return try Self.credentials(in: root, action: "AssumeRoleWithWebIdentity", method: .webIdentity,
                                    source: "role \(roleARN)")
    }

    private static func credentials(in root: XMLElementNode, action: String, method: AWSCredentialMethod,
                                    source: String) throws -> AWSCredentials {
        guard let credentials = WireDecoding.result(root, action).child("Credentials") else {
            throw AWSClientError.malformedResponse(action: action, detail: "missing <Credentials>")
        }
        return AWSCredentials(
            accessKeyID: try WireDecoding.required(credentials, "AccessKeyId", action: action),
            secretAccessKey: try WireDecoding.required(credentials, "SecretAccessKey", action: action),
            sessionToken: credentials.string("SessionToken"),
            expiration: WireDecoding.date(credentials.string("Expiration")),
            method: method, source: source)
    }
}
