import SGModel

/// Who can reach whom, hop by hop: the one graph behind the exposure-path findings and the review
/// report's drawing, so the two cannot disagree about what is reachable.
///
/// A hop between tiers needs both sides, as AWS enforces both: the receiver admits the sender
/// (`source_tier`) and the sender may send that traffic (default egress, egress to the receiver's
/// tier, or to a CIDR that could hold its addresses); a reference the sender cannot serve is a hop
/// that carries no traffic, named in reports, on no path. A hop from the internet is an ingress
/// rule judged world-equivalent (alone or in a union of peers); any other (narrower CIDRs, groups,
/// prefix lists) comes from "other networks". Built in time linear in the rules; hops hold
/// positions into one shared buffer, not copies of rules.
public struct Reachability: Sendable {
    /// The name reports and findings give the internet.
    public static let internetName = "internet"
    /// The name reports give every sender that is neither the internet nor a tier.
    public static let otherNetworksName = "other networks"

    /// Where the traffic of a hop comes from.
    public enum Sender: Hashable, Sendable {
        /// World-equivalent peers.
        case internet
        /// Narrower CIDRs, existing security groups, prefix lists, tiers outside the deployment.
        case otherNetworks
        /// The tier at this index of `tiers`.
        case tier(Int)
    }

    /// One edge: the receiver's ingress rules that admit one sender.
    public struct Hop: Hashable, Sendable {
        /// The sender.
        public var from: Sender
        /// The receiving tier's index in `tiers`.
        public var to: Int
        /// False for a tier reference the sender's egress does not allow: no path uses the hop.
        public var carriesTraffic: Bool
        /// Where the hop's rule positions are in `positions`.
        fileprivate var span: Range<Int>
    }

    /// The tiers the graph is over, as validated.
    public let tiers: [Tier]
    /// Every hop, grouped by receiver in tier order; within a receiver: the internet, other
    /// networks, then tier senders in the order their first rule is written.
    public private(set) var hops: [Hop] = []
    /// Per tier: hops on its shortest path from the internet (1: it admits the internet), 0: none.
    public private(set) var hopsFromInternet: [Int]
    /// Per tier: the index in `hops` of the last hop of its shortest path from the internet.
    public private(set) var arrival: [Int?]
    /// Positions in the receivers' `ingress` lists, in file order per hop.
    private var positions: [Int] = []
    /// While building: tier index by name (the first of a name), and one receiver's tier senders.
    private var indexByName: [String: Int] = [:]
    private var senders: [(sender: Int, position: Int, carries: Bool)] = []

    /// A graph over no tiers.
    public init() { self.init(tiers: []) }

    /// Starts a graph over `tiers`; the validator calls `addIngress` per tier, then `findPaths`.
    init(tiers: [Tier]) {
        self.tiers = tiers
        hopsFromInternet = [Int](repeating: 0, count: tiers.count)
        arrival = [Int?](repeating: nil, count: tiers.count)
        indexByName.reserveCapacity(tiers.count)
        for (index, tier) in tiers.enumerated() where indexByName[tier.name] == nil { indexByName[tier.name] = index }
    }

    /// The positions (in the receiver's `ingress`) of the rules that carry `hop`, in file order.
    public func positions(of hop: Hop) -> ArraySlice<Int> { positions[hop.span] }

    /// The rules that carry `hop`, in file order.
    public func rules(of hop: Hop) -> [Rule] {
        let ingress = tiers[hop.to].ingress
        return positions[hop.span].map { ingress[$0] }
    }

    /// The first rule of `hop` in file order: where a finding about the hop points.
    public func firstRule(of hop: Hop) -> Rule { tiers[hop.to].ingress[positions[hop.span.lowerBound]] }

    /// The hops of the shortest path from the internet to a tier, first first; empty: unreachable.
    public func path(to tier: Int) -> [Hop] {
        var out: [Hop] = []
        var cursor = arrival[tier]
        while let index = cursor {
            let hop = hops[index]
            out.append(hop)
            guard case .tier(let sender) = hop.from else { break }
            cursor = arrival[sender]
        }
        return out.reversed()
    }

    // MARK: - Building

    /// Adds the hops into tier `receiver`. `world` holds the positions of its ingress rules the
    /// validator judged world-equivalent, sorted.
    mutating func addIngress(of receiver: Int, world: [Int], context: ValidationContext) {
        let tier = tiers[receiver]
        if !world.isEmpty {
            positions.append(contentsOf: world)
            hops.append(Hop(from: .internet, to: receiver, carriesTraffic: true, span: positions.count - world.count..<positions.count))
        }
        senders.removeAll(keepingCapacity: true)
        let otherStart = positions.count
        var nextWorld = 0
        for (position, rule) in tier.ingress.enumerated() {
            if nextWorld < world.count, world[nextWorld] == position {
                nextWorld += 1
            } else if case .tier(let name) = rule.peer, let sender = indexByName[name] {
                senders.append((sender, position, Self.canSend(rule, from: tiers[sender], to: tier, context: context)))
            } else {
                positions.append(position)
            }
        }
        if positions.count > otherStart {
            hops.append(Hop(from: .otherNetworks, to: receiver, carriesTraffic: true, span: otherStart..<positions.count))
        }
        // One hop per sender and outcome, in the order each sender's first rule is written.
        for (index, entry) in senders.enumerated()
        where !senders[..<index].contains(where: { $0.sender == entry.sender && $0.carries == entry.carries }) {
            let start = positions.count
            for later in senders[index...] where later.sender == entry.sender && later.carries == entry.carries {
                positions.append(later.position)
            }
            hops.append(Hop(from: .tier(entry.sender), to: receiver, carriesTraffic: entry.carries, span: start..<positions.count))
        }
    }

    /// Breadth-first search from the internet over the hops that carry traffic: every tier's
    /// shortest path, in time linear in the hops. Ties go to the sender found first (tier order).
    mutating func findPaths() {
        (indexByName, senders) = ([:], [])  // building is over
        // Outgoing tier hops per sender as one flat list (counts, offsets, fill), in hop order.
        var offsets = [Int](repeating: 0, count: tiers.count + 1)
        for hop in hops where hop.carriesTraffic {
            if case .tier(let sender) = hop.from, sender != hop.to { offsets[sender + 1] += 1 }
        }
        for index in tiers.indices { offsets[index + 1] += offsets[index] }
        var outgoing = [Int](repeating: 0, count: offsets[tiers.count])
        var fill = offsets
        for (index, hop) in hops.enumerated() where hop.carriesTraffic {
            guard case .tier(let sender) = hop.from, sender != hop.to else { continue }
            outgoing[fill[sender]] = index
            fill[sender] += 1
        }

        var queue: [Int] = []
        for (index, hop) in hops.enumerated() where hop.from == .internet && hopsFromInternet[hop.to] == 0 {
            hopsFromInternet[hop.to] = 1
            arrival[hop.to] = index
            queue.append(hop.to)
        }
        // Receivers are added in tier order, so the queue starts in tier order as well.
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for hopIndex in outgoing[offsets[current]..<offsets[current + 1]] {
                let receiver = hops[hopIndex].to
                guard hopsFromInternet[receiver] == 0 else { continue }
                hopsFromInternet[receiver] = hopsFromInternet[current] + 1
                arrival[receiver] = hopIndex
                queue.append(receiver)
            }
        }
    }

    // MARK: - Both sides of a hop

    /// True when `sender` may send the traffic of `ingressRule` to `receiver`.
    static func canSend(_ ingressRule: Rule, from sender: Tier, to receiver: Tier, context: ValidationContext) -> Bool {
        if DefaultEgress.expected(for: sender) { return true }
        return sender.egress.contains { egress in
            guard trafficOverlaps(egress, ingressRule) else { return false }
            switch egress.peer {
            case .tier(let name): return name == receiver.name
            case .cidr(let block): return couldContainTierAddresses(block, vpc: context.vpcCIDR)
            case .securityGroup, .prefixList: return false  // contents unknown here; not assumed
            }
        }
    }

    /// Whether a destination CIDR could hold a tier's addresses: the world always; with a known
    /// VPC, any block overlapping it; without one, any block overlapping private space.
    static func couldContainTierAddresses(_ block: CIDRBlock, vpc: CIDRBlock?) -> Bool {
        if block.isEntireFamily { return true }
        if let vpc, vpc.family == block.family { return block.overlaps(vpc) }
        return privateSpace.contains { $0.overlaps(block) }
    }

    private static let privateSpace: [CIDRBlock] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"]
        .map { try! CIDRBlock.parse($0).get() }

    /// True when two rules can carry the same packets (same protocol or either `all`, and
    /// overlapping ports; ICMP type/code is not narrowed further).
    static func trafficOverlaps(_ a: Rule, _ b: Rule) -> Bool {
        if a.ipProtocol == .all || b.ipProtocol == .all { return true }
        guard a.ipProtocol == b.ipProtocol else { return false }
        guard let left = a.ports.portRange, let right = b.ports.portRange else { return true }
        return left.overlaps(right)
    }
}
