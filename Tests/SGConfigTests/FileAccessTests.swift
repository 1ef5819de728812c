import Foundation
import SGConfig
import SGDiagnostics
import SGTestSupport
import SGYAML
import Testing

/// Finding, reading and parsing the files: exact codes, messages and locations.
@Suite struct FileAccessTests {
    private func diagnostics(_ files: [String: String], unreadable: Set<String> = [], reference: String = "c") -> [String] {
        rendered(makeLoader(files, unreadable: unreadable).load(config: reference).diagnostics)
    }

    @Test func missingBareNameSuggestsAndListsConfigs() throws {
        let result = makeLoader(["configs/prod.yaml": config(), "configs/staging.yml": config()]).load(config: "prdo")
        #expect(rendered(result.diagnostics) == [
            "-: E201 config 'prdo' not found (looked for configs/prdo, configs/prdo.yaml, configs/prdo.yml); did you mean 'prod'?",
        ])
        #expect(result.diagnostics.all.first?.notes.map(\.message) == ["available configs: prod, staging"])
        #expect(result.deployment == nil)
    }

    @Test func missingBareNameWithExtensionSuggestsTheName() {
        let found = diagnostics(["configs/prod.yaml": config()], reference: "prd.yaml")
        #expect(found == ["-: E201 config 'prd.yaml' not found (looked for configs/prd.yaml, configs/prd.yaml.yaml, configs/prd.yaml.yml); did you mean 'prod'?"])
    }

    @Test func missingConfigWithNoConfigsSaysSo() {
        let result = makeLoader([:]).load(config: "prod")
        #expect(rendered(result.diagnostics) == ["-: E201 config 'prod' not found (looked for configs/prod, configs/prod.yaml, configs/prod.yml)"])
        #expect(result.diagnostics.all.first?.notes.map(\.message) == ["no configs found in configs/"])
    }

    @Test func missingPathIsReportedAtThePath() {
        #expect(diagnostics([:], reference: "elsewhere/x.yaml") == ["elsewhere/x.yaml:1:1: E201 config file 'elsewhere/x.yaml' does not exist"])
    }

    @Test func unreadableConfig() {
        #expect(diagnostics([:], unreadable: [configPath]) == ["configs/c.yaml:1:1: E202 cannot read config file: permission denied"])
    }

    @Test func unreadableScenario() {
        #expect(diagnostics([configPath: config()], unreadable: [scenarioPath])
            == ["scenarios/web.yaml:1:1: E202 cannot read scenario file: permission denied"])
    }

    @Test func emptyFiles() {
        #expect(diagnostics([configPath: ""]) == ["configs/c.yaml:1:1: E203 file is empty"])
        #expect(diagnostics([configPath: "# nothing yet\n\n"]) == ["configs/c.yaml:1:1: E203 file is empty (it holds only comments or blank lines)"])
        #expect(diagnostics([configPath: config(), scenarioPath: ""]) == ["scenarios/web.yaml:1:1: E203 file is empty"])
    }

    @Test func rootMustBeAMapping() {
        #expect(diagnostics([configPath: "- a\n- b\n"]) == ["configs/c.yaml:1:1: E204 expected a mapping at the top of the config file, found a sequence"])
        #expect(diagnostics([configPath: config(), scenarioPath: "just text\n"])
            == ["scenarios/web.yaml:1:1: E204 expected a mapping at the top of the scenario file, found a scalar"])
        #expect(diagnostics([configPath: "~\n"]) == ["configs/c.yaml:1:1: E204 expected a mapping at the top of the config file, found null"])
    }

    @Test func yamlErrorsPassThroughUnchanged() throws {
        for text in ["company_prefix: [a, b\n", "a: 1\nb: 2\na: 3\n", "a: *nothing\n", "a: 1\n---\nb: 2\n"] {
            let expected: [Diagnostic]
            do {
                _ = try YAMLParser().parse(text, path: configPath)
                Issue.record("expected a YAML error for \(text)")
                continue
            } catch {
                expected = error.diagnostics
            }
            let result = makeLoader([configPath: text]).load(config: "c")
            #expect(result.diagnostics.all == expected)
            #expect(expected.allSatisfy { $0.code.rawValue.hasPrefix("E1") })
        }
    }

    @Test func scenarioNotFoundSuggestsExistingScenarios() {
        let files = [configPath: config("scenario", "scenario: wbe"), scenarioPath: baseScenario]
        #expect(diagnostics(files) == ["configs/c.yaml:6:11: E227 scenario 'wbe' not found: scenarios/wbe.yaml does not exist; did you mean 'web'?"])
    }

    @Test func configReferenceResolutionOrder() {
        let exact = "company_prefix: exact\nenvironment: prod\ndeployment_id: c001\nregion: us-west-2\nvpc_id: vpc-0a1b2c3d\nscenario: web\n"
        let yml = exact.replacingOccurrences(of: "exact", with: "yml")
        let loader = makeLoader(["configs/c": exact, "configs/c.yml": yml, configPath: config(), scenarioPath: baseScenario])
        #expect(loader.resolveConfigPath("c") == "configs/c")
        #expect(loader.load(config: "c").deployment?.identity.company == "exact")
        let withoutExact = makeLoader(["configs/c.yml": yml, configPath: config(), scenarioPath: baseScenario])
        #expect(withoutExact.resolveConfigPath("c") == configPath)
        #expect(makeLoader(["configs/c.yml": yml]).resolveConfigPath("c") == "configs/c.yml")
        #expect(withoutExact.resolveConfigPath("c.yml") == "configs/c.yml")
        #expect(withoutExact.resolveConfigPath("./configs/c.yml") == nil)
        #expect(withoutExact.resolveConfigPath("configs/c.yml") == "configs/c.yml")
        #expect(withoutExact.availableConfigs() == ["c"])
    }

    @Test func loadScenarioAlone() throws {
        let loader = makeLoader([scenarioPath: baseScenario])
        let good = loader.loadScenario(path: scenarioPath)
        #expect(good.diagnostics.all.isEmpty)
        #expect(good.scenario?.tiers.map(\.name) == ["web", "app"])
        #expect(good.sources.map(\.path) == [scenarioPath])

        let missing = loader.loadScenario(path: "scenarios/none.yaml")
        #expect(rendered(missing.diagnostics) == ["-: E227 scenario file 'scenarios/none.yaml' does not exist"])

        let bad = makeLoader([scenarioPath: scenario(rule: "{ protocol: tcp, port: 22, source_tier: nope }")]).loadScenario(path: scenarioPath)
        #expect(bad.scenario == nil)
        #expect(rendered(bad.diagnostics) == ["scenarios/web.yaml:5:49: E313 unknown tier 'nope' in source_tier"])
    }

    @Test func sourcesHoldEveryFileRead() {
        let result = makeLoader([configPath: config(), scenarioPath: baseScenario]).load(config: "c")
        #expect(result.sources.map(\.path) == [configPath, scenarioPath])
        #expect(result.sources.first?.line(6) == "scenario: web")
    }
}

@Suite struct RenderingTests {
    /// What a user sees: the message, the quoted line and a caret under the offending value.
    @Test func diagnosticsRenderWithTheSourceLine() {
        let files = [configPath: config("region", "region: us-west2"), scenarioPath: baseScenario]
        let result = makeLoader(files).load(config: "c")
        let registry = SourceFileRegistry()
        result.sources.forEach(registry.add)
        let text = DiagnosticRenderer(useColor: false, sourceLine: registry.lineProvider).render(result.diagnostics.sorted)
        #expect(text == """
            configs/c.yaml:4:9: error: unknown AWS region 'us-west2'; did you mean 'us-west-2'? [E213]
             4 | region: us-west2
               |         ^

            """)
    }
}
