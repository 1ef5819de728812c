import Foundation
import SGAWS
import SGTestSupport
import Testing

/// Drift accepted into the config, then deployed, on the local AWS through the built binary: the
/// rule added by hand is written into the config (with who added it), the next check is in sync,
/// and `create-security-groups --force` brings it under the stack without CloudFormation failing on
/// InvalidPermission.Duplicate (the tool revokes it just before the update re-creates it, and says
/// for how long it was absent); after the deploy the groups are still in sync. A failed update puts
/// the revoked rule back.
@Suite(.serialized) struct AcceptDeployEndToEndTests {
    static let config = "sgaccept-dev-a19-eu-west-1"
    static let configPath = "configs/\(config).yaml"

    static let scenario = """
        name: accept
        description: Web and app tiers
        tiers:
          web:
            description: Load balancers
            public: true
            ingress:
              - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS from internet }
            egress:
              - { protocol: tcp, port: 8080, destination_tier: app, description: To app tier }
          app:
            description: Application servers
            ingress:
              - { protocol: tcp, port: 8080, source_tier: web, description: From web tier }
            egress: []

        """

    struct Setup {
        var tool: ToolRunner
        var ec2: EC2Client
        var environment: [String: String]
    }

    private func setup() async throws -> Setup {
        let moto = try await MotoServer.shared()
        let ec2 = try AWSSession(
            region: "eu-west-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport()
        ).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.213.0.0/16")
        let tool = try ToolRunner()
        try tool.write(Self.scenario, to: "scenarios/accept.yaml")
        try tool.write("""
            # Accept, then deploy: the config as a person keeps it.
            company_prefix: sgaccept
            environment: dev
            deployment_id: a19
            region: eu-west-1
            vpc_id: \(vpc.vpcID)
            vpc_cidr: 10.213.0.0/16
            scenario: accept
            tags: { owner: sg-provisioner-tests }   # the one tag this test needs

            """, to: Self.configPath)
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        return Setup(tool: tool, ec2: ec2, environment: environment)
    }

    private func run(_ setup: Setup, _ action: String, _ extra: [String] = []) throws -> ToolRunner.Outcome {
        try setup.tool.run(["-con", Self.config, "-act", action] + extra, environment: setup.environment)
    }

    /// The app group's id, found as check-drift finds it (by the deployment's tags).
    private func appGroup(_ setup: Setup) async throws -> String {
        let groups = try await setup.ec2.describeSecurityGroups(filters: [
            EC2Filter(name: "tag:sg-provisioner:deployment", values: [Self.config]), EC2Filter(name: "tag:sg-provisioner:tier", values: ["app"]),
        ])
        return try #require(groups.first?.groupID)
    }

    /// Adds a rule by hand, then accepts it into the config; returns its fingerprint.
    private func addAndAccept(_ setup: Setup, port: Int, description: String, reason: String) async throws -> String {
        let app = try await appGroup(setup)
        _ = try await setup.ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: port, toPort: port, ipv4Ranges: [SecurityGroupRange("10.213.7.0/24", description: description)]),
        ])
        let drifted = try run(setup, "check-drift", ["--output", "json"])
        #expect(drifted.exitCode == 3, "\(drifted.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(drifted.stdout.utf8)) as? [String: Any])
        let added = (json["groups"] as? [[String: Any]] ?? []).flatMap { $0["added"] as? [[String: Any]] ?? [] }
        let rule = try #require(added.first { $0["rule"] as? String == "ingress tcp/\(port) from 10.213.7.0/24" })
        let fingerprint = try #require(rule["fingerprint"] as? String)
        let accepted = try run(setup, "check-drift", ["--accept", fingerprint, "--reason", reason])
        #expect(accepted.exitCode == 3, "\(accepted.stdout)\n\(accepted.stderr)")
        #expect(accepted.stdout.contains("+      - { protocol: tcp, port: \(port), source: \"10.213.7.0/24\", description: \"\(description)\" }"), "\(accepted.stdout)")
        let inSync = try run(setup, "check-drift")
        #expect(inSync.exitCode == 0, "the next run is in sync: \(inSync.stdout)\n\(inSync.stderr)")
        return fingerprint
    }

    @Test func acceptedDriftDeploysWithoutDuplicateAndStaysInSync() async throws {
        let setup = try await setup()
        defer { setup.tool.cleanUp() }
        let created = try run(setup, "create-security-groups")
        #expect(created.exitCode == 0, "\(created.stdout)\n\(created.stderr)")

        _ = try await addAndAccept(setup, port: 9100, description: "node exporter", reason: "OBS-12 node exporter")
        let config = try setup.tool.read(Self.configPath)
        #expect(config.hasPrefix("# Accept, then deploy: the config as a person keeps it.\ncompany_prefix: sgaccept\n"))
        #expect(config.contains("tags: { owner: sg-provisioner-tests }   # the one tag this test needs\noverrides:\n  - tier: app\n"), "\(config)")
        #expect(config.contains(" by arn:aws:iam::123456789012:user/testing at "), "who added the rule, from the local AWS's event history: \(config)")

        let pending = try run(setup, "show-changes")
        #expect(pending.exitCode == 3, "the stack does not hold the accepted rule yet: \(pending.stdout)")
        #expect(pending.stdout.contains("+ ingress tcp/9100 from 10.213.7.0/24 (node exporter)"), "\(pending.stdout)")

        let deployed = try run(setup, "create-security-groups", ["--force"])
        #expect(deployed.exitCode == 0, "no InvalidPermission.Duplicate: \(deployed.stdout)\n\(deployed.stderr)")
        #expect(!deployed.stderr.contains("Duplicate"), "\(deployed.stderr)")
        #expect(deployed.stdout.contains("taking over 1 rule that already exists live (CloudFormation would fail on InvalidPermission.Duplicate): revoked now, re-created by the stack update; traffic on it is dropped until then\n"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("  revoked tier app sg-"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains(": ingress tcp/9100 from 10.213.7.0/24\n"))
        #expect(deployed.stdout.contains("  re-created ingress tcp/9100 from 10.213.7.0/24 on tier app by the stack update: absent for at most "), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("\(Self.config)-sg-stack updated; OK"))

        let after = try run(setup, "check-drift")
        #expect(after.exitCode == 0, "\(after.stdout)\n\(after.stderr)")
        #expect(after.stdout.contains("in sync"))
        let nothing = try run(setup, "show-changes")
        #expect(nothing.exitCode == 0, "the stack holds the rule now: \(nothing.stdout)")
        let log = try setup.tool.reports().filter { $0.contains("create-security-groups") && $0.hasSuffix(".log") }.map { try setup.tool.read("reports/\($0)") }.joined()
        #expect(log.contains("takeover: re-created tier app sg-"), "\(log)")

        let deleted = try run(setup, "delete-security-groups", ["--force"])
        #expect(deleted.exitCode == 0, "\(deleted.stderr)")
    }

    @Test func aFailedUpdatePutsTheRevokedRuleBack() async throws {
        let setup = try await setup()
        defer { setup.tool.cleanUp() }
        #expect(try run(setup, "create-security-groups").exitCode == 0)
        _ = try await addAndAccept(setup, port: 9200, description: "search", reason: "OBS-13 search")
        // The same update also wants web reachable from a group that does not exist: it fails.
        var config = try setup.tool.read(Self.configPath)
        config += """
              - tier: web
                add_ingress:
                  - { protocol: tcp, port: 443, source_security_group: sg-0123456789abcdef0, description: Partner proxy }
                description: Partner proxy reaches the load balancers

            """
        try setup.tool.write(config, to: Self.configPath)
        let failed = try run(setup, "create-security-groups", ["--force"])
        #expect(failed.exitCode == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect(failed.stdout.contains("  revoked tier app sg-"), "\(failed.stdout)")
        #expect(failed.stdout.contains(": ingress tcp/9200 from 10.213.7.0/24 (the update failed)\n") && failed.stdout.contains("  restored tier app sg-"), "\(failed.stdout)")
        let app = try await appGroup(setup)
        let rules = try await setup.ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [app])])
        #expect(rules.contains { $0.fromPort == 9200 && $0.cidrIPv4 == "10.213.7.0/24" && $0.description == "search" }, "the rule is live again, with its description")
        _ = try run(setup, "delete-security-groups", ["--force"])
    }
}
