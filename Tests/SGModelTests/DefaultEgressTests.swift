import SGDiagnostics
import Testing

@testable import SGModel

/// The one decision about AWS's default egress, and the CIDR reading EC2 does.
@Suite struct DefaultEgressTests {
    static let at = SourceLocation(file: "s.yaml", line: 1, column: 1)

    static func rule(_ peer: Peer) -> Rule {
        Rule(direction: .egress, ipProtocol: .tcp, ports: .ports(PortRange(port: 443)), peer: peer, locations: RuleLocations(rule: at))
    }

    @Test(arguments: [
        // (inline egress at creation, standalone egress resources, keeps AWS's default)
        (0, 0, true), (1, 0, false), (0, 1, false), (2, 3, false),
    ])
    func aGroupKeepsTheDefaultOnlyWhenNothingGivesItEgress(inline: Int, standalone: Int, keeps: Bool) {
        #expect(DefaultEgress.keepsDefault(inlineEgress: inline, standaloneEgress: standalone) == keeps)
    }

    @Test func aTierExpectsTheDefaultOnlyWhenItOmitsEgressAndNoOverrideAddedAny() {
        let omitted = Tier(name: "a", usesDefaultEgress: true, location: Self.at)
        let closed = Tier(name: "b", usesDefaultEgress: false, location: Self.at)
        var overridden = omitted
        overridden.egress = [Self.rule(.tier("b"))]
        #expect(DefaultEgress.expected(for: omitted))
        #expect(!DefaultEgress.expected(for: closed))
        #expect(!DefaultEgress.expected(for: overridden), "an override's egress rule is emitted, so the group never has the default")
    }

    @Test func theDefaultRulesAreAllTrafficToTheWholeFamily() {
        #expect(DefaultEgress.ipv4Rule.description == "egress all traffic to 0.0.0.0/0")
        #expect(DefaultEgress.ipv6Rule.description == "egress all traffic to ::/0")
        #expect(DefaultEgress.isDefaultRule(DefaultEgress.ipv6Rule))
        #expect(!DefaultEgress.isDefaultRule(DefaultEgress.closedPlaceholder))
        #expect(DefaultEgress.closedPlaceholder.description == "egress icmp type 252 code 86 to 255.255.255.255/32")
    }

    @Test(arguments: [
        ("192.168.1.0/0", "0.0.0.0/0", true),
        ("198.162.1.0/0", "0.0.0.0/0", true),
        ("1.2.3.5/16", "1.2.0.0/16", true),
        ("10.0.0.0/8", "10.0.0.0/8", false),
        ("2001:db8::1/32", "2001:db8::/32", true),
    ])
    func hostBitsAreClearedTheWayEC2ClearsThem(text: String, network: String, hadHostBits: Bool) throws {
        let read = try CIDRBlock.parseCanonicalising(text).get()
        #expect(read.block.description == network)
        #expect(read.hadHostBits == hadHostBits)
        if hadHostBits { #expect(throws: CIDRBlock.ParseError.self) { try CIDRBlock.parse(text).get() } }
    }

    @Test(arguments: ["10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "::/129", "x/1"])
    func whatIsNotACIDRAtAllStaysAnError(text: String) {
        #expect(throws: CIDRBlock.ParseError.self) { try CIDRBlock.parseCanonicalising(text).get() }
    }
}
