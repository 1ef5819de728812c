import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGTestSupport
import Testing

/// audit-security-groups against moto's EC2 API, driven through the built binary.
@Suite struct LiveAuditTests {
    @Test func liveAuditFindsAnOutOfBandWorldOpenGroup() async throws {
        let moto = try await MotoServer.shared()
        let credentials = AWSCredentials(accessKeyID: "AKIAMOTOTEST00000003", secretAccessKey: "moto-secret")
        let ec2 = try AWSSession(
            region: "eu-west-1", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
            transport: URLSessionTransport()
        ).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.91.0.0/16")
        let group = try await ec2.createSecurityGroup(name: "legacy-jump", description: "hand made", vpcID: vpc.vpcID)
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: group, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 3389, toPort: 3389, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
        ])

        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(
            ["-act", "audit-security-groups", "--region", "eu-west-1", "--output", "json"],
            environment: [
                "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            ])
        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains {
            $0["id"] as? String == "SG-WORLD-ADMIN" && $0["tier"] as? String == "legacy-jump (\(group))"
                && ($0["description"] as? String ?? "").contains("3389")
        }, "\(findings)")
        #expect(object["deployment"] as? String == "aws:eu-west-1")
    }

    /// `--vpc-id` narrows a live audit without a config to one VPC: a world-open group in another
    /// VPC of the region is not in the result, the one in the chosen VPC is, and the label says which.
    @Test func liveAuditWithAVPCIDReadsThatVPCOnly() async throws {
        let moto = try await MotoServer.shared()
        let credentials = AWSCredentials(accessKeyID: "AKIAMOTOTEST00000003", secretAccessKey: "moto-secret")
        let ec2 = try AWSSession(
            region: "eu-west-1", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
            transport: URLSessionTransport()
        ).ec2()
        let chosen = try await ec2.createVpc(cidrBlock: "10.92.0.0/16")
        let other = try await ec2.createVpc(cidrBlock: "10.93.0.0/16")
        let inside = try await ec2.createSecurityGroup(name: "chosen-jump", description: "hand made", vpcID: chosen.vpcID)
        let outside = try await ec2.createSecurityGroup(name: "other-jump", description: "hand made", vpcID: other.vpcID)
        for group in [inside, outside] {
            _ = try await ec2.authorizeSecurityGroupIngress(groupID: group, permissions: [
                IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
            ])
        }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(
            ["-act", "audit-security-groups", "--region", "eu-west-1", "--vpc-id", chosen.vpcID, "--output", "json"],
            environment: [
                "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            ])
        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let tiers = Set((try #require(object["findings"] as? [[String: Any]])).compactMap { $0["tier"] as? String })
        #expect(tiers.contains("chosen-jump (\(inside))"), "\(tiers)")
        #expect(!tiers.contains { $0.contains(outside) }, "a group of another VPC was audited: \(tiers)")
        #expect(object["deployment"] as? String == "aws:eu-west-1/\(chosen.vpcID)")
    }

    @Test func unreachableEndpointIsAClearErrorNotACrash() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(
            ["-act", "audit-security-groups", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:1"],
            environment: ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"])
        #expect(outcome.exitCode == 1)
        // The first call of every live action identifies the caller.
        #expect(outcome.stderr.contains("error: identifying the caller (sts:GetCallerIdentity): GetCallerIdentity failed after 5 attempts: could not connect"),
                "\(outcome.stderr)")
        #expect(outcome.stderr.contains("[E605]"))
    }
}
