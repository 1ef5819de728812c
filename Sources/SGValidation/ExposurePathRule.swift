import SGModel

/// Transitive exposure: tiers the internet cannot reach directly but can reach through other
/// tiers (internet -(443)-> web -(8080)-> app -(5432)-> db). Each hop is judged on both sides, as
/// AWS does: B must accept traffic from A (ingress `source_tier: A`) and A must be allowed to send
/// it (default egress, egress to tier B, or egress to a CIDR that could contain B's addresses).
///
/// The graph has one node per tier plus the internet; a breadth-first search from the internet
/// gives every tier its shortest path in time linear in the number of rules.
enum ExposurePathRule {
    /// One reachability edge into a tier: the rules on the receiving side that carry it.
    private struct Hop {
        var from: Int  // tier index, or -1 for the internet
        var rules: [Rule]
    }

    /// Findings for every tier reachable only through other tiers. `worldIngress[i]` holds the
    /// ingress rules of tier i that accept traffic from a world-equivalent peer (single rules and
    /// the anchors of unions).
    static func findings(tiers: [Tier], worldIngress: [[Rule]], context: ValidationContext) -> [Finding] {
        var indexByName: [String: Int] = [:]
        for (index, tier) in tiers.enumerated() where indexByName[tier.name] == nil { indexByName[tier.name] = index }

        // Edges grouped by sender: sender index -> [(receiver, rules on the receiver)] in tier order.
        var edgesFrom: [Int: [(to: Int, rules: [Rule])]] = [:]
        for (receiver, tier) in tiers.enumerated() {
            var rulesBySender: [Int: [Rule]] = [:]
            var senders: [Int] = []
            for rule in tier.ingress {
                guard case .tier(let name) = rule.peer, let sender = indexByName[name], sender != receiver,
                      canSend(rule, from: tiers[sender], to: tier, context: context) else { continue }
                if rulesBySender[sender] == nil { senders.append(sender) }
                rulesBySender[sender, default: []].append(rule)
            }
            for sender in senders { edgesFrom[sender, default: []].append((receiver, rulesBySender[sender]!)) }
        }

        var parent = [Hop?](repeating: nil, count: tiers.count)
        var depth = [Int](repeating: -1, count: tiers.count)
        var queue: [Int] = []
        for (index, rules) in worldIngress.enumerated() where !rules.isEmpty {
            parent[index] = Hop(from: -1, rules: rules)
            depth[index] = 1
            queue.append(index)
        }
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for edge in edgesFrom[current] ?? [] where depth[edge.to] < 0 {
                depth[edge.to] = depth[current] + 1
                parent[edge.to] = Hop(from: current, rules: edge.rules)
                queue.append(edge.to)
            }
        }

        var findings: [Finding] = []
        for (index, tier) in tiers.enumerated() where depth[index] >= 2 {
            var names = [tier.name]
            var labels: [String] = []
            var cursor = index
            while let hop = parent[cursor] {
                labels.append(portsLabel(hop.rules))
                names.append(hop.from < 0 ? "internet" : tiers[hop.from].name)
                if hop.from < 0 { break }
                cursor = hop.from
            }
            names.reverse()
            labels.reverse()
            var pathText = names[0]
            for (offset, label) in labels.enumerated() { pathText += " -(\(label))-> \(names[offset + 1])" }
            let anchor = parent[index]!.rules[0]
            var finding = Finding(
                kind: .exposurePath, tier: tier, anchor: anchor,
                description: "tier \(tier.name) accepts no traffic from the internet itself but is reachable through \(names.count - 2) other tier\(names.count == 3 ? "" : "s"): \(pathText)")
            finding.path = names
            // The path, not the anchor rule, is what this finding is about.
            finding.fingerprint = FindingFingerprint.make(findingID: finding.id, tier: tier.name, subject: "path " + names.joined(separator: ">"))
            findings.append(finding)
        }
        return findings
    }

    /// True when `sender` may send the traffic of `ingressRule` to `receiver`.
    static func canSend(_ ingressRule: Rule, from sender: Tier, to receiver: Tier, context: ValidationContext) -> Bool {
        if sender.usesDefaultEgress { return true }
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

    /// `443`, `udp/53`, `all`, `icmp`: the ports on one hop, unique, in rule order.
    static func portsLabel(_ rules: [Rule]) -> String {
        var seen = Set<String>()
        var parts: [String] = []
        for rule in rules {
            let text: String
            switch (rule.ipProtocol, rule.ports) {
            case (.all, _): text = "all"
            case (.tcp, .ports(let range)): text = range.description
            case (_, .ports(let range)): text = "\(rule.ipProtocol)/\(range)"
            default: text = rule.ipProtocol.description
            }
            if seen.insert(text).inserted { parts.append(text) }
        }
        return parts.joined(separator: ",")
    }
}
