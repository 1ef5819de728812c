import Foundation
import SGTestSupport
import Testing

/// The review report's checklist through the built binary: an item the tool settles names the
/// checks behind it in all three renderings and fails when one of them found something, even where
/// no finding is high; an item about something the project does not ship is not applicable.
@Suite(.serialized) struct ChecklistEndToEndTests {
    /// Nothing high or critical: only rules that make "no overly permissive rules" and "egress is
    /// minimal" false (a /8 to PostgreSQL, all traffic out to the whole private network).
    static let scenario = """
        name: quietly-broad
        tiers:
          app:
            egress:
              - { protocol: all, destination: 10.0.0.0/8, description: anything inside }
          db:
            ingress:
              - { protocol: tcp, port: 5432, source: 10.0.0.0/8, description: PostgreSQL from everywhere inside }
            egress: []

        """

    static func project() throws -> ToolRunner {
        let tool = try ToolRunner()
        try tool.write(scenario, to: "scenarios/quietly-broad.yaml")
        try tool.write("""
            company_prefix: globalbank
            environment: prod
            deployment_id: q001
            region: us-west-2
            vpc_id: vpc-0a1b2c3d4e5f67890
            vpc_cidr: 10.0.0.0/16
            scenario: quietly-broad
            tags:
              cost_center: Fraud Operations
              project: Fraud Detection
              owner: fraud-team
              compliance: pci-dss
              data_classification: confidential

            """, to: "configs/broad.yaml")
        return tool
    }

    static let name = "globalbank-prod-q001-us-west-2"

    @Test func itemsFailWhenTheirChecksFindSomethingAndNameThoseChecksInEveryRendering() throws {
        let tool = try Self.project()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "broad", "-act", "create-review-report", "--today", "2027-01-01"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("checklist: 2 failed"), "\(outcome.stdout)")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(tool.read("reports/\(Self.name)-review-report.json").utf8)) as? [String: Any])
        let items = try #require(json["checklist"] as? [[String: Any]])
        func item(_ text: String) throws -> [String: Any] { try #require(items.first { $0["item"] as? String == text }) }
        func found(_ entry: [String: Any]) -> [String] {
            (entry["checks"] as? [[String: Any]] ?? []).filter { !(($0["found"] as? [Any]) ?? []).isEmpty }.compactMap { $0["id"] as? String }
        }
        let scenario = try item("Scenario reviewed — no overly permissive rules")
        #expect(scenario["status"] as? String == "failed")
        #expect(found(scenario).contains("SG-BROAD-INTERNAL-DB") && found(scenario).contains("SG-INTERNAL-ALL-TRAFFIC"), "\(found(scenario))")
        let egress = try item("Egress rules are minimal")
        #expect(egress["status"] as? String == "failed")
        #expect(found(egress) == ["SG-INTERNAL-ALL-TRAFFIC"], "all traffic out to the private network: the validator's least-privilege finding, counted on the egress side")
        // Every item the tool verified names the checks it ran; every other item names none.
        for entry in items {
            let checks = entry["checks"] as? [[String: Any]] ?? []
            switch entry["status"] as? String {
            case "verified-by-tool", "failed": #expect(!checks.isEmpty, "\(entry["item"] ?? "")")
            default: #expect(checks.isEmpty, "\(entry["item"] ?? "")")
            }
        }

        let markdown = try tool.read("reports/\(Self.name)-review-report.md")
        #expect(markdown.contains("| Egress rules are minimal | failed | SG-EGRESS-WORLD-ALL: clean, SG-DEFAULT-EGRESS: clean, SG-EGRESS-WORLD-PORT: clean, SG-INTERNAL-ALL-TRAFFIC: 1 found |"))
        #expect(markdown.contains("SG-BROAD-INTERNAL-DB: 1 found"))
        let html = try tool.read("reports/\(Self.name)-review-report.html")
        #expect(html.contains("SG-INTERNAL-ALL-TRAFFIC: 1 found") && html.contains("SG-BROAD-INTERNAL-DB: 1 found"))
        #expect(markdown.contains("DO NOT APPROVE as is: 0 finding(s) at or above high without an active acceptance, 2 checklist item(s) failed."))
    }

    @Test func theImageItemAppliesOnlyWhenTheProjectShipsAnImage() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let config = "globalbank-prod-c001-us-west-2"
        let item = "Docker image scanned for vulnerabilities"
        #expect(try tool.run(["-con", config, "-act", "create-review-report"], environment: ["SG_PROVISIONER_IMAGE": ""]).exitCode == 0)
        #expect(try tool.read("reports/\(config)-review-report.md").contains("| \(item) | not-applicable | — | the project ships no container image"))
        #expect(try tool.run(["-con", config, "-act", "create-review-report"], environment: ["SG_PROVISIONER_IMAGE": "sg-provisioner:0.1.0"]).exitCode == 0)
        #expect(try tool.read("reports/\(config)-review-report.md").contains("| \(item) | needs-human | — | scan the image in use, e.g. trivy image sg-provisioner:0.1.0 |"))
    }
}
