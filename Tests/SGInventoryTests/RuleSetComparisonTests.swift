import SGDiagnostics
import SGModel
import Testing

@testable import SGInventory

/// The one comparison of a tier's rules with its live group's, case by case.
@Suite struct RuleSetComparisonTests {
    static let at = SourceLocation(file: "scenarios/t.yaml", line: 3, column: 9)

    static func rule(_ text: String, _ description: String? = nil) -> Rule {
        let key = Self.key(text)
        return Rule(direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer, description: description,
                    locations: RuleLocations(rule: at))
    }

    /// `ingress tcp 443 0.0.0.0/0`, `egress tcp 5432 tier:db`, `ingress tcp 8080 sg-1`.
    static func key(_ text: String) -> RuleKey {
        let words = text.split(separator: " ").map(String.init)
        let peer: Peer
        if words[3].hasPrefix("tier:") {
            peer = .tier(String(words[3].dropFirst(5)))
        } else if words[3].hasPrefix("sg-") {
            peer = .securityGroup(words[3])
        } else {
            peer = .cidr(try! CIDRBlock.parse(words[3]).get())
        }
        let ipProtocol = IPProtocol(text: words[1])!
        return RuleKey(direction: Direction(rawValue: words[0])!, ipProtocol: ipProtocol,
                       ports: ipProtocol == .all ? .all : .ports(PortRange(port: Int(words[2])!)), peer: peer)
    }

    static func live(_ key: RuleKey, _ description: String? = nil) -> LiveRule {
        LiveRule(key: key, description: description, ruleID: "sgr-\(key.hashValue)", location: SourceLocation(file: "aws:sg-1", line: 1, column: 1))
    }

    static func tier(_ rules: [Rule], egress: EgressMode = .written) -> Tier {
        Tier(name: "app", ingress: rules.filter { $0.direction == .ingress }, egress: rules.filter { $0.direction == .egress },
             usesDefaultEgress: egress == .omitted, location: at)
    }

    enum EgressMode { case written, omitted }

    static func summary(_ comparison: RuleSetComparison) -> [String] {
        comparison.missing.map { "- \($0.key)\($0.rule == nil ? " (AWS default)" : "")" }
            + comparison.unexpected.map { "+ \($0.key)" }
            + comparison.changedDescriptions.map { "~ \($0.key): \($0.expected.description ?? "(none)") -> \($0.live.description ?? "(none)")" }
    }

    @Test func groupReferencesMatchTierReferencesThroughTheGroupMap() {
        let tier = Self.tier([Self.rule("ingress tcp 8080 tier:web", "From web")])
        let live = [Self.live(Self.key("ingress tcp 8080 sg-1"), "From web")]
        #expect(RuleSetComparison(expected: tier, live: live, tiersByGroupID: ["sg-1": "web"]).isInSync)
        #expect(Self.summary(RuleSetComparison(expected: tier, live: live, tiersByGroupID: [:])) == [
            "- ingress tcp/8080 from tier web", "+ ingress tcp/8080 from sg-1",
        ])
    }

    @Test func aTierThatKeepsTheDefaultExpectsTheIPv4RuleAndAcceptsItsIPv6Twin() {
        let tier = Self.tier([], egress: .omitted)
        #expect(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.ipv4Rule), Self.live(DefaultEgress.ipv6Rule)], tiersByGroupID: [:]).isInSync)
        // AWS's default carries no description of ours: whatever it says is not a change.
        #expect(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.ipv4Rule, "anything")], tiersByGroupID: [:]).isInSync)
        #expect(Self.summary(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.ipv6Rule)], tiersByGroupID: [:])) == [
            "- egress all traffic to 0.0.0.0/0 (AWS default)",
        ])
        #expect(Self.summary(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.ipv4Rule), Self.live(DefaultEgress.closedPlaceholder)], tiersByGroupID: [:])) == [
            "+ egress icmp type 252 code 86 to 255.255.255.255/32",
        ])
    }

    @Test func aClosedTierIsInSyncWithOrWithoutThePlaceholderAndNotWithTheDefault() {
        let tier = Self.tier([])
        #expect(RuleSetComparison(expected: tier, live: [], tiersByGroupID: [:]).isInSync)
        #expect(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.closedPlaceholder)], tiersByGroupID: [:]).isInSync)
        #expect(Self.summary(RuleSetComparison(expected: tier, live: [Self.live(DefaultEgress.ipv4Rule), Self.live(DefaultEgress.ipv6Rule)], tiersByGroupID: [:])) == [
            "+ egress all traffic to 0.0.0.0/0", "+ egress all traffic to ::/0",
        ])
    }

    @Test func descriptionsCompareWithEmptyAsNone() {
        let tier = Self.tier([Self.rule("ingress tcp 443 0.0.0.0/0", "HTTPS"), Self.rule("ingress tcp 80 0.0.0.0/0")])
        let inSync = [Self.live(Self.key("ingress tcp 443 0.0.0.0/0"), "HTTPS"), Self.live(Self.key("ingress tcp 80 0.0.0.0/0"), "")]
        #expect(RuleSetComparison(expected: tier, live: inSync, tiersByGroupID: [:]).isInSync)
        let edited = [Self.live(Self.key("ingress tcp 443 0.0.0.0/0"), ""), Self.live(Self.key("ingress tcp 80 0.0.0.0/0"), "redirect")]
        #expect(Self.summary(RuleSetComparison(expected: tier, live: edited, tiersByGroupID: [:])) == [
            "~ ingress tcp/443 from 0.0.0.0/0: HTTPS -> ", "~ ingress tcp/80 from 0.0.0.0/0: (none) -> redirect",
        ])
        #expect(RuleSetComparison.normalisedDescription("") == nil)
        #expect(RuleSetComparison.normalisedDescription(nil) == nil)
        #expect(RuleSetComparison.normalisedDescription(" ") == " ")
    }

    @Test func aKeySeenTwiceLiveIsUnexpectedTheSecondTimeAndMissingRulesAreSorted() {
        let tier = Self.tier([Self.rule("ingress tcp 5432 tier:app"), Self.rule("ingress tcp 22 10.0.0.0/8"), Self.rule("egress tcp 443 0.0.0.0/0")])
        let ssh = Self.key("ingress tcp 22 10.0.0.0/8")
        let comparison = RuleSetComparison(expected: tier, live: [Self.live(ssh), Self.live(ssh)], tiersByGroupID: [:])
        #expect(Self.summary(comparison) == [
            "- ingress tcp/5432 from tier app", "- egress tcp/443 to 0.0.0.0/0", "+ ingress tcp/22 from 10.0.0.0/8",
        ])
    }
}
