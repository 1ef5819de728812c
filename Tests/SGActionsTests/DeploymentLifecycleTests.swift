import Foundation
import SGAWS
import SGCrypto
import SGTestSupport
import Testing

/// A deployment's whole life, driven through the BUILT BINARY: validate, verify-vpc, test-deploy,
/// create-security-groups, show-changes, edit, show-changes, refused and forced update, refused and
/// forced delete. Against moto by default (moto's divergences come from `MotoDivergences`, nowhere
/// else); against a real account with `SG_TEST_AWS=1` (scripts/run-aws-tests.sh), tolerating none.
@Suite(.serialized) struct DeploymentLifecycleTests {
    /// The API peer: endpoint (nil for AWS), region, credentials for the binary, and the VPC.
    struct Peer {
        var environment: [String: String]
        var region: String
        var vpcID: String
        var vpcCIDR: String
        var onRealAWS: Bool
    }

    static var onRealAWS: Bool { ProcessInfo.processInfo.environment["SG_TEST_AWS"] == "1" }

    static func peer() async throws -> Peer {
        let variables = ProcessInfo.processInfo.environment
        if onRealAWS {
            let region = variables["SG_TEST_AWS_REGION"] ?? variables["AWS_REGION"] ?? "us-east-1"
            let session = try AWSSession.resolve(options: AWSSessionOptions(region: region), system: .live)
            let ec2 = try session.ec2()
            let vpc: VPC
            if let id = variables["SG_TEST_VPC_ID"], let found = try await ec2.describeVpcs(vpcIDs: [id]).first {
                vpc = found
            } else {
                vpc = try await ec2.createVpc(cidrBlock: "10.213.0.0/16")
            }
            return Peer(environment: [:], region: region, vpcID: vpc.vpcID, vpcCIDR: vpc.cidrBlock, onRealAWS: true)
        }
        let moto = try await MotoServer.shared()
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        let region = "eu-west-1"
        let ec2 = try AWSSession(
            region: region, credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport()
        ).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.213.0.0/16")
        return Peer(
            environment: [
                "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            ],
            region: region, vpcID: vpc.vpcID, vpcCIDR: vpc.cidrBlock, onRealAWS: false)
    }

    static func config(id: String, peer: Peer) -> String {
        """
        company_prefix: sgtest
        environment: dev
        deployment_id: \(id)
        region: \(peer.region)
        vpc_id: \(peer.vpcID)
        vpc_cidr: \(peer.vpcCIDR)
        scenario: lifecycle
        tags:
          owner: sg-provisioner-tests

        """
    }

    /// No IPv6 and no inline `-1` rules: moto crashes on the latter and drops the former.
    static let scenario = """
        name: lifecycle
        description: Web, app and database tiers for the lifecycle test
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
            egress:
              - { protocol: tcp, port: 5432, destination_tier: db, description: PostgreSQL }
              - { protocol: tcp, port: 443, destination: 0.0.0.0/0, description: AWS APIs }
          db:
            description: PostgreSQL
            ingress:
              - { protocol: tcp, port: 5432, source_tier: app, description: PostgreSQL from app }
            egress: []

        """

    /// The verification differences in stderr that no tolerated divergence explains.
    static func unexplained(_ stderr: String, tolerated: [MotoDivergence]) -> (all: [String], unexplained: [String]) {
        let marker = "live groups differ from the model: "
        let differences = stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: marker) else { return nil }
            return String(line[range.upperBound...]).replacingOccurrences(of: #" \[(E518|W510)\]$"#, with: "", options: .regularExpression)
        }
        return (differences, differences.filter { difference in !tolerated.contains { $0.explains(difference) } })
    }

    /// Error lines other than verification differences.
    static func otherErrors(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("error:") && !$0.contains("live groups differ from the model") }
    }

    @Test func aDeploymentsWholeLife() async throws {
        let peer = try await Self.peer()
        let tolerated = MotoDivergences.tolerated(onRealAWS: peer.onRealAWS)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let id = "t" + SecureRandom.hex(3)
        try tool.write(Self.config(id: id, peer: peer), to: "configs/lifecycle.yaml")
        try tool.write(Self.scenario, to: "scenarios/lifecycle.yaml")
        let stack = "sgtest-dev-\(id)-\(peer.region)-sg-stack"
        func run(_ arguments: [String]) throws -> ToolRunner.Outcome {
            try tool.run(["-con", "lifecycle", "--no-color"] + arguments, environment: peer.environment)
        }

        let validate = try run(["-act", "validate-prov-template"])
        #expect(validate.exitCode == 0, "\(validate.stdout)\(validate.stderr)")

        let vpc = try run(["-act", "verify-vpc"])
        #expect(vpc.exitCode == 0, "\(vpc.stderr)")
        #expect(vpc.stdout.contains("\(peer.vpcID) in \(peer.region): available, CIDR \(peer.vpcCIDR)"))

        let before = try run(["-act", "show-changes"])
        #expect(before.exitCode == 3, "\(before.stderr)")
        #expect(before.stdout.contains("+ stack \(stack) (new)"))
        #expect(before.stdout.contains("+ tier db (new security group)\n  + ingress tcp/5432 from tier app (PostgreSQL from app)\n"))

        // test-deploy: passes on AWS; on moto it fails only through moto's divergences.
        let trial = try run(["-act", "test-deploy"])
        let trialDifferences = Self.unexplained(trial.stderr, tolerated: tolerated)
        #expect(trialDifferences.unexplained.isEmpty, "differences moto does not explain: \(trialDifferences.unexplained)")
        #expect(Self.otherErrors(trial.stderr).isEmpty, "\(trial.stderr)")
        #expect(trial.exitCode == (trialDifferences.all.isEmpty ? 0 : 1))
        #expect(trial.stdout.contains("creating stack \(stack)-test-"))
        #expect(trial.stdout.contains("deleting stack \(stack)-test-"), "the test stack is deleted without --keep")
        #expect(trial.stdout.contains("CREATE_COMPLETE  AWS::CloudFormation::Stack"), "events are printed")

        // The approver signs off the review report; the deployment must be exactly what it names.
        let review = try run(["-act", "create-review-report"])
        #expect(review.exitCode == 0, "\(review.stderr)")
        let qualified = String(stack.dropLast("-sg-stack".count))
        let approved = "reports/\(qualified)-review-report.json"
        let notAReport = try run(["-act", "create-security-groups", "--approved-report", "configs/lifecycle.yaml"])
        #expect(notAReport.exitCode == 1)
        #expect(notAReport.stderr.contains("--approved-report: not a JSON document"), "\(notAReport.stderr)")

        let create = try run(["-act", "create-security-groups", "--approved-report", approved])
        #expect(create.exitCode == 0, "\(create.stderr)")
        #expect(create.stdout.contains("\(stack) created; OK"))
        #expect(Self.unexplained(create.stderr, tolerated: tolerated).unexplained.isEmpty, "\(create.stderr)")

        let unchanged = try run(["-act", "show-changes"])
        #expect(unchanged.exitCode == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("no changes"))

        // Edit: a new database port, a new rule description, a new group description (replacement).
        var edited = Self.scenario.replacingOccurrences(of: "port: 5432, source_tier: app", with: "port: 5433, source_tier: app")
        edited = edited.replacingOccurrences(of: "description: PostgreSQL }", with: "description: PostgreSQL via pool }")
        edited = edited.replacingOccurrences(of: "description: Application servers", with: "description: App servers")
        try tool.write(edited, to: "scenarios/lifecycle.yaml")

        let pending = try run(["-act", "show-changes"])
        #expect(pending.exitCode == 3, "\(pending.stderr)")
        #expect(pending.stdout.contains("""
            tier app:
              ~ egress tcp/5432 to tier db: description "PostgreSQL" -> "PostgreSQL via pool"
            tier db:
              - ingress tcp/5432 from tier app (PostgreSQL from app)
              + ingress tcp/5433 from tier app (PostgreSQL from app)
            """), "\(pending.stdout)")
        #expect(pending.stderr.contains("!! REPLACEMENT"))
        #expect(pending.stderr.contains(#"AppSecurityGroup (AWS::EC2::SecurityGroup), replacement=True: GroupDescription "Application servers" -> "App servers""#))

        let json = try run(["-act", "show-changes", "--output", "json"])
        #expect(json.exitCode == 3)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let plan = try #require(document["plan"] as? [String: Any])
        #expect((plan["rule_changes"] as? [Any])?.count == 3)

        let stale = try run(["-act", "create-security-groups", "--force", "--approved-report", approved])
        #expect(stale.exitCode == 1)
        #expect(stale.stderr.contains("the template of stack \(stack) changed since it was approved"), "\(stale.stderr)")
        #expect(stale.stderr.contains("[E519]"))
        #expect(!stale.stdout.contains("updating stack"), "nothing is deployed when the approval does not match")

        let refused = try run(["-act", "create-security-groups"])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("stack \(stack) already exists; updating needs --force"))
        #expect(refused.stdout.contains("+ ingress tcp/5433 from tier app"), "the refusal says what would change")

        let forced = try run(["-act", "create-security-groups", "--force"])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("updating stack \(stack)"))
        #expect(forced.stdout.contains("\(stack) updated; OK"))
        #expect(Self.unexplained(forced.stderr, tolerated: tolerated).unexplained.isEmpty, "\(forced.stderr)")

        let settled = try run(["-act", "show-changes"])
        #expect(settled.exitCode == 0, "\(settled.stdout)\(settled.stderr)")

        let deleteRefused = try run(["-act", "delete-security-groups"])
        #expect(deleteRefused.exitCode == 1)
        #expect(deleteRefused.stderr.contains("re-run with --force [E511]"))

        let deleted = try run(["-act", "delete-security-groups", "--force"])
        #expect(deleted.exitCode == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("deleted \(stack)"))

        let gone = try run(["-act", "show-changes"])
        #expect(gone.exitCode == 3, "after deletion everything is new again")
        #expect(gone.stdout.contains("+ stack \(stack) (new)"))

        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 17, "one audit log per run: \(logs)")
        let secret = peer.environment["AWS_SECRET_ACCESS_KEY"] ?? ""
        if !secret.isEmpty {
            for log in logs { #expect(!(try tool.read("reports/\(log)")).contains(secret)) }
        }
    }

    @Test func verifyVPCRefusesAMissingVPCAndADifferentCIDR() async throws {
        let peer = try await Self.peer()
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        var missing = peer
        missing.vpcID = "vpc-0000000000000dead"
        try tool.write(Self.config(id: "nv", peer: missing), to: "configs/lifecycle.yaml")
        try tool.write(Self.scenario, to: "scenarios/lifecycle.yaml")
        let absent = try tool.run(["-con", "lifecycle", "-act", "verify-vpc", "--no-color"], environment: peer.environment)
        #expect(absent.exitCode == 1)
        #expect(absent.stderr.contains("VPC vpc-0000000000000dead does not exist in \(peer.region)"), "\(absent.stderr)")

        var other = peer
        other.vpcCIDR = "10.99.0.0/16"
        try tool.write(Self.config(id: "nc", peer: other), to: "configs/lifecycle.yaml")
        let differs = try tool.run(["-con", "lifecycle", "-act", "verify-vpc", "--no-color"], environment: peer.environment)
        #expect(differs.exitCode == 1)
        #expect(differs.stderr.contains("vpc_cidr 10.99.0.0/16 differs from the CIDR AWS reports for \(peer.vpcID): \(peer.vpcCIDR) [E516]"), "\(differs.stderr)")
    }
}
