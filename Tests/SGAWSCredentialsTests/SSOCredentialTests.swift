import Foundation
import SGCrypto
import SGTestSupport
import Testing
@testable import SGAWS
@testable import SGAWSCredentials

/// IAM Identity Center (SSO): the token `aws sso login` cached, traded for role credentials at a
/// scripted portal on 127.0.0.1, compared with boto3 on the same files.
@Suite("IAM Identity Center credentials", .serialized)
struct SSOCredentialTests {
    static let accessToken = "MarkerSSOAccessToken-0123456789"
    static let startURL = "https://my-sso-portal.awsapps.com/start"

    static func stubPortal(status: Int = 200) throws -> StubHTTPServer {
        let body = status == 200
            ? #"{"roleCredentials": {"accessKeyId": "ASIASSOROLE000000001", "secretAccessKey": "sso-secret", "sessionToken": "sso-token", "expiration": 4070908800000}}"#
            : #"{"message": "Session token not found or invalid"}"#
        return try StubHTTPServer.start(routes: ["GET /federation/credentials": [.init(
            status: status, body: body,
            headers: status == 200 ? ["Content-Type": "application/json"]
                : ["Content-Type": "application/json", "x-amzn-ErrorType": "UnauthorizedException:http://internal.amazon.com/"])]])
    }

    /// A cached token as `aws sso login` writes it.
    static func cachedToken(expiresAt: String) -> String {
        """
        {"startUrl": "\(startURL)", "region": "eu-west-1", "accessToken": "\(accessToken)", "expiresAt": "\(expiresAt)"}
        """
    }

    static let sessionConfig = """
        [sso-session corp]
        sso_start_url = \(startURL)
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = SecurityGroupAdmin
        region = us-west-2
        """

    @Test("sso_session profile: the session's cached token, GetRoleCredentials with it, agreeing with boto3")
    func ssoSession() async throws {
        let stub = try Self.stubPortal()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        try workspace.write(Self.sessionConfig, to: ".aws/config")
        try workspace.write(Self.cachedToken(expiresAt: "2099-01-01T00:00:00Z"), to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        workspace.environment["AWS_ENDPOINT_URL_SSO"] = stub.endpoint.absoluteString
        let ours = try await workspace.resolve(profile: "dev")
        #expect(ours.accessKeyID == "ASIASSOROLE000000001")
        #expect(ours.secretAccessKey == "sso-secret")
        #expect(ours.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        #expect(ours.source == "profile dev: IAM Identity Center account 111122223333 role SecurityGroupAdmin")
        expectAgreement(ours, try await workspace.boto3(profile: "dev"))

        let request = try #require(try await stub.recordedRequests().first)
        #expect(request.method == "GET")
        let query = try #require(URLComponents(string: request.path)?.queryItems)
        #expect(query.first { $0.name == "account_id" }?.value == "111122223333")
        #expect(query.first { $0.name == "role_name" }?.value == "SecurityGroupAdmin")
        #expect(request.headers["x-amz-sso_bearer_token"] == Self.accessToken)
        #expect(request.headers["authorization"] == nil)
    }

    @Test("legacy profile with sso_start_url: the token cached under the start URL's hash, agreeing with boto3")
    func legacyProfile() async throws {
        let stub = try Self.stubPortal()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [default]
            sso_start_url = \(Self.startURL)
            sso_region = eu-west-1
            sso_account_id = 111122223333
            sso_role_name = SecurityGroupAdmin
            """, to: ".aws/config")
        // The older CLI v2 spelling of the expiry ("...UTC").
        try workspace.write(Self.cachedToken(expiresAt: "2099-01-01T00:00:00UTC"), to: ".aws/sso/cache/\(SHA1.hex(Self.startURL)).json")
        workspace.environment["AWS_ENDPOINT_URL_SSO"] = stub.endpoint.absoluteString
        let ours = try await workspace.resolve()
        #expect(ours.method == .sso)
        expectAgreement(ours, try await workspace.boto3())
    }

    @Test("no cached token, an expired one, or one the portal refuses: run `aws sso login`, as boto3 also fails")
    func loginNeeded() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.write(Self.sessionConfig, to: ".aws/config")
        let cachePath = workspace.home.appendingPathComponent(".aws/sso/cache/\(SHA1.hex("corp")).json").path
        let refusing = try Self.stubPortal(status: 401)
        defer { refusing.stop() }
        workspace.environment["AWS_ENDPOINT_URL_SSO"] = refusing.endpoint.absoluteString

        await #expect(throws: AWSClientError.credentials("profile dev (IAM Identity Center): no cached IAM Identity Center token "
            + "for sso-session corp (\(cachePath)); run `aws sso login --profile dev`")) {
            try await workspace.resolve(profile: "dev")
        }
        #expect(try await workspace.boto3(profile: "dev").error != nil)

        try workspace.write(Self.cachedToken(expiresAt: "2020-01-01T00:00:00Z"), to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        await #expect(throws: AWSClientError.credentials("profile dev (IAM Identity Center): the IAM Identity Center token for "
            + "sso-session corp expired at 2020-01-01T00:00:00Z; run `aws sso login --profile dev`")) {
            try await workspace.resolve(profile: "dev")
        }
        #expect(try await workspace.boto3(profile: "dev").error != nil)

        try workspace.write(Self.cachedToken(expiresAt: "2099-01-01T00:00:00Z"), to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        await #expect(throws: AWSClientError.credentials("profile dev (IAM Identity Center): IAM Identity Center did not accept the "
            + "cached token for sso-session corp (UnauthorizedException); run `aws sso login --profile dev`")) {
            try await workspace.resolve(profile: "dev")
        }
        #expect(try await workspace.boto3(profile: "dev").error?.contains("aws sso login") == true)
    }

    @Test("settings that cannot work are named: a missing session, a conflicting start URL, missing keys")
    func badSettings() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [sso-session corp]
            sso_start_url = \(Self.startURL)
            sso_region = eu-west-1
            [profile nosession]
            sso_session = other
            sso_account_id = 1
            sso_role_name = R
            [profile conflict]
            sso_session = corp
            sso_start_url = https://elsewhere.awsapps.com/start
            sso_account_id = 1
            sso_role_name = R
            [profile partial]
            sso_start_url = \(Self.startURL)
            sso_role_name = R
            """, to: ".aws/config")
        let configPath = workspace.home.appendingPathComponent(".aws/config").path
        await #expect(throws: AWSClientError.credentials("profile nosession names sso_session other, which \(configPath) does not define")) {
            try await workspace.resolve(profile: "nosession")
        }
        await #expect(throws: AWSClientError.credentials(
            "profile conflict: sso_start_url is https://elsewhere.awsapps.com/start in the profile but \(Self.startURL) in sso-session corp")) {
            try await workspace.resolve(profile: "conflict")
        }
        await #expect(throws: AWSClientError.credentials("profile partial is set up for IAM Identity Center but lacks sso_region, sso_account_id")) {
            try await workspace.resolve(profile: "partial")
        }
        for profile in ["nosession", "conflict", "partial"] {
            #expect(try await workspace.boto3(profile: profile).error?.hasPrefix("InvalidConfigError") == true, "\(profile)")
        }
    }

    @Test("the portal's transient failures are retried; a role the user may not use is named")
    func portalFaults() async throws {
        let stub = try StubHTTPServer.start(routes: ["GET /federation/credentials": [
            .init(status: 500, body: #"{"message": "internal"}"#),
            .init(status: 429, body: #"{"message": "slow down"}"#, headers: ["x-amzn-ErrorType": "TooManyRequestsException"]),
            .init(body: #"{"roleCredentials": {"accessKeyId": "ASIARETRIED000000001", "secretAccessKey": "s", "sessionToken": "t", "expiration": 4070908800000}}"#),
            .init(status: 403, body: #"{"__type": "com.amazonaws.switchboard.portal#ForbiddenException", "message": "No access"}"#),
        ]])
        defer { stub.stop() }
        let sleeps = SleepRecorder()
        let client = SSOClient(endpoint: stub.endpoint, transport: URLSessionTransport(), system: testSystem(sleeps: sleeps))
        let credentials = try await client.getRoleCredentials(accountID: "111122223333", roleName: "Admin", accessToken: "t")
        #expect(credentials.accessKeyID == "ASIARETRIED000000001")
        #expect(sleeps.recorded.count == 2)
        await #expect(throws: AWSError(code: "ForbiddenException", message: "No access", requestID: nil, httpStatus: 403)) {
            try await client.getRoleCredentials(accountID: "111122223333", roleName: "Admin", accessToken: "t")
        }

        let workspace = try CredentialWorkspace()
        try workspace.write(Self.sessionConfig, to: ".aws/config")
        try workspace.write(Self.cachedToken(expiresAt: "2099-01-01T00:00:00Z"), to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        workspace.environment["AWS_ENDPOINT_URL_SSO"] = stub.endpoint.absoluteString
        await #expect(throws: AWSClientError.credentials("profile dev (IAM Identity Center): GetRoleCredentials for role SecurityGroupAdmin "
            + "in account 111122223333 was refused: ForbiddenException (HTTP 403): No access")) {
            try await workspace.resolve(profile: "dev")
        }
    }
}
