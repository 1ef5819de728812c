import Foundation
import SGCrypto
import SGTestSupport
import Testing
@testable import SGAWS
@testable import SGAWSCredentials

/// `role_arn` over a `source_profile` of every kind (keys, web identity, IAM Identity Center,
/// credential_process, another role) and over `credential_source`, against a scripted STS and
/// against moto, each compared with boto3.
@Suite("role chains", .serialized)
struct RoleChainCredentialTests {
    static let deployRole = "arn:aws:iam::444455556666:role/sg-deployer"

    /// STS answering AssumeRoleWithWebIdentity and AssumeRole with fixed keys, and the SSO portal.
    static func stubServices() throws -> StubHTTPServer {
        try StubHTTPServer.start(routes: [
            "POST / Action=AssumeRoleWithWebIdentity": [.init(body: stsCredentialsResponse(
                action: "AssumeRoleWithWebIdentity", accessKeyID: "ASIASOURCEWEBID00001"))],
            "POST / Action=AssumeRole": [.init(body: stsCredentialsResponse(action: "AssumeRole", accessKeyID: "ASIACHAINEDROLE00001"))],
            "GET /federation/credentials": [.init(body: #"{"roleCredentials": {"accessKeyId": "ASIASOURCESSO0000001", "secretAccessKey": "s", "sessionToken": "t", "expiration": 4070908800000}}"#)],
        ])
    }

    /// The chained profile over each kind of source profile; `sourceSetup` writes what the source needs.
    static let sources: [(name: String, profile: String, signingKey: String)] = [
        ("static keys", "[profile source]\naws_access_key_id = AKIASOURCESTATIC0001\naws_secret_access_key = s\n", "AKIASOURCESTATIC0001"),
        ("web identity", "[profile source]\nweb_identity_token_file = HOME/token\nrole_arn = arn:aws:iam::111122223333:role/ci\nrole_session_name = ci\n",
         "ASIASOURCEWEBID00001"),
        ("IAM Identity Center", "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
            + "[profile source]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n", "ASIASOURCESSO0000001"),
        ("credential_process", "[profile source]\ncredential_process = HOME/bin/creds\n", "AKIASOURCEPROCESS001"),
    ]

    @Test("role_arn over a source_profile of each kind: AssumeRole is signed with the source's keys; boto3 agrees",
          arguments: 0..<sources.count)
    func overEachSource(_ index: Int) async throws {
        let source = Self.sources[index]
        let stub = try Self.stubServices()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [profile deploy]
            role_arn = \(Self.deployRole)
            source_profile = source
            role_session_name = sg-run
            external_id = ext-42
            duration_seconds = 1800
            \(source.profile.replacingOccurrences(of: "HOME/", with: workspace.home.path + "/"))
            """, to: ".aws/config")
        try workspace.write("eyJ.token.sig", to: "token")
        try workspace.write(#"{"accessToken": "sso-access", "expiresAt": "2099-01-01T00:00:00Z"}"#, to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        try workspace.script(#"echo '{"Version": 1, "AccessKeyId": "AKIASOURCEPROCESS001", "SecretAccessKey": "s"}'"#, named: "creds")
        workspace.environment["AWS_ENDPOINT_URL_STS"] = stub.endpoint.absoluteString
        workspace.environment["AWS_ENDPOINT_URL_SSO"] = stub.endpoint.absoluteString

        let ours = try await workspace.resolve(profile: "deploy")
        #expect(ours.accessKeyID == "ASIACHAINEDROLE00001", "\(source.name)")
        #expect(ours.method == .assumeRole)
        #expect(ours.source.hasPrefix("profile deploy: role \(Self.deployRole) assumed with "), "\(ours.source)")
        expectAgreement(ours, try await workspace.boto3(profile: "deploy"))

        let assumeRole = try #require(try await stub.recordedRequests().first { $0.body.contains("Action=AssumeRole&") })
        #expect(assumeRole.headers["authorization"]?.contains("Credential=\(source.signingKey)/") == true, "\(source.name)")
        let form = try #require(URLComponents(string: "/?" + assumeRole.body)?.queryItems)
        #expect(form.first { $0.name == "RoleArn" }?.value == Self.deployRole)
        #expect(form.first { $0.name == "RoleSessionName" }?.value == "sg-run")
        #expect(form.first { $0.name == "ExternalId" }?.value == "ext-42")
        #expect(form.first { $0.name == "DurationSeconds" }?.value == "1800")
    }

    @Test("credential_source Environment, and a profile naming itself to use its own keys")
    func credentialSourceAndSelfReference() async throws {
        let stub = try Self.stubServices()
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [profile from-env]
            role_arn = \(Self.deployRole)
            credential_source = Environment
            [profile self]
            role_arn = \(Self.deployRole)
            source_profile = self
            aws_access_key_id = AKIASELFREFERENCE001
            aws_secret_access_key = s
            """, to: ".aws/config")
        workspace.environment.merge(["AWS_ENDPOINT_URL_STS": stub.endpoint.absoluteString,
                                     "AWS_ACCESS_KEY_ID": "AKIAFROMENVIRONMENT1", "AWS_SECRET_ACCESS_KEY": "s"]) { _, new in new }
        for profile in ["from-env", "self"] {
            let ours = try await workspace.resolve(profile: profile)
            #expect(ours.accessKeyID == "ASIACHAINEDROLE00001")
            expectAgreement(ours, try await workspace.boto3(profile: profile))
        }
        let signers = try await stub.recordedRequests().compactMap { $0.headers["authorization"] }
        #expect(signers.contains { $0.contains("Credential=AKIAFROMENVIRONMENT1/") })
        #expect(signers.contains { $0.contains("Credential=AKIASELFREFERENCE001/") })
    }

    @Test("broken chains are named: a loop, a missing source profile, a source without credentials, both sources, MFA")
    func brokenChains() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.write("""
            [profile a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = a
            [profile orphan]
            role_arn = arn:aws:iam::1:role/o
            source_profile = nowhere
            [profile empty-source]
            role_arn = arn:aws:iam::1:role/e
            source_profile = bare
            [profile bare]
            region = us-east-1
            [profile both]
            role_arn = arn:aws:iam::1:role/x
            source_profile = bare
            credential_source = Environment
            [profile mfa]
            role_arn = arn:aws:iam::1:role/m
            source_profile = bare
            mfa_serial = arn:aws:iam::1:mfa/user
            [profile bad-source]
            role_arn = arn:aws:iam::1:role/x
            credential_source = Laptop
            """, to: ".aws/config")
        let paths = "\(workspace.home.path)/.aws/config or \(workspace.home.path)/.aws/credentials"
        let expectations: [(String, String)] = [
            ("a", "source_profile loop: a -> b -> a"),
            ("orphan", "profile orphan names source_profile nowhere, which is not defined in \(paths)"),
            ("both", "profile both sets both source_profile and credential_source"),
            ("mfa", "profile mfa sets mfa_serial: sg-provisioner runs unattended and does not prompt for an MFA code; "
                + "use a profile without MFA for automation, or credentials from `aws sts get-session-token`"),
            ("bad-source", "profile bad-source: credential_source 'Laptop' is not one of Ec2InstanceMetadata, EcsContainer, Environment"),
        ]
        for (profile, message) in expectations {
            await #expect(throws: AWSClientError.credentials(message), "\(profile)") { try await workspace.resolve(profile: profile) }
            if profile != "mfa" {   // botocore would prompt for the MFA code
                #expect(try await workspace.boto3(profile: profile).error != nil, "\(profile)")
            }
        }
        do {
            _ = try await workspace.resolve(profile: "empty-source")
            Issue.record("a source profile without credentials must fail")
        } catch {
            #expect("\(error)".hasPrefix("credentials: source_profile bare has no credentials: no AWS credentials found; tried"), "\(error)")
        }
        #expect(try await workspace.boto3(profile: "empty-source").error?.hasPrefix("InvalidConfigError") == true)
    }

    @Test("against moto: web identity, then two AssumeRole hops; GetCallerIdentity names the last role for us and boto3")
    func twoHopsAgainstMoto() async throws {
        let moto = try await MotoServer.shared()
        let workspace = try CredentialWorkspace()
        try workspace.write("eyJ.moto.token", to: "token")
        try workspace.write("""
            [profile ci]
            web_identity_token_file = \(workspace.home.path)/token
            role_arn = arn:aws:iam::111122223333:role/ci
            role_session_name = ci-job
            [profile tools]
            role_arn = arn:aws:iam::222233334444:role/tools
            source_profile = ci
            role_session_name = tools-hop
            [profile deploy]
            role_arn = \(Self.deployRole)
            source_profile = tools
            role_session_name = deploy-hop
            """, to: ".aws/config")
        workspace.environment["AWS_ENDPOINT_URL_STS"] = moto.endpoint.absoluteString
        let session = try AWSSession.resolve(options: AWSSessionOptions(profile: "deploy", retryPolicy: .none), system: workspace.system)
        let ours = try await session.credentials.credentials()
        #expect(ours.method == .assumeRole)
        let identity = try await session.sts().getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::444455556666:assumed-role/sg-deployer/deploy-hop")
        let boto3 = try await workspace.boto3(profile: "deploy", callerIdentity: true)
        #expect(boto3.error == nil, "\(boto3)")
        #expect(boto3.method == "assume-role")
        #expect(boto3.arn == identity.arn)
    }

    @Test("a session assumes a role with its own credentials, and such sessions chain (one per target account)")
    func sessionsChain() async throws {
        let moto = try await MotoServer.shared()
        let workspace = try CredentialWorkspace()
        workspace.environment.merge(["AWS_ACCESS_KEY_ID": "AKIACHAINBASE0000001", "AWS_SECRET_ACCESS_KEY": "s",
                                     "AWS_ENDPOINT_URL": moto.endpoint.absoluteString]) { _, new in new }
        let base = try AWSSession.resolve(options: AWSSessionOptions(retryPolicy: .none), system: workspace.system)
        let hub = base.assumingRole(AssumeRoleRequest(roleARN: "arn:aws:iam::111111111111:role/hub", sessionName: "hub-run"))
        let target = hub.assumingRole(AssumeRoleRequest(roleARN: "arn:aws:iam::222222222222:role/sg-deployer", sessionName: "target-run"),
                                      region: "eu-central-1", origin: "target 222222222222")
        #expect(target.region == "eu-central-1")
        let identity = try await target.sts().getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::222222222222:assumed-role/sg-deployer/target-run")
        let credentials = try await target.credentials.credentials()
        #expect(credentials.method == .assumeRole)
        #expect(credentials.source == "target 222222222222: role arn:aws:iam::222222222222:role/sg-deployer assumed with assume-role "
            + "credentials from sg-provisioner: role arn:aws:iam::111111111111:role/hub assumed with env credentials from environment variables")
        #expect(try await hub.sts().getCallerIdentity().arn == "arn:aws:sts::111111111111:assumed-role/hub/hub-run")
    }

    @Test("a refused AssumeRole names the role and where the calling credentials came from, never their secret")
    func refusedAssumeRole() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST / Action=AssumeRole": [.init(status: 403, body: """
            <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>r-9</RequestId></ErrorResponse>
            """)]])
        defer { stub.stop() }
        let workspace = try CredentialWorkspace()
        try workspace.write("[profile deploy]\nrole_arn = \(Self.deployRole)\nsource_profile = base\n", to: ".aws/config")
        try workspace.write("[base]\naws_access_key_id = AKIABASEREFUSED00001\naws_secret_access_key = refused-secret-value\n", to: ".aws/credentials")
        workspace.environment["AWS_ENDPOINT_URL_STS"] = stub.endpoint.absoluteString
        let credentialsPath = workspace.home.appendingPathComponent(".aws/credentials").path
        await #expect(throws: AWSClientError.credentials("profile deploy: sts:AssumeRole of \(Self.deployRole) with credentials from profile base "
            + "in \(credentialsPath) (shared-credentials-file) was refused: AccessDenied (HTTP 403): not authorized to perform sts:AssumeRole [request id r-9]")) {
            try await workspace.resolve(profile: "deploy")
        }
        #expect(try await workspace.boto3(profile: "deploy").error?.contains("AccessDenied") == true)
    }
}
