import SGModel

/// Finds sets of CIDR rules in one tier and direction that together cover the whole IPv4 or IPv6
/// space (0.0.0.0/1 + 128.0.0.0/1, four /2 blocks, ::/1 + 8000::/1 ...) for the traffic they
/// share. No scanner the guide cites catches this; to the network it is the same as 0.0.0.0/0.
///
/// Cost: one sort-and-merge over the tier's CIDRs rejects almost every tier at once
/// (O(n log n)). Only when the union of all CIDRs covers the space does it sweep the port axis,
/// testing each elementary port interval with a linear merge over the CIDRs already sorted.
enum WorldCoverage {
    /// Traffic that a set of rules opens to the whole address family.
    struct CoveringSet: Hashable, Sendable {
        /// `.all` when protocol-all rules alone cover the world, else `.tcp` or `.udp`.
        var ipProtocol: IPProtocol
        /// The ports every address can reach (`.all` for protocol all).
        var ports: PortSpec
        /// The contributing rules, in file order; the first is where the finding points.
        var rules: [Rule]
        /// IPv4 or IPv6.
        var family: CIDRBlock.Family

        /// `0.0.0.0/1 + 128.0.0.0/1`, CIDRs sorted by address and unique.
        var cidrText: String {
            let blocks = Set(rules.compactMap { rule -> CIDRBlock? in
                if case .cidr(let block) = rule.peer { return block }
                return nil
            }).sorted()
            return blocks.map(\.description).joined(separator: " + ")
        }

        /// The rule text findings show, e.g. `ingress tcp/22 from 0.0.0.0/1 + 128.0.0.0/1`.
        var ruleText: String {
            // Reuse RuleKey's wording (with a placeholder peer) so the text reads exactly like a
            // single-rule finding's.
            let direction = rules[0].direction
            let key = RuleKey(direction: direction, ipProtocol: ipProtocol, ports: ports, peer: .prefixList("#"))
            return key.description.replacingOccurrences(of: "#", with: cidrText)
        }

        var worldPeer: WorldPeer { WorldPeer(text: cidrText, family: family, isCoverage: true) }
    }

    /// Covering sets of one tier for one direction. 0.0.0.0/0 and ::/0 rules are left out: they
    /// are judged on their own, and adding them would only restate those findings.
    static func coveringSets(in rules: [Rule]) -> [CoveringSet] {
        var result: [CoveringSet] = []
        for family in [CIDRBlock.Family.ipv4, .ipv6] {
            var candidates: [(rule: Rule, span: AddressSpan)] = []
            for rule in rules {
                guard case .cidr(let block) = rule.peer, block.family == family, !block.isEntireFamily else { continue }
                candidates.append((rule, AddressSpan(block)))
            }
            // Sorted once by start address; every later filter keeps this order.
            candidates.sort { $0.span.start < $1.span.start }
            guard AddressSpan.cover(candidates.map(\.span), family: family) else { continue }

            let protocolAll = candidates.filter { $0.rule.ipProtocol == .all }
            if AddressSpan.cover(protocolAll.map(\.span), family: family) {
                result.append(CoveringSet(ipProtocol: .all, ports: .all, rules: inFileOrder(protocolAll.map(\.rule)), family: family))
                continue  // every port of every protocol is already covered
            }
            for transport in [IPProtocol.tcp, .udp] {
                let lanes = candidates.compactMap { candidate -> (rule: Rule, span: AddressSpan, ports: PortRange)? in
                    if candidate.rule.ipProtocol == .all { return (candidate.rule, candidate.span, .all) }
                    guard candidate.rule.ipProtocol == transport, let range = candidate.rule.ports.portRange else { return nil }
                    return (candidate.rule, candidate.span, range)
                }
                result += sweepPorts(lanes, transport: transport, family: family)
            }
        }
        return result
    }

    /// Walks the elementary port intervals (cut at every range's lower and upper+1) and merges
    /// adjacent covered intervals into ranges.
    private static func sweepPorts(
        _ lanes: [(rule: Rule, span: AddressSpan, ports: PortRange)], transport: IPProtocol, family: CIDRBlock.Family
    ) -> [CoveringSet] {
        guard AddressSpan.cover(lanes.map(\.span), family: family) else { return [] }
        let cuts = Set(lanes.flatMap { [$0.ports.lower, $0.ports.upper + 1] }).sorted()
        var sets: [CoveringSet] = []
        var open: (lower: Int, upper: Int, rules: [Rule])?
        func close() {
            if let run = open {
                sets.append(CoveringSet(
                    ipProtocol: transport, ports: .ports(PortRange(run.lower, run.upper)), rules: inFileOrder(run.rules), family: family))
            }
            open = nil
        }
        for (index, lower) in cuts.dropLast().enumerated() {
            let upper = cuts[index + 1] - 1
            let active = lanes.filter { $0.ports.lower <= lower && upper <= $0.ports.upper }
            guard AddressSpan.cover(active.map(\.span), family: family) else {
                close()
                continue
            }
            if var run = open, run.upper + 1 == lower {
                run.upper = upper
                run.rules += active.map(\.rule)
                open = run
            } else {
                close()
                open = (lower, upper, active.map(\.rule))
            }
        }
        close()
        return sets
    }

    /// Unique rules sorted by where they were written (the same rule can join several intervals).
    private static func inFileOrder(_ rules: [Rule]) -> [Rule] {
        var seen = Set<Rule>()
        return rules.filter { seen.insert($0).inserted }.sorted { ($0.location, $0.key) < ($1.location, $1.key) }
    }
}

/// A 128-bit unsigned address (IPv4 in the low 32 bits), enough for interval arithmetic.
struct Address128: Hashable, Comparable, Sendable {
    var high: UInt64
    var low: UInt64

    static func < (lhs: Address128, rhs: Address128) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The next address, or nil past the top of the space.
    var successor: Address128? {
        if low != .max { return Address128(high: high, low: low + 1) }
        if high != .max { return Address128(high: high + 1, low: 0) }
        return nil
    }
}

/// The inclusive address interval of a CIDR block.
struct AddressSpan: Hashable, Sendable {
    var start: Address128
    var end: Address128

    init(_ block: CIDRBlock) {
        start = Address128(high: block.high, low: block.low)
        let hostBits = block.sizeLog2
        switch block.family {
        case .ipv4:
            end = Address128(high: 0, low: block.low | ((UInt64(1) << UInt64(hostBits)) - 1))
        case .ipv6:
            if hostBits >= 64 {
                let highHost: UInt64 = hostBits == 128 ? .max : (UInt64(1) << UInt64(hostBits - 64)) - 1
                end = Address128(high: block.high | highHost, low: .max)
            } else {
                let lowHost: UInt64 = hostBits == 0 ? 0 : (UInt64(1) << UInt64(hostBits)) - 1
                end = Address128(high: block.high, low: block.low | lowHost)
            }
        }
    }

    /// True when spans sorted by start cover the whole family with no gap (sort-and-merge).
    static func cover(_ sortedSpans: [AddressSpan], family: CIDRBlock.Family) -> Bool {
        let top = family == .ipv4 ? Address128(high: 0, low: 0xFFFF_FFFF) : Address128(high: .max, low: .max)
        guard let first = sortedSpans.first, first.start == Address128(high: 0, low: 0) else { return false }
        var reach = first.end
        for span in sortedSpans.dropFirst() {
            if reach == top { return true }
            guard let next = reach.successor, span.start <= next else { return false }
            if span.end > reach { reach = span.end }
        }
        return reach == top
    }
}
