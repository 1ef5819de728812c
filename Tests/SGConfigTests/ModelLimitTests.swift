import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// `ModelLimits` at their default values, each with an input just over it (the tier, per-direction
/// rule, tag and group-name limits are pinned in ScenarioRuleTests and ConfigFieldTests), and the
/// cost of many bad references staying linear.
@Suite struct ModelLimitTests {
    @Test func defaultsAreThePublishedValues() {
        let limits = ModelLimits.default
        #expect(limits.maxTiers == 5_000)
        #expect(limits.maxRulesPerDirection == 60)
        #expect(limits.maxOverrides == 1_000)
        #expect(limits.maxAcceptedRisks == 1_000)
        #expect(limits.maxTags == 47)
        #expect(limits.maxTotalRules == 100_000)
        #expect(limits.maxPortCatalogEntries == 1_000)
        #expect(limits.maxGroupNameLength == 255)
    }

    /// A config whose list `key` (line 7) holds `count` copies of `item`.
    static func list(_ key: String, _ item: String, count: Int) -> String {
        config(append: "\(key):\n" + String(repeating: "  - \(item)\n", count: count))
    }

    static let override = "{ tier: app, remove_ingress: [{ protocol: tcp, port: 8080, source_tier: web }], description: x }"
    static let risk = "{ finding: SG-WORLD-ADMIN, tier: web, reason: ok, expires: 2027-01-01 }"
    static let catalogEntry = "{ port: 7000, name: Cassandra, category: database }"

    @Test func overridesJustOverTheDefault() {
        InputCase("1001 overrides", config: Self.list("overrides", Self.override, count: 1_001),
                  Expected("E228", "overrides has 1001 entries; the limit is 1000", line: 8, at: "-")).check()
    }

    @Test func acceptedRisksJustOverTheDefault() {
        InputCase("1001 accepted risks", config: Self.list("accepted_risks", Self.risk, count: 1_001),
                  Expected("E228", "accepted_risks has 1001 entries; the limit is 1000", line: 8, at: "-")).check()
    }

    @Test func portCatalogAtAndJustOverTheDefault() {
        // Duplicated entries are not an error of their own: the count is what is tested.
        InputCase("1000 catalog entries", config: Self.list("port_catalog", Self.catalogEntry, count: 1_000)).check()
        InputCase("1001 catalog entries", config: Self.list("port_catalog", Self.catalogEntry, count: 1_001),
                  Expected("E228", "port_catalog has 1001 entries; the limit is 1000", line: 8, at: "-")).check()
    }

    @Test func thousandsOfUnknownTierReferencesAreEachReportedAndFewGetSuggestions() throws {
        // Before the fix every reference was compared with every tier: this input took minutes.
        var text = "name: web\ntiers:\n"
        for tier in 0..<1_000 { text += "  tier\(tier):\n    egress: []\n" }
        text += "  web:\n    egress: []\n    ingress:\n"
        for rule in 0..<50 { text += "      - { protocol: tcp, port: \(rule + 1), source_tier: tierx\(rule) }\n" }
        for tier in 0..<40 {
            text += "  extra\(tier):\n    egress: []\n    ingress:\n"
            for rule in 0..<60 { text += "      - { protocol: tcp, port: \(rule + 1), source_tier: ghost\(tier)x\(rule) }\n" }
        }
        let result = makeLoader([configPath: config(), scenarioPath: text]).load(config: "c")
        let unknown = result.diagnostics.all.filter { $0.code == .unknownTierReference }
        #expect(unknown.count == 50 + 40 * 60)
        #expect(unknown.filter { $0.message.contains("did you mean") }.count == 20)
        #expect(result.deployment == nil)
    }

    @Test func manyUnknownKeysAreEachReportedAndFewGetSuggestions() {
        // Near-misses of `vpc_cidr`, so every one of them would earn a suggestion if allowed.
        let keys = (0..<5_000).map { "vpc_cid\($0): y\n" }.joined()
        let result = makeLoader([configPath: config(append: keys), scenarioPath: baseScenario]).load(config: "c")
        let unknown = result.diagnostics.all.filter { $0.code == .unknownKey }
        #expect(unknown.count == 5_000)
        // All are within two edits of vpc_cidr; only the first 20 are compared at all.
        #expect(unknown.filter { $0.message.contains("did you mean 'vpc_cidr'") }.count == 20)
    }
}
