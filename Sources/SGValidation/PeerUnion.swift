import SGModel

/// The union of a tier's public peers, per protocol number and port set, in one direction: several
/// CIDRs that are each below world-equivalent can open as much as the world together (two /10s
/// on 5432, thirty-one blocks that make up every public IPv4 address, halves over GRE), and many
/// narrow blocks can add up to a wide allowlist. No scanner the guide cites catches either; to
/// the network both are the same as one rule with the union as its peer.
///
/// A union is judged only from rules that are not world-equivalent on their own (those are
/// reported as themselves); a world-equivalent union is judged with the /0 row, a union of
/// narrow blocks past 256 sites with the wide-public row.
///
/// Cost: the validator calls `sets` only when the sum of the candidates' reaches could cross a
/// threshold, which almost no tier does. Then tcp/udp sweep the elementary port intervals (cut at
/// every range's lower and upper+1), ICMP the type/code specs written, other protocols the whole
/// protocol; each test is one sort-and-merge of the active blocks.
enum PeerUnion {
    /// What a union amounts to.
    enum Verdict: Hashable, Sendable {
        /// World-equivalent: the /0 row.
        case world
        /// Narrow blocks wider together than 256 sites: the wide-public row.
        case wideUnion
    }

    /// A public CIDR rule of the tier and direction, with its own exposure (narrow or wide public).
    struct Lane {
        var rule: Rule
        var block: CIDRBlock
        var exposure: Exposure
    }

    /// Traffic that a union of rules opens.
    struct UnionSet {
        /// World or wide.
        var verdict: Verdict
        /// `.all` for protocol-all rules alone, else the protocol.
        var ipProtocol: IPProtocol
        /// The ports (or ICMP type/code) every member opens.
        var ports: PortSpec
        /// The member rules, in file order; the first is where the finding points.
        var rules: [Rule]
        /// The members' blocks, sorted and unique.
        var blocks: [CIDRBlock]
        /// What the members reach together.
        var reach: PublicReach

        /// `ingress tcp/22 from 11.0.0.0/10 + 11.64.0.0/10`: the rule text findings show.
        var ruleText: String {
            // RuleKey's wording with a placeholder peer, so it reads like a single-rule finding.
            let key = RuleKey(direction: rules[0].direction, ipProtocol: ipProtocol, ports: ports, peer: .prefixList("#"))
            return key.description.replacingOccurrences(of: "#", with: blocks.map(\.description).joined(separator: " + "))
        }
    }

    /// The unions of `lanes` (one tier, one direction) that amount to more than their members.
    static func sets(_ lanes: [Lane], space: PublicAddressSpace) -> [UnionSet] {
        var result: [UnionSet] = []
        let allLanes = lanes.filter { $0.rule.ipProtocol == .all }
        var allVerdict: Verdict?
        if allLanes.count >= 2, let set = judge(allLanes, ipProtocol: .all, ports: .all, space: space) {
            result.append(set)
            if set.verdict == .world { return result }  // every port of every protocol is covered
            allVerdict = set.verdict
        }
        // A protocol's unions repeat the protocol-all union unless they are worse.
        func isNews(_ set: UnionSet) -> Bool { allVerdict == nil || (allVerdict == .wideUnion && set.verdict == .world) }

        var protocols: [IPProtocol] = []
        for lane in lanes where lane.rule.ipProtocol != .all && !protocols.contains(lane.rule.ipProtocol) {
            protocols.append(lane.rule.ipProtocol)
        }
        for ipProtocol in protocols.sorted() {
            let protocolLanes = allLanes + lanes.filter { $0.rule.ipProtocol == ipProtocol }
            guard protocolLanes.count >= 2 else { continue }
            let found: [UnionSet]
            if ipProtocol.hasPorts {
                found = sweepPorts(protocolLanes, ipProtocol: ipProtocol, space: space)
            } else if ipProtocol == .icmp || ipProtocol == .icmpv6 {
                found = icmpSpecs(protocolLanes, ipProtocol: ipProtocol, space: space)
            } else {
                found = judge(protocolLanes, ipProtocol: ipProtocol, ports: .all, space: space).map { [$0] } ?? []
            }
            result += found.filter(isNews)
        }
        return result
    }

    /// The union of `active` if it amounts to a verdict.
    private static func judge(_ active: [Lane], ipProtocol: IPProtocol, ports: PortSpec, space: PublicAddressSpace) -> UnionSet? {
        guard active.count >= 2 else { return nil }
        let reach = space.reach(of: active.map(\.block))
        if reach.exposure == .worldEquivalent {
            return makeSet(.world, active, ipProtocol: ipProtocol, ports: ports, reach: reach)
        }
        let narrow = active.filter { $0.exposure == .narrowPublic }
        guard narrow.count >= 2 else { return nil }
        let narrowReach = space.reach(of: narrow.map(\.block))
        guard narrowReach.isWideUnion else { return nil }
        return makeSet(.wideUnion, narrow, ipProtocol: ipProtocol, ports: ports, reach: narrowReach)
    }

    private static func makeSet(_ verdict: Verdict, _ lanes: [Lane], ipProtocol: IPProtocol, ports: PortSpec, reach: PublicReach) -> UnionSet {
        var seen = Set<Rule>()
        let rules = lanes.map(\.rule).filter { seen.insert($0).inserted }.sorted { ($0.location, $0.key) < ($1.location, $1.key) }
        let blocks = Array(Set(lanes.map(\.block))).sorted()
        return UnionSet(verdict: verdict, ipProtocol: ipProtocol, ports: ports, rules: rules, blocks: blocks, reach: reach)
    }

    /// tcp/udp: each elementary port interval's active lanes; adjacent intervals with the same
    /// members merge into one range.
    private static func sweepPorts(_ lanes: [Lane], ipProtocol: IPProtocol, space: PublicAddressSpace) -> [UnionSet] {
        func range(of lane: Lane) -> PortRange { lane.rule.ipProtocol == .all ? .all : (lane.rule.ports.portRange ?? .all) }
        let cuts = Set(lanes.flatMap { [range(of: $0).lower, range(of: $0).upper + 1] }).sorted()
        var sets: [UnionSet] = []
        var open: (set: UnionSet, members: Set<Rule>, upper: Int)?
        func close() {
            if let run = open { sets.append(run.set) }
            open = nil
        }
        for (index, lower) in cuts.dropLast().enumerated() {
            let upper = cuts[index + 1] - 1
            let active = lanes.filter { range(of: $0).lower <= lower && upper <= range(of: $0).upper }
            guard var set = judge(active, ipProtocol: ipProtocol, ports: .ports(PortRange(lower, upper)), space: space) else {
                close()
                continue
            }
            let members = Set(set.rules)
            if var run = open, run.upper + 1 == lower, run.members == members, run.set.verdict == set.verdict,
               case .ports(let previous) = run.set.ports {
                run.set.ports = .ports(PortRange(previous.lower, upper))
                run.upper = upper
                open = run
            } else {
                close()
                set.ports = .ports(PortRange(lower, upper))
                open = (set, members, upper)
            }
        }
        close()
        return sets
    }

    /// ICMP: the type/code specs written (and "any" when a lane opens every type), broadest
    /// first; a spec inside one already reported is not repeated. The active lanes of any
    /// type/code equal those of the narrowest written spec containing it, so this is complete.
    private static func icmpSpecs(_ lanes: [Lane], ipProtocol: IPProtocol, space: PublicAddressSpace) -> [UnionSet] {
        func spec(of lane: Lane) -> (type: Int, code: Int) {
            if case .icmp(let type, let code) = lane.rule.ports, lane.rule.ipProtocol != .all { return (type, code) }
            return (-1, -1)
        }
        func covers(_ outer: (type: Int, code: Int), _ inner: (type: Int, code: Int)) -> Bool {
            outer.type == -1 || (outer.type == inner.type && (outer.code == -1 || outer.code == inner.code))
        }
        var specs: [(type: Int, code: Int)] = []
        for lane in lanes {
            let candidate = spec(of: lane)
            if !specs.contains(where: { $0 == candidate }) { specs.append(candidate) }
        }
        // Broadest first: any, then each type with any code, then exact type/code.
        specs.sort { ($0.type == -1 ? 0 : 1, $0.code == -1 ? 0 : 1, $0.type, $0.code) < ($1.type == -1 ? 0 : 1, $1.code == -1 ? 0 : 1, $1.type, $1.code) }
        var sets: [UnionSet] = []
        var reported: [(type: Int, code: Int)] = []
        for candidate in specs where !reported.contains(where: { covers($0, candidate) }) {
            let active = lanes.filter { covers(spec(of: $0), candidate) }
            if let set = judge(active, ipProtocol: ipProtocol, ports: .icmp(type: candidate.type, code: candidate.code), space: space) {
                sets.append(set)
                reported.append(candidate)
            }
        }
        return sets
    }
}
