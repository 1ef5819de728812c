import SGFindings
import SGModel

/// Least privilege inside the network (the guide's Least Privilege, Port Ranges, Tier Isolation
/// and Internal CIDRs sections): rules whose peer is another tier, a group, a prefix list or an
/// internal CIDR. At most one finding per rule, the broadest problem first, at LOW or MEDIUM:
///
/// 1. every protocol and port: SG-SELF-ALL-TRAFFIC (LOW) for a tier's reference to itself,
///    SG-INTERNAL-ALL-TRAFFIC (MEDIUM) otherwise;
/// 2. ingress from an internal CIDR to a database port, the CIDR covering the VPC or wider than a
///    /24 (/64): SG-BROAD-INTERNAL-DB (MEDIUM);
/// 3. ingress from an internal CIDR broader than the VPC (without vpc_cidr: shorter than /16, /56
///    for IPv6) to an admin port: SG-BROAD-INTERNAL-ADMIN (MEDIUM);
/// 4. a tcp/udp range of more than 1,024 ports: SG-INTERNAL-PORT-RANGE (MEDIUM with a database or
///    admin port inside, LOW otherwise).
enum LeastPrivilegeRule {
    /// Ranges wider than this many ports are judged (1-1024 is the size of the privileged range;
    /// 1024-2047 is still a deliberate block, 1024-65535 is not).
    static let widePortCount = 1024

    /// The finding for `rule` of `tier`, whose peer is inside the network (`scope` is
    /// `.internalCIDR` or `.reference`), or nil.
    static func finding(for rule: Rule, scope: PeerScope, in tier: Tier, context: ValidationContext) -> Finding? {
        let isSelf = rule.peer == .tier(tier.name)
        // Most rules name one port of a tier: decided without a catalog lookup.
        let range = rule.ports.portRange
        let isEveryPort = rule.ipProtocol == .all || (rule.ipProtocol.hasPorts && range.map { $0.lower <= 1 && $0.upper == 65535 } ?? false)
        if isEveryPort {
            let traffic = TrafficClass.classify(rule.ipProtocol, rule.ports, catalog: context.catalog)
            let kind: FindingKind = isSelf ? .selfAllTraffic : .internalAllTraffic
            let what = isSelf ? "among the members of tier \(tier.name) (it references itself)" : peerPhrase(rule, scope: scope)
            let why = isSelf
                ? "each member reaches every service of the others; where the members' ports are known, name them"
                : "one compromised host reaches every service on the other side; a narrow rule names the protocol and ports in use, e.g. \(example(rule, port: "8080"))"
            return Finding(kind: kind, tier: tier, anchor: rule, description: traffic.sentence(rule.ipProtocol, rule.ports, "allowed \(what)") + "; \(why)")
        }
        guard rule.ipProtocol.hasPorts, let range else { return nil }
        let isWideRange = range.count > widePortCount

        if rule.direction == .ingress, case .internalCIDR(let block) = scope {
            let vpc = context.vpcCIDR.flatMap { $0.family == block.family ? $0 : nil }
            let traffic = TrafficClass.classify(rule.ipProtocol, rule.ports, catalog: context.catalog)
            switch traffic.worstCategory {
            case .database?:
                let coversVPC = vpc.map { block.contains($0) } ?? false
                let isWide = block.prefixLength < (block.family == .ipv4 ? 24 : 64)
                if coversVPC || isWide {
                    let what: String
                    if coversVPC, let vpc {
                        what = block == vpc ? "\(block), the entire VPC" : "\(block), wider than the entire VPC \(vpc)"
                    } else {
                        what = "\(block), a private range wider than /\(block.family == .ipv4 ? 24 : 64)"
                    }
                    return Finding(
                        kind: .broadInternalDatabase, tier: tier, anchor: rule,
                        description: traffic.sentence(rule.ipProtocol, rule.ports, "open to \(what)") + "; any compromised host in it reaches the data")
                }
            case .admin?:
                let limit = vpc?.prefixLength ?? (block.family == .ipv4 ? 16 : 56)
                if block.prefixLength < limit {
                    let what = vpc.map { "\(block), an internal range broader than the VPC \($0)" }
                        ?? "\(block), an internal range shorter than /\(limit) (no vpc_cidr given)"
                    return Finding(
                        kind: .broadInternalAdmin, tier: tier, anchor: rule,
                        description: traffic.sentence(rule.ipProtocol, rule.ports, "open to \(what)")
                            + "; every host in it can try to log in; a narrow rule is \(example(rule, port: nil, peer: "source_tier: bastion")) or the admin subnet's /24")
                }
            default:
                break
            }
            if isWideRange { return rangeFinding(rule, traffic: traffic, range: range, scope: scope, tier: tier) }
            return nil
        }
        guard isWideRange else { return nil }
        let traffic = TrafficClass.classify(rule.ipProtocol, rule.ports, catalog: context.catalog)
        return rangeFinding(rule, traffic: traffic, range: range, scope: scope, tier: tier)
    }

    /// SG-INTERNAL-PORT-RANGE for a wide range.
    private static func rangeFinding(_ rule: Rule, traffic: TrafficClass, range: PortRange, scope: PeerScope, tier: Tier) -> Finding {
        let category = traffic.worstCategory
        let isSensitive = category == .database || category == .admin
        let isSelf = rule.peer == .tier(tier.name)
        let what = isSelf ? "among the members of tier \(tier.name)" : peerPhrase(rule, scope: scope)
        var description: String
        if range == nodePortRange {
            description = "\(rule.ipProtocol) port range \(range) (\(grouped(range.count)) ports) is Kubernetes' NodePort range and is allowed \(what); a narrow rule lists the node ports the services were given, e.g. \(example(rule, port: "30080"))"
        } else if case .cataloged(let entry, _) = traffic, isSensitive {
            description = "\(rule.ipProtocol) port range \(range) (\(grouped(range.count)) ports) includes \(entry.label) and is allowed \(what); a narrow rule opens only the ports in use, e.g. \(example(rule, port: String(entry.ports.lower)))"
        } else {
            description = "\(rule.ipProtocol) port range \(range) (\(grouped(range.count)) ports) is allowed \(what); a narrow rule opens only the ports in use, e.g. \(example(rule, port: String(range.lower)))"
        }
        if isSensitive { description += "; a database or admin port inside makes this MEDIUM" }
        return Finding(kind: .internalPortRange, severity: isSensitive ? .medium : .low, tier: tier, anchor: rule, description: description)
    }

    /// Kubernetes' default `--service-node-port-range`.
    static let nodePortRange = PortRange(30000, 32767)

    /// `from tier web`, `to 10.0.0.0/8 (private-use, RFC 1918)`, `from sg-0123...`.
    private static func peerPhrase(_ rule: Rule, scope: PeerScope) -> String {
        let preposition = rule.direction == .ingress ? "from" : "to"
        if case .internalCIDR(let block) = scope {
            let label = PublicAddressSpace.specialRange(containing: block).map { " (\($0.label))" } ?? " (internal)"
            return "\(preposition) \(block)\(label)"
        }
        return "\(preposition) \(rule.peer)"
    }

    /// A narrow rule in the config's own syntax: `{ protocol: tcp, port: 8080, source_tier: web }`.
    private static func example(_ rule: Rule, port: String?, peer: String? = nil) -> String {
        let ipProtocol = rule.ipProtocol.hasPorts ? rule.ipProtocol.description : "tcp"
        let portText = port ?? (rule.ports.portRange.map { String($0.lower) } ?? "8080")
        let peerText = peer ?? peerField(rule)
        return "{ protocol: \(ipProtocol), port: \(portText), \(peerText) }"
    }

    private static func peerField(_ rule: Rule) -> String {
        let side = rule.direction == .ingress ? "source" : "destination"
        switch rule.peer {
        case .tier(let name): return "\(side)_tier: \(name)"
        case .cidr(let block): return "\(side): \(block)"
        case .securityGroup(let id): return "\(side)_security_group: \(id)"
        case .prefixList(let id): return "\(side)_prefix_list: \(id)"
        }
    }

    private static func grouped(_ value: Int) -> String { AddressCount(low: UInt64(value)).description }
}
