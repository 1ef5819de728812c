import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGTestSupport
import Testing

/// audit-security-groups over live groups: a rule EC2 hands back that the tool cannot read is left
/// out of the audit with warning W704 naming the group and rule, and the rest is judged. Through
/// the BUILT BINARY against the local AWS, which (unlike AWS) stores an inverted port range: that
/// stands in for any rule the tool cannot read (MotoDivergences "inverted-port-range-accepted").
@Suite struct LiveAuditUnreadableRuleTests {
    static let region = "ap-south-1"

    @Test func anUnreadableLiveRuleIsAWarningAndTheRestIsJudged() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try AWSSession(region: Self.region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
                                 options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
                                 transport: URLSessionTransport()).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let group = try await ec2.createSecurityGroup(name: "legacy-admin", description: "Hand-made", vpcID: vpc.vpcID)
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: group, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 9443, toPort: 8443, ipv4Ranges: [SecurityGroupRange("10.0.0.0/8")]),
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
        ])
        let rules = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [group])])
        let inverted = try #require(rules.first { $0.fromPort == 9443 }?.ruleID, "\(rules)")
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        // Without -con the live audit reads every group of the region; other tests' groups may be there too.
        let arguments = ["-act", "audit-security-groups", "--region", Self.region, "--fail-on", "critical"]
        let text = try tool.run(arguments, environment: environment)
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stderr.contains("warning: a live rule could not be read: \(group) rule \(inverted): "), "\(text.stderr)")
        #expect(text.stderr.contains("[W704]"), "\(text.stderr)")
        #expect(!text.stderr.contains("[E702]"))
        // The readable rule is judged: SSH open to the world.
        #expect(text.stdout.contains("legacy-admin (\(group))") && text.stdout.contains("SG-WORLD-ADMIN"), "\(text.stdout)")

        let json = try tool.run(arguments + ["--output", "json"], environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        let ours = warnings.filter { ($0["message"] as? String)?.contains("\(group) rule \(inverted):") == true }
        #expect(ours.count == 1 && ours.first?["code"] as? String == "W704" && ours.first?["severity"] as? String == "warning", "\(warnings)")
        #expect((object["errors"] as? [Any])?.isEmpty == true)
    }
}
