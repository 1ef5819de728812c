import SGDiagnostics
import SGModel
import SGValidation
import Testing

@testable import SGReports

@Suite struct ReviewReportTests {
    typealias F = ReportFixture

    @Test func graphColumnsAreBreadthFirstDepthFromTheInternet() {
        let deployment = F.deployment(F.threeTier.tiers + [F.tier("batch", line: 20, [F.rule("ingress tcp 22 from 10.0.5.0/24", line: 21)])])
        let report = F.report(deployment)
        let columns = Dictionary(uniqueKeysWithValues: report.graph.nodes.map { ($0.name, $0.column) })
        #expect(columns == ["internet": 0, "other networks": 0, "web": 1, "app": 2, "db": 3, "batch": 1])
        let edges = report.graph.edges.map { "\($0.from)->\($0.to) \($0.label) \($0.risk.rawValue)" }
        #expect(edges == ["internet->web 443 low", "other networks->batch 22 low", "web->app 8080 low", "app->db 5432 low"])
    }

    @Test func splitWorldHalvesAreDrawnFromTheInternet() {
        let report = F.report(F.deployment([
            F.tier("db", line: 3, [F.rule("ingress tcp 5432 from 0.0.0.0/1", line: 4), F.rule("ingress tcp 5432 from 128.0.0.0/1", line: 5)]),
        ]))
        let edge = report.graph.edge(from: ReachabilityGraph.internet, to: "db")
        #expect(edge?.risk == .critical)
        #expect(edge?.rules.count == 2)
        #expect(report.graph.edge(from: ReachabilityGraph.otherNetworks, to: "db") == nil)
    }

    @Test func exposurePathsGoHopByHop() {
        let paths = F.report(F.threeTier).exposurePaths.map(\.text)
        #expect(paths == ["internet -(443)-> web", "internet -(443)-> web -(8080)-> app", "internet -(443)-> web -(8080)-> app -(5432)-> db"])
    }

    @Test func svgIsDrawnForTenTiersAndSummarisedForHugeDeployments() throws {
        // Default egress: each tier can send what the next admits, so the chain is ten real hops.
        let ten = (0..<10).map { index in
            F.tier("t\(index)", line: index * 3 + 1, defaultEgress: true, [F.rule(index == 0 ? "ingress tcp 443 from 0.0.0.0/0" : "ingress tcp 8080 from tier:t\(index - 1)", line: index * 3 + 2)])
        }
        let svg = try #require(F.report(F.deployment(ten)).graph.svg())
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<rect").count - 1 >= 11 + 10, "a box per node and a label box per edge")
        // A star (t0 feeds every other tier): a chain of 1,000 would make 1,000 exposure paths of
        // up to 1,000 hops each, which is not what this test is about.
        let huge = (0..<1000).map { index in
            F.tier("t\(index)", line: index * 3 + 1, defaultEgress: index == 0, [F.rule(index == 0 ? "ingress tcp 443 from 0.0.0.0/0" : "ingress tcp 8080 from tier:t0", line: index * 3 + 2)])
        }
        let clock = ContinuousClock()
        var report: ReviewReport?
        let elapsed = clock.measure { report = F.report(F.deployment(huge)) }
        let big = try #require(report)
        #expect(big.graph.svg() == nil)
        #expect(big.graph.summaryLines.first == "1000 tiers and 1000 edges: too many to draw legibly (limit 40 tiers).")
        #expect(big.html().contains("too many to draw legibly"))
        #expect(elapsed < .seconds(20), "report of 1,000 tiers took \(elapsed)")
    }

    @Test func htmlEscapesEverythingFromTheInputs() {
        let hostile = "<script>alert('x')</script> & \"quotes\""
        let deployment = F.deployment(
            [F.tier("web", line: 3, isPublic: true, description: hostile, [F.rule("ingress tcp 443 from 0.0.0.0/0", line: 5)])],
            overrides: [Override(tier: "web", description: "<img src=x onerror=alert(1)> | pipe", location: SourceLocation(file: "configs/x.yaml", line: 30, column: 5))])
        let html = F.report(deployment).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2, "only the SVG namespace URI, nothing fetched")
        #expect(html.contains("default-src 'none'"))
    }

    @Test func markdownEscapesPipesAndMarkup() throws {
        let deployment = F.deployment(
            [F.tier("web", line: 3, description: "a | b *bold* <b>", [F.rule("ingress tcp 443 from 10.0.1.0/24", line: 5)])],
            overrides: [Override(tier: "web", description: "split | table", location: SourceLocation(file: "configs/x.yaml", line: 30, column: 5))])
        let markdown = F.report(deployment).markdown()
        #expect(markdown.contains("a \\| b \\*bold\\* \\<b\\>"))
        #expect(markdown.contains("split \\| table"))
        // Every table row keeps its column count: unescaped pipes only as separators.
        for line in markdown.split(separator: "\n") where line.hasPrefix("| ingress") {
            let separators = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            #expect(separators == 10, "\(line)")
        }
    }

    @Test(arguments: [
        // (rules of tier db, checklist item, expected status)
        (["ingress tcp 5432 from 0.0.0.0/0"], "No database ports open to 0.0.0.0/0", ChecklistStatus.failed),
        (["ingress tcp 5000-6000 from ::/0"], "No database ports open to 0.0.0.0/0", .failed),
        (["ingress tcp 5432 from tier:db"], "No database ports open to 0.0.0.0/0", .verifiedByTool),
        (["ingress tcp 3389 from 0.0.0.0/1", "ingress tcp 3389 from 128.0.0.0/1"], "No SSH/RDP open to the world", .failed),
        (["ingress tcp 22 from 10.0.0.0/24"], "No SSH/RDP open to the world", .verifiedByTool),
        (["ingress tcp 22 from 10.0.0.0/24"], "CloudTrail enabled for audit", .needsHuman),
        (["egress all all to 0.0.0.0/0"], "Egress rules are minimal", .failed),
        (["egress tcp 443 to 0.0.0.0/0"], "Egress rules are minimal", .verifiedByTool),
        (["egress all all to 10.0.0.0/8"], "Egress rules are minimal", .failed),
        (["egress tcp 0-65535 to 10.0.0.0/8"], "Egress rules are minimal", .failed),
        // Traffic among one group's own members (an EKS node group) is not held against it.
        (["egress all all to tier:db", "ingress all all from tier:db"], "Egress rules are minimal", .verifiedByTool),
        (["ingress tcp 5432 from 10.0.0.0/8"], "Scenario reviewed — no overly permissive rules", .failed),
    ])
    func checklistItemsFollowTheFindings(rules: [String], item: String, expected: ChecklistStatus) throws {
        let report = F.report(F.deployment([F.tier("db", line: 3, rules.enumerated().map { F.rule($0.element, line: 4 + $0.offset) })]))
        let entry = try #require(report.checklist.first { $0.item == item })
        #expect(entry.status == expected, "\(entry.evidence)")
    }

    /// Every item the tool settles, and a deployment that makes exactly that item's named check find
    /// something. Each case starts from the clean three-tier deployment and changes one thing.
    static let failingCases: [(item: String, check: String, change: String)] = [
        ("Scenario reviewed — no overly permissive rules", "SG-BROAD-INTERNAL-DB", "db: ingress tcp 5432 from 10.0.0.0/8"),
        ("Scenario reviewed — no overly permissive rules", "SG-DEFAULT-EGRESS", "app: default egress"),
        ("Overrides reviewed — descriptions provided", "override-effect", "override removing a rule the scenario lacks"),
        ("Template validated locally (validate-prov-template)", "fail-on-high", "batch: ingress tcp 8080 from 0.0.0.0/0"),
        ("No database ports open to 0.0.0.0/0", "SG-WORLD-DB", "db: ingress tcp 5432 from ::/0"),
        ("No SSH/RDP open to the world", "SG-WORLD-ADMIN", "batch: ingress tcp 22 from 0.0.0.0/0"),
        ("Egress rules are minimal", "SG-INTERNAL-ALL-TRAFFIC", "app: egress all all to 10.0.0.0/8"),
        ("Egress rules are minimal", "SG-EGRESS-WORLD-PORT", "app: egress tcp 80 to 0.0.0.0/0"),
        ("Tags applied for cost allocation and governance", "governance-tags", "no owner tag"),
    ]

    static func deployment(changing change: String) -> Deployment {
        var tiers = F.threeTier.tiers
        var tags = F.governanceTags
        var overrides: [Override] = []
        switch change {
        case "app: default egress":
            tiers[1].egress = []
            tiers[1].usesDefaultEgress = true
        case "override removing a rule the scenario lacks":
            overrides = [Override(
                tier: "db", removeIngress: [F.rule("ingress tcp 3306 from tier:app", line: 31)], description: "drop MySQL",
                location: SourceLocation(file: "configs/x.yaml", line: 30, column: 5))]
        case "no owner tag":
            tags = tags.filter { $0.key != "owner" }
        default:
            let parts = change.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let rule = F.rule(parts[1], line: 40)
            if let index = tiers.firstIndex(where: { $0.name == parts[0] }) {
                if rule.direction == .ingress { tiers[index].ingress.append(rule) } else { tiers[index].egress.append(rule) }
            } else {
                tiers.append(F.tier(parts[0], line: 39, [rule]))
            }
        }
        return F.deployment(tiers, tags: tags, overrides: overrides, scenarioTiers: F.threeTier.tiers)
    }

    @Test func theCleanDeploymentVerifiesEveryToolSettledItemByNamedChecks() throws {
        let report = F.report(F.threeTier)
        let settled = Set(Self.failingCases.map(\.item))
        for item in report.checklist {
            if settled.contains(item.item) {
                #expect(item.status == .verifiedByTool, "\(item.item): \(item.evidence)")
                #expect(!item.checks.isEmpty && item.checks.allSatisfy { $0.found.isEmpty }, "\(item.item)")
            } else {
                #expect(item.status == .needsHuman || item.status == .notApplicable, "\(item.item)")
                #expect(item.checks.isEmpty, "\(item.item): a person settles it, so no check may claim it")
            }
        }
        #expect(report.checklist.filter { $0.status == .verifiedByTool }.count == settled.count)
    }

    @Test(arguments: failingCases)
    func eachToolSettledItemFailsWhenOneOfItsChecksFindsSomething(item: String, check: String, change: String) throws {
        let report = F.report(Self.deployment(changing: change))
        let entry = try #require(report.checklist.first { $0.item == item })
        #expect(entry.status == .failed, "\(change): \(entry.evidence)")
        let named = try #require(entry.checks.first { $0.id == check }, "\(entry.checks.map(\.id))")
        #expect(!named.found.isEmpty)
        #expect(entry.evidence.contains(named.found[0]))
        // The three renderings name the check and its outcome.
        #expect(report.markdown().contains("\(check): \(named.found.count) found"))
        #expect(report.html().contains("\(check): \(named.found.count) found"))
        let json = report.json().rendered()
        #expect(json.contains("\"id\": \"\(check)\""), "\(check)")
    }

    @Test func theImageScanAppliesOnlyWhenAnImageIsShipped() throws {
        let none = F.report(F.threeTier)
        let item = "Docker image scanned for vulnerabilities"
        #expect(none.checklist.first { $0.item == item }?.status == .notApplicable)
        #expect(none.markdown().contains("| \(item) | not-applicable | — |"))
        let validation = ScenarioValidator().validate(F.threeTier, today: F.today)
        let shipped = ReviewReport(
            deployment: F.threeTier, validation: validation, templates: [], toolVersion: "9.9.9", date: F.today,
            shipped: ShippedArtifacts(containerImage: "sg-provisioner:9.9.9"))
        let entry = try #require(shipped.checklist.first { $0.item == item })
        #expect(entry.status == .needsHuman)
        #expect(entry.evidence.contains("trivy image sg-provisioner:9.9.9"))
    }

    @Test func acceptedAdminAccessNeedsAHumanAndExpiredAcceptanceFails() throws {
        let tiers = [F.tier("bastion", line: 3, [F.rule("ingress tcp 22 from 0.0.0.0/0", line: 4)])]
        func risk(_ expires: String) -> AcceptedRisk {
            AcceptedRisk(findingID: "SG-WORLD-ADMIN", tier: "bastion", binding: .rule(F.rule("ingress tcp 22 from 0.0.0.0/0", line: 40).key),
                         reason: "ticket SEC-1", expires: CalendarDate.parse(expires)!,
                         location: SourceLocation(file: "configs/x.yaml", line: 40, column: 5))
        }
        let active = F.report(F.deployment(tiers, accepted: [risk("2027-03-31")]))
        #expect(active.checklist.first { $0.item == "No SSH/RDP open to the world" }?.status == .needsHuman)
        #expect(active.acceptedRisks.map(\.state) == [.active])
        let expired = F.report(F.deployment(tiers, accepted: [risk("2026-12-31")]))
        #expect(expired.checklist.first { $0.item == "No SSH/RDP open to the world" }?.status == .failed)
        #expect(expired.acceptedRisks.map(\.state) == [.expired])
        #expect(expired.markdown().contains("| SG-WORLD-ADMIN | bastion | ingress tcp/22 from 0.0.0.0/0 | ticket SEC-1 | 2026-12-31 | EXPIRED (failing) |"))
        #expect(expired.verdict.hasPrefix("DO NOT APPROVE"))
    }

    @Test func missingGovernanceTagsAreNamed() throws {
        let tags = F.governanceTags.filter { $0.key != "owner" && $0.key != "compliance" }
        let report = F.report(F.deployment(F.threeTier.tiers, tags: tags))
        #expect(report.tags.missing == ["owner", "compliance"])
        let item = try #require(report.checklist.first { $0.item == "Tags applied for cost allocation and governance" })
        #expect(item.status == .failed)
        #expect(item.evidence == "missing: owner, compliance")
    }

    @Test func overridesShowWhatTheyAddedAndRemoved() throws {
        let written = [F.tier("app", line: 3, [F.rule("ingress tcp 8080 from tier:web", line: 4)]), F.tier("web", line: 6, [F.rule("egress tcp 8443 to tier:app", line: 7)])]
        let override = Override(
            tier: "app", addIngress: [F.rule("ingress tcp 8443 from tier:web", line: 20, description: "TLS", origin: .override(index: 0))],
            removeIngress: [F.rule("ingress tcp 8080 from tier:web", line: 21), F.rule("ingress tcp 9999 from tier:web", line: 22)],
            description: "Move to TLS", location: SourceLocation(file: "configs/x.yaml", line: 19, column: 5))
        let after = [F.tier("app", line: 3, [F.rule("ingress tcp 8443 from tier:web", line: 20, origin: .override(index: 0))]), written[1]]
        let report = F.report(F.deployment(after, overrides: [override], scenarioTiers: written))
        let effect = try #require(report.overrides.first)
        #expect(effect.added.map(\.hadEffect) == [true])
        #expect(effect.removed.map(\.hadEffect) == [true, false])
        let markdown = report.markdown()
        #expect(markdown.contains("1. Tier app — Move to TLS (configs/x.yaml:19:5)"))
        #expect(markdown.contains("   - removed: ingress tcp/9999 from tier web (not in the scenario: no effect)"))
        #expect(markdown.contains("| override 1 |"))
    }

    @Test func renderingsAreDeterministicAndCarryNoDateWhenNoneIsGiven() {
        let deployment = F.threeTier
        let validation = ScenarioValidator().validate(deployment, today: F.today)
        let digest = TemplateDigest(stackName: "s", fileName: "s.yaml", text: "x")
        let a = ReviewReport(deployment: deployment, validation: validation, templates: [digest], toolVersion: "1", date: nil)
        let b = ReviewReport(deployment: deployment, validation: validation, templates: [digest], toolVersion: "1", date: nil)
        #expect(a.markdown() == b.markdown())
        #expect(a.html() == b.html())
        #expect(a.json().rendered() == b.json().rendered())
        #expect(a.json().rendered().contains("\"date\": null"))
        #expect(a.markdown().contains("| Report date | not given (pass --today to print one) |"))
    }
}

@Suite struct TemplateDigestTests {
    @Test func hashesAreSHA256OfTheTemplateBytes() {
        // SHA-256("abc"), FIPS 180-2 test vector.
        #expect(TemplateDigest(stackName: "s", fileName: "f", text: "abc").sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func combinedHashCoversEveryStackAndItsOrder() {
        let a = TemplateDigest(stackName: "a", fileName: "a.yaml", text: "one")
        let b = TemplateDigest(stackName: "b", fileName: "b.yaml", text: "two")
        #expect(TemplateDigest.combined([a, b]) != TemplateDigest.combined([b, a]))
        #expect(TemplateDigest.combined([a, b]) == TemplateDigest(stackName: "", fileName: "", text: "\(a.sha256)  a\n\(b.sha256)  b\n").sha256)
        #expect(ReportFixture.report(ReportFixture.threeTier, stacks: 1).combinedSHA256 == nil)
        #expect(ReportFixture.report(ReportFixture.threeTier, stacks: 3).combinedSHA256 != nil)
    }

    @Test func readerReturnsTheHashesOfAReport() throws {
        let report = ReportFixture.report(ReportFixture.threeTier, stacks: 2)
        let hashes = try ReviewReportReader.templateHashes(fromReportJSON: report.json().rendered())
        #expect(hashes == Dictionary(uniqueKeysWithValues: report.templates.map { ($0.stackName, $0.sha256) }))
    }

    @Test(arguments: [
        ("not json", ReviewReportReader.ReadError.notJSON),
        ("{\"schema\": \"other\"}", .wrongSchema(found: "other")),
        ("{}", .wrongSchema(found: nil)),
        ("{\"schema\": \"sg-provisioner/review-report/v1\", \"templates\": []}", .noTemplates),
        ("{\"schema\": \"sg-provisioner/review-report/v1\", \"templates\": [{\"stack\": \"s\", \"sha256\": \"ABC\"}]}", .badTemplateEntry(index: 0)),
    ])
    func readerRejectsWhatIsNotAReport(text: String, expected: ReviewReportReader.ReadError) {
        #expect(throws: expected) { try ReviewReportReader.templateHashes(fromReportJSON: text) }
    }
}

/// An approver signs off taking existing groups over: the report says which tier adopts which group.
@Suite struct AdoptedGroupReportTests {
    @Test func everyFormatNamesTheAdoptedGroup() throws {
        var deployment = ReportFixture.threeTier
        deployment.config.adoptedGroups = [AdoptedGroup(
            tier: "db", groupID: "sg-0aa00003", groupName: "db <prod> | main", groupDescription: "Database",
            location: SourceLocation(file: "configs/x.yaml", line: 20, column: 3))]
        let report = ReportFixture.report(deployment)
        let markdown = report.markdown()
        #expect(markdown.contains("### Tier db\n\nAdopts the existing group sg-0aa00003 (db \\<prod\\> \\| main): taken over with its name and description, never deleted with the stack.\n"), "\(markdown)")
        #expect(!markdown.contains("### Tier app\n\nAdopts"))
        #expect(report.html().contains("<p>Adopts the existing group <code>sg-0aa00003</code> (db &lt;prod&gt; | main): taken over with its name and description, never deleted with the stack.</p>"))
        let json = report.json().rendered()
        #expect(json.contains(#""adopted_groups": [\#n    {\#n      "group_description": "Database",\#n      "group_id": "sg-0aa00003",\#n      "group_name": "db <prod> | main",\#n      "name_tag": null,\#n      "tier": "db"\#n    }\#n  ]"#), "\(json)")
        #expect(ReportFixture.report(ReportFixture.threeTier).json().rendered().contains(#""adopted_groups": []"#))
    }
}
