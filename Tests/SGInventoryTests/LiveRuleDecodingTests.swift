import SGDiagnostics
import SGModel
import Testing

@testable import SGAWSServices
@testable import SGInventory

/// One DescribeSecurityGroupRules entry as a live rule: each way it can fail is its own problem.
@Suite struct LiveRuleDecodingTests {
    static let at = SourceLocation(file: "aws:sg-1", line: 1, column: 1)

    static func rule(
        ipProtocol: String = "tcp", from: Int? = 22, to: Int? = 22, cidrIPv4: String? = nil, cidrIPv6: String? = nil,
        prefixList: String? = nil, group: String? = nil
    ) -> SecurityGroupRule {
        SecurityGroupRule(
            ruleID: "sgr-1", groupID: "sg-1", groupOwnerID: nil, isEgress: false, ipProtocol: ipProtocol, fromPort: from, toPort: to,
            cidrIPv4: cidrIPv4, cidrIPv6: cidrIPv6, prefixListID: prefixList, referencedGroupID: group, description: nil, tags: [])
    }

    @Test func aBadCIDRAndAMissingPeerAreTheirOwnProblems() {
        #expect(LiveInventory.liveRule(Self.rule(cidrIPv4: "10.0.0.0/40"), location: Self.at).failure
            == .badCIDR("10.0.0.0/40", "prefix length /40 is out of range 0-32"))
        #expect(LiveInventory.liveRule(Self.rule(), location: Self.at).failure == .noPeer)
        #expect(LiveInventory.liveRule(Self.rule(ipProtocol: "bogus", cidrIPv4: "10.0.0.0/8"), location: Self.at).failure
            == .unknownProtocol("bogus"))
        #expect(LiveInventory.liveRule(Self.rule(from: 30, to: 20, cidrIPv4: "10.0.0.0/8"), location: Self.at).failure == .badPorts(30, 20))
    }

    @Test func peersAreReadAsEC2StoresThem() throws {
        let hostBits = try LiveInventory.liveRule(Self.rule(cidrIPv4: "10.1.2.3/16"), location: Self.at).get()
        #expect(hostBits.key.description == "ingress tcp/22 from 10.1.0.0/16")
        let v6 = try LiveInventory.liveRule(Self.rule(ipProtocol: "-1", from: -1, to: -1, cidrIPv6: "2001:DB8::/32"), location: Self.at).get()
        #expect(v6.key.description == "ingress all traffic from 2001:db8::/32")
        #expect(try LiveInventory.liveRule(Self.rule(group: "sg-0abc"), location: Self.at).get().key.peer == .securityGroup("sg-0abc"))
        #expect(try LiveInventory.liveRule(Self.rule(prefixList: "pl-0abc"), location: Self.at).get().key.peer == .prefixList("pl-0abc"))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
