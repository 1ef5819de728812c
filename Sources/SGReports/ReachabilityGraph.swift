import SGFindings
import SGModel
import SGValidation

/// Who can reach whom, as the review report shows it: the validator's reachability graph
/// (`Reachability`, the same hops the exposure-path findings follow) with names, labels and the
/// worst risk the validator gave each edge's rules, laid out in columns by hops from the internet.
///
/// Nothing here judges traffic again: an edge from the internet is a hop of rules the validator
/// judged world-equivalent, an edge between tiers is a hop both sides allow.
public struct ReachabilityGraph: Hashable, Sendable {
    /// The node name of the internet.
    public static let internet = Reachability.internetName
    /// The node name standing for narrow CIDRs, existing groups and prefix lists.
    public static let otherNetworks = Reachability.otherNetworksName
    /// Above this many tiers the report summarises instead of drawing.
    public static let maxDrawnTiers = 40

    /// One reachability edge.
    public struct Edge: Hashable, Sendable {
        /// Sender node.
        public var from: String
        /// Receiver tier.
        public var to: String
        /// The receiver's ingress rules that admit the sender, in file order.
        public var rules: [Rule]
        /// Worst risk among them.
        public var risk: RiskLevel
        /// Ports carried, e.g. `443` or `8080,udp/53` (`Sequence<Rule>.portsLabel`).
        public var label: String
    }

    /// One node with its place in the layout.
    public struct Node: Hashable, Sendable {
        /// `internet`, `other networks` or a tier name.
        public var name: String
        /// Column. For the internet and the tiers it reaches: hops from the internet (0 for the
        /// internet itself). For other networks and the tiers the internet cannot reach, drawn
        /// apart below them: hops from other networks, or from the tiers nothing outside reaches.
        public var column: Int
        /// Row within the column and band, in tier order.
        public var row: Int
        /// True for the tier nodes.
        public var isTier: Bool
        /// Hops on the shortest path from the internet; nil when the internet cannot reach it
        /// (and for other networks).
        public var hopsFromInternet: Int?
    }

    /// A tier reference the sender's egress does not allow: the receiver admits traffic the sender
    /// cannot send. Not an edge (no traffic flows), but worth an approver's look.
    public struct OneSidedReference: Hashable, Sendable {
        /// The tier named by the ingress rules.
        public var from: String
        /// The tier whose ingress names it.
        public var to: String
        /// The ports of those rules.
        public var label: String
    }

    /// Nodes in drawing order: the internet, other networks (when anything comes from them), then
    /// the tiers in file order.
    public private(set) var nodes: [Node]
    /// Edges sorted by sender, then receiver, in node order.
    public private(set) var edges: [Edge]
    /// Tier references no traffic flows along, in the same order as edges.
    public private(set) var oneSidedReferences: [OneSidedReference]
    /// Tier names marked `public: true`.
    public private(set) var publicTiers: Set<String>
    /// Egress posture per tier (`closed`, `default`, `explicit`), from the rules.
    public private(set) var egressPosture: [String: String]

    /// The report's view of the validator's graph; `validation.assessments` give each edge its risk.
    public init(validation: ValidationResult) {
        let reachability = validation.reachability
        let tiers = reachability.tiers
        let names = tiers.map(\.name)
        let risks = RuleRisks(tiers: tiers, assessments: validation.assessments)

        func senderName(_ sender: Reachability.Sender) -> String {
            switch sender {
            case .internet: return Self.internet
            case .otherNetworks: return Self.otherNetworks
            case .tier(let index): return names[index]
            }
        }
        func senderOrder(_ sender: Reachability.Sender) -> Int {
            switch sender {
            case .internet: return 0
            case .otherNetworks: return 1
            case .tier(let index): return 2 + index
            }
        }

        let ordered = reachability.hops.indices.sorted { a, b in
            let left = reachability.hops[a], right = reachability.hops[b]
            return (senderOrder(left.from), left.to, a) < (senderOrder(right.from), right.to, b)
        }
        var edges: [Edge] = []
        var oneSided: [OneSidedReference] = []
        for index in ordered {
            let hop = reachability.hops[index]
            let rules = reachability.rules(of: hop)
            let label = rules.portsLabel
            guard hop.carriesTraffic else {
                oneSided.append(OneSidedReference(from: senderName(hop.from), to: names[hop.to], label: label))
                continue
            }
            let risk = reachability.positions(of: hop).map { risks.risk(tier: hop.to, ingressPosition: $0) }.max() ?? .info
            edges.append(Edge(from: senderName(hop.from), to: names[hop.to], rules: rules, risk: risk, label: label))
        }
        self.edges = edges
        oneSidedReferences = oneSided
        nodes = Self.placeNodes(reachability)
        publicTiers = Set(tiers.filter(\.isPublic).map(\.name))
        egressPosture = Dictionary(uniqueKeysWithValues: Dictionary(grouping: tiers, by: \.name).map { name, group in
            let tier = group[0]
            return (name, tier.isEgressClosed ? "closed" : tier.usesDefaultEgress ? "default (all)" : "\(tier.egress.count) rule(s)")
        })
    }

    /// Columns: the internet's tiers by their hops from it; the others by breadth-first search
    /// from other networks, then from the tiers nothing outside reaches (one column in), then
    /// from the first tier of each remaining cycle. Rows in tier order within a column and band.
    private static func placeNodes(_ reachability: Reachability) -> [Node] {
        let tiers = reachability.tiers
        var column = [Int?](repeating: nil, count: tiers.count)
        for index in tiers.indices where reachability.hopsFromInternet[index] > 0 {
            column[index] = reachability.hopsFromInternet[index]
        }
        // Carrying hops between the tiers the internet cannot reach, by sender.
        var receivers = [[Int]](repeating: [], count: tiers.count)
        var fromOtherNetworks: [Int] = []
        var hasTierSender = [Bool](repeating: false, count: tiers.count)
        for hop in reachability.hops where hop.carriesTraffic && column[hop.to] == nil {
            switch hop.from {
            case .internet: break
            case .otherNetworks: fromOtherNetworks.append(hop.to)
            case .tier(let sender) where sender != hop.to:
                receivers[sender].append(hop.to)
                hasTierSender[hop.to] = true
            case .tier: break
            }
        }
        func search(from start: [Int]) {
            var queue = start, head = 0
            while head < queue.count {
                let current = queue[head]
                head += 1
                for receiver in receivers[current] where column[receiver] == nil {
                    column[receiver] = column[current]! + 1
                    queue.append(receiver)
                }
            }
        }
        var firstHop: [Int] = []
        for receiver in fromOtherNetworks.sorted() where column[receiver] == nil {
            column[receiver] = 1
            firstHop.append(receiver)
        }
        search(from: firstHop)
        let roots = tiers.indices.filter { column[$0] == nil && !hasTierSender[$0] }
        for root in roots { column[root] = 1 }
        search(from: roots)
        for index in tiers.indices where column[index] == nil {
            column[index] = 1
            search(from: [index])
        }

        var nodes = [Node(name: internet, column: 0, row: 0, isTier: false, hopsFromInternet: 0)]
        let hasOtherNetworks = reachability.hops.contains { $0.from == .otherNetworks && $0.carriesTraffic }
        if hasOtherNetworks { nodes.append(Node(name: otherNetworks, column: 0, row: 0, isTier: false, hopsFromInternet: nil)) }
        var rows: [Int: Int] = [:]  // key: column * 2 + band
        var placed = Set<String>()
        for (index, tier) in tiers.enumerated() where placed.insert(tier.name).inserted {
            let hops = reachability.hopsFromInternet[index]
            let key = column[index]! * 2 + (hops > 0 ? 0 : 1)
            nodes.append(Node(name: tier.name, column: column[index]!, row: rows[key, default: 0], isTier: true, hopsFromInternet: hops > 0 ? hops : nil))
            rows[key, default: 0] += 1
        }
        return nodes
    }

    /// The edge between two nodes, if any.
    public func edge(from: String, to: String) -> Edge? { edges.first { $0.from == from && $0.to == to } }

    /// Number of tier nodes.
    public var tierCount: Int { nodes.filter(\.isTier).count }

    /// True when the picture would be too dense to read and the report summarises instead.
    public var isSummarised: Bool { tierCount > Self.maxDrawnTiers }

    /// Stroke colour per risk (also used by the HTML tables).
    public static func colour(_ risk: RiskLevel) -> String {
        switch risk {
        case .critical: return "#6a1b9a"
        case .high: return "#c62828"
        case .medium: return "#d35400"
        case .low: return "#2e7d32"
        case .info: return "#546e7a"
        }
    }

    /// A summary for deployments too large to draw: tiers per hop count and the internet's edges.
    public var summaryLines: [String] {
        var lines = ["\(tierCount) tiers and \(edges.count) edges: too many to draw legibly (limit \(Self.maxDrawnTiers) tiers)."]
        let tierNodes = nodes.filter(\.isTier)
        let byHops = Dictionary(grouping: tierNodes.filter { $0.hopsFromInternet != nil }, by: { $0.hopsFromInternet! })
        for hops in byHops.keys.sorted() {
            lines.append("depth \(hops) from the internet: \(byHops[hops]!.count) tier(s)")
        }
        let unreached = tierNodes.filter { $0.hopsFromInternet == nil }.count
        if unreached > 0 { lines.append("not reachable from the internet: \(unreached) tier(s)") }
        let direct = edges.filter { $0.from == Self.internet }
        lines.append("\(direct.count) tier(s) accept traffic from the internet directly")
        return lines
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// The validator's risk of each ingress rule, by tier index and position: assessments come in
/// tier order, ingress before egress, one per rule.
private struct RuleRisks {
    let tiers: [Tier]
    let assessments: [RuleAssessment]
    /// Index of each tier's first assessment, when the assessments cover every rule.
    let starts: [Int]?

    init(tiers: [Tier], assessments: [RuleAssessment]) {
        self.tiers = tiers
        self.assessments = assessments
        var starts: [Int] = []
        var next = 0
        for tier in tiers {
            starts.append(next)
            next += tier.ingress.count + tier.egress.count
        }
        self.starts = next == assessments.count ? starts : nil
    }

    func risk(tier: Int, ingressPosition: Int) -> RiskLevel {
        let rule = tiers[tier].ingress[ingressPosition]
        if let starts, assessments[starts[tier] + ingressPosition].rule == rule { return assessments[starts[tier] + ingressPosition].risk }
        return assessments.first { $0.tier == tiers[tier].name && $0.rule == rule }?.risk ?? .info
    }
}
