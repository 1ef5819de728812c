import SGModel

/// Everything the compiler decided about one tier before emitting: logical ids, export name and
/// which rules go inline on the group and which become standalone resources.
struct TierPlan: Sendable {
    /// The tier as deployed (after overrides).
    var tier: Tier
    /// Logical id of the `AWS::EC2::SecurityGroup`.
    var groupID: String
    /// Logical id of the `AWS::SSM::Parameter` publishing the group id.
    var parameterID: String
    /// Logical id of the output exporting the group id (`{groupID}Id`).
    var outputID: String
    /// `{qualifiedName}-{tier}-sg-id`.
    var exportName: String
    /// Accepted ingress rules in file order.
    var ingress: [Rule]
    /// Accepted egress rules in file order.
    var egress: [Rule]
    /// The logical id each rule gets when emitted as a standalone resource.
    var standaloneIDs: [RuleKey: String]
    /// True when the group must not keep AWS's default allow-all egress.
    var egressDeclared: Bool
    /// True when the group's own CIDR/prefix-list/sg rules were moved to standalone resources
    /// because the group alone did not fit in a stack.
    var demoted = false

    /// Rules on the group itself (`SecurityGroupIngress`).
    var inlineIngress: [Rule] {
        demoted ? [] : ingress.filter { !$0.peer.isTier }
    }

    /// Rules on the group itself (`SecurityGroupEgress`). A demoted group keeps its first
    /// non-tier egress rule inline: it closes default egress without adding a placeholder,
    /// so the group's rule count does not change.
    var inlineEgress: [Rule] {
        let direct = egress.filter { !$0.peer.isTier }
        return demoted ? Array(direct.prefix(1)) : direct
    }

    /// Rules emitted as `AWS::EC2::SecurityGroupIngress/Egress` resources, ingress first: every
    /// rule whose key no inline rule has. Worked out from the inline rules' definitions instead
    /// of a set of their keys (the packer asks for this three times per tier): inline rules are
    /// the non-tier ones, so a tier-peer rule is always standalone; a demoted group keeps no
    /// inline ingress and, in egress, only rules with its first non-tier egress rule's key.
    var standaloneRules: [Rule] {
        let ingressPart = demoted ? ingress : ingress.filter { $0.peer.isTier }
        let keptEgressKey = demoted ? egress.first(where: { !$0.peer.isTier })?.key : nil
        let egressPart = egress.filter { rule in
            if rule.peer.isTier { return true }
            guard demoted else { return false }
            return rule.key != keptEgressKey
        }
        return ingressPart + egressPart
    }

    /// True when the inline egress list needs the rule that matches nothing.
    var needsEgressPlaceholder: Bool { egressDeclared && !egress.contains { !$0.peer.isTier } }
}

extension LogicalID {
    /// The logical id of a rule emitted as its own resource, e.g. `AppIngressTcp8080FromWeb`.
    static func forRule(_ rule: Rule, ofTier tier: String, taken: inout Set<String>) -> String {
        let stem = camelCase(tier) + (rule.direction == .ingress ? "Ingress" : "Egress")
        let preposition = rule.direction == .ingress ? "From" : "To"
        let candidate = stem + trafficPart(rule) + preposition + peerPart(rule.peer)
        return unique(candidate, taken: &taken, disambiguator: "\(tier) \(rule.key)")
    }

    private static func trafficPart(_ rule: Rule) -> String {
        let protocolName: String
        switch rule.ipProtocol {
        case .all: return "AllTraffic"
        case .number(let number): return "Protocol\(number)"
        case .tcp: protocolName = "Tcp"
        case .udp: protocolName = "Udp"
        case .icmp: protocolName = "Icmp"
        case .icmpv6: protocolName = "Icmpv6"
        }
        switch rule.ports {
        case .all: return protocolName + "AllPorts"
        case .ports(let range): return protocolName + (range.isSinglePort ? "\(range.lower)" : "\(range.lower)To\(range.upper)")
        case .icmp(let type, let code):
            if type == -1 { return protocolName + "AnyType" }
            return protocolName + "Type\(type)" + (code == -1 ? "" : "Code\(code)")
        }
    }

    /// Distinct peers give distinct text: CIDR punctuation maps to upper-case letters that
    /// canonical (lower-case hex) addresses never contain.
    private static func peerPart(_ peer: Peer) -> String {
        switch peer {
        case .tier(let name): return camelCase(name)
        case .securityGroup(let id), .prefixList(let id): return camelCase(id)
        case .cidr(let block):
            let mapped = block.description.map { character -> String in
                switch character {
                case ".": return "D"
                case ":": return "C"
                case "/": return "P"
                default: return String(character)
                }
            }
            return "Cidr" + mapped.joined()
        }
    }
}
