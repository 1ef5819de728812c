import SGDiagnostics
import SGModel
import SGTestSupport
import SGYAML
import Testing

@testable import SGConfig

/// Reading a scenario's tiers in concurrent runs must give exactly what reading them in one pass
/// gives: the same model, the same diagnostics in the same order, the same "did you mean" cap.
@Suite struct ConcurrentTierReadingTests {
    static let path = "scenarios/big.yaml"

    /// A scenario of `tierCount` tiers, three ingress rules each; tier `i` starts on line
    /// 3 + 5i and its rule `j` is on line 5 + 5i + j. `edit` may replace a tier's key or rules.
    static func scenario(tierCount: Int, edit: (Int, inout String, inout [String]) -> Void = { _, _, _ in }) -> String {
        var lines = ["name: big", "tiers:"]
        for index in 0..<tierCount {
            var name = "t\(index)"
            var rules = (0..<3).map { "      - { protocol: tcp, port: \(1000 + $0), source_tier: t\((index + 1) % tierCount) }" }
            edit(index, &name, &rules)
            lines += ["  \(name):", "    ingress:"] + rules
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Errors in several tiers, each of a kind with its own ordering rule: read per tier (E301,
    /// E205 with a suggestion, E309, E318 on a tier name), after the merge (E313 unknown tier),
    /// and found per tier but reported after the references (E315 duplicate).
    static let brokenScenario = scenario(tierCount: 64) { index, name, rules in
        switch index {
        case 5: rules[1] = "      - { protocol: tpc, port: 22, source: 10.0.0.0/8 }"
        case 17: rules[2] = "      - { protocol: tcp, port: 22, source_tier: nowhere }"
        case 30: rules[2] = rules[1]
        case 41: name = "T41"
        case 50: rules[0] = "      - { protocol: tcp, port: 22, source: 10.0.0.0/8, prot: tcp }"
        case 63: rules[0] = "      - { protocol: tcp, port: 22, destination: 10.0.0.0/8 }"
        default: break
        }
    }

    /// What reading `text` with `runCount` runs gives, with the loader's later steps (tier
    /// references, then the duplicates found per tier) as `DeploymentLoader` runs them.
    static func read(_ text: String, runCount: Int) throws -> (draft: ScenarioDraft, reader: NodeReader) {
        let root = try #require(try YAMLParser().parse(text, path: path).root)
        var reader = NodeReader()
        let draft = try #require(ScenarioReader.read(root, path: path, limits: .default, reader: &reader, runCount: runCount))
        ModelChecks.checkTierReferences(in: draft.scenario.tiers.flatMap(\.rules), tierNames: draft.scenario.tiers.map(\.name), reader: &reader)
        reader.diagnostics.report(contentsOf: draft.duplicateRuleDiagnostics)
        return (draft, reader)
    }

    static func summary(_ diagnostics: Diagnostics) -> [String] {
        diagnostics.all.map { "\($0.code) \($0.location.map(\.description) ?? "-") \($0.message)" }
    }

    @Test(arguments: [2, 3, 4, 7, 64, 500])
    func concurrentRunsGiveTheModelAndDiagnosticsOfOnePass(runCount: Int) throws {
        let onePass = try Self.read(Self.brokenScenario, runCount: 1)
        let runs = try Self.read(Self.brokenScenario, runCount: runCount)
        #expect(runs.draft.scenario == onePass.draft.scenario)
        #expect(runs.draft.incompleteTiers == onePass.draft.incompleteTiers)
        #expect(runs.reader.diagnostics.all == onePass.reader.diagnostics.all)
        #expect(runs.reader.diagnostics.errorCount == onePass.reader.diagnostics.errorCount)
        #expect(runs.reader.suggestedKeys == onePass.reader.suggestedKeys)
    }

    /// The errors themselves, in the order reported (not sorted): per-tier errors in tier order,
    /// then unknown tier references, then duplicates.
    @Test func brokenTiersAreReportedInTierOrder() throws {
        let runs = try Self.read(Self.brokenScenario, runCount: 4)
        let file = Self.path
        #expect(Self.summary(runs.reader.diagnostics) == [
            "E301 \(file):31:21 unknown protocol 'tpc'; did you mean 'tcp'?",
            "E318 \(file):208:3 invalid tier name 'T41': uppercase letter 'T' is not allowed; use lowercase",
            "E205 \(file):255:56 unknown key 'prot' in ingress rule; did you mean 'port'?",
            "E309 \(file):320:36 destination is not allowed on an ingress rule; use source",
            "E313 \(file):92:49 unknown tier 'nowhere' in source_tier",
            // Tier t40's rules name t41, whose key was rejected.
            "E313 \(file):205:51 unknown tier 't41' in source_tier; did you mean 't1'?",
            "E313 \(file):206:51 unknown tier 't41' in source_tier; did you mean 't1'?",
            "E313 \(file):207:51 unknown tier 't41' in source_tier; did you mean 't1'?",
            "E315 \(file):157:9 duplicate rule in tier 't30': ingress tcp/1001 from tier t31",
        ])
        #expect(runs.draft.incompleteTiers == ["t5", "t50", "t63"])
        #expect(runs.draft.scenario.tiers.count == 63)
    }

    /// Past `Suggester.maxDistinctNames` unknown keys, only the first ones in file order get a
    /// suggestion, whichever run they fall in (the runs are then read again in one pass).
    @Test func theSuggestionCapFollowsFileOrderAcrossRuns() throws {
        let text = Self.scenario(tierCount: 40) { index, _, rules in
            rules[0] = "      - { protocol: tcp, port: 22, source: 10.0.0.0/8, prot: tcp }"
        }
        let onePass = try Self.read(text, runCount: 1)
        let runs = try Self.read(text, runCount: 8)
        #expect(runs.reader.diagnostics.all == onePass.reader.diagnostics.all)
        let unknownKeys = runs.reader.diagnostics.all.filter { $0.code.rawValue == "E205" }
        #expect(unknownKeys.count == 40)
        let suggested = unknownKeys.map { $0.message.hasSuffix("did you mean 'port'?") }
        let cap = TextSupport.Suggester.maxDistinctNames
        #expect(suggested == Array(repeating: true, count: cap) + Array(repeating: false, count: 40 - cap))
        #expect(runs.draft.scenario == onePass.draft.scenario)
    }

    /// A run count above the tier count, or below 1, still reads every tier once.
    @Test(arguments: [0, 1, 3, 10])
    func anyRunCountReadsEveryTierOnce(runCount: Int) throws {
        let text = Self.scenario(tierCount: 3)
        let result = try Self.read(text, runCount: runCount)
        #expect(result.draft.scenario.tiers.map(\.name) == ["t0", "t1", "t2"])
        #expect(result.reader.diagnostics.all.isEmpty)
    }

    /// The reference check over the tiers reports what the check over their rules in one array
    /// reports (each tier's ingress, then its egress).
    @Test func theReferenceCheckOverTiersMatchesTheCheckOverAllRules() throws {
        let text = Self.scenario(tierCount: 40) { index, _, rules in
            if index % 7 == 3 { rules[1] = "      - { protocol: tcp, port: 22, source_tier: gone\(index % 2) }" }
        } + "  closed:\n    egress:\n      - { protocol: tcp, port: 5432, destination_tier: t99 }\n"
        let root = try #require(try YAMLParser().parse(text, path: Self.path).root)
        var reader = NodeReader()
        let draft = try #require(ScenarioReader.read(root, path: Self.path, limits: .default, reader: &reader, runCount: 1))
        var overTiers = NodeReader()
        ModelChecks.checkTierReferences(of: draft.scenario.tiers, reader: &overTiers)
        var overRules = NodeReader()
        ModelChecks.checkTierReferences(in: draft.scenario.tiers.flatMap(\.rules), tierNames: draft.scenario.tiers.map(\.name), reader: &overRules)
        #expect(overTiers.diagnostics.all == overRules.diagnostics.all)
        #expect(Self.summary(overTiers.diagnostics).count == 7)
        #expect(Self.summary(overTiers.diagnostics).last == "E313 \(Self.path):205:56 unknown tier 't99' in destination_tier; did you mean 't9'?")
    }

    /// Small scenarios stay on the calling thread.
    @Test(arguments: [0, 1, 10, TierRun.minimumTiersForConcurrency - 1])
    func smallScenariosAreReadInOneRun(tiers: Int) {
        #expect(TierRun.automaticRunCount(tiers: tiers) == 1)
    }

    /// The whole loader (automatic run count) on the broken scenario reports what one pass does.
    @Test func theLoaderReportsWhatOnePassReports() throws {
        let result = makeLoader([configPath: config("scenario", "scenario: big"), Self.path: Self.brokenScenario]).load(config: configPath)
        let onePass = try Self.read(Self.brokenScenario, runCount: 1)
        #expect(result.deployment == nil)
        #expect(result.diagnostics.all.filter { $0.location?.file == Self.path } == onePass.reader.diagnostics.all)
    }
}

/// Tiers read while the scenario is parsed (`TierPrefetch`) give what reading them afterwards
/// gives, and inputs the prefetch cannot vouch for are read afterwards.
@Suite struct TierPrefetchTests {
    /// Parses with a prefetch, then reads with it, as `DeploymentLoader` does, followed by the
    /// loader's later steps.
    static func readPrefetched(_ text: String) throws -> (draft: ScenarioDraft, reader: NodeReader) {
        let prefetch = TierPrefetch()
        let document = try YAMLParser().parse(
            SourceFile(path: ConcurrentTierReadingTests.path, text: text), observing: ["tiers"], onEntry: { prefetch.add($0) })
        let root = try #require(document.root)
        var reader = NodeReader()
        let draft = try #require(ScenarioReader.read(
            root, path: ConcurrentTierReadingTests.path, limits: .default, reader: &reader, prefetch: prefetch))
        ModelChecks.checkTierReferences(in: draft.scenario.tiers.flatMap(\.rules), tierNames: draft.scenario.tiers.map(\.name), reader: &reader)
        reader.diagnostics.report(contentsOf: draft.duplicateRuleDiagnostics)
        return (draft, reader)
    }

    static func expectSameAsOnePass(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let prefetched = try readPrefetched(text)
        let onePass = try ConcurrentTierReadingTests.read(text, runCount: 1)
        #expect(prefetched.draft.scenario == onePass.draft.scenario, sourceLocation: sourceLocation)
        #expect(prefetched.draft.incompleteTiers == onePass.draft.incompleteTiers, sourceLocation: sourceLocation)
        #expect(prefetched.reader.diagnostics.all == onePass.reader.diagnostics.all, sourceLocation: sourceLocation)
        #expect(prefetched.reader.suggestedKeys == onePass.reader.suggestedKeys, sourceLocation: sourceLocation)
    }

    /// 64 tiers: two batches go to workers while parsing, the last 16 are read afterwards.
    @Test func brokenTiersReadWhileParsingMatchOnePass() throws {
        try Self.expectSameAsOnePass(ConcurrentTierReadingTests.brokenScenario)
    }

    /// Fewer tiers than a batch: nothing is dispatched.
    @Test func aSmallScenarioMatchesOnePass() throws {
        try Self.expectSameAsOnePass(ConcurrentTierReadingTests.scenario(tierCount: TierPrefetch.batchSize - 1))
    }

    /// 30 unknown keys: past the suggestion cap, the tiers are read again in one pass.
    @Test func pastTheSuggestionCapTheTiersAreReadAgain() throws {
        try Self.expectSameAsOnePass(ConcurrentTierReadingTests.scenario(tierCount: 60) { index, _, rules in
            if index % 2 == 0 { rules[0] = "      - { protocol: tcp, port: 22, source: 10.0.0.0/8, prot: tcp }" }
        })
    }

    /// A merge key inside `tiers` adds tiers after the ones handed over; an aliased `tiers`
    /// hands over none: both are read as without a prefetch.
    @Test func mergedAndAliasedTiersMatchOnePass() throws {
        let scenario = ConcurrentTierReadingTests.scenario(tierCount: 50)
        // `extra` is also an unknown root key: its suggestion counts before the tiers' ones.
        try Self.expectSameAsOnePass(scenario.replacing("tiers:\n", with: "extra: &x\n  t99:\n    ingress: []\ntiers:\n  <<: *x\n"))
        let aliased = scenario.replacing("name: big\ntiers:\n", with: "name: big\nextra: &x\n").appending("tiers: *x\n")
        try Self.expectSameAsOnePass(aliased)
        #expect(try Self.readPrefetched(aliased).draft.scenario.tiers.count == 50)
    }
}
