import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGTestSupport
import Testing

/// Who acted: every live action asks sts:GetCallerIdentity once, before anything else, and writes
/// the principal, the account and how the credentials were obtained (never a secret) into its
/// audit log and its JSON output. Through the BUILT BINARY, against moto behind the fault proxy
/// (which logs every request).
@Suite(.serialized) struct CallerIdentityTests {
    static let secret = "caller-identity-secret-5e2a"
    static let region = "ca-central-1"

    static let scenario = """
        name: caller
        description: One tier
        tiers:
          web:
            description: Load balancers
            ingress:
              - { protocol: tcp, port: 443, source: 10.0.0.0/16 }

        """

    static func config(vpcID: String) -> String {
        """
        company_prefix: caller
        environment: dev
        deployment_id: c01
        region: \(region)
        vpc_id: \(vpcID)
        vpc_cidr: 10.0.0.0/16
        scenario: caller

        """
    }

    /// Static keys in the environment, the proxy as the endpoint, no shared files from the machine.
    static func environment(_ proxy: FaultProxy) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": proxy.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "AKIACALLERTEST000001",
            "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    static func auditLog(_ tool: ToolRunner, action: String) throws -> String {
        let name = try #require(try tool.reports().last { $0.contains("-sg-\(action)-") && $0.hasSuffix(".log") }, "no audit log of \(action)")
        return try tool.read("reports/\(name)")
    }

    @Test("each live action asks GetCallerIdentity once, first, and logs the caller; JSON output carries it")
    func everyLiveAction() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try AWSSession(region: Self.region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
                                 options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
                                 transport: URLSessionTransport()).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(Self.scenario, to: "scenarios/caller.yaml")
        try tool.write(Self.config(vpcID: vpc.vpcID), to: "configs/caller.yaml")

        let runs: [(action: String, extra: [String], json: Bool)] = [
            ("verify-vpc", [], false),
            ("show-changes", ["--output", "json"], true),
            ("test-deploy", ["--output", "json"], true),
            ("create-security-groups", [], false),
            ("check-drift", ["--output", "json"], true),
            ("audit-security-groups", ["--output", "json", "--fail-on", "critical"], true),
            ("delete-security-groups", ["--force"], false),
        ]
        var seen = 0
        for run in runs {
            let outcome = try tool.run(["-con", "caller", "-act", run.action] + run.extra, environment: Self.environment(proxy))
            #expect([0, 1, 3].contains(outcome.exitCode), "\(run.action): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("identifying the caller"), "\(run.action): \(outcome.stderr)")
            let log = try await proxy.log()
            let calls = log.dropFirst(seen).map(\.action)
            seen = log.count
            #expect(calls.first == "GetCallerIdentity", "\(run.action) began with \(calls.first ?? "nothing")")
            #expect(calls.filter { $0 == "GetCallerIdentity" }.count == 1, "\(run.action): \(calls)")

            let audit = try Self.auditLog(tool, action: run.action)
            #expect(audit.contains("\naws_account: 123456789012\n"), "\(run.action): \(audit)")
            #expect(audit.contains("\naws_principal: arn:aws:sts::123456789012:user/moto\n"))
            #expect(audit.contains("\naws_credentials: env: environment variables\n"))
            #expect(!audit.contains(Self.secret) && !outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
            if run.json {
                // Progress (test-deploy's stack events) is on stderr: stdout is the document alone.
                let parsed = try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
                let object = try #require(parsed, "\(run.action) printed no JSON document: \(outcome.stdout)")
                let caller = try #require(object["aws_caller"] as? [String: String], "\(run.action): \(object.keys.sorted())")
                #expect(caller == ["account": "123456789012", "arn": "arn:aws:sts::123456789012:user/moto", "user_id": "AKIAIOSFODNN7EXAMPLE",
                                   "credential_method": "env", "credential_source": "environment variables"])
            }
        }
        // Offline runs touch no AWS, so they name no caller.
        let offline = try tool.run(["-con", "caller", "-act", "check-drift", "--snapshot", "none.json"], environment: Self.environment(proxy))
        #expect(offline.exitCode == 1)
        #expect(try await proxy.log().count == seen)
        #expect(!(try Self.auditLog(tool, action: "check-drift").contains("aws_principal")))
    }

    @Test("a role from a web identity token: the assumed role is the principal, the token file the source, the token nowhere")
    func webIdentityCaller() async throws {
        let moto = try await MotoServer.shared()
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let token = "eyJhbGciOiJSUzI1NiJ9.CallerMarkerToken.sig"
        try tool.write(token, to: "ci/token")
        let tokenFile = tool.directory.appendingPathComponent("ci/token").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--region", "sa-east-1", "--output", "json", "--debug"], environment: [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
            "AWS_ROLE_ARN": "arn:aws:iam::210987654321:role/github-deployer", "AWS_ROLE_SESSION_NAME": "run-77",
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let caller = try #require(object["aws_caller"] as? [String: String])
        #expect(caller["arn"] == "arn:aws:sts::210987654321:assumed-role/github-deployer/run-77")
        #expect(caller["account"] == "210987654321")
        #expect(caller["credential_method"] == "assume-role-with-web-identity")
        #expect(caller["credential_source"] == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN): role "
            + "arn:aws:iam::210987654321:role/github-deployer, token file \(tokenFile)")
        #expect(outcome.stderr.contains("aws: acting as arn:aws:sts::210987654321:assumed-role/github-deployer/run-77 in account 210987654321"))
        let audit = try Self.auditLog(tool, action: "audit-security-groups")
        #expect(audit.contains("aws_principal: arn:aws:sts::210987654321:assumed-role/github-deployer/run-77\n"))
        #expect(audit.contains("aws_credentials: assume-role-with-web-identity: web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)"))
        for text in [outcome.stdout, outcome.stderr, audit] {
            #expect(!text.contains("CallerMarkerToken"))
        }
    }

    @Test("a caller that cannot be identified does not act: no other AWS call, one clear error")
    func unidentifiedCallerDoesNotAct() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [.init("GetCallerIdentity", .http503, times: -1)])
        defer { proxy.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(Self.scenario, to: "scenarios/caller.yaml")
        try tool.write(Self.config(vpcID: "vpc-0123456789abcdef0"), to: "configs/caller.yaml")
        let outcome = try tool.run(["-con", "caller", "-act", "create-security-groups"], environment: Self.environment(proxy))
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("error: identifying the caller (sts:GetCallerIdentity): GetCallerIdentity failed after "
            + "\(RetryPolicy().maxAttempts) attempts: ServiceUnavailable (HTTP 503)"), "\(outcome.stderr)")
        let calls = try await proxy.log().map(\.action)
        #expect(Set(calls) == ["GetCallerIdentity"], "\(calls)")
        #expect(!(try Self.auditLog(tool, action: "create-security-groups").contains("aws_principal")))
    }
}
