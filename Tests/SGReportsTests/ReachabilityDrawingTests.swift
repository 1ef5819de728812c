import Foundation
import SGConfig
import SGModel
import SGValidation
import Testing

@testable import SGReports

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The drawing read back as an SVG document, with text boxes sized by an upper bound of their own
/// (characters × font size × 0.62, the widest average glyph of the label texts in the fonts named),
/// independent of the sizes the renderer used: labels must not overlap one another or any node,
/// each must sit on its own edge, and columns must be hops from the internet.
@Suite struct ReachabilityDrawingTests {
    typealias F = ReportFixture

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ config: String, from directory: String) throws -> Deployment {
        let loader = DeploymentLoader(
            readFile: { path in
                guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
                return Array(data)
            },
            fileExists: { FileManager.default.fileExists(atPath: $0) },
            configsDirectory: directory + "/configs", scenariosDirectory: directory + "/scenarios")
        let result = loader.load(config: config)
        return try #require(result.deployment, "\(result.diagnostics.all.map(\.message))")
    }

    /// `internet -> db 5000-6000` beside web's own edge from the internet, a backward edge
    /// (app -> db), a tier three hops away and one the internet cannot reach.
    static func dbExposed() throws -> ReviewReport {
        F.report(try load("drawing-dev-d001-eu-west-1", from: packageRoot.path + "/Tests/Fixtures/reports/drawing"))
    }

    // MARK: - The fixture

    @Test func theInternetToDatabaseLabelSitsOnItsOwnEdgeAndOverlapsNothing() throws {
        let report = try Self.dbExposed()
        let edge = try #require(report.graph.edge(from: "internet", to: "db"))
        #expect(edge.label == "5000-6000")
        #expect(edge.risk == .critical)
        let drawing = try SVGDrawing(try #require(report.graph.svg()))
        try drawing.expectLegible()
        let label = try #require(drawing.labels.first { $0.title.hasPrefix("internet -> db:") })
        #expect(label.text == "5000-6000")
        let path = try #require(drawing.edges.first { $0.title == label.title })
        #expect(path.distance(to: label.centre) < 1.5, "the label's centre is \(path.distance(to: label.centre)) px from its edge")
        // Every other label is on its own edge too.
        for other in drawing.labels {
            let own = try #require(drawing.edges.first { $0.title == other.title })
            #expect(own.distance(to: other.centre) < 1.5, "\(other.title)")
        }
    }

    @Test func columnsAreHopsFromTheInternetAndTheUnreachableSitBelowTheLine() throws {
        let report = try Self.dbExposed()
        let hops = Dictionary(uniqueKeysWithValues: report.graph.nodes.map { ($0.name, $0.hopsFromInternet) })
        #expect(hops == ["internet": 0, "other networks": nil, "web": 1, "db": 1, "app": 2, "batch": 3, "ops": nil])
        let drawing = try SVGDrawing(try #require(report.graph.svg()))
        let x = drawing.nodes.mapValues(\.minX), y = drawing.nodes.mapValues(\.minY)
        #expect(x["web"] == x["db"])
        #expect(x["internet"]! < x["web"]! && x["web"]! < x["app"]! && x["app"]! < x["batch"]!)
        #expect(drawing.headers == ["1 hop from the internet", "2 hops from the internet", "3 hops from the internet"])
        let line = try #require(drawing.separatorY)
        for name in ["internet", "web", "db", "app", "batch"] { #expect(y[name]! < line, "\(name)") }
        for name in ["other networks", "ops"] { #expect(y[name]! > line, "\(name)") }
    }

    @Test func theExamplesAndDenseGraphsAreLegible() throws {
        for config in ["globalbank-prod-c001-us-west-2", "acme-dev-d001-eu-west-1", "initech-staging-k01-eu-central-1", "hooli-prod-m01-us-east-1"] {
            let report = F.report(try Self.load(config, from: Self.packageRoot.path))
            try SVGDrawing(try #require(report.graph.svg())).expectLegible(config)
        }
        // Forty tiers, each admitting the two before it and the internet on a few: many edges per gap.
        var tiers: [Tier] = []
        for index in 0..<40 {
            var rules = [F.rule("egress tcp all to 10.0.0.0/8", line: index * 10 + 9)]
            if index % 7 == 0 { rules.append(F.rule("ingress tcp \(8000 + index)-\(8100 + index) from 0.0.0.0/0", line: index * 10 + 2)) }
            for back in [1, 2, 5] where index >= back {
                rules.append(F.rule("ingress tcp \(1000 + back * 100 + index) from tier:t\(index - back)", line: index * 10 + 2 + back))
            }
            if index % 5 == 3 { rules.append(F.rule("ingress udp 53 from 10.1.0.0/16", line: index * 10 + 8)) }
            tiers.append(F.tier("t\(index)", line: index * 10 + 1, rules))
        }
        let dense = F.report(F.deployment(tiers))
        #expect(dense.graph.edges.count > 100)
        try SVGDrawing(try #require(dense.graph.svg())).expectLegible("40 tiers")
    }

    @Test func aReferenceTheSenderCannotSendIsNotAnEdgeButIsNamed() {
        let report = F.report(F.deployment([
            F.tier("web", line: 3, isPublic: true, [F.rule("ingress tcp 443 from 0.0.0.0/0", line: 4), F.rule("egress tcp 9000 to tier:app", line: 5)]),
            F.tier("app", line: 6, [F.rule("ingress tcp 8080 from tier:web", line: 7)]),
        ]))
        #expect(report.graph.edge(from: "web", to: "app") == nil)
        #expect(report.graph.oneSidedReferences == [.init(from: "web", to: "app", label: "8080")])
        let note = "Ingress that no traffic uses, because the sender's egress does not allow it: app admits web on 8080."
        #expect(report.markdown().contains(note))
        #expect(report.html().contains(HTMLText.escape(note)))
        // No path goes through it: the exposure paths and the drawing agree.
        #expect(report.exposurePaths.map(\.text) == ["internet -(443)-> web"])
        #expect(report.graph.nodes.first { $0.name == "app" }?.hopsFromInternet == nil)
    }

    @Test func theApprovalBlockLeavesRoomToWrite() {
        let html = F.report(F.threeTier).html()
        #expect(html.contains(".approval td { height: 40px; min-width: 240px; width: 70%; } .approval tr:last-child td { height: 96px; }"))
        #expect(html.contains("<tr><th>Decision (approve / reject / approve with conditions)</th><td></td></tr>"))
    }
}

/// An SVG drawing parsed with Foundation's XML parser, its texts boxed by the independent bound.
struct SVGDrawing {
    static let emWidthBound = 0.62

    struct Box {
        var minX, minY, maxX, maxY: Double
        func overlaps(_ other: Box) -> Bool { minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY }
        func contains(_ other: Box) -> Bool { minX <= other.minX && other.maxX <= maxX && minY <= other.minY && other.maxY <= maxY }
    }

    struct Label {
        var text: String
        var title: String
        var box: Box
        var centre: (x: Double, y: Double) { ((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2) }
    }

    struct EdgePath {
        var title: String
        var points: [(x: Double, y: Double)]

        /// The distance from a point to the path, sampled finely along each cubic segment.
        func distance(to point: (x: Double, y: Double)) -> Double {
            points.map { (($0.x - point.x) * ($0.x - point.x) + ($0.y - point.y) * ($0.y - point.y)).squareRoot() }.min() ?? .infinity
        }
    }

    var labels: [Label] = []
    var labelRects: [Box] = []
    var nodes: [String: Box] = [:]
    var nodeTexts: [(node: String, box: Box)] = []
    var edges: [EdgePath] = []
    var headers: [String] = []
    var separatorY: Double?

    init(_ svg: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse(), collector.error == nil, collector.depth == 0 else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "the SVG is not well-formed: \(String(describing: parser.parserError ?? collector.error))"])
        }
        for element in collector.elements {
            let a = element.attributes
            func number(_ key: String) -> Double { Double(a[key] ?? "") ?? .nan }
            switch (element.name, a["class"]) {
            case ("text", "edge-label"):
                labels.append(Label(text: element.text, title: element.groupTitle ?? "", box: Self.textBox(element)))
            case ("rect", "label-box"):
                labelRects.append(Box(minX: number("x"), minY: number("y"), maxX: number("x") + number("width"), maxY: number("y") + number("height")))
            case ("rect", "node"):
                nodes[element.groupTitle ?? ""] = Box(minX: number("x"), minY: number("y"), maxX: number("x") + number("width"), maxY: number("y") + number("height"))
            case ("text", "node-name"), ("text", "node-subtitle"):
                nodeTexts.append((element.groupTitle ?? "", Self.textBox(element, bold: a["font-weight"] == "bold")))
            case ("path", "edge"):
                edges.append(EdgePath(title: element.title ?? "", points: Self.sample(a["d"] ?? "")))
            case ("text", "column-header"):
                headers.append(element.text)
            case ("line", _) where a["stroke-dasharray"] != nil:
                separatorY = number("y1")
            default:
                break
            }
        }
    }

    /// A text's box: the width bound around its anchor, from the ascent (one font size above the
    /// baseline) to the descent (a quarter below).
    static func textBox(_ element: Collector.Element, bold: Bool = false) -> Box {
        let size = Double(element.attributes["font-size"] ?? "") ?? .nan
        let x = Double(element.attributes["x"] ?? "") ?? .nan, y = Double(element.attributes["y"] ?? "") ?? .nan
        // Bold glyphs are wider: the bound grows by the same tenth the fonts' bold faces add.
        let width = Double(element.text.count) * size * emWidthBound * (bold ? 1.1 : 1)
        let minX: Double
        switch element.attributes["text-anchor"] {
        case "middle": minX = x - width / 2
        case "end": minX = x - width
        default: minX = x
        }
        return Box(minX: minX, minY: y - size, maxX: minX + width, maxY: y + size / 4)
    }

    /// Points along `M x y C x1 y1, x2 y2, x y ...`, forty per segment.
    static func sample(_ d: String) -> [(x: Double, y: Double)] {
        let numbers = d.split(whereSeparator: { " ,MC".contains($0) }).compactMap { Double($0) }
        guard numbers.count >= 2 else { return [] }
        var points: [(x: Double, y: Double)] = []
        var start = (x: numbers[0], y: numbers[1])
        var index = 2
        while index + 5 < numbers.count {
            let c1 = (x: numbers[index], y: numbers[index + 1]), c2 = (x: numbers[index + 2], y: numbers[index + 3])
            let end = (x: numbers[index + 4], y: numbers[index + 5])
            for step in 0...40 {
                let t = Double(step) / 40, u = 1 - t
                points.append((
                    u * u * u * start.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * end.x,
                    u * u * u * start.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * end.y))
            }
            start = end
            index += 6
        }
        return points
    }

    /// No two labels overlap, no label overlaps a node, every label's text fits the box drawn
    /// behind it, and every node's texts fit the node.
    func expectLegible(_ context: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!labels.isEmpty, "no edge labels in \(context)", sourceLocation: sourceLocation)
        #expect(labels.count == edges.count, "\(context): \(edges.count) edges but \(labels.count) labels", sourceLocation: sourceLocation)
        for (index, label) in labels.enumerated() {
            for other in labels[(index + 1)...] where label.box.overlaps(other.box) {
                Issue.record("\(context): label '\(label.text)' (\(label.title)) overlaps '\(other.text)' (\(other.title))", sourceLocation: sourceLocation)
            }
            for (name, node) in nodes where label.box.overlaps(node) {
                Issue.record("\(context): label '\(label.text)' (\(label.title)) overlaps node \(name)", sourceLocation: sourceLocation)
            }
            if !labelRects.contains(where: { $0.contains(label.box) }) {
                Issue.record("\(context): label '\(label.text)' is wider than the box drawn behind it", sourceLocation: sourceLocation)
            }
        }
        for text in nodeTexts where !(nodes[text.node].map { $0.contains(text.box) } ?? false) {
            Issue.record("\(context): a text of node \(text.node) does not fit the node", sourceLocation: sourceLocation)
        }
    }

    /// Elements with their attributes, direct text, own `<title>` and the `<title>` of the group around them.
    final class Collector: NSObject, XMLParserDelegate {
        struct Element {
            var name: String
            var attributes: [String: String]
            var text = ""
            var title: String?
            var groupTitle: String?
        }

        var elements: [Element] = []
        var stack: [Int] = []
        var groupTitles: [String?] = []
        var depth = 0
        var error: Error?
        private var inTitle = false
        private var titleText = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            if name == "title" {
                inTitle = true
                titleText = ""
                return
            }
            if name == "g" { groupTitles.append(nil) }
            elements.append(Element(name: name, attributes: attributes, groupTitle: groupTitles.last ?? nil))
            stack.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { titleText += string } else if let top = stack.last { elements[top].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if name == "title" {
                inTitle = false
                // A title belongs to the element it is in: a path, or a group (then to what the group holds).
                if let top = stack.last {
                    if elements[top].name == "g" {
                        groupTitles[groupTitles.count - 1] = titleText
                    } else {
                        elements[top].title = titleText
                    }
                }
                return
            }
            if name == "g" { groupTitles.removeLast() }
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
    }
}
