import Foundation
import SGAWS
import SGCrypto

/// Where a profile's IAM Identity Center settings point: the portal, the account and the role.
public struct SSOConfiguration: Sendable, Equatable {
    /// `sso_start_url`, the user's access portal.
    public var startURL: String
    /// `sso_region`, where the portal lives (not necessarily the deployment's region).
    public var ssoRegion: String
    /// `sso_account_id`.
    public var accountID: String
    /// `sso_role_name`, the permission set.
    public var roleName: String
    /// `sso_session` when the profile uses an `[sso-session]` section (then the token cache file
    /// is named after the session, not the start URL).
    public var sessionName: String?

    /// Creates a configuration.
    public init(startURL: String, ssoRegion: String, accountID: String, roleName: String, sessionName: String? = nil) {
        self.startURL = startURL
        self.ssoRegion = ssoRegion
        self.accountID = accountID
        self.roleName = roleName
        self.sessionName = sessionName
    }

    /// `~/.aws/sso/cache/{sha1 of the session name, or of the start URL}.json`: where `aws sso
    /// login` leaves the access token.
    public func tokenCachePath(home: String) -> String {
        "\(home)/.aws/sso/cache/\(SHA1.hex(sessionName ?? startURL)).json"
    }
}

/// Builds the portal client for an `sso_region`.
public typealias SSOClientFactory = @Sendable (_ ssoRegion: String) throws -> SSOClient

/// IAM Identity Center (SSO): reads the access token `aws sso login` cached and trades it for
/// the role's credentials with GetRoleCredentials. It never opens a browser or writes the cache:
/// a missing, expired or refused token ends in "run `aws sso login`".
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html
public struct SSOCredentialProvider: AWSCredentialProvider {
    /// Portal, account, role.
    public let configuration: SSOConfiguration
    /// The profile, for messages and the login hint.
    public let profileName: String
    private let system: AWSSystem
    private let makeClient: SSOClientFactory

    /// Creates a provider.
    public init(configuration: SSOConfiguration, profileName: String, system: AWSSystem, makeClient: @escaping SSOClientFactory) {
        self.configuration = configuration
        self.profileName = profileName
        self.system = system
        self.makeClient = makeClient
    }

    private struct CachedToken: Decodable {
        let accessToken: String?
        let expiresAt: String?
    }

    private var login: String { "run `aws sso login --profile \(profileName)`" }
    private var tokenName: String {
        configuration.sessionName.map { "sso-session \($0)" } ?? "start URL \(configuration.startURL)"
    }

    /// The role credentials for the cached token.
    public func credentials() async throws -> AWSCredentials {
        let path = configuration.tokenCachePath(home: system.homeDirectory ?? "")
        guard let text = system.readFile(path) else {
            throw failure("no cached IAM Identity Center token for \(tokenName) (\(path)); \(login)")
        }
        guard let cached = try? JSONDecoder().decode(CachedToken.self, from: Data(text.utf8)),
              let token = cached.accessToken, !token.isEmpty,
              let expiresText = cached.expiresAt, let expiresAt = Self.date(expiresText) else {
            throw failure("the cached IAM Identity Center token \(path) has no accessToken and expiresAt; \(login)")
        }
        guard expiresAt > system.now() else {
            throw failure("the IAM Identity Center token for \(tokenName) expired at \(expiresText); \(login)")
        }
        do {
            let credentials = try await makeClient(configuration.ssoRegion).getRoleCredentials(
                accountID: configuration.accountID, roleName: configuration.roleName, accessToken: token)
            return credentials.described(method: .sso, source: "profile \(profileName): IAM Identity Center "
                + "account \(configuration.accountID) role \(configuration.roleName)")
        } catch let error as AWSError where error.code == "UnauthorizedException" || error.httpStatus == 401 {
            throw failure("IAM Identity Center did not accept the cached token for \(tokenName) (\(error.code)); \(login)")
        } catch let error as AWSError {
            throw failure("GetRoleCredentials for role \(configuration.roleName) in account \(configuration.accountID) was refused: \(error)")
        }
    }

    private func failure(_ detail: String) -> AWSClientError {
        .credentials("profile \(profileName) (IAM Identity Center): \(detail)")
    }

    /// `expiresAt` as the AWS CLI writes it: ISO 8601 with `Z`, with or without fractions, or the
    /// older `...UTC` suffix of early CLI v2 releases.
    static func date(_ text: String) -> Date? {
        let normalized = text.hasSuffix("UTC") ? String(text.dropLast(3)) + "Z" : text
        return WireDecoding.date(normalized)
    }
}
