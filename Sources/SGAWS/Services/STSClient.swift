import Foundation

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
    public func assumeRole(roleARN: String, sessionName: String, durationSeconds: Int? = nil,
                           externalID: String? = nil) async throws -> AWSCredentials {
        var parameters = query.parameters("AssumeRole")
        parameters.set("RoleArn", roleARN)
        parameters.set("RoleSessionName", sessionName)
        parameters.set("DurationSeconds", durationSeconds)
        parameters.set("ExternalId", externalID)
        let root = try await query.send(parameters, idempotency: .idempotent)
        guard let credentials = WireDecoding.result(root, "AssumeRole").child("Credentials") else {
            throw AWSClientError.malformedResponse(action: "AssumeRole", detail: "missing <Credentials>")
        }
        return AWSCredentials(
            accessKeyID: try WireDecoding.required(credentials, "AccessKeyId", action: "AssumeRole"),
            secretAccessKey: try WireDecoding.required(credentials, "SecretAccessKey", action: "AssumeRole"),
            sessionToken: credentials.string("SessionToken"),
            expiration: WireDecoding.date(credentials.string("Expiration")),
            source: "assume-role \(roleARN)")
    }
}
