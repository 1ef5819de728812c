import SGModel
import SGValidation

/// Who can reach whom: one node per tier plus the internet (and "other networks" for narrow
/// CIDRs, existing groups and prefix lists), one edge per (sender, receiver) carrying the ingress
/// rules that admit the sender, coloured by the worst risk the validator gave those rules.
///
/// Edges come from the validator's per-rule assessments, so the picture and the findings can never
/// disagree about what is dangerous (a rule counts as "from the internet" exactly when the
/// validator raised a world-exposure finding on it, which includes CIDR sets covering the world).
public struct ReachabilityGraph: Hashable, Sendable {
    /// The node name of the internet.
    public static let internet = "internet"
    /// The node name standing for narrow CIDRs, existing security groups and prefix lists.
    public static let otherNetworks = "other networks"
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
        /// Ports carried, e.g. `443` or `8080,udp/53`.
        public var label: String
    }

    /// One node with its layout column.
    public struct Node: Hashable, Sendable {
        /// `internet`, `other networks` or a tier name.
        public var name: String
        /// Column: breadth-first depth from the internet (0 for the internet and other networks).
        public var column: Int
        /// Row within the column.
        public var row: Int
        /// True for the tier nodes.
        public var isTier: Bool
    }

    /// Nodes in drawing order.
    public private(set) var nodes: [Node]
    /// Edges sorted by sender then receiver in node order.
    public private(set) var edges: [Edge]
    /// Tier names marked `public: true`.
    public private(set) var publicTiers: Set<String>
    /// Egress posture per tier (`closed`, `default`, `explicit`), from the rules.
    public private(set) var egressPosture: [String: String]

    /// Builds the graph from the tiers and the validator's assessments of their rules.
    public init(tiers: [Tier], assessments: [RuleAssessment]) {
        let worldKinds = Set(FindingKind.all.filter { $0.type == "world-exposure" }.map(\.id))
        let tierNames = Set(tiers.map(\.name))
        var edgeRules: [String: [String: [(Rule, RiskLevel)]]] = [:]
        for assessment in assessments where assessment.rule.direction == .ingress {
            let rule = assessment.rule
            let sender: String
            if !worldKinds.isDisjoint(with: assessment.findingIDs) {
                sender = Self.internet
            } else {
                switch rule.peer {
                case .tier(let name) where tierNames.contains(name): sender = name
                case .cidr(let block) where block.isEntireFamily: sender = Self.internet
                default: sender = Self.otherNetworks
                }
            }
            edgeRules[sender, default: [:]][assessment.tier, default: []].append((rule, assessment.risk))
        }

        // Columns: breadth-first depth from the internet and other networks; tiers reached from
        // neither start their own search one column in, after the tiers that feed them.
        var column: [String: Int] = [:]
        var queue: [String] = []
        for root in [Self.internet, Self.otherNetworks] where edgeRules[root] != nil || root == Self.internet {
            column[root] = 0
            queue.append(root)
        }
        let order = tiers.map(\.name)
        var position: [String: Int] = [:]
        for (index, name) in order.enumerated() where position[name] == nil { position[name] = index }
        var receiversBySender: [String: [String]] = [:]
        var hasTierSender = Set<String>()
        for (sender, receivers) in edgeRules {
            receiversBySender[sender] = receivers.keys.sorted { position[$0] ?? 0 < position[$1] ?? 0 }
            if tierNames.contains(sender) { hasTierSender.formUnion(receivers.keys.filter { $0 != sender }) }
        }
        func search(from start: [String]) {
            var head = 0
            var pending = start
            while head < pending.count {
                let current = pending[head]
                head += 1
                for receiver in receiversBySender[current] ?? [] where column[receiver] == nil {
                    column[receiver] = column[current]! + 1
                    pending.append(receiver)
                }
            }
        }
        search(from: queue)
        // Tiers nothing outside reaches: sources of their own sub-graphs start at column 1.
        let isolatedRoots = order.filter { column[$0] == nil && !hasTierSender.contains($0) }
        for root in isolatedRoots where column[root] == nil { column[root] = 1 }
        search(from: isolatedRoots)
        // What is left sits on cycles among unreached tiers: start each at the first one in order.
        for name in order where column[name] == nil {
            column[name] = 1
            search(from: [name])
        }

        var rows: [Int: Int] = [:]
        var nodes: [Node] = []
        var placed = Set<String>()
        for name in [Self.internet, Self.otherNetworks] + order {
            guard let col = column[name], placed.insert(name).inserted else { continue }
            nodes.append(Node(name: name, column: col, row: rows[col, default: 0], isTier: tierNames.contains(name)))
            rows[col, default: 0] += 1
        }
        self.nodes = nodes

        var edges: [Edge] = []
        for sender in nodes.map(\.name) {
            for receiver in receiversBySender[sender] ?? [] {
                guard let rules = edgeRules[sender]?[receiver] else { continue }
                let risk = rules.map(\.1).max() ?? .info
                edges.append(Edge(from: sender, to: receiver, rules: rules.map(\.0), risk: risk, label: Self.portsLabel(rules.map(\.0))))
            }
        }
        self.edges = edges
        publicTiers = Set(tiers.filter(\.isPublic).map(\.name))
        egressPosture = Dictionary(uniqueKeysWithValues: Dictionary(grouping: tiers, by: \.name).map { name, group in
            let tier = group[0]
            return (name, tier.isEgressClosed ? "closed" : tier.usesDefaultEgress ? "default (all)" : "\(tier.egress.count) rule(s)")
        })
    }

    /// The edge between two nodes, if any.
    public func edge(from: String, to: String) -> Edge? { edges.first { $0.from == from && $0.to == to } }

    /// Number of tier nodes.
    public var tierCount: Int { nodes.filter(\.isTier).count }

    /// True when the picture would be too dense to read and the report summarises instead.
    public var isSummarised: Bool { tierCount > Self.maxDrawnTiers }

    /// `443`, `udp/53`, `all`, `icmp`: the ports on one edge, unique, in rule order.
    static func portsLabel(_ rules: [Rule]) -> String {
        var seen = Set<String>()
        var parts: [String] = []
        for rule in rules {
            let text: String
            switch (rule.ipProtocol, rule.ports) {
            case (.all, _): text = "all"
            case (.tcp, .ports(let range)): text = range == .all ? "tcp/all" : range.description
            case (_, .ports(let range)): text = "\(rule.ipProtocol)/\(range)"
            default: text = rule.ipProtocol.description
            }
            if seen.insert(text).inserted { parts.append(text) }
        }
        return parts.joined(separator: ",")
    }

    // MARK: - SVG

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

    /// An inline SVG drawing (deterministic layout: columns by depth from the internet, rows in
    /// tier order), or nil when the graph is summarised instead.
    public func svg() -> String? {
        guard !isSummarised else { return nil }
        let nodeWidth = 170, nodeHeight = 48, columnWidth = 290, rowHeight = 96, margin = 30, legendHeight = 40
        let columns = (nodes.map(\.column).max() ?? 0) + 1
        let rowsUsed = Dictionary(grouping: nodes, by: \.column).values.map(\.count).max() ?? 1
        let width = margin * 2 + (columns - 1) * columnWidth + nodeWidth
        let height = margin * 2 + (rowsUsed - 1) * rowHeight + nodeHeight + 70 + legendHeight
        var position: [String: (x: Int, y: Int)] = [:]
        for node in nodes { position[node.name] = (margin + node.column * columnWidth, margin + node.row * rowHeight) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Tier reachability\" font-family=\"sans-serif\" font-size=\"13\">\n"
        out += "<defs>\n"
        for level in RiskLevel.allCases {
            out += "<marker id=\"arrow-\(level.rawValue)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"\(Self.colour(level))\"/></marker>\n"
        }
        out += "</defs>\n"

        // Edges first, so nodes are drawn over their ends.
        var labels = ""
        for (index, edge) in edges.enumerated() {
            guard let from = position[edge.from], let to = position[edge.to] else { continue }
            let colour = Self.colour(edge.risk)
            let forward = to.x > from.x
            let (x0, y0, x3, y3): (Int, Int, Int, Int)
            let (x1, y1, x2, y2): (Int, Int, Int, Int)
            if forward {
                (x0, y0, x3, y3) = (from.x + nodeWidth, from.y + nodeHeight / 2, to.x - 2, to.y + nodeHeight / 2)
                let bend = (x3 - x0) / 2
                (x1, y1, x2, y2) = (x0 + bend, y0, x3 - bend, y3)
            } else if edge.from == edge.to {
                // A tier that admits itself: a small loop on its right side.
                let right = from.x + nodeWidth
                (x0, y0, x3, y3) = (right, from.y + 12, right + 2, from.y + nodeHeight - 12)
                (x1, y1, x2, y2) = (right + 50, from.y - 14, right + 50, from.y + nodeHeight + 14)
            } else if to.x == from.x {
                // Same column: a straight vertical arrow, left of centre going down, right going up.
                let down = to.y > from.y
                let x = from.x + nodeWidth / 2 + (down ? -18 : 18)
                (x0, y0, x3, y3) = (x, down ? from.y + nodeHeight : from.y, x, down ? to.y - 2 : to.y + nodeHeight + 2)
                (x1, y1, x2, y2) = (x, y0, x, y3)
            } else {
                // Backwards: loop underneath both nodes.
                let drop = 46 + (index % 3) * 10
                (x0, y0, x3, y3) = (from.x + nodeWidth / 2 - 20, from.y + nodeHeight, to.x + nodeWidth / 2 + 20, to.y + nodeHeight + 2)
                (x1, y1, x2, y2) = (x0, max(y0, y3) + drop, x3, max(y0, y3) + drop)
            }
            let width = edge.risk >= .high ? 3 : 2
            out += "<path d=\"M \(x0) \(y0) C \(x1) \(y1), \(x2) \(y2), \(x3) \(y3)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(width)\" marker-end=\"url(#arrow-\(edge.risk.rawValue))\"><title>\(HTMLText.escape("\(edge.from) -> \(edge.to): \(edge.label) (\(edge.risk.label))"))</title></path>\n"
            let vertical = x0 == x3 && edge.from != edge.to
            let labelX = (x0 + 3 * x1 + 3 * x2 + x3) / 8 + (vertical ? (y3 > y0 ? -30 : 30) : 0)
            let labelY = (y0 + 3 * y1 + 3 * y2 + y3) / 8 + (forward ? (index % 2 == 0 ? -4 : 12) : 0)
            let text = Self.shorten(edge.label, to: 22)
            let boxWidth = text.count * 7 + 10
            labels += "<rect x=\"\(labelX - boxWidth / 2)\" y=\"\(labelY - 12)\" width=\"\(boxWidth)\" height=\"17\" rx=\"3\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"1\"/>"
            labels += "<text x=\"\(labelX)\" y=\"\(labelY + 1)\" text-anchor=\"middle\" fill=\"\(colour)\">\(HTMLText.escape(text))</text>\n"
        }
        out += labels

        for node in nodes {
            guard let at = position[node.name] else { continue }
            let incoming = edges.filter { $0.to == node.name }.map(\.risk).max()
            let stroke = node.isTier ? Self.colour(incoming ?? .info) : "#37474f"
            let fill = node.name == Self.internet ? "#fdecea" : node.isTier ? "#ffffff" : "#eceff1"
            out += "<g><title>\(HTMLText.escape(node.name))</title>"
            out += "<rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(nodeWidth)\" height=\"\(nodeHeight)\" rx=\"8\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(at.x + nodeWidth / 2)\" y=\"\(at.y + 20)\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#212121\">\(HTMLText.escape(Self.shorten(node.name, to: 22)))</text>"
            let subtitle: String
            if node.isTier {
                subtitle = (publicTiers.contains(node.name) ? "public · " : "") + "egress " + (egressPosture[node.name] ?? "?")
            } else {
                subtitle = node.name == Self.internet ? "0.0.0.0/0 and ::/0" : "CIDRs, groups, prefix lists"
            }
            out += "<text x=\"\(at.x + nodeWidth / 2)\" y=\"\(at.y + 38)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#455a64\">\(HTMLText.escape(Self.shorten(subtitle, to: 28)))</text></g>\n"
        }

        // Legend.
        var x = margin
        let legendY = height - legendHeight + 12
        out += "<text x=\"\(x)\" y=\"\(legendY + 4)\" font-size=\"12\" fill=\"#212121\">Edge risk:</text>\n"
        x += 72
        for level in RiskLevel.allCases {
            out += "<line x1=\"\(x)\" y1=\"\(legendY)\" x2=\"\(x + 24)\" y2=\"\(legendY)\" stroke=\"\(Self.colour(level))\" stroke-width=\"3\"/>"
            out += "<text x=\"\(x + 30)\" y=\"\(legendY + 4)\" font-size=\"12\" fill=\"\(Self.colour(level))\">\(level.label)</text>\n"
            x += 44 + level.label.count * 8
        }
        out += "</svg>\n"
        return out
    }

    /// A summary for deployments too large to draw: counts per column and the internet's edges.
    public var summaryLines: [String] {
        var lines = ["\(tierCount) tiers and \(edges.count) edges: too many to draw legibly (limit \(Self.maxDrawnTiers) tiers)."]
        let byColumn = Dictionary(grouping: nodes.filter(\.isTier), by: \.column)
        for column in byColumn.keys.sorted() {
            lines.append("depth \(column) from the internet: \(byColumn[column]!.count) tier(s)")
        }
        let direct = edges.filter { $0.from == Self.internet }
        lines.append("\(direct.count) tier(s) accept traffic from the internet directly")
        return lines
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
