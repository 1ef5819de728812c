import SGFindings
import SGModel

/// Peers that are public but not the world: a range wider than one site (a /24 of IPv4, a /48
/// of IPv6), or narrow blocks whose union exceeds 256 sites (`PeerUnion`). Both directions, each
/// with its own row, and never above the same rule's /0 row:
///
/// - ingress (SG-PUBLIC-WIDE-CIDR): HIGH when a database or admin port, or every port, is
///   reachable, MEDIUM otherwise (LOW where the world itself would be LOW: 80/443 on a public
///   tier, ICMP);
/// - egress (SG-EGRESS-PUBLIC-WIDE): MEDIUM for every port, LOW otherwise.
enum PublicRangeRule {
    /// The finding for one rule or a union; `peerText` is the predicate's object
    /// (`198.51.0.0/16, which reaches 65,280 public IPv4 addresses (wider than one site)`).
    static func finding(
        ipProtocol: IPProtocol, ports: PortSpec, peerText: String, tier: Tier, anchor: Rule, ruleText: String?,
        members: [RuleKey]? = nil, catalog: PortCatalog
    ) -> Finding {
        let traffic = TrafficClass.classify(ipProtocol, ports, catalog: catalog)
        switch anchor.direction {
        case .ingress:
            let category = traffic.worstCategory
            let isSensitive = category == .database || category == .admin
            let world = WorldExposureRule.kind(for: traffic, tier: tier).kind.defaultSeverity
            let severity = min(isSensitive ? RiskLevel.high : .medium, world)
            var description = traffic.sentence(ipProtocol, ports, "open to \(peerText)")
            if isSensitive, severity == .high { description += "; a database or admin port makes this HIGH" }
            return Finding(
                kind: .publicWideCIDR, severity: severity, tier: tier, anchor: anchor, ruleText: ruleText, members: members,
                description: description)
        case .egress:
            let isEveryPort: Bool
            if case .allTraffic = traffic { isEveryPort = true } else { isEveryPort = false }
            let world = EgressRule.kind(for: traffic, ipProtocol: ipProtocol).kind.defaultSeverity
            let severity = min(isEveryPort ? RiskLevel.medium : .low, world)
            let description = traffic.sentence(ipProtocol, ports, "allowed out to \(peerText)")
                + "; anyone holding an address in it can receive what a compromised host sends"
            return Finding(
                kind: .egressPublicWide, severity: severity, tier: tier, anchor: anchor, ruleText: ruleText, members: members,
                description: description)
        }
    }

    /// The predicate's object for one wide block.
    static func peerText(_ block: CIDRBlock, reach: PublicReach) -> String {
        "\(block), which reaches \(ReachText.count(reach)) (wider than one site: a /24 of IPv4, a /48 of IPv6)"
    }

    /// The predicate's object for a union of narrow blocks.
    static func unionText(_ blocks: [CIDRBlock], reach: PublicReach) -> String {
        "\(blocks.map(\.description).joined(separator: " + ")), narrow blocks which together reach \(ReachText.count(reach)) (more than 256 sites)"
    }
}
