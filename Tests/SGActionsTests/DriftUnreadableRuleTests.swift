import Foundation
import SGAWS
import SGAWSServices
import SGTestSupport
import Testing

/// check-drift over live groups: a rule EC2 hands back that the tool cannot read makes the run an
/// error (E520, naming the group and the rule), never "in sync" and never a drift report that
/// silently leaves the rule out: a cron job must not report a clean deployment it did not fully
/// read. Through the BUILT BINARY against the local AWS, which (unlike AWS) stores an inverted port
/// range, the stand-in for any unreadable rule (MotoDivergences "inverted-port-range-accepted").
@Suite struct DriftUnreadableRuleTests {
    @Test func anUnreadableLiveRuleFailsTheCheckInsteadOfPassingIt() async throws {
        let (tool, environment) = try await OptionsWalkTests.liveDrift()
        defer { tool.cleanUp() }
        let base = ["-con", "drift-test-l01-us-west-2", "-act", "check-drift", "--no-cloudtrail"]
        // The deployment as OptionsWalkTests leaves it: one rule added by hand, a readable drift.
        let readable = try tool.run(base, environment: environment)
        #expect(readable.exitCode == 3, "\(readable.stdout)\n\(readable.stderr)")
        #expect(!readable.stderr.contains("[E520]"))

        let moto = try await MotoServer.shared()
        let ec2 = try LiveGroups.ec2(moto)
        // Other tests deploy the same config into VPCs of their own: this run's VPC is the one its config names.
        let config = try tool.read("configs/drift-test-l01-us-west-2.yaml")
        let vpc = try #require(config.split(separator: "\n").first { $0.hasPrefix("vpc_id: ") }?.dropFirst("vpc_id: ".count))
        let groups = try await ec2.describeSecurityGroups(filters: [
            EC2Filter(name: "vpc-id", values: [String(vpc)]), EC2Filter(name: "tag:sg-provisioner:deployment", values: ["drift-test-l01-us-west-2"]),
        ])
        let group = try #require(groups.first?.groupID, "the deployment's groups: \(groups)")
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: group, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 9443, toPort: 8443, ipv4Ranges: [SecurityGroupRange("10.0.0.0/8")]),
        ])
        let rules = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [group])])
        let inverted = try #require(rules.first { $0.fromPort == 9443 }?.ruleID, "\(rules)")

        let text = try tool.run(base, environment: environment)
        #expect(text.exitCode == 1, "\(text.stdout)\n\(text.stderr)")
        #expect(text.stderr.contains("error: cannot understand live rule \(group) rule \(inverted): "), "\(text.stderr)")
        #expect(text.stderr.contains("the comparison is incomplete [E520]"), "\(text.stderr)")
        #expect(!text.stdout.contains("in sync"), "\(text.stdout)")

        let json = try tool.run(base + ["--output", "json"], environment: environment)
        #expect(json.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.contains { $0["code"] as? String == "E520" && ($0["message"] as? String ?? "").contains(inverted) }, "\(errors)")
    }
}
