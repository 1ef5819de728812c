import SGFindings
import SGModel

/// Egress to the world (any world-equivalent destination, alone or as a union) and the AWS
/// default egress. The guide accepts 443 to the world (AWS APIs, package repositories) as LOW;
/// everything else to the world is MEDIUM; a tier that omits `egress` gets AWS's allow-all rule
/// and is reported at the tier.
enum EgressRule {
    /// The kind and the reason for traffic of `traffic` to the world: the /0 row of the egress table.
    static func kind(for traffic: TrafficClass, ipProtocol: IPProtocol) -> (kind: FindingKind, why: String) {
        switch traffic {
        case .allTraffic:
            return (.egressWorldAll, "a compromised host can send data anywhere on any port")
        case .web(_, let range) where ipProtocol == .tcp && range == PortRange(port: 443):
            return (.egressWorldHTTPS, "acceptable for AWS API access and package repositories")
        default:
            return (.egressWorldPort, "only HTTPS (443) to the internet is expected")
        }
    }

    /// The finding for traffic of `ipProtocol`/`ports` from `tier` to `world`, anchored at `anchor`.
    static func finding(
        ipProtocol: IPProtocol, ports: PortSpec, world: WorldPeer, tier: Tier, anchor: Rule, ruleText: String?,
        members: [RuleKey]? = nil, catalog: PortCatalog
    ) -> Finding {
        let traffic = TrafficClass.classify(ipProtocol, ports, catalog: catalog)
        let (kind, why) = kind(for: traffic, ipProtocol: ipProtocol)
        let description = traffic.sentence(ipProtocol, ports, "allowed out to \(world.phrase)") + "; \(why)"
        return Finding(kind: kind, tier: tier, anchor: anchor, ruleText: ruleText, members: members, description: description)
    }

    /// SG-DEFAULT-EGRESS for a tier that omitted `egress`, located at the tier.
    static func defaultEgressFinding(for tier: Tier) -> Finding? {
        guard tier.usesDefaultEgress else { return nil }
        return Finding(
            kind: .defaultEgress, tier: tier,
            description: "tier \(tier.name) omits egress, so AWS allows all outbound traffic to 0.0.0.0/0; write the egress it needs, or egress: [] to isolate it")
    }
}
