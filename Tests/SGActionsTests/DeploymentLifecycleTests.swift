import Foundation
import SGAWS
import SGCrypto
import SGTestSupport
import Testing

/// A deployment's whole life, driven through the BUILT BINARY: validate, verify-vpc, test-deploy,
/// create-security-groups, check-drift, show-changes, edit, show-changes, refused, rolled-back and
/// forced update, refused and forced delete, and the delete check. Against the local AWS
/// (scripts/local-aws: moto with the project's patches) by default, against a real account with
/// `SG_TEST_AWS=1` (scripts/run-aws-tests.sh): the same expectations on both, no difference
/// tolerated (what the local AWS still does differently is in `MotoDivergences`, and none of it
/// reaches these expectations).
@Suite(.serialized) struct DeploymentLifecycleTests {
    /// The API peer: endpoint (nil for AWS), region, credentials for the binary, and the VPC.
    struct Peer {
        var environment: [String: String]
        var region: String
        var vpcID: String
        var vpcCIDR: String
        var onRealAWS: Bool
        /// EC2 of the peer, for what the test checks or does by hand.
        var ec2: EC2Client
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
            return Peer(environment: [:], region: region, vpcID: vpc.vpcID, vpcCIDR: vpc.cidrBlock, onRealAWS: true, ec2: ec2)
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
            region: region, vpcID: vpc.vpcID, vpcCIDR: vpc.cidrBlock, onRealAWS: false, ec2: ec2)
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

    /// IPv6, an inline all-traffic rule, tier references both ways and a closed tier: what moto got
    /// wrong before the project's patches.
    static let scenario = """
        name: lifecycle
        description: Web, app and database tiers for the lifecycle test
        tiers:
          web:
            description: Load balancers
            public: true
            ingress:
              - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS from internet }
              - { protocol: tcp, port: 443, source: "::/0", description: HTTPS from internet IPv6 }
            egress:
              - { protocol: tcp, port: 8080, destination_tier: app, description: To app tier }
          app:
            description: Application servers
            ingress:
              - { protocol: tcp, port: 8080, source_tier: web, description: From web tier }
            egress:
              - { protocol: tcp, port: 5432, destination_tier: db, description: PostgreSQL }
              - { protocol: tcp, port: 443, destination: 0.0.0.0/0, description: AWS APIs }
              - { protocol: all, destination: 10.213.0.0/16, description: Anything inside the VPC }
          db:
            description: PostgreSQL
            ingress:
              - { protocol: tcp, port: 5432, source_tier: app, description: PostgreSQL from app }
            egress: []

        """

    /// The verification differences in stderr (`live groups differ from the model: ...`).
    static func verificationDifferences(_ stderr: String) -> [String] {
        let marker = "live groups differ from the model: "
        return stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: marker) else { return nil }
            return String(line[range.upperBound...])
        }
    }

    /// Error and warning lines on stderr.
    static func problems(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("error:") || $0.contains("warning:") }
    }

    /// Group id by tier tag of the live groups tagged with `deploymentTag`.
    static func groups(tagged deploymentTag: String, _ peer: Peer) async throws -> [String: String] {
        let groups = try await peer.ec2.describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: [deploymentTag])])
        return Dictionary(groups.map { group in (group.tags.first { $0.key == "sg-provisioner:tier" }?.value ?? group.groupName, group.groupID) },
                          uniquingKeysWith: { first, _ in first })
    }

    @Test func aDeploymentsWholeLife() async throws {
        let peer = try await Self.peer()
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let id = "t" + SecureRandom.hex(3)
        try tool.write(Self.config(id: id, peer: peer), to: "configs/lifecycle.yaml")
        try tool.write(Self.scenario, to: "scenarios/lifecycle.yaml")
        let qualified = "sgtest-dev-\(id)-\(peer.region)"
        let stack = "\(qualified)-sg-stack"
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

        // test-deploy: the live groups match the model rule by rule, and nothing of it is left.
        let trial = try run(["-act", "test-deploy"])
        #expect(trial.exitCode == 0, "\(trial.stdout)\(trial.stderr)")
        #expect(Self.problems(trial.stderr).isEmpty, "\(trial.stderr)")
        #expect(trial.stdout.contains("test-deploy: \(qualified): 0 difference(s) between the live groups and the model; PASSED"))
        #expect(trial.stdout.contains("creating stack \(stack)-test-"))
        #expect(trial.stdout.contains("deleting stack \(stack)-test-"), "the test stack is deleted without --keep")
        #expect(trial.stdout.contains("CREATE_COMPLETE  AWS::CloudFormation::Stack"), "events are printed")
        let testTag = try #require(trial.stdout.firstMatch(of: #/creating stack \S+-sg-stack-(test-[0-9a-f]{8})/#)).1
        #expect(try await Self.groups(tagged: "\(qualified)-\(testTag)", peer).isEmpty, "no test group remains")

        // The approver signs off the review report; the deployment must be exactly what it names.
        let review = try run(["-act", "create-review-report"])
        #expect(review.exitCode == 0, "\(review.stderr)")
        let approved = "reports/\(qualified)-review-report.json"
        let notAReport = try run(["-act", "create-security-groups", "--approved-report", "configs/lifecycle.yaml"])
        #expect(notAReport.exitCode == 1)
        #expect(notAReport.stderr.contains("--approved-report: not a JSON document"), "\(notAReport.stderr)")

        let create = try run(["-act", "create-security-groups", "--approved-report", approved])
        #expect(create.exitCode == 0, "\(create.stderr)")
        #expect(create.stdout.contains("\(stack) created; OK"))
        #expect(Self.verificationDifferences(create.stderr).isEmpty, "\(create.stderr)")
        #expect(Self.problems(create.stderr).isEmpty, "\(create.stderr)")
        let deployed = try await Self.groups(tagged: qualified, peer)
        #expect(deployed.keys.sorted() == ["app", "db", "web"])

        // A fresh deploy is in sync with its config: the weekly drift job starts clean.
        let drift = try run(["-act", "check-drift"])
        #expect(drift.exitCode == 0, "\(drift.stdout)\(drift.stderr)")
        #expect(drift.stdout.contains("in sync (3 groups,"), "\(drift.stdout)")

        let unchanged = try run(["-act", "show-changes"])
        #expect(unchanged.exitCode == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("no changes"))

        // Unchanged templates: CloudFormation has nothing to do.
        let again = try run(["-act", "create-security-groups", "--force"])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout.contains("stack \(stack): no updates are to be performed"), "\(again.stdout)")
        #expect(again.stdout.contains("\(stack) unchanged; OK"))

        // Edit: a new database port, a new rule description, a new group description (replacement).
        var edited = Self.scenario.replacingOccurrences(of: "port: 5432, source_tier: app", with: "port: 5433, source_tier: app")
        edited = edited.replacingOccurrences(of: "description: PostgreSQL }", with: "description: PostgreSQL via pool }")
        let renamed = edited.replacingOccurrences(of: "description: Application servers", with: "description: App servers")
        try tool.write(renamed, to: "scenarios/lifecycle.yaml")

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

        // CloudFormation cannot replace a custom-named group (the update would fail and roll back):
        // refused at the tier before anything is sent, --force or not; show-changes says it too.
        #expect(pending.stderr.contains("warning: create-security-groups would refuse: tier app: GroupDescription would change"), "\(pending.stderr)")
        let replacing = try run(["-act", "create-security-groups", "--force"])
        #expect(replacing.exitCode == 1, "\(replacing.stdout)\(replacing.stderr)")
        #expect(replacing.stderr.contains(#"scenarios/lifecycle.yaml:12:3: error: tier app: GroupDescription would change from "Application servers" to "App servers", which CloudFormation can only do by replacing security group AppSecurityGroup in stack \#(stack); the group's GroupName is fixed, so CloudFormation cannot create the replacement beside it: the update would fail and roll back. Refused before sending anything: set the description of tier app back to "Application servers""#), "\(replacing.stderr)")
        #expect(replacing.stderr.contains("[E572]"))
        #expect(replacing.stderr.contains("!! REPLACEMENT"), "the banner says what CloudFormation would do")
        #expect(!replacing.stdout.contains("updating stack"), "\(replacing.stdout)")
        #expect(replacing.stdout.hasSuffix("create-security-groups: \(qualified): REFUSED (nothing was sent)\n"), "\(replacing.stdout)")
        #expect(try await Self.groups(tagged: qualified, peer) == deployed, "nothing was sent: every group is as it was")

        // Without the replacing change the same update goes through, in place: same group ids.
        try tool.write(edited, to: "scenarios/lifecycle.yaml")
        let forced = try run(["-act", "create-security-groups", "--force"])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("updating stack \(stack)"))
        #expect(forced.stdout.contains("\(stack) updated; OK"))
        #expect(Self.problems(forced.stderr).isEmpty, "\(forced.stderr)")
        #expect(try await Self.groups(tagged: qualified, peer) == deployed, "rules change in place; groups keep their ids")

        let settled = try run(["-act", "show-changes"])
        #expect(settled.exitCode == 0, "\(settled.stdout)\(settled.stderr)")
        let settledDrift = try run(["-act", "check-drift", "--quiet"])
        #expect(settledDrift.exitCode == 0, "\(settledDrift.stdout)\(settledDrift.stderr)")

        let deleteRefused = try run(["-act", "delete-security-groups"])
        #expect(deleteRefused.exitCode == 1)
        #expect(deleteRefused.stderr.contains("re-run with --force [E511]"))

        let deleted = try run(["-act", "delete-security-groups", "--force"])
        #expect(deleted.exitCode == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("deleted \(stack)"))
        #expect(try await Self.groups(tagged: qualified, peer).isEmpty, "DELETE_COMPLETE and no group left")

        let gone = try run(["-act", "show-changes"])
        #expect(gone.exitCode == 3, "after deletion everything is new again")
        #expect(gone.stdout.contains("+ stack \(stack) (new)"))

        // A group tagged with the deployment that no stack holds (made by hand, left by an earlier
        // delete): the delete says so, by name, with no stack to delete.
        let stray = try await peer.ec2.createSecurityGroup(name: "sgtest-dev-\(id)-stray", description: "made by hand", vpcID: peer.vpcID)
        try await peer.ec2.createTags(resourceIDs: [stray], tags: [
            AWSTag(key: "sg-provisioner:deployment", value: qualified), AWSTag(key: "sg-provisioner:tier", value: "web"),
        ])
        let leftover = try run(["-act", "delete-security-groups", "--force"])
        try await peer.ec2.deleteSecurityGroup(groupID: stray)
        #expect(leftover.exitCode == 1, "\(leftover.stdout)\(leftover.stderr)")
        #expect(leftover.stderr.contains("error: 1 security group tagged sg-provisioner:deployment=\(qualified) remains after the delete:"
            + " \(stray) (sgtest-dev-\(id)-stray, tier web, \(peer.vpcID))."), "\(leftover.stderr)")
        #expect(leftover.stderr.contains("[E524]"))

        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 22, "one audit log per run: \(logs)")
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
