import Foundation
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import SGTestSupport
import Testing

@testable import SGDeploy

@Suite struct DeploymentVerifierTests {
    private func live(_ id: String, _ ingress: [RuleKey], _ egress: [RuleKey], descriptions: [RuleKey: String] = [:]) -> LiveSecurityGroup {
        let location = SourceLocation(file: "aws:\(id)", line: 1, column: 1)
        return LiveSecurityGroup(
            groupID: id, name: id, ingress: ingress.map { LiveRule(key: $0, description: descriptions[$0], location: location) },
            egress: egress.map { LiveRule(key: $0, description: descriptions[$0], location: location) }, location: location)
    }

    @Test func exactMatchHasNoDifferencesAndClosedEgressMayShowThePlaceholder() {
        let model = threeTiers()
        let ids = ["sg-w": "web", "sg-a": "app", "sg-d": "db"]
        let placeholder = RuleKey(direction: .egress, ipProtocol: .icmp, ports: .icmp(type: 252, code: 86), peer: .cidr(.ipv4(0xFFFF_FFFF, prefix: 32)))
        func key(_ rule: Rule, _ map: [String: String]) -> RuleKey {
            var key = rule.key
            if case .tier(let name) = key.peer { key.peer = .securityGroup(map.first { $0.value == name }!.key) }
            return key
        }
        var groups: [String: LiveSecurityGroup] = [:]
        for (id, name) in ids {
            let tier = model.tier(named: name)!
            var descriptions: [RuleKey: String] = [:]
            for rule in tier.rules { descriptions[key(rule, ids)] = rule.description }
            let egress = tier.egress.map { key($0, ids) } + (tier.isEgressClosed ? [placeholder] : [])
            groups[name] = live(id, tier.ingress.map { key($0, ids) }, egress, descriptions: descriptions)
        }
        #expect(DeploymentVerifier.compare(model, live: groups, tierByGroupID: ids).isEmpty)
    }

    @Test func everyKindOfDifferenceIsReported() {
        let model = threeTiers()
        let ids = ["sg-w": "web", "sg-a": "app"]
        let allOut = RuleKey(direction: .egress, ipProtocol: .all, ports: .all, peer: world)
        let https = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 443)), peer: world)
        let toApp = RuleKey(direction: .egress, ipProtocol: .tcp, ports: .ports(PortRange(port: 8080)), peer: .securityGroup("sg-a"))
        let groups = [
            "web": live("sg-w", [https], [toApp, allOut]),
            "app": live("sg-a", [], []),
        ]
        let found = DeploymentVerifier.compare(model, live: groups, tierByGroupID: ids).map(\.description)
        #expect(found == [
            "tier app: missing ingress tcp/8080 from tier web",
            "tier app: missing egress tcp/5432 to tier db",
            "tier db: no live security group",
            #"tier web: ingress tcp/443 from 0.0.0.0/0: description "HTTPS" expected, live (none)"#,
            "tier web: unexpected egress all traffic to 0.0.0.0/0",
        ])
    }

    /// Verification reads AWS's default egress as `DefaultEgress` decides, the way drift does: a tier
    /// that omits egress expects the IPv4 rule and accepts the IPv6 twin; a closed tier showing the
    /// default is a difference; the placeholder on a tier that keeps the default is one too.
    @Test func defaultEgressIsExpectedExactlyWhereDefaultEgressSaysSo() {
        let model = deployment([
            Tier(name: "open", ingress: [], egress: [], usesDefaultEgress: true, location: here),
            Tier(name: "shut", ingress: [], egress: [], usesDefaultEgress: false, location: here),
        ])
        let ids = ["sg-o": "open", "sg-s": "shut"]
        let inSync = [
            "open": live("sg-o", [], [DefaultEgress.ipv4Rule, DefaultEgress.ipv6Rule]),
            "shut": live("sg-s", [], [DefaultEgress.closedPlaceholder]),
        ]
        #expect(DeploymentVerifier.compare(model, live: inSync, tierByGroupID: ids).isEmpty)
        let swapped = [
            "open": live("sg-o", [], [DefaultEgress.closedPlaceholder]),
            "shut": live("sg-s", [], [DefaultEgress.ipv4Rule]),
        ]
        #expect(DeploymentVerifier.compare(model, live: swapped, tierByGroupID: ids).map(\.description) == [
            "tier open: missing egress all traffic to 0.0.0.0/0",
            "tier open: unexpected egress icmp type 252 code 86 to 255.255.255.255/32",
            "tier shut: unexpected egress all traffic to 0.0.0.0/0",
        ])
    }

    /// Descriptions compare as drift compares them: a rule the model writes without a description
    /// that has one live is a difference (verification used to skip it, while drift reported it),
    /// and an empty live description is none.
    @Test func descriptionsCompareAsDriftComparesThem() {
        let https = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 443)), peer: world)
        let ssh = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: world)
        let model = deployment([Tier(name: "web", ingress: [rule(.ingress, .tcp, 443, world)], egress: [], location: here)])
        let ids = ["sg-w": "web"]
        let empty = ["web": live("sg-w", [https], [DefaultEgress.closedPlaceholder], descriptions: [https: ""])]
        #expect(DeploymentVerifier.compare(model, live: empty, tierByGroupID: ids).isEmpty)
        let added = ["web": live("sg-w", [https, ssh], [], descriptions: [https: "edited in the console", ssh: ""])]
        let found = DeploymentVerifier.compare(model, live: added, tierByGroupID: ids)
        #expect(found.map(\.description) == [
            "tier web: unexpected ingress tcp/22 from 0.0.0.0/0",
            #"tier web: ingress tcp/443 from 0.0.0.0/0: description (none) expected, live "edited in the console""#,
        ])
        #expect(found[0].liveDescription == nil, "an empty live description is none")
    }
}
