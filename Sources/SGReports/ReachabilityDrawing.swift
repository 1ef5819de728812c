import SGFindings
import SGValidation

extension ReachabilityGraph {
    /// An inline SVG drawing, or nil when the graph is summarised instead.
    ///
    /// Layout: the internet in the first column, each tier it reaches in the column of its hops
    /// from it (headed `1 hop`, `2 hops`, ...); tiers it cannot reach below a dashed line, after
    /// other networks. An edge between neighbouring columns is a curve between facing sides;
    /// between two tiers of one column, a bow on their right; a tier admitting itself, a loop
    /// over it; any other edge (backwards, or over several columns) runs in a lane of its own
    /// under the nodes. Every label sits on its own edge: positions along the edge are tried in
    /// turn and the first whose box (sized by an upper bound on the text's width) meets no node,
    /// no other label and the fewest other edges is kept. When a label finds no place, the
    /// spacing grows; as a last resort its edge moves to a lane, where a label always fits.
    /// Deterministic: the same graph gives the same bytes.
    public func svg() -> String? {
        guard !isSummarised else { return nil }
        var forcedLanes = Set<Int>()
        var attempt = 0
        while true {
            var layout = DrawingLayout(graph: self, spacing: min(attempt, DrawingLayout.maxSpacingStep), forcedLanes: forcedLanes)
            let unplaced = layout.placeLabels()
            // Past the last spacing step each pass moves at least one more edge to a lane, where
            // its label always fits, so this ends.
            if unplaced.isEmpty || forcedLanes.isSuperset(of: unplaced) { return layout.render() }
            if attempt >= DrawingLayout.maxSpacingStep { forcedLanes.formUnion(unplaced) }
            attempt += 1
        }
    }
}

/// Sizes every text is drawn at, and the bound its width is estimated by: no character of the
/// fonts named is wider on average than 0.62 em in these labels (digits, `-`, `,`, `/` and
/// protocol names), so boxes sized by it hold the text.
enum DrawingText {
    static let fontFamily = "Arial, 'Liberation Sans', Helvetica, sans-serif"
    static let labelSize = 12.0
    static let nameSize = 13.0
    static let subtitleSize = 11.0
    static let emWidthBound = 0.62
    /// Longest edge label drawn before it is shortened (the full text is in its tooltip).
    static let maxLabelCharacters = 28

    static func width(_ text: String, size: Double) -> Double {
        Double(text.count) * size * emWidthBound
    }
}

/// A rectangle in drawing coordinates.
struct DrawingBox: Hashable {
    var minX, minY, maxX, maxY: Double

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        (self.minX, self.minY, self.maxX, self.maxY) = (minX, minY, maxX, maxY)
    }

    init(centreX: Double, centreY: Double, width: Double, height: Double) {
        self.init(minX: centreX - width / 2, minY: centreY - height / 2, maxX: centreX + width / 2, maxY: centreY + height / 2)
    }

    func intersects(_ other: DrawingBox, margin: Double = 0) -> Bool {
        minX - margin < other.maxX && other.minX - margin < maxX && minY - margin < other.maxY && other.minY - margin < maxY
    }

    func contains(x: Double, y: Double) -> Bool { minX <= x && x <= maxX && minY <= y && y <= maxY }

    func union(_ other: DrawingBox) -> DrawingBox {
        DrawingBox(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}

/// One layout attempt: node positions, edge routes and label places.
struct DrawingLayout {
    static let maxSpacingStep = 3
    static let margin = 24.0
    static let nodeWidth = 200.0
    static let nodeHeight = 48.0
    static let labelHeight = 18.0
    static let labelPadding = 6.0
    /// Space kept between a label and anything else.
    static let clearance = 4.0
    static let laneSpacing = 26.0
    static let trackSpacing = 12.0

    enum Route: Equatable {
        /// Neighbouring columns, sender to the left.
        case forward
        /// Two tiers of one column: a bow on their right.
        case bow(depth: Double)
        /// A tier admitting itself.
        case loop
        /// Down a track beside the sender's column, along lane `index` under the nodes, up a
        /// track beside the receiver's column.
        case lane(index: Int, senderTrack: Double, receiverTrack: Double)
    }

    struct PlacedEdge {
        var edge: ReachabilityGraph.Edge
        var route: Route
        /// Cubic Bezier segments (start, control, control, end) the path is made of.
        var segments: [(Point, Point, Point, Point)]
        var labelText: String
        var labelBox: DrawingBox?
    }

    struct Point: Hashable {
        var x, y: Double
    }

    let graph: ReachabilityGraph
    /// Node name -> top-left corner.
    var position: [String: Point] = [:]
    var placed: [PlacedEdge] = []
    var obstacles: [DrawingBox] = []
    var headers: [(text: String, x: Double, y: Double)] = []
    var separatorY: Double?
    var lanesTop = 0.0
    var legendY = 0.0

    init(graph: ReachabilityGraph, spacing: Int, forcedLanes: Set<Int>) {
        self.graph = graph
        let rowGap = 64.0 + 36.0 * Double(spacing)
        let minimumColumnGap = 120.0 + 60.0 * Double(spacing)
        let nodeByName = Dictionary(graph.nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let columns = (graph.nodes.map(\.column).max() ?? 0) + 1

        // Routes first: the gaps between columns are sized by what runs through them.
        var routes: [Route] = []
        var laneCount = 0
        var bowsPerColumn = [Int](repeating: 0, count: columns)
        var tracksOut = [Int](repeating: 0, count: columns), tracksIn = [Int](repeating: 0, count: columns)
        var gapNeed = [Double](repeating: minimumColumnGap, count: columns)
        var texts: [String] = []
        for (index, edge) in graph.edges.enumerated() {
            let text = ReachabilityGraph.shorten(edge.label, to: DrawingText.maxLabelCharacters)
            texts.append(text)
            let width = Self.labelWidth(text)
            guard let from = nodeByName[edge.from], let to = nodeByName[edge.to] else {
                routes.append(.loop)
                continue
            }
            if forcedLanes.contains(index) || !(to.column == from.column + 1 || to.column == from.column) {
                let senderTrack = 16 + Self.trackSpacing * Double(tracksOut[from.column])
                tracksOut[from.column] += 1
                let receiverTrack = 16 + Self.trackSpacing * Double(tracksIn[to.column])
                tracksIn[to.column] += 1
                routes.append(.lane(index: laneCount, senderTrack: senderTrack, receiverTrack: receiverTrack))
                laneCount += 1
            } else if edge.from == edge.to {
                routes.append(.loop)
            } else if to.column == from.column {
                // Nested bows: each one further out, its label centred on its own outermost part.
                let depth = 40 + 22 * Double(bowsPerColumn[from.column]) + width / 2
                bowsPerColumn[from.column] += 1
                routes.append(.bow(depth: depth))
                gapNeed[from.column] = max(gapNeed[from.column], 0.75 * depth + width / 2 + 40)
            } else {
                routes.append(.forward)
                gapNeed[from.column] = max(gapNeed[from.column], width + 60)
            }
        }
        for column in 0..<columns {
            let tracks = Double(tracksOut[column] + (column + 1 < columns ? tracksIn[column + 1] : 0))
            gapNeed[column] = max(gapNeed[column], 40 + Self.trackSpacing * tracks)
        }

        // Nodes: columns left to right, the internet's band on top, the rest below a line.
        var columnX = [Double](repeating: Self.margin, count: columns)
        for column in 1..<columns {
            columnX[column] = columnX[column - 1] + Self.nodeWidth + gapNeed[column - 1]
        }
        var topBand = graph.nodes.filter { $0.hopsFromInternet != nil }
        var lowerBand = graph.nodes.filter { $0.hopsFromInternet == nil }
        // Without a tier the internet cannot reach, other networks sit under the internet.
        if !lowerBand.contains(where: \.isTier) {
            topBand += lowerBand.map { node in
                var moved = node
                moved.row = topBand.filter { $0.column == node.column }.count
                return moved
            }
            lowerBand = []
        }
        let rowPitch = Self.nodeHeight + rowGap
        let headerY = Self.margin + 12
        let topStart = headerY + 16 + rowGap * 0.75
        let topRows = (topBand.map(\.row).max() ?? 0) + 1
        var bottom = topStart + Double(topRows - 1) * rowPitch + Self.nodeHeight
        for node in topBand { position[node.name] = Point(x: columnX[node.column], y: topStart + Double(node.row) * rowPitch) }
        if !lowerBand.isEmpty {
            let lineY = bottom + rowGap * 0.6
            separatorY = lineY
            let lowerStart = lineY + 24 + rowGap * 0.6
            for node in lowerBand { position[node.name] = Point(x: columnX[node.column], y: lowerStart + Double(node.row) * rowPitch) }
            bottom = lowerStart + Double((lowerBand.map(\.row).max() ?? 0)) * rowPitch + Self.nodeHeight
            obstacles.append(DrawingBox(minX: Self.margin, minY: lineY + 4, maxX: Self.margin + DrawingText.width(Self.lowerBandCaption, size: DrawingText.subtitleSize), maxY: lineY + 20))
        }
        var headed = Set<Int>()
        for node in topBand.sorted(by: { $0.column < $1.column }) where headed.insert(node.column).inserted && node.column > 0 {
            let text = node.column == 1 ? "1 hop from the internet" : "\(node.column) hops from the internet"
            headers.append((text, columnX[node.column] + Self.nodeWidth / 2, headerY))
            obstacles.append(DrawingBox(
                centreX: columnX[node.column] + Self.nodeWidth / 2, centreY: headerY - 4,
                width: DrawingText.width(text, size: DrawingText.subtitleSize), height: 16))
        }
        for (_, at) in position {
            obstacles.append(DrawingBox(minX: at.x, minY: at.y, maxX: at.x + Self.nodeWidth, maxY: at.y + Self.nodeHeight))
        }
        lanesTop = bottom + 36
        legendY = lanesTop + Double(laneCount) * Self.laneSpacing + 20

        // Where edges meet their nodes: spread along the side, ordered by the other end's height.
        var rightSide: [String: [(order: Double, edge: Int, end: Int)]] = [:]
        var leftSide: [String: [(order: Double, edge: Int, end: Int)]] = [:]
        for (index, edge) in graph.edges.enumerated() {
            guard let from = position[edge.from], let to = position[edge.to] else { continue }
            switch routes[index] {
            case .forward:
                rightSide[edge.from, default: []].append((to.y, index, 0))
                leftSide[edge.to, default: []].append((from.y, index, 1))
            case .bow:
                rightSide[edge.from, default: []].append((to.y, index, 0))
                rightSide[edge.to, default: []].append((from.y, index, 1))
            case .lane:
                rightSide[edge.from, default: []].append((.infinity, index, 0))
                leftSide[edge.to, default: []].append((.infinity, index, 1))
            case .loop:
                break
            }
        }
        var anchor: [Int: [Int: Double]] = [:]  // edge -> end -> y
        for side in [rightSide, leftSide] {
            for (name, entries) in side {
                let top = position[name]!.y
                let sorted = entries.sorted { ($0.order, $0.edge, $0.end) < ($1.order, $1.edge, $1.end) }
                for (slot, entry) in sorted.enumerated() {
                    anchor[entry.edge, default: [:]][entry.end] = top + Self.nodeHeight * Double(slot + 1) / Double(sorted.count + 1)
                }
            }
        }

        for (index, edge) in graph.edges.enumerated() {
            var segments: [(Point, Point, Point, Point)] = []
            if let from = position[edge.from], let to = position[edge.to] {
                let y0 = anchor[index]?[0] ?? from.y + Self.nodeHeight / 2
                let y1 = anchor[index]?[1] ?? to.y + Self.nodeHeight / 2
                let right = from.x + Self.nodeWidth
                switch routes[index] {
                case .forward:
                    let start = Point(x: right, y: y0), end = Point(x: to.x - 2, y: y1)
                    let middle = (start.x + end.x) / 2
                    segments = [(start, Point(x: middle, y: y0), Point(x: middle, y: y1), end)]
                case .bow(let depth):
                    segments = [(Point(x: right, y: y0), Point(x: right + depth, y: y0), Point(x: right + depth, y: y1), Point(x: right + 2, y: y1))]
                case .loop:
                    let start = Point(x: right - 44, y: from.y)
                    segments = [(start, Point(x: right - 44, y: from.y - 46), Point(x: right + 40, y: from.y - 16), Point(x: right + 2, y: from.y + 12))]
                case .lane(let lane, let senderTrack, let receiverTrack):
                    let laneY = lanesTop + Double(lane) * Self.laneSpacing
                    let x0 = right + senderTrack, x1 = to.x - receiverTrack
                    segments = Self.orthogonal([
                        Point(x: right, y: y0), Point(x: x0, y: y0), Point(x: x0, y: laneY), Point(x: x1, y: laneY),
                        Point(x: x1, y: y1), Point(x: to.x - 2, y: y1),
                    ])
                }
            }
            placed.append(PlacedEdge(edge: edge, route: routes[index], segments: segments, labelText: texts[index]))
        }
    }

    static let lowerBandCaption = "not reachable from the internet"

    static func labelWidth(_ text: String) -> Double {
        (DrawingText.width(text, size: DrawingText.labelSize) + 2 * labelPadding).rounded(.up)
    }

    /// A polyline with rounded corners, as cubic segments.
    static func orthogonal(_ points: [Point]) -> [(Point, Point, Point, Point)] {
        let radius = 8.0
        var segments: [(Point, Point, Point, Point)] = []
        var cursor = points[0]
        func line(to point: Point) {
            if point != cursor { segments.append((cursor, cursor, point, point)) }
            cursor = point
        }
        for index in 1..<points.count {
            let corner = points[index]
            guard index + 1 < points.count else {
                line(to: corner)
                break
            }
            let next = points[index + 1]
            let inLength = abs(corner.x - cursor.x) + abs(corner.y - cursor.y)
            let outLength = abs(next.x - corner.x) + abs(next.y - corner.y)
            let r = min(radius, inLength / 2, outLength / 2)
            func toward(_ from: Point, _ to: Point, _ distance: Double) -> Point {
                let length = abs(to.x - from.x) + abs(to.y - from.y)
                guard length > 0 else { return from }
                return Point(x: from.x + (to.x - from.x) / length * distance, y: from.y + (to.y - from.y) / length * distance)
            }
            let before = toward(corner, cursor, r), after = toward(corner, next, r)
            line(to: before)
            if before != after { segments.append((before, corner, corner, after)) }
            cursor = after
        }
        return segments
    }

    static func point(_ segment: (Point, Point, Point, Point), _ t: Double) -> Point {
        let u = 1 - t
        let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
        return Point(
            x: a * segment.0.x + b * segment.1.x + c * segment.2.x + d * segment.3.x,
            y: a * segment.0.y + b * segment.1.y + c * segment.2.y + d * segment.3.y)
    }

    /// Points along an edge, for counting how much of it a label would cover.
    static func samples(_ segments: [(Point, Point, Point, Point)]) -> [Point] {
        segments.flatMap { segment in stride(from: 0.0, through: 1.0, by: 0.05).map { point(segment, $0) } }
    }

    /// Where a label may sit on its edge, best first.
    func candidates(_ edge: PlacedEdge) -> [Point] {
        switch edge.route {
        case .forward, .bow:
            guard let segment = edge.segments.first else { return [] }
            return [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9].map { Self.point(segment, $0) }
        case .loop:
            guard let segment = edge.segments.first else { return [] }
            return [0.45, 0.35, 0.55, 0.25, 0.65].map { Self.point(segment, $0) }
        case .lane(let lane, _, _):
            let laneY = lanesTop + Double(lane) * Self.laneSpacing
            let xs = edge.segments.flatMap { [$0.0, $0.3] }.filter { abs($0.y - laneY) < 0.5 }.map(\.x)
            guard let low = xs.min(), let high = xs.max() else { return [] }
            let middle = (low + high) / 2
            var out = [Point(x: middle, y: laneY)]
            for step in stride(from: 16.0, through: (high - low) / 2, by: 16) {
                out += [Point(x: middle - step, y: laneY), Point(x: middle + step, y: laneY)]
            }
            return out
        }
    }

    /// Places every label; returns the edges whose label found no place that meets no node and
    /// no other label. Worst risks choose first; labels in lanes last, as they always fit.
    mutating func placeLabels() -> Set<Int> {
        let order = placed.indices.sorted { a, b in
            let laneA: Bool = { if case .lane = placed[a].route { return true } else { return false } }()
            let laneB: Bool = { if case .lane = placed[b].route { return true } else { return false } }()
            if laneA != laneB { return !laneA }
            if placed[a].edge.risk != placed[b].edge.risk { return placed[a].edge.risk > placed[b].edge.risk }
            return a < b
        }
        let samples = placed.map { Self.samples($0.segments) }
        var taken: [DrawingBox] = []
        var unplaced = Set<Int>()
        for index in order where !placed[index].segments.isEmpty {
            let width = Self.labelWidth(placed[index].labelText)
            var best: (box: DrawingBox, covered: Int)?
            for centre in candidates(placed[index]) {
                let box = DrawingBox(centreX: centre.x, centreY: centre.y, width: width, height: Self.labelHeight)
                guard box.minX >= 2, box.minY >= 2,
                      !obstacles.contains(where: { $0.intersects(box, margin: Self.clearance) }),
                      !taken.contains(where: { $0.intersects(box, margin: Self.clearance) }) else { continue }
                var covered = 0
                for (other, points) in samples.enumerated() where other != index {
                    covered += points.lazy.filter { box.contains(x: $0.x, y: $0.y) }.count
                }
                if best == nil || covered < best!.covered { best = (box, covered) }
                if covered == 0 { break }
            }
            if let best {
                placed[index].labelBox = best.box
                taken.append(best.box)
            } else {
                unplaced.insert(index)
            }
        }
        return unplaced
    }

    // MARK: - Rendering

    private static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private static func pathData(_ segments: [(Point, Point, Point, Point)]) -> String {
        guard let first = segments.first else { return "" }
        var out = "M \(number(first.0.x)) \(number(first.0.y))"
        for segment in segments {
            out += " C \(number(segment.1.x)) \(number(segment.1.y)), \(number(segment.2.x)) \(number(segment.2.y)), \(number(segment.3.x)) \(number(segment.3.y))"
        }
        return out
    }

    func render() -> String {
        let n = Self.number
        let h = HTMLText.escape
        // The canvas holds everything drawn: nodes, curves (inside their control points), labels, legend.
        var extent = DrawingBox(minX: 0, minY: 0, maxX: Self.margin, maxY: Self.margin)
        for box in obstacles { extent = extent.union(box) }
        for edge in placed {
            for segment in edge.segments {
                for point in [segment.0, segment.1, segment.2, segment.3] {
                    extent = extent.union(DrawingBox(minX: point.x, minY: point.y, maxX: point.x + 6, maxY: point.y + 6))
                }
            }
            if let box = edge.labelBox { extent = extent.union(box) }
        }
        var legendWidth = 72.0
        for level in RiskLevel.allCases { legendWidth += 36 + DrawingText.width(level.label, size: DrawingText.subtitleSize) + 12 }
        extent = extent.union(DrawingBox(minX: Self.margin, minY: legendY - 10, maxX: Self.margin + legendWidth, maxY: legendY + 10))
        let width = Int((extent.maxX + Self.margin).rounded(.up)), height = Int((extent.maxY + Self.margin).rounded(.up))

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Tier reachability\" font-family=\"\(DrawingText.fontFamily)\" font-size=\"\(n(DrawingText.labelSize))\">\n"
        out += "<defs>\n"
        for level in RiskLevel.allCases {
            out += "<marker id=\"arrow-\(level.rawValue)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"\(ReachabilityGraph.colour(level))\"/></marker>\n"
        }
        out += "</defs>\n"
        for header in headers {
            out += "<text class=\"column-header\" x=\"\(n(header.x))\" y=\"\(n(header.y))\" text-anchor=\"middle\" font-size=\"\(n(DrawingText.subtitleSize))\" fill=\"#607d8b\">\(h(header.text))</text>\n"
        }
        if let separatorY {
            out += "<line x1=\"\(n(Self.margin))\" y1=\"\(n(separatorY))\" x2=\"\(width - Int(Self.margin))\" y2=\"\(n(separatorY))\" stroke=\"#b0bec5\" stroke-dasharray=\"6 4\"/>"
            out += "<text class=\"band-caption\" x=\"\(n(Self.margin))\" y=\"\(n(separatorY + 16))\" font-size=\"\(n(DrawingText.subtitleSize))\" fill=\"#607d8b\">\(Self.lowerBandCaption)</text>\n"
        }

        // Edges first, so nodes are drawn over their ends; labels last, over every edge.
        var labels = ""
        for edge in placed where !edge.segments.isEmpty {
            let colour = ReachabilityGraph.colour(edge.edge.risk)
            let title = h("\(edge.edge.from) -> \(edge.edge.to): \(edge.edge.label) (\(edge.edge.risk.label))")
            out += "<path class=\"edge\" d=\"\(Self.pathData(edge.segments))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(edge.edge.risk >= .high ? 3 : 2)\" marker-end=\"url(#arrow-\(edge.edge.risk.rawValue))\"><title>\(title)</title></path>\n"
            guard let box = edge.labelBox else { continue }
            let centreX = (box.minX + box.maxX) / 2, centreY = (box.minY + box.maxY) / 2
            labels += "<g><title>\(title)</title><rect class=\"label-box\" x=\"\(n(box.minX))\" y=\"\(n(box.minY))\" width=\"\(n(box.maxX - box.minX))\" height=\"\(n(box.maxY - box.minY))\" rx=\"3\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"1\"/>"
            labels += "<text class=\"edge-label\" x=\"\(n(centreX))\" y=\"\(n(centreY + DrawingText.labelSize * 0.35))\" text-anchor=\"middle\" font-size=\"\(n(DrawingText.labelSize))\" fill=\"\(colour)\">\(h(edge.labelText))</text></g>\n"
        }

        let nameLimit = Int((Self.nodeWidth - 16) / (DrawingText.nameSize * 0.66))
        let subtitleLimit = Int((Self.nodeWidth - 12) / DrawingText.width("x", size: DrawingText.subtitleSize))
        for node in graph.nodes {
            guard let at = position[node.name] else { continue }
            let incoming = graph.edges.filter { $0.to == node.name }.map(\.risk).max()
            let stroke = node.isTier ? ReachabilityGraph.colour(incoming ?? .info) : "#37474f"
            let fill = node.name == ReachabilityGraph.internet ? "#fdecea" : node.isTier ? "#ffffff" : "#eceff1"
            let centre = at.x + Self.nodeWidth / 2
            out += "<g><title>\(h(node.name))</title>"
            out += "<rect class=\"node\" x=\"\(n(at.x))\" y=\"\(n(at.y))\" width=\"\(n(Self.nodeWidth))\" height=\"\(n(Self.nodeHeight))\" rx=\"8\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"2\"/>"
            out += "<text class=\"node-name\" x=\"\(n(centre))\" y=\"\(n(at.y + 20))\" text-anchor=\"middle\" font-size=\"\(n(DrawingText.nameSize))\" font-weight=\"bold\" fill=\"#212121\">\(h(ReachabilityGraph.shorten(node.name, to: nameLimit)))</text>"
            let subtitle: String
            if node.isTier {
                subtitle = (graph.publicTiers.contains(node.name) ? "public · " : "") + "egress " + (graph.egressPosture[node.name] ?? "?")
            } else {
                subtitle = node.name == ReachabilityGraph.internet ? "0.0.0.0/0 and ::/0" : "CIDRs, groups, prefix lists"
            }
            out += "<text class=\"node-subtitle\" x=\"\(n(centre))\" y=\"\(n(at.y + 38))\" text-anchor=\"middle\" font-size=\"\(n(DrawingText.subtitleSize))\" fill=\"#455a64\">\(h(ReachabilityGraph.shorten(subtitle, to: subtitleLimit)))</text></g>\n"
        }
        out += labels

        var x = Self.margin
        out += "<text x=\"\(n(x))\" y=\"\(n(legendY + 4))\" font-size=\"\(n(DrawingText.subtitleSize))\" fill=\"#212121\">Edge risk:</text>\n"
        x += 72
        for level in RiskLevel.allCases {
            out += "<line x1=\"\(n(x))\" y1=\"\(n(legendY))\" x2=\"\(n(x + 24))\" y2=\"\(n(legendY))\" stroke=\"\(ReachabilityGraph.colour(level))\" stroke-width=\"3\"/>"
            out += "<text x=\"\(n(x + 30))\" y=\"\(n(legendY + 4))\" font-size=\"\(n(DrawingText.subtitleSize))\" fill=\"\(ReachabilityGraph.colour(level))\">\(level.label)</text>\n"
            x += 36 + DrawingText.width(level.label, size: DrawingText.subtitleSize) + 12
        }
        out += "</svg>\n"
        return out
    }
}
