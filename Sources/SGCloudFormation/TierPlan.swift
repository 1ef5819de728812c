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
    /// The logical id each ingress rule gets when emitted as a standalone resource (same order
    /// as `ingress`; held beside the rules, so emitting finds an id by position instead of
    /// hashing every rule).
    var ingressIDs: [String] = []
    /// The logical id of each egress rule as a standalone resource (same order as `egress`).
    var egressIDs: [String] = []
    /// True when the group must not keep AWS's default allow-all egress.
    var egressDeclared: Bool
    /// True when the group's own CIDR/prefix-list/sg rules were moved to standalone resources
    /// because the group alone did not fit in a stack.
    var demoted = false
    /// The existing group this tier is (`adopted_groups`), whose name and description it keeps.
    var adopted: AdoptedGroup?

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

    /// Rules emitted as `AWS::EC2::SecurityGroupIngress/Egress` resources, ingress first, with
    /// their logical ids: every rule whose key no inline rule has. Worked out from the inline
    /// rules' definitions instead of a set of their keys (the packer asks for this once or twice per
    /// tier): inline rules are the non-tier ones, so a tier-peer rule is always standalone; a
    /// demoted group keeps no inline ingress and, in egress, only rules with its first non-tier
    /// egress rule's key.
    var standaloneRules: [(rule: Rule, logicalID: String)] {
        var result: [(rule: Rule, logicalID: String)] = []
        for (rule, id) in zip(ingress, ingressIDs) where demoted || rule.peer.isTier {
            result.append((rule, id))
        }
        let keptEgressKey = demoted ? egress.first(where: { !$0.peer.isTier })?.key : nil
        for (rule, id) in zip(egress, egressIDs) {
            if rule.peer.isTier || (demoted && rule.key != keptEgressKey) { result.append((rule, id)) }
        }
        return result
    }

    /// `standaloneRules.count`, without building the list (a rule is standalone when it names a
    /// tier, and for a demoted group when it is not the one inline egress rule it keeps).
    var standaloneRuleCount: Int {
        guard !demoted else { return standaloneRules.count }
        return ingress.reduce(0) { $0 + ($1.peer.isTier ? 1 : 0) } + egress.reduce(0) { $0 + ($1.peer.isTier ? 1 : 0) }
    }

    /// True when the inline egress list needs the rule that matches nothing.
    var needsEgressPlaceholder: Bool { egressDeclared && !egress.contains { !$0.peer.isTier } }
}

extension LogicalID {
    /// The logical id of a rule emitted as its own resource, e.g. `AppIngressTcp8080FromWeb`.
    static func forRule(_ rule: Rule, ofTier tier: String, taken: inout Set<String>) -> String {
        unique(ruleCandidate(rule, tierPart: camelCase(tier)), taken: &taken, disambiguator: "\(tier) \(rule.key)")
    }

    /// The id `forRule` gives a rule when no other resource has it yet; `tierPart` is
    /// `camelCase(tier)`, worked out once per tier. Depends on the rule and tier alone, so
    /// candidates can be built on several threads and made unique in order after.
    static func ruleCandidate(_ rule: Rule, tierPart: String) -> String {
        var candidate = tierPart
        candidate += rule.direction == .ingress ? "Ingress" : "Egress"
        candidate += trafficPart(rule)
        candidate += rule.direction == .ingress ? "From" : "To"
        appendPeerPart(rule.peer, to: &candidate)
        return candidate
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
    private static func appendPeerPart(_ peer: Peer, to text: inout String) {
        switch peer {
        case .tier(let name): text += camelCase(name)
        case .securityGroup(let id), .prefixList(let id): text += camelCase(id)
        case .cidr(let block):
            var bytes = Array("Cidr".utf8)
            for byte in block.description.utf8 {
                switch byte {
                case UInt8(ascii: "."): bytes.append(UInt8(ascii: "D"))
                case UInt8(ascii: ":"): bytes.append(UInt8(ascii: "C"))
                case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "P"))
                default: bytes.append(byte)
                }
            }
            text += String(decoding: bytes, as: UTF8.self)
        }
    }
}
