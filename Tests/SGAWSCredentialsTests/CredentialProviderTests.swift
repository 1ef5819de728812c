import Foundation
import Testing
import SGTestSupport
@testable import SGAWS
@testable import SGAWSCredentials
@testable import SGAWSServices

private let metadataCredentialsJSON = """
    {"Code":"Success","AccessKeyId":"ASIAMETADATA0000001","SecretAccessKey":"metadata-secret","Token":"metadata-token","Expiration":"2026-01-01T06:00:00Z"}
    """

@Suite("Credential providers", .serialized)
struct CredentialProviderTests {
    @Test("environment: key pair and token; half a pair is an error; nothing set is not-found")
    func environment() async throws {
        let full = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
        ]).credentials()
        #expect(full == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token",
                                       method: .environment, source: "environment variables"))
        await #expect(throws: AWSClientError.credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV"]).credentials()
        }
        await #expect(throws: AWSCredentialsNotFound(source: "environment", reason: "AWS_ACCESS_KEY_ID is not set")) {
            try await EnvironmentCredentialProvider(environment: [:]).credentials()
        }
    }

    @Test("shared files: credentials file wins, [profile x] in config, comments ignored, sso-session and services sections")
    func sharedFiles() {
        let system = testSystem(environment: ["AWS_SHARED_CREDENTIALS_FILE": "/creds", "AWS_CONFIG_FILE": "/config"], files: [
            "/creds": "# comment\n[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1 ; inline\n[ops]\naws_access_key_id=AKIAOPS\naws_secret_access_key=s2\n",
            "/config": "[default]\nregion = eu-west-1\n[profile ops]\nregion=us-west-2\naws_access_key_id=IGNORED\n[sso-session x]\nregion=zz\n"
                + "[services local]\nsts =\n  endpoint_url = http://127.0.0.1:9\nec2 =\n  endpoint_url = http://127.0.0.1:8\n[profile  spaced ]\nregion = r\n",
        ])
        let files = SharedConfigFiles.load(system: system)
        #expect(files.ssoSessions["x"] == ["region": "zz"])
        #expect(files.services["local"] == ["sts": ["endpoint_url": "http://127.0.0.1:9"], "ec2": ["endpoint_url": "http://127.0.0.1:8"]])
        #expect(files.profile("spaced") == ["region": "r"])
        #expect(files.configProfiles["ops"]?["aws_access_key_id"] == "IGNORED")
        #expect(files.credentialsProfiles["ops"]?["aws_access_key_id"] == "AKIAOPS")
        #expect(files.profile("default") == ["aws_access_key_id": "AKIADEFAULT", "aws_secret_access_key": "s1", "region": "eu-west-1"])
        #expect(files.profile("ops") == ["aws_access_key_id": "AKIAOPS", "aws_secret_access_key": "s2", "region": "us-west-2"])
        #expect(files.profile("x") == nil)
    }

    @Test("default file locations under the home directory")
    func defaultLocations() {
        let system = testSystem(files: ["/home/tester/.aws/credentials": "[default]\naws_access_key_id=A\naws_secret_access_key=B\n"])
        #expect(SharedConfigFiles.load(system: system).profile("default")?["aws_access_key_id"] == "A")
    }

    @Test("session resolution: region from profile, chain order environment before files")
    func sessionChain() async throws {
        let files = ["/home/tester/.aws/credentials": "[default]\naws_access_key_id=AKIAFILE\naws_secret_access_key=file-secret\n",
                     "/home/tester/.aws/config": "[default]\nregion = ap-south-1\n"]
        let fromFiles = try AWSSession.resolve(options: AWSSessionOptions(),
                                               system: testSystem(environment: ["AWS_EC2_METADATA_DISABLED": "true"], files: files))
        #expect(fromFiles.region == "ap-south-1")
        #expect(try await fromFiles.credentials.credentials().accessKeyID == "AKIAFILE")
        let fromEnvironment = try AWSSession.resolve(options: AWSSessionOptions(region: "us-east-2"), system: testSystem(
            environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "x"], files: files))
        #expect(fromEnvironment.region == "us-east-2")
        #expect(try await fromEnvironment.credentials.credentials().accessKeyID == "AKIAENV")
        // --profile wins over environment keys, as in the AWS CLI.
        let explicit = try AWSSession.resolve(options: AWSSessionOptions(profile: "default"), system: testSystem(
            environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "x"], files: files))
        #expect(try await explicit.credentials.credentials().accessKeyID == "AKIAFILE")
        let missing = try AWSSession.resolve(options: AWSSessionOptions(profile: "nope", region: "us-east-1"), system: testSystem(files: files))
        await #expect(throws: AWSClientError.credentials("profile nope is not defined in /home/tester/.aws/config or /home/tester/.aws/credentials")) {
            try await missing.credentials.credentials()
        }
        #expect(throws: AWSClientError.configuration("no AWS region: set it in the config, AWS_REGION or the profile")) {
            try AWSSession.resolve(options: AWSSessionOptions(), system: testSystem())
        }
    }

    @Test("role_arn + source_profile assumes the role through STS with the source's keys")
    func assumeRole() async throws {
        let response = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken><Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
            """
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 200, body: response)]])
        defer { stub.stop() }
        let system = testSystem(environment: ["AWS_PROFILE": "deploy", "AWS_ENDPOINT_URL": stub.endpoint.absoluteString],
                                files: ["/home/tester/.aws/config": """
                                    [profile deploy]
                                    role_arn = arn:aws:iam::123456789012:role/sg-deployer
                                    source_profile = base
                                    role_session_name = ci
                                    region = us-west-2
                                    [profile base]
                                    aws_access_key_id = AKIABASE
                                    aws_secret_access_key = base-secret
                                    """])
        let session = try AWSSession.resolve(options: AWSSessionOptions(), system: system)
        let credentials = try await session.credentials.credentials()
        #expect(credentials.accessKeyID == "ASIAROLE")
        #expect(credentials.sessionToken == "role-token")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_767_229_200))
        let request = try #require(try await stub.recordedRequests().first)
        #expect(request.body.contains("Action=AssumeRole"))
        #expect(request.body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fsg-deployer"))
        #expect(request.body.contains("RoleSessionName=ci"))
        #expect(request.headers["authorization"]?.contains("Credential=AKIABASE/20260101/us-west-2/sts/aws4_request") == true)
    }

    @Test("source_profile loops are reported")
    func sourceProfileLoop() async throws {
        let system = testSystem(files: ["/home/tester/.aws/config": "[profile a]\nrole_arn=arn:r\nsource_profile=b\n[profile b]\nrole_arn=arn:r\nsource_profile=a\n"])
        let session = try AWSSession.resolve(options: AWSSessionOptions(profile: "a", region: "us-east-1"), system: system)
        await #expect(throws: AWSClientError.credentials("source_profile loop: a -> b -> a")) { try await session.credentials.credentials() }
    }

    @Test("ECS container credentials with the authorization token")
    func container() async throws {
        let stub = try StubHTTPServer.start(routes: ["GET /creds": [.init(status: 200, body: metadataCredentialsJSON)]])
        defer { stub.stop() }
        let system = testSystem(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.endpoint.absoluteString + "/creds",
                                              "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth"])
        let credentials = try await ContainerCredentialProvider(system: system, transport: URLSessionTransport()).credentials()
        #expect(credentials.accessKeyID == "ASIAMETADATA0000001")
        #expect(credentials.secretAccessKey == "metadata-secret")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_767_247_200))
        #expect(try await stub.recordedRequests().first?.headers["authorization"] == "container-auth")
        await #expect(throws: AWSClientError.credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS address")) {
            try await ContainerCredentialProvider(system: testSystem(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example/x"]),
                                                  transport: URLSessionTransport()).credentials()
        }
    }

    @Test("EC2 IMDSv2: token first, then role and credentials with the token")
    func instanceMetadata() async throws {
        let stub = try StubHTTPServer.start(routes: [
            "PUT /latest/api/token": [.init(status: 200, body: "imds-token-1")],
            "GET /latest/meta-data/iam/security-credentials/": [.init(status: 200, body: "sg-role\n")],
            "GET /latest/meta-data/iam/security-credentials/sg-role": [.init(status: 200, body: metadataCredentialsJSON)],
        ])
        defer { stub.stop() }
        let system = testSystem(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.endpoint.absoluteString])
        let credentials = try await InstanceMetadataCredentialProvider(system: system, transport: URLSessionTransport()).credentials()
        #expect(credentials.accessKeyID == "ASIAMETADATA0000001")
        #expect(credentials.source == "EC2 instance role sg-role")
        #expect(credentials.method == .instanceRole)
        let requests = try await stub.recordedRequests()
        #expect(requests.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/sg-role"])
        #expect(requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests[1].headers["x-aws-ec2-metadata-token"] == "imds-token-1")
        #expect(requests[2].headers["x-aws-ec2-metadata-token"] == "imds-token-1")
    }

    @Test("an IMDS that is unreachable or refuses is not-found, so the chain ends listing every source")
    func chainExhausted() async throws {
        let port = try ChildProcess.freePort()
        let system = testSystem(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"])
        let chain = CredentialProviderChain([EnvironmentCredentialProvider(environment: [:]),
                                             InstanceMetadataCredentialProvider(system: system, transport: URLSessionTransport())])
        do {
            _ = try await chain.credentials()
            Issue.record("no source is configured")
        } catch AWSClientError.credentials(let message) {
            #expect(message.hasPrefix("no AWS credentials found; tried, in the AWS CLI's order: environment (AWS_ACCESS_KEY_ID is not set); "
                + "EC2 instance metadata (no instance metadata service at http://127.0.0.1:\(port) (could not connect"), "\(message)")
        }
        // A metadata service that answers 403 (a container past the IMDS hop limit) is one more reason, not the whole message.
        let refusing = try StubHTTPServer.start(routes: ["PUT /latest/api/token": [.init(status: 403)]])
        defer { refusing.stop() }
        let refused = CredentialProviderChain([EnvironmentCredentialProvider(environment: [:]), InstanceMetadataCredentialProvider(
            system: testSystem(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": refusing.endpoint.absoluteString]), transport: URLSessionTransport())])
        await #expect(throws: AWSClientError.credentials("no AWS credentials found; tried, in the AWS CLI's order: environment "
            + "(AWS_ACCESS_KEY_ID is not set); EC2 instance metadata (IMDSv2 token request to \(refusing.endpoint.absoluteString) answered HTTP 403)")) {
            try await refused.credentials()
        }
    }

    @Test("cached credentials refresh shortly before expiry")
    func caching() async throws {
        let counter = SleepRecorder()
        struct Counting: AWSCredentialProvider {
            let counter: SleepRecorder
            func credentials() async throws -> AWSCredentials {
                counter.record(1)
                return AWSCredentials(accessKeyID: "A\(counter.recorded.count)", secretAccessKey: "s",
                                      expiration: fixedDate.addingTimeInterval(600))
            }
        }
        let clock = SleepRecorder()
        let cache = CachingCredentialProvider(Counting(counter: counter), now: { fixedDate.addingTimeInterval(clock.total) })
        #expect(try await cache.credentials().accessKeyID == "A1")
        #expect(try await cache.credentials().accessKeyID == "A1")
        clock.record(301)   // within 300 s of expiry now
        #expect(try await cache.credentials().accessKeyID == "A2")
    }
}
