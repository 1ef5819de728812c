import SGModel

/// Ingress from the world: 0.0.0.0/0, ::/0, or (through `WorldCoverage`) a set of CIDRs that
/// together cover either. The seed guide's ingress table, with one addition the anchors miss:
/// a range is judged by the worst cataloged port inside it, not by its first port.
struct WorldExposureRule: RuleCheck {
    func findings(for rule: Rule, in tier: Tier, context: ValidationContext) -> [Finding] {
        guard rule.direction == .ingress, let world = WorldPeer.of(rule) else { return [] }
        return [Self.finding(ipProtocol: rule.ipProtocol, ports: rule.ports, world: world, tier: tier, anchor: rule, ruleText: nil, catalog: context.catalog)]
    }

    /// The finding for traffic of `ipProtocol`/`ports` from `world` into `tier`, anchored at `anchor`.
    static func finding(
        ipProtocol: IPProtocol, ports: PortSpec, world: WorldPeer, tier: Tier, anchor: Rule, ruleText: String?, catalog: PortCatalog
    ) -> Finding {
        let traffic = TrafficClass.classify(ipProtocol, ports, catalog: catalog)
        let kind: FindingKind
        let why: String
        switch traffic {
        case .allTraffic:
            kind = .worldAll
            why = "every service on the instances, databases included, is reachable from the internet"
        case .cataloged(let entry, _):
            switch entry.category {
            case .database:
                kind = .worldDatabase
                why = "a database must never be reachable from the internet"
            case .admin:
                kind = .worldAdmin
                why = "remote administration from the internet invites brute force and exploits"
            case .application:
                kind = .worldApplication
                why = "application listeners belong behind the public web tier"
            case .other, .web:
                kind = .worldPort
                why = "only 80/443 belong on the internet"
            }
        case .web:
            if tier.isPublic {
                kind = .worldWebPublic
                why = "acceptable for the public tier \(tier.name)"
            } else {
                kind = .worldWeb
                why = "tier \(tier.name) is not marked public: true"
            }
        case .uncataloged, .portlessProtocol:
            kind = .worldPort
            why = "only 80/443 belong on the internet"
        case .icmp:
            kind = .worldICMP
            why = "anyone can map the tier's hosts"
        }
        let description = traffic.sentence(ipProtocol, ports, "open to \(world.phrase)") + "; \(why)"
        return Finding(kind: kind, tier: tier, anchor: anchor, ruleText: ruleText, description: description)
    }
}
