import SGModel

/// Egress to the world and the AWS default egress. The guide accepts 443 to the world (AWS APIs,
/// package repositories) as LOW; everything else to the world is MEDIUM; a tier that omits
/// `egress` gets AWS's allow-all rule and is reported at the tier.
struct EgressRule: RuleCheck {
    func findings(for rule: Rule, in tier: Tier, context: ValidationContext) -> [Finding] {
        guard rule.direction == .egress, let world = WorldPeer.of(rule) else { return [] }
        return [Self.finding(ipProtocol: rule.ipProtocol, ports: rule.ports, world: world, tier: tier, anchor: rule, ruleText: nil, catalog: context.catalog)]
    }

    /// The finding for traffic of `ipProtocol`/`ports` from `tier` to `world`, anchored at `anchor`.
    static func finding(
        ipProtocol: IPProtocol, ports: PortSpec, world: WorldPeer, tier: Tier, anchor: Rule, ruleText: String?, catalog: PortCatalog
    ) -> Finding {
        let traffic = TrafficClass.classify(ipProtocol, ports, catalog: catalog)
        let kind: FindingKind
        let why: String
        switch traffic {
        case .allTraffic:
            kind = .egressWorldAll
            why = "a compromised host can send data anywhere on any port"
        case .web(_, let range) where ipProtocol == .tcp && range == PortRange(port: 443):
            kind = .egressWorldHTTPS
            why = "acceptable for AWS API access and package repositories"
        default:
            kind = .egressWorldPort
            why = "only HTTPS (443) to the internet is expected"
        }
        let description = traffic.sentence(ipProtocol, ports, "allowed out to \(world.phrase)") + "; \(why)"
        return Finding(kind: kind, tier: tier, anchor: anchor, ruleText: ruleText, description: description)
    }

    /// SG-DEFAULT-EGRESS for a tier that omitted `egress`, located at the tier.
    static func defaultEgressFinding(for tier: Tier) -> Finding? {
        guard tier.usesDefaultEgress else { return nil }
        return Finding(
            kind: .defaultEgress, tier: tier,
            description: "tier \(tier.name) omits egress, so AWS allows all outbound traffic to 0.0.0.0/0; write the egress it needs, or egress: [] to isolate it")
    }
}
