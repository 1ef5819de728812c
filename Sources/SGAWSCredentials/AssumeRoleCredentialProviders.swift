import Foundation
import SGAWS

/// Builds an STS client in a region that signs with `credentials` (or sends unsigned with
/// `AnonymousAccess`). The session supplies one that honours the endpoint settings.
public typealias STSClientFactory = @Sendable (_ credentials: any AWSCredentialProvider, _ region: String) throws -> STSClient

/// What to ask sts:AssumeRole for.
public struct AssumeRoleRequest: Sendable, Equatable {
    /// The role to assume.
    public var roleARN: String
    /// RoleSessionName: shows in CloudTrail next to every call made with the credentials.
    public var sessionName: String
    /// ExternalId, when the role's trust policy asks for one.
    public var externalID: String?
    /// DurationSeconds, else the role's default (one hour).
    public var durationSeconds: Int?

    /// Creates a request.
    public init(roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil) {
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.externalID = externalID
        self.durationSeconds = durationSeconds
    }
}

/// Assumes a role with credentials from another provider: a profile's `role_arn` over its
/// `source_profile` or `credential_source`, or a caller chaining into another account (one
/// deployment over many accounts). Composes with any provider, including itself.
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
public struct AssumeRoleCredentialProvider: AWSCredentialProvider {
    /// The role and session.
    public let request: AssumeRoleRequest
    /// Where the credentials that call AssumeRole come from.
    public let source: any AWSCredentialProvider
    /// Region of the STS endpoint.
    public let region: String
    /// Who configured this, for messages and the credential source ("profile deploy").
    public let origin: String
    private let makeSTSClient: STSClientFactory

    /// Creates a provider.
    public init(request: AssumeRoleRequest, source: any AWSCredentialProvider, region: String, origin: String,
                makeSTSClient: @escaping STSClientFactory) {
        self.request = request
        self.source = source
        self.region = region
        self.origin = origin
        self.makeSTSClient = makeSTSClient
    }

    /// The source's credentials first (once), then AssumeRole with them.
    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials: AWSCredentials
        do {
            sourceCredentials = try await source.credentials()
        } catch let notFound as AWSCredentialsNotFound {
            throw AWSClientError.credentials("\(origin): no credentials to assume \(request.roleARN) with: \(notFound)")
        }
        let sts = try makeSTSClient(StaticCredentialProvider(sourceCredentials), region)
        let assumed: AWSCredentials
        do {
            assumed = try await sts.assumeRole(roleARN: request.roleARN, sessionName: request.sessionName,
                                               durationSeconds: request.durationSeconds, externalID: request.externalID)
        } catch let error as AWSError {
            throw AWSClientError.credentials("\(origin): sts:AssumeRole of \(request.roleARN) with credentials from "
                + "\(sourceCredentials.source) (\(sourceCredentials.method.rawValue)) was refused: \(error)")
        }
        return assumed.described(method: .assumeRole, source: "\(origin): role \(request.roleARN) assumed with "
            + "\(sourceCredentials.method.rawValue) credentials from \(sourceCredentials.source)")
    }
}

/// sts:AssumeRoleWithWebIdentity with the OpenID Connect token a CI system or Kubernetes writes
/// to a file (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or a profile's `web_identity_token_file`
/// + `role_arn`). The file is read on every fetch, because its owner rotates it. The token is
/// only ever sent in the request body: never logged, never put in a message.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html
public struct WebIdentityCredentialProvider: AWSCredentialProvider {
    /// Path of the token file.
    public let tokenFile: String
    /// The role to assume.
    public let roleARN: String
    /// RoleSessionName.
    public let sessionName: String
    /// Region of the STS endpoint.
    public let region: String
    /// Where the settings came from, for messages ("AWS_WEB_IDENTITY_TOKEN_FILE", "profile ci").
    public let origin: String
    private let system: AWSSystem
    private let makeSTSClient: STSClientFactory

    /// Creates a provider.
    public init(tokenFile: String, roleARN: String, sessionName: String, region: String, origin: String,
                system: AWSSystem, makeSTSClient: @escaping STSClientFactory) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.region = region
        self.origin = origin
        self.system = system
        self.makeSTSClient = makeSTSClient
    }

    /// Reads the token and exchanges it for role credentials.
    public func credentials() async throws -> AWSCredentials {
        guard let contents = system.readFile(tokenFile) else {
            throw AWSClientError.credentials("web identity (\(origin)): cannot read the token file \(tokenFile)")
        }
        // A JWT holds no whitespace; a trailing newline from a hand-written file is not part of it.
        let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AWSClientError.credentials("web identity (\(origin)): the token file \(tokenFile) is empty")
        }
        let sts = try makeSTSClient(AnonymousAccess(), region)
        do {
            let assumed = try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, webIdentityToken: token)
            return assumed.described(method: .webIdentity, source: "web identity (\(origin)): role \(roleARN), token file \(tokenFile)")
        } catch let error as AWSError {
            throw AWSClientError.credentials("web identity (\(origin)): sts:AssumeRoleWithWebIdentity of \(roleARN) was refused: \(error)")
        }
    }
}
