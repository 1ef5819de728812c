import Foundation
import SGAWS
import SGCrypto
import SGTestSupport
import Testing

/// One deployment over 3 accounts x 2 regions, driven through the BUILT BINARY against the local AWS
/// (moto with the project's patches): CloudFormation StackSets create the instances in the target
/// accounts (self-managed, per-instance parameter overrides) and every fleet action reads the
/// targets through sts:AssumeRole. What moto's StackSets cannot show (updates reaching instances,
/// failures, operation preferences) is tested against a stub of the documented API
/// (SGDeployTests/StackSetDeployerTests).
@Suite(.serialized) struct FleetEndToEndTests {
    static let accounts = ["111111111111", "222222222222", "333333333333"]
    static let regions = ["us-east-1", "eu-west-1"]
    /// A secret that must never appear in any output or log.
    static let secret = "fleet-test-secret-4b1d"

    struct Fleet {
        var moto: MotoServer
        var environment: [String: String]
        /// account/region -> (vpc, cidr).
        var vpcs: [(account: String, region: String, vpc: String, cidr: String)]
    }

    /// A session acting in `account` (moto maps assumed-role credentials to the role's account).
    static func session(_ moto: MotoServer, account: String, region: String) -> AWSSession {
        let base = AWSSession(
            region: region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
        return base.assumingRole(AssumeRoleRequest(roleARN: "arn:aws:iam::\(account):role/fleet-test-setup", sessionName: "fleet-test-setup"), region: region)
    }

    /// A VPC in every account and region.
    static func fleet() async throws -> Fleet {
        let moto = try await MotoServer.shared()
        var vpcs: [(account: String, region: String, vpc: String, cidr: String)] = []
        for (index, account) in accounts.enumerated() {
            for (offset, region) in regions.enumerated() {
                let cidr = "10.\(40 + index * 2 + offset).0.0/16"
                let vpc = try await session(moto, account: account, region: region).ec2().createVpc(cidrBlock: cidr)
                vpcs.append((account, region, vpc.vpcID, cidr))
            }
        }
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
        ]
        return Fleet(moto: moto, environment: environment, vpcs: vpcs)
    }

    static func config(id: String, _ fleet: Fleet) -> String {
        """
        company_prefix: fleettest
        environment: prod
        deployment_id: \(id)
        region: us-east-1
        scenario: three-tier-web
        target_role: fleet-reader
        tags:
          owner: platform-team
        targets:
        \(fleet.vpcs.map { "  - { account: \"\($0.account)\", region: \($0.region), vpc_id: \($0.vpc), vpc_cidr: \($0.cidr) }" }.joined(separator: "\n"))

        """
    }

    /// Group ids by tier of the groups tagged for the deployment in one target.
    static func groups(_ fleet: Fleet, account: String, region: String, tag: String) async throws -> [String: String] {
        let groups = try await session(fleet.moto, account: account, region: region).ec2()
            .describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: [tag])])
        return Dictionary(groups.map { group in (group.tags.first { $0.key == "sg-provisioner:tier" }?.value ?? group.groupName, group.groupID) },
                          uniquingKeysWith: { first, _ in first })
    }

    @Test func threeAccountsTimesTwoRegionsDeployedDriftFoundAndAttributedThenEverythingDeleted() async throws {
        let fleet = try await Self.fleet()
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let id = "f" + SecureRandom.hex(3)
        try tool.write(Self.config(id: id, fleet), to: "configs/fleet.yaml")
        let name = "fleettest-prod-\(id)"
        func run(_ arguments: [String]) throws -> ToolRunner.Outcome {
            try tool.run(["-con", "fleet", "--no-color"] + arguments, environment: fleet.environment)
        }
        let labels = fleet.vpcs.map { "\($0.account)/\($0.region)" }

        // Offline: one template, one table of targets in the review report.
        let report = try run(["-act", "create-review-report", "--today", "2026-12-01"])
        #expect(report.exitCode == 0, "\(report.stdout)\(report.stderr)")
        let markdown = try tool.read("reports/\(name)-us-east-1-review-report.md")
        #expect(markdown.contains("| StackSet | \(name)-sg-stackset |"))
        for vpc in fleet.vpcs { #expect(markdown.contains("| \(vpc.account) | \(vpc.region) | \(vpc.vpc) | \(vpc.cidr) |")) }
        #expect(markdown.components(separatedBy: "-template.yaml | `").count == 2, "one template hash")

        let pending = try run(["-act", "show-changes"])
        #expect(pending.exitCode == 3, "\(pending.stdout)\(pending.stderr)")
        #expect(pending.stdout.contains("+ StackSet \(name)-sg-stackset (new)"))
        #expect(pending.stdout.contains("6 instance change(s)"))

        let create = try run(["-act", "create-security-groups", "--approved-report", "reports/\(name)-us-east-1-review-report.json"])
        #expect(create.exitCode == 0, "\(create.stdout)\(create.stderr)")
        for label in labels { #expect(create.stdout.contains("succeeded  \(label): create: SUCCEEDED"), "\(label)") }
        #expect(create.stdout.contains("create-security-groups: 6 instances: 6 succeeded"))
        // Each target got the template's groups in its own VPC, tagged for its region.
        for vpc in fleet.vpcs {
            let found = try await Self.groups(fleet, account: vpc.account, region: vpc.region, tag: "\(name)-\(vpc.region)")
            #expect(found.keys.sorted() == ["app", "db", "web"], "\(vpc.account)/\(vpc.region)")
        }

        let clean = try run(["-act", "check-drift"])
        #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("check-drift: 6 targets: 6 in sync"))

        // Out of band: SSH from the world on the app group of one account in one region.
        let (account, region) = ("222222222222", "eu-west-1")
        let app = try #require(try await Self.groups(fleet, account: account, region: region, tag: "\(name)-\(region)")["app"])
        try await Self.session(fleet.moto, account: account, region: region).ec2().authorizeSecurityGroupIngress(
            groupID: app, permissions: [IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")])])

        let drift = try run(["-act", "check-drift"])
        #expect(drift.exitCode == 3, "\(drift.stdout)\(drift.stderr)")
        #expect(drift.stdout.contains("drifted  \(account)/\(region): DRIFT: 1 added, 0 removed, 0 changed, 0 missing groups, 0 extra groups; worst added rule HIGH"))
        #expect(drift.stdout.contains("check-drift: 6 targets: 5 in sync, 1 drifted"))
        for label in labels where label != "\(account)/\(region)" { #expect(drift.stdout.contains("in sync  \(label): 3 groups")) }
        #expect(drift.stderr.contains("+ ingress tcp/22 from 0.0.0.0/0"))
        let fleetReport = try tool.read("reports/\(name)-fleet-drift-report.md")
        #expect(fleetReport.contains("| **HIGH** | `\(account)` | \(region) | app | `\(app)` | `ingress tcp/22 from 0.0.0.0/0` |"))
        let fleetJSON = try #require(try JSONSerialization.jsonObject(with: Data(try tool.read("reports/\(name)-fleet-drift-report.json").utf8)) as? [String: Any])
        let added = try #require(fleetJSON["added_rules"] as? [[String: Any]])
        #expect(added.count == 1)
        #expect(added.first?["account"] as? String == account && added.first?["region"] as? String == region && added.first?["group_id"] as? String == app)
        let targetReport = try tool.read("reports/\(name)-\(account)-\(region)-drift-report.md")
        #expect(targetReport.contains("account \(account), region \(region), read as arn:aws:iam::\(account):role/fleet-reader"))
        // The target role only reads: nothing tells the operator to revert with --force here.
        #expect(targetReport.contains("Not executed: with targets check-drift only reports") && !targetReport.contains("again with `--force`"))
        #expect(drift.stderr.contains("not executed: with targets check-drift only reports") && !drift.stderr.contains("then run again with --force"))

        // The same run as one JSON document: each target's verdict with its account and region.
        // Reverting and accepting act on one deployment: with targets both are refused before AWS is asked.
        for refusedOption in [["--force"], ["--accept-all", "--reason", "ticket OPS-1"]] {
            let refused = try run(["-act", "check-drift"] + refusedOption)
            #expect(refused.exitCode == 1 && refused.stderr.contains("[E560]"), "\(refusedOption): \(refused.stderr)")
        }

        let json = try run(["-act", "check-drift", "--output", "json"])
        #expect(json.exitCode == 3)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let targets = try #require(document["targets"] as? [[String: Any]])
        #expect(targets.map { "\($0["account"] as? String ?? "")/\($0["region"] as? String ?? ""):\($0["status"] as? String ?? "")" }
            == labels.map { "\($0):\($0 == "\(account)/\(region)" ? "drifted" : "in_sync")" })
        #expect((document["summary"] as? [String: Any])?["drifted"] as? Int == 1)
        #expect((document["aws_caller"] as? [String: Any])?["account"] as? String == "123456789012")

        // The same validator over every group of every target's VPC.
        let audit = try run(["-act", "audit-security-groups"])
        #expect(audit.exitCode == 1, "\(audit.stdout)\(audit.stderr)")
        #expect(audit.stdout.contains("failed  \(account)/\(region): "))
        #expect(audit.stdout.contains("audit-security-groups: 6 targets: 5 passed, 1 failed"))

        let vpcs = try run(["-act", "verify-vpc"])
        #expect(vpcs.exitCode == 0, "\(vpcs.stdout)\(vpcs.stderr)")
        #expect(vpcs.stdout.contains("verify-vpc: 6 targets: 6 passed"))

        let unchanged = try run(["-act", "show-changes"])
        #expect(unchanged.exitCode == 0, "\(unchanged.stdout)\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("StackSet \(name)-sg-stackset and its 6 instance(s): no changes"))

        let refused = try run(["-act", "delete-security-groups"])
        #expect(refused.exitCode == 1 && refused.stderr.contains("[E511]"))
        let delete = try run(["-act", "delete-security-groups", "--force"])
        #expect(delete.exitCode == 0, "\(delete.stdout)\(delete.stderr)")
        for label in labels { #expect(delete.stdout.contains("succeeded  \(label): delete: SUCCEEDED")) }
        #expect(delete.stdout.contains("StackSet \(name)-sg-stackset: deleted"))
        for vpc in fleet.vpcs {
            #expect(delete.stdout.contains("succeeded  \(vpc.account)/\(vpc.region): deletion check: no group tagged \(name)-\(vpc.region) remains"))
            #expect(try await Self.groups(fleet, account: vpc.account, region: vpc.region, tag: "\(name)-\(vpc.region)").isEmpty)
        }

        // Who acted is in every live action's log; the secret is nowhere.
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count >= 10)
        for log in logs {
            let text = try tool.read("reports/\(log)")
            #expect(!text.contains(Self.secret), "\(log)")
        }
        let driftLog = try #require(logs.first { $0.contains("-sg-check-drift-") })
        #expect(try tool.read("reports/\(driftLog)").contains("aws_account: 123456789012"))
        for outcome in [report, pending, create, clean, drift, json, audit, vpcs, unchanged, delete] {
            #expect(!outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
        }
    }

    @Test func throttlingIsRetriedAndNeverReportedAsDrift() async throws {
        let fleet = try await Self.fleet()
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let id = "f" + SecureRandom.hex(3)
        try tool.write(Self.config(id: id, fleet), to: "configs/fleet.yaml")
        let deploy = try tool.run(["-con", "fleet", "-act", "create-security-groups"], environment: fleet.environment)
        #expect(deploy.exitCode == 0, "\(deploy.stdout)\(deploy.stderr)")

        let proxy = try FaultProxy.start(upstream: fleet.moto.endpoint, rules: [FaultProxy.Rule("DescribeSecurityGroups", .throttle, times: 4)])
        defer { proxy.stop() }
        var environment = fleet.environment
        environment["AWS_ENDPOINT_URL"] = proxy.endpoint.absoluteString
        let retried = try tool.run(["-con", "fleet", "-act", "check-drift", "--jobs", "2"], environment: environment)
        #expect(retried.exitCode == 0, "\(retried.stdout)\(retried.stderr)")
        #expect(retried.stdout.contains("check-drift: 6 targets: 6 in sync"))
        let log = try await proxy.log()
        #expect(log.faults(of: "DescribeSecurityGroups").filter { $0 == "throttle" }.count == 4)
        #expect(log.faults(of: "DescribeSecurityGroups").filter { $0 == "pass" }.count == 6)
        // One AssumeRole per account, not per target.
        #expect(log.filter { $0.action == "AssumeRole" }.count == 3)

        // Throttled past every retry: the targets fail (exit 1), none is drift.
        try await proxy.setRules([FaultProxy.Rule("DescribeSecurityGroups", .throttle, times: -1)])
        let exhausted = try tool.run(["-con", "fleet", "-act", "check-drift", "--jobs", "6"], environment: environment)
        #expect(exhausted.exitCode == 1, "\(exhausted.stdout)\(exhausted.stderr)")
        #expect(exhausted.stdout.contains("check-drift: 6 targets: 0 in sync, 6 failed"))
        #expect(!exhausted.stdout.contains("drifted"))
        #expect(exhausted.stderr.contains("RequestLimitExceeded"), "\(exhausted.stderr)")
        let report = try tool.read("reports/fleettest-prod-\(id)-fleet-drift-report.md")
        #expect(report.contains("| Targets | 6: 0 in sync, 0 drifted, 6 failed |"))
        #expect(report.contains("## Targets not checked\n\nA target that could not be read is an error (exit 1), never reported as drift."))
        #expect(!report.contains("## Rules added out of band"))

        try await proxy.setRules([])
        let delete = try tool.run(["-con", "fleet", "-act", "delete-security-groups", "--force"], environment: fleet.environment)
        #expect(delete.exitCode == 0, "\(delete.stdout)\(delete.stderr)")
    }
}
