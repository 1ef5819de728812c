import SGModel

/// What a rule's peer opens, decided once per rule from the public address model: the one
/// fact that picks the rule family judging it. The same classification serves both directions.
enum PeerScope {
    /// A CIDR whose public reach is world-equivalent (0.0.0.0/0, ::/0, 0.0.0.0/1, 2000::/3,
    /// 64:ff9b::/96 ...): judged with the /0 row of its direction.
    case world(WorldPeer)
    /// A CIDR reaching more than one site of public addresses, less than the world.
    case widePublic(CIDRBlock, PublicReach)
    /// A CIDR reaching at most one site of public addresses.
    case narrowPublic(CIDRBlock, PublicReach)
    /// A CIDR with no public address (private, shared, documentation, ULA, the VPC ...).
    case internalCIDR(CIDRBlock)
    /// Another tier, an existing security group or a managed prefix list.
    case reference(Peer)

    /// Classifies a rule's peer in `context` (whose model counts the VPC as internal).
    static func of(_ rule: Rule, context: ValidationContext) -> PeerScope {
        guard case .cidr(let block) = rule.peer else { return .reference(rule.peer) }
        if block.isEntireFamily { return .world(WorldPeer(block: block)) }
        let reach = context.addressSpace.reach(of: block)
        switch reach.exposure {
        case .worldEquivalent: return .world(WorldPeer(block: block, reach: reach, space: context.addressSpace))
        case .widePublic: return .widePublic(block, reach)
        case .narrowPublic: return .narrowPublic(block, reach)
        case .internal: return .internalCIDR(block)
        }
    }

    /// The exposure class (references count as internal: they name groups inside the network).
    var exposure: Exposure {
        switch self {
        case .world: return .worldEquivalent
        case .widePublic: return .widePublic
        case .narrowPublic: return .narrowPublic
        case .internalCIDR, .reference: return .internal
        }
    }
}

/// How a world-equivalent peer (or a union of peers) is written in descriptions.
struct WorldPeer: Hashable, Sendable {
    /// `0.0.0.0/0`, `2000::/3`, or `10.64.0.0/10 + 11.0.0.0/8` for a union.
    var text: String
    /// `0.0.0.0/0 (every IPv4 address)`, `2000::/3, which reaches every public IPv6 address`.
    var phrase: String

    /// The world spelt as itself: `0.0.0.0/0 (every IPv4 address)`.
    init(block: CIDRBlock) {
        text = block.description
        phrase = "\(text) (\(block.family == .ipv4 ? "every IPv4 address" : "every IPv6 address"))"
    }

    /// A block that is not /0 but reaches as much: the phrase says how much, and through which
    /// disguise (`64:ff9b::/96, the NAT64 well-known prefix (RFC 6052), which reaches ...`).
    init(block: CIDRBlock, reach: PublicReach, space: PublicAddressSpace) {
        text = block.description
        var what = text
        if let special = PublicAddressSpace.specialRange(containing: block), special.isDisguise {
            what += special.block == block
                ? " (the \(special.name), \(special.reference))"
                : " (inside the \(special.name) \(special.block), \(special.reference))"
        }
        phrase = "\(what), which reaches \(ReachText.amount(reach, space: space))"
    }

    /// Several blocks that together reach as much as the world.
    init(union blocks: [CIDRBlock], reach: PublicReach, space: PublicAddressSpace) {
        text = blocks.map(\.description).joined(separator: " + ")
        phrase = "\(text), which together reach \(ReachText.amount(reach, space: space))"
    }
}

/// Words for an amount of public address space.
enum ReachText {
    /// `every public IPv4 address`, `56.5% of public IPv4 addresses (2,092,957,696)`,
    /// `... and every public IPv6 address`.
    static func amount(_ reach: PublicReach, space: PublicAddressSpace) -> String {
        var parts: [String] = []
        if !reach.ipv4.isZero { parts.append(part(reach.ipv4, of: space.totalIPv4, family: "IPv4")) }
        if !reach.ipv6.isZero { parts.append(part(reach.ipv6, of: space.totalIPv6, family: "IPv6")) }
        return parts.isEmpty ? "no public address" : parts.joined(separator: " and ")
    }

    private static func part(_ count: AddressCount, of total: AddressCount, family: String) -> String {
        if count >= total { return "every public \(family) address" }
        let permille = Int((count.approximateValue / total.approximateValue * 1000).rounded())
        let percent = permille >= 1 ? "\(permille / 10).\(permille % 10)%" : "less than 0.1%"
        return "\(percent) of public \(family) addresses (\(count))"
    }

    /// `2^16 public IPv4 addresses`, `256 public IPv4 addresses and 2^80 public IPv6 addresses`.
    static func count(_ reach: PublicReach) -> String {
        var parts: [String] = []
        if !reach.ipv4.isZero { parts.append("\(reach.ipv4) public IPv4 address\(reach.ipv4 == AddressCount(low: 1) ? "" : "es")") }
        if !reach.ipv6.isZero { parts.append("\(reach.ipv6) public IPv6 address\(reach.ipv6 == AddressCount(low: 1) ? "" : "es")") }
        return parts.isEmpty ? "no public address" : parts.joined(separator: " and ")
    }
}
