import Foundation
import SGTestSupport
import Testing
@testable import SGAWS
@testable import SGAWSCredentials

/// Web identity (the OIDC token of GitHub Actions, GitLab, EKS): sts:AssumeRoleWithWebIdentity,
/// against a scripted STS on 127.0.0.1 and against moto, each compared with boto3.
@Suite("web identity credentials", .serialized)
struct WebIdentityCredentialTests {
    static let token = "eyJhbGciOiJSUzI1NiJ9.MarkerWebIdentityToken.signature"
    static let role = "arn:aws:iam::111122223333:role/ci-deployer"

    static func stubSTS() throws -> StubHTTPServer {
        try StubHTTPServer.start(routes: [
            "POST / Action=AssumeRoleWithWebIdentity": [.init(body: stsCredentialsResponse(
                action: "AssumeRoleWithWebIdentity", accessKeyID: "ASIAWEBIDENTITY00001"))],
        ])
    }

    @Test("AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: an unsigned AssumeRoleWithWebIdentity, agreeing with boto3")
    func environmentPair() async throws {
        let stub = try Self.stubSTS()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        let tokenFile = try workspace.write(Self.token + "\n", to: "token")
        workspace.environment.merge([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.role, "AWS_ROLE_SESSION_NAME": "ci-run-42",
            "AWS_ENDPOINT_URL_STS": stub.endpoint.absoluteString,
        ]) { _, new in new }
        let ours = try await workspace.resolve()
        #expect(ours.accessKeyID == "ASIAWEBIDENTITY00001")
        #expect(ours.sessionToken == "token-of-ASIAWEBIDENTITY00001")
        #expect(ours.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        #expect(ours.source == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN): role \(Self.role), token file \(tokenFile)")
        expectAgreement(ours, try await workspace.boto3())

        let request = try #require(try await stub.recordedRequests().first)
        let form = try #require(URLComponents(string: "/?" + request.body)?.queryItems)
        #expect(form.first { $0.name == "Action" }?.value == "AssumeRoleWithWebIdentity")
        #expect(form.first { $0.name == "RoleArn" }?.value == Self.role)
        #expect(form.first { $0.name == "RoleSessionName" }?.value == "ci-run-42")
        #expect(form.first { $0.name == "WebIdentityToken" }?.value == Self.token, "sent without the file's newline")
        #expect(request.headers["authorization"] == nil, "the token is the proof; the call is not signed")
    }

    @Test("the profile's web_identity_token_file and role_arn; with --profile the environment pair does not count")
    func profileKeys() async throws {
        let stub = try Self.stubSTS()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        let tokenFile = try workspace.write(Self.token, to: "k8s/token")
        try workspace.write("""
            [profile ci]
            web_identity_token_file = \(tokenFile)
            role_arn = \(Self.role)
            role_session_name = from-profile
            """, to: ".aws/config")
        workspace.environment.merge([
            // Would fail if used: no such file.
            "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token", "AWS_ROLE_ARN": "arn:aws:iam::999999999999:role/other",
            "AWS_ENDPOINT_URL_STS": stub.endpoint.absoluteString,
        ]) { _, new in new }
        let ours = try await workspace.resolve(profile: "ci")
        #expect(ours.method == .webIdentity)
        #expect(ours.source == "web identity (profile ci): role \(Self.role), token file \(tokenFile)")
        expectAgreement(ours, try await workspace.boto3(profile: "ci"))
        let form = try #require(URLComponents(string: "/?" + (try await stub.recordedRequests().first?.body ?? ""))?.queryItems)
        #expect(form.first { $0.name == "RoleSessionName" }?.value == "from-profile")
    }

    @Test("a missing token file, a token without a role and a refused token are errors that never show the token")
    func failures() async throws {
        let stub = try StubHTTPServer.start(routes: [
            "POST / Action=AssumeRoleWithWebIdentity": [.init(status: 400, body: """
                <ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error><RequestId>r-1</RequestId></ErrorResponse>
                """)],
        ])
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        let tokenFile = try workspace.write(Self.token, to: "token")
        workspace.environment["AWS_ENDPOINT_URL_STS"] = stub.endpoint.absoluteString

        workspace.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/nonexistent/token"
        workspace.environment["AWS_ROLE_ARN"] = Self.role
        await #expect(throws: AWSClientError.credentials(
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN): cannot read the token file /nonexistent/token")) {
            try await workspace.resolve()
        }
        #expect(try await workspace.boto3().error != nil)

        workspace.environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile
        workspace.environment["AWS_ROLE_ARN"] = nil
        await #expect(throws: AWSClientError.credentials(
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE): a token file is set but no role: set AWS_ROLE_ARN or the profile's role_arn")) {
            try await workspace.resolve()
        }
        #expect(try await workspace.boto3().error?.hasPrefix("InvalidConfigError") == true)

        workspace.environment["AWS_ROLE_ARN"] = Self.role
        do {
            _ = try await workspace.resolve()
            Issue.record("a refused token must not give credentials")
        } catch {
            let message = "\(error)"
            #expect(message.contains("sts:AssumeRoleWithWebIdentity of \(Self.role) was refused: InvalidIdentityToken (HTTP 400): Incorrect token audience"), "\(message)")
            #expect(!message.contains("MarkerWebIdentityToken"))
        }
        #expect(try await workspace.boto3().error?.contains("InvalidIdentityToken") == true)
    }

    @Test("against moto: the assumed role is who GetCallerIdentity says, for us and for boto3")
    func againstMoto() async throws {
        let moto = try await MotoServer.shared()
        let workspace = try CredentialWorkspace()
        let tokenFile = try workspace.write(Self.token, to: "token")
        workspace.environment.merge([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.role, "AWS_ROLE_SESSION_NAME": "moto-run",
            "AWS_ENDPOINT_URL_STS": moto.endpoint.absoluteString,
        ]) { _, new in new }
        let session = try AWSSession.resolve(options: AWSSessionOptions(retryPolicy: .none), system: workspace.system)
        let ours = try await session.credentials.credentials()
        #expect(ours.method == .webIdentity)
        #expect(ours.accessKeyID.hasPrefix("ASIA"))
        let identity = try await session.sts().getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::111122223333:assumed-role/ci-deployer/moto-run")
        #expect(identity.account == "111122223333")
        let boto3 = try await workspace.boto3(callerIdentity: true)
        #expect(boto3.error == nil, "\(boto3)")
        #expect(boto3.method == ours.method.rawValue)
        #expect(boto3.arn == identity.arn)
    }
}
