import Foundation
import SGTestSupport
import Testing

/// Bounded work on hostile or runaway input: reads stop at the limit, quoted lines are clipped,
/// and 10,000 diagnostics on one 700 KB line print a bounded text while JSON keeps them all.
@Suite struct BoundedWorkTests {
    /// A config for `scenario` (the bundled deployment's identity and VPC).
    static func config(scenario: String) -> String {
        """
        company_prefix: globalbank
        environment: prod
        deployment_id: c001
        region: us-west-2
        vpc_id: vpc-0a1b2c3d4e5f67890
        scenario: \(scenario)

        """
    }

    /// A scenario with `tiers` tiers of `rulesPerTier` SSH-from-the-world rules each (one HIGH
    /// finding per rule), written in block style.
    static func manyFindingsScenario(tiers: Int, rulesPerTier: Int) -> String {
        var text = "name: many\ntiers:\n"
        for tier in 0..<tiers {
            text += "  t\(tier):\n    egress: []\n    ingress:\n"
            for rule in 0..<rulesPerTier {
                text += "      - { protocol: tcp, port: \(22 + rule * 1000), source: 0.0.0.0/0 }\n"
            }
        }
        return text
    }

    /// The same shape as one line of flow YAML (what a JSON-writing generator produces), each
    /// rule with `port`.
    static func oneLineScenario(tiers: Int, rulesPerTier: Int, port: String) -> String {
        let rules = (0..<rulesPerTier).map { "{protocol: tcp, port: \(port), source: \"10.\($0).0.0/16\"}" }.joined(separator: ", ")
        let body = (0..<tiers).map { "t\($0): {egress: [], ingress: [\(rules)]}" }.joined(separator: ", ")
        return "{name: oneline, tiers: {\(body)}}\n"
    }

    @Test func tenThousandErrorsOnOneLongLinePrintABoundedTextAndAFullJSON() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let scenario = Self.oneLineScenario(tiers: 200, rulesPerTier: 50, port: "70000")
        #expect(scenario.utf8.count > 500_000)
        try tool.write(scenario, to: "scenarios/oneline.yaml")
        try tool.write(Self.config(scenario: "oneline"), to: "configs/oneline.yaml")
        let text = try tool.run(["-con", "oneline", "-act", "validate-prov-template"])
        #expect(text.exitCode == 1)
        #expect(text.stderr.utf8.count < 100_000, "text output is bounded: \(text.stderr.utf8.count) bytes")
        #expect(text.stderr.contains("note: 9980 more errors [E305] not shown after the first 20 (--output json or sarif lists every one)"),
                "\(text.stderr.suffix(500))")
        let quoted = text.stderr.split(separator: "\n").filter { $0.hasPrefix(" 1 | ") }
        #expect(quoted.count == 20 && quoted.allSatisfy { $0.count <= 5 + 3 + 120 + 3 }, "quoted lines are clipped")
        let json = try tool.run(["-con", "oneline", "-act", "validate-prov-template", "--output", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["errors"] as? [Any])?.count == 10_000, "JSON stays complete")
    }

    @Test func findingsOnOneLongLineQuoteAClippedExcerpt() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let scenario = Self.oneLineScenario(tiers: 20, rulesPerTier: 20, port: "22").replacingOccurrences(of: "10.", with: "0.")
            .replacingOccurrences(of: ".0.0/16", with: ".0.0/0")
        try tool.write(scenario.replacingOccurrences(of: "\"0.", with: "\"0.0.0.0/0\", x: \"0."), to: "scenarios/unused.yaml")
        // 400 rules with the world as source: one finding per rule, each quoting the one line.
        let world = (0..<20).map { _ in "{protocol: tcp, port: 22, source: 0.0.0.0/0}" }
        let body = (0..<20).map { "t\($0): {egress: [], ingress: [\(world.enumerated().map { $0.element.replacingOccurrences(of: "22", with: "\(22 + $0.offset)") }.joined(separator: ", "))]}" }
        try tool.write("{name: oneline, tiers: {\(body.joined(separator: ", "))}}\n", to: "scenarios/oneline.yaml")
        try tool.write(Self.config(scenario: "oneline"), to: "configs/oneline.yaml")
        let outcome = try tool.run(["-con", "oneline", "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let quoted = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix(" 1 | ") }
        #expect(quoted.count == 400, "every finding quotes its line")
        #expect(quoted.allSatisfy { $0.count <= 5 + 3 + 120 + 3 }, "each quote is clipped around its column")
        #expect(outcome.stdout.utf8.count < 1_000_000, "\(outcome.stdout.utf8.count) bytes")
    }
}
