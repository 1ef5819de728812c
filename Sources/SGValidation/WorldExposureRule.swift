import SGFindings
import SGModel

/// Ingress from the world: any peer whose public reach is world-equivalent (0.0.0.0/0, ::/0,
/// 0.0.0.0/1, 2000::/3, 64:ff9b::/96 ...) or, through `PeerUnion`, several narrower CIDRs whose
/// union is. The seed guide's ingress table, with one addition the anchors miss: a range is
/// judged by the worst cataloged port inside it, not by its first port.
enum WorldExposureRule {
    /// The kind and the reason for traffic of `traffic` from the world into `tier`: the /0 row of
    /// the ingress table, which every world-equivalent peer is judged by.
    static func kind(for traffic: TrafficClass, tier: Tier) -> (kind: FindingKind, why: String) {
        switch traffic {
        case .allTraffic:
            return (.worldAll, "every service on the instances, databases included, is reachable from the internet")
        case .cataloged(let entry, _):
            switch entry.category {
            case .database: return (.worldDatabase, "a database must never be reachable from the internet")
            case .admin: return (.worldAdmin, "remote administration from the internet invites brute force and exploits")
            case .application: return (.worldApplication, "application listeners belong behind the public web tier")
            case .other, .web: return (.worldPort, "only 80/443 belong on the internet")
            }
        case .web:
            return tier.isPublic
                ? (.worldWebPublic, "acceptable for the public tier \(tier.name)")
                : (.worldWeb, "tier \(tier.name) is not marked public: true")
        case .uncataloged, .portlessProtocol:
            return (.worldPort, "only 80/443 belong on the internet")
        case .icmp:
            return (.worldICMP, "anyone can map the tier's hosts")
        }
    }

    /// The finding for traffic of `ipProtocol`/`ports` from `world` into `tier`, anchored at
    /// `anchor`; `members` lists every rule of a union.
    static func finding(
        ipProtocol: IPProtocol, ports: PortSpec, world: WorldPeer, tier: Tier, anchor: Rule, ruleText: String?,
        members: [RuleKey]? = nil, catalog: PortCatalog
    ) -> Finding {
        let traffic = TrafficClass.classify(ipProtocol, ports, catalog: catalog)
        let (kind, why) = kind(for: traffic, tier: tier)
        let description = traffic.sentence(ipProtocol, ports, "open to \(world.phrase)") + "; \(why)"
        return Finding(kind: kind, tier: tier, anchor: anchor, ruleText: ruleText, members: members, description: description)
    }
}
