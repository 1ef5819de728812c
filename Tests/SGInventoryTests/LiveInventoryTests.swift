import SGAWS
import SGModel
import SGTestSupport
import Testing

@testable import SGInventory

/// LiveInventory against moto's EC2 API, which is faithful for security groups and their rules.
@Suite struct LiveInventoryTests {
    private func ec2() async throws -> EC2Client {
        let moto = try await MotoServer.shared()
        let credentials = AWSCredentials(accessKeyID: "AKIAMOTOTEST00000002", secretAccessKey: "moto-secret")
        return try AWSSession(
            region: "us-east-1", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
            transport: URLSessionTransport()
        ).ec2()
    }

    @Test func readsGroupsOfAVPCWithNormalisedRulesAndRuleIDs() async throws {
        let ec2 = try await ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.77.0.0/16")
        let app = try await ec2.createSecurityGroup(name: "inv-app", description: "app", vpcID: vpc.vpcID)
        let db = try await ec2.createSecurityGroup(name: "inv-db", description: "db", vpcID: vpc.vpcID)
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: db, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, groupPairs: [SecurityGroupPair(groupID: app)]),
            IPPermission(ipProtocol: "6", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "oob")]),
            IPPermission(ipProtocol: "udp", fromPort: 53, toPort: 53, ipv6Ranges: [SecurityGroupRange("2001:DB8::/32")]),
        ])
        let (groups, problems) = try await LiveInventory(ec2: ec2).groups(vpcID: vpc.vpcID)
        #expect(problems.isEmpty)
        let live = try #require(groups.first { $0.groupID == db })
        #expect(live.name == "inv-db")
        let keys = Set(live.ingress.map { $0.tierKey([app: "app"]).description })
        #expect(keys == [
            "ingress tcp/5432 from tier app", "ingress tcp/22 from 0.0.0.0/0", "ingress udp/53 from 2001:db8::/32",
        ])
        #expect(live.ingress.allSatisfy { $0.ruleID?.hasPrefix("sgr-") == true })
        #expect(live.ingress.first { $0.key.peer == .cidr(.anyIPv4) }?.description == "oob")
        #expect(live.egress.map(\.key.description) == ["egress all traffic to 0.0.0.0/0"], "AWS's default egress is visible")
    }
}
