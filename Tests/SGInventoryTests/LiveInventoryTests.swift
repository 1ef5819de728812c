import SGAWS
import SGAWSCredentials
import SGAWSServices
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

    /// The importer's and check-drift's way in: filters all of which must hold, ids that are gone
    /// simply not returned, owners of groups and of group peers kept.
    @Test func filtersFindGroupsByIDAndTagAndKnowTheirOwners() async throws {
        let ec2 = try await ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.78.0.0/16")
        let web = try await ec2.createSecurityGroup(name: "inv-web", description: "web", vpcID: vpc.vpcID)
        let app = try await ec2.createSecurityGroup(name: "inv-app2", description: "app", vpcID: vpc.vpcID)
        try await ec2.createTags(resourceIDs: [web], tags: [AWSTag(key: "team", value: "payments")])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, groupPairs: [SecurityGroupPair(groupID: web)]),
        ])
        let inventory = LiveInventory(ec2: ec2)
        let byID = try await inventory.groups(filters: [EC2Filter(name: "group-id", values: [app, "sg-0ffffffffffffffff"])])
        #expect(byID.groups.map(\.groupID) == [app])
        let owner = try #require(byID.groups.first?.ownerID)
        #expect(owner.count == 12)
        #expect(byID.groups.first?.ingress.first?.peerAccount == owner)
        let byTag = try await inventory.groups(filters: [
            EC2Filter(name: "vpc-id", values: [vpc.vpcID]), EC2Filter(name: "tag:team", values: ["payments"]),
        ])
        #expect(byTag.groups.map(\.groupID) == [web])
    }
}
