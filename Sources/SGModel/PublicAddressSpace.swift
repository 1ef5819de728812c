/// The public internet as an address space, IPv4 and IPv6: which addresses are not the internet,
/// and which IPv6 prefixes reach IPv4 hosts in disguise. A peer is judged by how much of this
/// space it opens (`PublicReach`), never by how it is spelt, so 0.0.0.0/1, thirty-one CIDRs that
/// add up to every public address, 2000::/3 and 64:ff9b::/96 are all recognised as what they are.
///
/// The tables follow IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) and the
/// IPv6 Address Space registry; docs/RISK-MODEL.md lists every range with its reference.
public struct PublicAddressSpace: Sendable {
    /// A range with a special purpose: not the internet, or the internet in disguise.
    public struct SpecialRange: Sendable, Hashable {
        /// What else a peer inside the range reaches.
        public enum Reach: Sendable, Hashable {
            /// Nothing on the internet.
            case none
            /// IPv4 hosts embedded in the IPv6 address, low 32 bits (NAT64 per RFC 6052 with a /96
            /// prefix, IPv4-mapped addresses). A block of /96 or wider reaches every IPv4 host.
            case ipv4InLowBits
            /// IPv4 hosts in bits 16-47 (6to4, RFC 3056: 2002:V4ADDR::/48 is the site behind V4ADDR).
            case ipv4AfterSixteenBits
            /// IPv4 hosts in the low 32 bits, inverted (Teredo, RFC 4380: the client's obfuscated address).
            case ipv4InvertedLowBits
        }

        /// The block.
        public let block: CIDRBlock
        /// What it is, e.g. `private-use`.
        public let name: String
        /// Where it is defined, e.g. `RFC 1918`.
        public let reference: String
        /// What a peer inside it reaches beyond itself.
        public let reach: Reach
        /// False for ranges no network's hosts are numbered from (documentation, benchmarking,
        /// reserved, "this network", loopback as seen by a security group): a rule naming one
        /// matches no traffic at all, so least-privilege judgements about internal breadth do
        /// not apply to it.
        public let holdsHosts: Bool

        init(_ text: String, _ name: String, _ reference: String, _ reach: Reach = .none, holdsHosts: Bool = true) {
            guard case .success(let block) = CIDRBlock.parse(text) else { preconditionFailure("bad table entry \(text)") }
            self.block = block
            self.name = name
            self.reference = reference
            self.reach = reach
            self.holdsHosts = holdsHosts
        }

        /// `private-use (RFC 1918)`.
        public var label: String { "\(name) (\(reference))" }

        /// True when the range reaches internet hosts in disguise.
        public var isDisguise: Bool { reach != .none }
    }

    /// IPv4 ranges that are not the internet, sorted and disjoint. (192.88.99.0/24, the 6to4 relay
    /// anycast prefix of RFC 3068, is left out on purpose: RFC 7526 deprecated it, and it is
    /// judged as the public /24 it is.)
    public static let ipv4Special: [SpecialRange] = [
        SpecialRange("0.0.0.0/8", "\"this network\"", "RFC 791, RFC 1122", holdsHosts: false),
        SpecialRange("10.0.0.0/8", "private-use", "RFC 1918"),
        SpecialRange("100.64.0.0/10", "shared address space for carrier-grade NAT", "RFC 6598"),
        SpecialRange("127.0.0.0/8", "loopback", "RFC 1122", holdsHosts: false),
        SpecialRange("169.254.0.0/16", "link-local", "RFC 3927"),
        SpecialRange("172.16.0.0/12", "private-use", "RFC 1918"),
        SpecialRange("192.0.0.0/24", "IETF protocol assignments", "RFC 6890", holdsHosts: false),
        SpecialRange("192.0.2.0/24", "TEST-NET-1 documentation", "RFC 5737", holdsHosts: false),
        SpecialRange("192.168.0.0/16", "private-use", "RFC 1918"),
        SpecialRange("198.18.0.0/15", "benchmarking", "RFC 2544", holdsHosts: false),
        SpecialRange("198.51.100.0/24", "TEST-NET-2 documentation", "RFC 5737", holdsHosts: false),
        SpecialRange("203.0.113.0/24", "TEST-NET-3 documentation", "RFC 5737", holdsHosts: false),
        SpecialRange("224.0.0.0/4", "multicast", "RFC 5771"),
        SpecialRange("240.0.0.0/4", "reserved, and the limited broadcast address", "RFC 1112, RFC 919", holdsHosts: false),
    ]

    /// IPv6's only public space today: global unicast (RFC 4291 section 2.4, IANA IPv6 Address
    /// Space registry). Everything outside it is reserved by the IETF or has a special purpose.
    public static let ipv6GlobalUnicast = SpecialRange("2000::/3", "global unicast", "RFC 4291")

    /// IPv6 ranges that are not the public IPv6 internet, sorted and disjoint. Those marked as
    /// disguises reach IPv4 hosts and are judged by the IPv4 addresses they embed.
    public static let ipv6Special: [SpecialRange] = [
        SpecialRange("::/128", "unspecified address", "RFC 4291", holdsHosts: false),
        SpecialRange("::1/128", "loopback", "RFC 4291", holdsHosts: false),
        SpecialRange("::ffff:0:0/96", "IPv4-mapped address prefix", "RFC 4291", .ipv4InLowBits),
        SpecialRange("64:ff9b::/96", "NAT64 well-known prefix", "RFC 6052", .ipv4InLowBits),
        SpecialRange("64:ff9b:1::/48", "NAT64 local-use prefix", "RFC 8215", .ipv4InLowBits),
        SpecialRange("100::/64", "discard-only", "RFC 6666", holdsHosts: false),
        SpecialRange("2001::/32", "Teredo prefix", "RFC 4380", .ipv4InvertedLowBits),
        SpecialRange("2001:2::/48", "benchmarking", "RFC 5180", holdsHosts: false),
        SpecialRange("2001:db8::/32", "documentation", "RFC 3849", holdsHosts: false),
        SpecialRange("2002::/16", "6to4 prefix", "RFC 3056", .ipv4AfterSixteenBits),
        SpecialRange("3fff::/20", "documentation", "RFC 9637", holdsHosts: false),
        SpecialRange("fc00::/7", "unique local", "RFC 4193"),
        SpecialRange("fe80::/10", "link-local", "RFC 4291"),
        SpecialRange("ff00::/8", "multicast", "RFC 4291"),
    ]

    /// The standard model: nothing but the tables above is internal.
    public static let standard = PublicAddressSpace(treatingAsInternal: nil)

    /// A block the deployment declares its own (the VPC): addresses inside it are internal even
    /// when they are public space (a VPC built on a public block).
    public let internalBlock: CIDRBlock?
    /// Public IPv4 space, sorted and disjoint.
    private let publicIPv4: [AddressRange]
    /// Public IPv6 space, sorted and disjoint.
    private let publicIPv6: [AddressRange]
    /// Every public IPv4 address (outside `internalBlock`).
    public let totalIPv4: AddressCount
    /// Every public IPv6 address (outside `internalBlock`).
    public let totalIPv6: AddressCount

    /// The model with `block` (usually `vpc_cidr`) counted as internal.
    public init(treatingAsInternal block: CIDRBlock?) {
        internalBlock = block
        var v4NotPublic = Self.ipv4Special.map { AddressRange($0.block) }
        var v6NotPublic = Self.ipv6Special.map { AddressRange($0.block) }
        if let block {
            if block.family == .ipv4 { v4NotPublic.append(AddressRange(block)) } else { v6NotPublic.append(AddressRange(block)) }
        }
        let v4Space = AddressRange(lower: .zero, upper: Address128(high: 0, low: 0xFFFF_FFFF))
        publicIPv4 = Self.complement(of: v4NotPublic, within: v4Space)
        publicIPv6 = Self.complement(of: v6NotPublic, within: AddressRange(Self.ipv6GlobalUnicast.block))
        totalIPv4 = publicIPv4.reduce(.zero) { $0 + AddressCount.between($1.lower, $1.upper)! }
        totalIPv6 = publicIPv6.reduce(.zero) { $0 + AddressCount.between($1.lower, $1.upper)! }
    }

    // MARK: - Reach

    /// How much of the public internet one block opens. Allocates nothing.
    public func reach(of block: CIDRBlock) -> PublicReach {
        let range = AddressRange(block)
        switch block.family {
        case .ipv4:
            return PublicReach(ipv4: count(range, in: publicIPv4), ipv6: .zero)
        case .ipv6:
            var ipv4 = AddressCount.zero
            for special in Self.ipv6Special where special.isDisguise {
                guard let embedded = Self.embeddedIPv4(of: block, in: special) else { continue }
                let reached = count(AddressRange(embedded), in: publicIPv4)
                if reached > ipv4 { ipv4 = reached }  // a block is inside one disguise or contains whole ones
            }
            return PublicReach(ipv4: ipv4, ipv6: count(range, in: publicIPv6))
        }
    }

    /// How much of the public internet several blocks open together (their union: overlaps are
    /// counted once; IPv6 prefixes that embed IPv4 add to the IPv4 side).
    public func reach(of blocks: some Sequence<CIDRBlock>) -> PublicReach {
        var v4: [AddressRange] = []
        var v6: [AddressRange] = []
        for block in blocks {
            switch block.family {
            case .ipv4:
                v4.append(AddressRange(block))
            case .ipv6:
                v6.append(AddressRange(block))
                for special in Self.ipv6Special where special.isDisguise {
                    if let embedded = Self.embeddedIPv4(of: block, in: special) { v4.append(AddressRange(embedded)) }
                }
            }
        }
        AddressRange.mergeSorted(&v4)
        AddressRange.mergeSorted(&v6)
        return PublicReach(ipv4: count(merged: v4, in: publicIPv4), ipv6: count(merged: v6, in: publicIPv6))
    }

    /// True when hosts of some network can have addresses in `block` (an internal block that is
    /// not entirely documentation, benchmarking, reserved or loopback space): only then does a
    /// rule naming it let anything through.
    public func holdsHosts(_ block: CIDRBlock) -> Bool {
        if let internalBlock, internalBlock.overlaps(block) { return true }
        return Self.specialRange(containing: block)?.holdsHosts ?? true
    }

    /// The special range a block lies in (for descriptions: `10.0.0.0/8 is private-use (RFC 1918)`).
    public static func specialRange(containing block: CIDRBlock) -> SpecialRange? {
        let table = block.family == .ipv4 ? ipv4Special : ipv6Special
        return table.first { $0.block.contains(block) }
    }

    /// The IPv4 block a block of a disguise range reaches, nil when the block is outside it.
    /// A block containing the whole range reaches every IPv4 address.
    static func embeddedIPv4(of block: CIDRBlock, in special: SpecialRange) -> CIDRBlock? {
        if block.contains(special.block) { return .anyIPv4 }
        guard special.block.contains(block) else { return nil }
        switch special.reach {
        case .ipv4InLowBits:
            // NAT64 and mapped addresses embed IPv4 in the last 32 bits (a local-use NAT64 prefix
            // may embed elsewhere; the low bits are the widest reading, so the safe one).
            guard block.prefixLength > 96 else { return .anyIPv4 }
            return .ipv4(UInt32(truncatingIfNeeded: block.low), prefix: block.prefixLength - 96)
        case .ipv4InvertedLowBits:
            // Teredo: 2001:0:SERVER:FLAGS:PORT:CLIENT with the client address inverted; any
            // client can be behind a block that leaves the last 32 bits free.
            guard block.prefixLength > 96 else { return .anyIPv4 }
            return .ipv4(~UInt32(truncatingIfNeeded: block.low), prefix: block.prefixLength - 96)
        case .ipv4AfterSixteenBits:
            return .ipv4(UInt32(truncatingIfNeeded: block.high >> 16), prefix: min(32, block.prefixLength - 16))
        case .none:
            return nil
        }
    }

    // MARK: - Counting

    /// Addresses of `range` inside the sorted, disjoint `space`.
    private func count(_ range: AddressRange, in space: [AddressRange]) -> AddressCount {
        var total = AddressCount.zero
        for part in space {
            if part.lower > range.upper { break }
            if let overlap = part.intersection(range) { total = total + AddressCount.between(overlap.lower, overlap.upper)! }
        }
        return total
    }

    /// Addresses of sorted, disjoint `ranges` inside the sorted, disjoint `space` (a merge walk).
    private func count(merged ranges: [AddressRange], in space: [AddressRange]) -> AddressCount {
        var total = AddressCount.zero
        var index = 0
        for range in ranges {
            while index < space.count, space[index].upper < range.lower { index += 1 }
            var probe = index
            while probe < space.count, space[probe].lower <= range.upper {
                if let overlap = space[probe].intersection(range) { total = total + AddressCount.between(overlap.lower, overlap.upper)! }
                probe += 1
            }
        }
        return total
    }

    /// The parts of `space` that none of `holes` covers, sorted.
    private static func complement(of holes: [AddressRange], within space: AddressRange) -> [AddressRange] {
        var sorted = holes.compactMap { $0.intersection(space) }
        AddressRange.mergeSorted(&sorted)
        var result: [AddressRange] = []
        var cursor: Address128? = space.lower
        for hole in sorted {
            guard let start = cursor else { break }
            if hole.lower > start, let end = hole.lower.predecessor { result.append(AddressRange(lower: start, upper: end)) }
            cursor = hole.upper.successor
            if let next = cursor, next > space.upper { cursor = nil }
        }
        if let start = cursor, start <= space.upper { result.append(AddressRange(lower: start, upper: space.upper)) }
        return result
    }
}

/// How much of the public internet a peer (or a union of peers) opens.
public struct PublicReach: Hashable, Sendable {
    /// Public IPv4 addresses reached, directly or through an IPv6 prefix that embeds IPv4.
    public var ipv4: AddressCount
    /// Public IPv6 addresses reached.
    public var ipv6: AddressCount

    /// Creates a reach.
    public init(ipv4: AddressCount, ipv6: AddressCount) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    /// No public address.
    public static let none = PublicReach(ipv4: .zero, ipv6: .zero)

    /// The class the thresholds put it in.
    public var exposure: Exposure {
        let t = Exposure.Thresholds.self
        if ipv4 >= t.worldEquivalentIPv4 || ipv6 >= t.worldEquivalentIPv6 { return .worldEquivalent }
        if ipv4 > t.narrowIPv4 || ipv6 > t.narrowIPv6 { return .widePublic }
        if !ipv4.isZero || !ipv6.isZero { return .narrowPublic }
        return .internal
    }

    /// True when a union of individually narrow blocks is as wide as an allowlist nobody reviews
    /// entry by entry (see `Exposure.Thresholds.wideUnionIPv4`).
    public var isWideUnion: Bool {
        ipv4 > Exposure.Thresholds.wideUnionIPv4 || ipv6 > Exposure.Thresholds.wideUnionIPv6
    }
}

/// How much of the public internet a peer opens, worst last. docs/RISK-MODEL.md gives the reasoning.
public enum Exposure: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// No public address: private, shared, loopback, link-local, documentation, ULA, reserved, or
    /// inside the VPC.
    case `internal`
    /// At most one site's worth of public addresses: a /24 of IPv4, a /48 of IPv6.
    case narrowPublic
    /// More than one site, less than world-equivalent.
    case widePublic
    /// At least 2^15 sites' worth (a /9 of IPv4, a /33 of IPv6): no approver can know who is in
    /// it, and the large clouds rent addresses in such ranges to anyone. Judged as the world.
    case worldEquivalent

    /// The thresholds, counted in "sites": the unit a registry gives one organisation (a /24 of
    /// IPv4 and a /48 of IPv6 are the longest prefixes routed on the internet).
    public enum Thresholds {
        /// A site: 2^8 IPv4 addresses.
        public static let narrowIPv4 = AddressCount.power(8)
        /// A site: 2^80 IPv6 addresses.
        public static let narrowIPv6 = AddressCount.power(80)
        /// 2^15 sites of IPv4 (2^23 addresses, a /9).
        public static let worldEquivalentIPv4 = AddressCount.power(23)
        /// 2^15 sites of IPv6 (2^95 addresses, a /33).
        public static let worldEquivalentIPv6 = AddressCount.power(95)
        /// 2^8 sites of IPv4 (2^16 addresses, a /16) made of individually narrow blocks.
        public static let wideUnionIPv4 = AddressCount.power(16)
        /// 2^8 sites of IPv6 (2^88 addresses, a /40) made of individually narrow blocks.
        public static let wideUnionIPv6 = AddressCount.power(88)
    }

    /// `world-equivalent`, `wide public`, `narrow public`, `internal`.
    public var description: String {
        switch self {
        case .internal: return "internal"
        case .narrowPublic: return "narrow public"
        case .widePublic: return "wide public"
        case .worldEquivalent: return "world-equivalent"
        }
    }

    public static func < (lhs: Exposure, rhs: Exposure) -> Bool { lhs.rawValue < rhs.rawValue }
}
