import SGModel

/// Sources that are not the world but are still too wide: the entire VPC (or a private range
/// wider than /24, /64 for IPv6) reaching a database port, and public ranges wider than /24
/// (/48 for IPv6). Only ingress is judged: a wide egress destination lets this tier talk to many
/// hosts, but it does not let many hosts reach this tier.
struct BroadCIDRRule: RuleCheck {
    func findings(for rule: Rule, in tier: Tier, context: ValidationContext) -> [Finding] {
        guard rule.direction == .ingress, case .cidr(let block) = rule.peer, !block.isEntireFamily else { return [] }
        let vpc = context.vpcCIDR.flatMap { $0.family == block.family ? $0 : nil }
        let isInternal = block.isPrivate || (vpc?.contains(block) ?? false)
        let traffic = TrafficClass.classify(rule.ipProtocol, rule.ports, catalog: context.catalog)
        let category = traffic.worstCategory

        if isInternal {
            let coversVPC = vpc.map { block.contains($0) } ?? false
            let isWide = block.prefixLength < (block.family == .ipv4 ? 24 : 64)
            guard coversVPC || isWide, category == .database else { return [] }
            let what: String
            if coversVPC {
                what = block == vpc ? "\(block), the entire VPC" : "\(block), wider than the entire VPC \(vpc!)"
            } else {
                what = "\(block), a private range wider than /\(block.family == .ipv4 ? 24 : 64)"
            }
            let description = traffic.sentence(rule.ipProtocol, rule.ports, "open to \(what)") + "; any compromised host in it reaches the data"
            return [Finding(kind: .broadInternalDatabase, tier: tier, anchor: rule, description: description)]
        }

        let limit = block.family == .ipv4 ? 24 : 48
        guard block.prefixLength < limit else { return [] }
        let isSensitive = category == .database || category == .admin
        let description = traffic.sentence(rule.ipProtocol, rule.ports, "open to \(block), a public range of 2^\(block.sizeLog2) addresses (wider than /\(limit))")
            + (isSensitive ? "; a database or admin port makes this HIGH" : "")
        return [Finding(kind: .publicWideCIDR, severity: isSensitive ? .high : .medium, tier: tier, anchor: rule, description: description)]
    }
}
