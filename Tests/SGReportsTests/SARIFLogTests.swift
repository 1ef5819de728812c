import SGDiagnostics
import SGFindings
import SGModel
import SGValidation
import Testing

@testable import SGReports

@Suite struct SARIFLogTests {
    @Test(arguments: [
        // (line, start column, expected end column)
        ("      - { protocol: tcp, port: 22, source: 0.0.0.0/0, description: x }", 44, 53),
        ("        source: \"::/0\"", 17, 23),
        ("        source: 'it''s'  # comment", 17, 24),
        ("        source: 10.0.0.0/8   # comment", 17, 27),
        ("        source: 10.0.0.0/8", 17, 27),
        ("short", 40, 41),
    ])
    func regionEndsAtTheEndOfTheValue(line: String, start: Int, end: Int) {
        #expect(SARIFLog.valueEndColumn(in: line, startColumn: start) == end)
    }

    @Test func levelsFollowSeverity() {
        #expect(RiskLevel.allCases.map(SARIFLog.level) == ["error", "error", "warning", "note", "note"])
        #expect([DiagnosticSeverity.error, .warning, .note].map(SARIFLog.level) == ["error", "warning", "note"])
    }

    @Test func uriPercentEncodesWhatIsNotAPathCharacter() {
        #expect(SARIFLog.uri("scenarios/my file#1.yaml") == "scenarios/my%20file%231.yaml")
        #expect(SARIFLog.uri("configs/é.yaml") == "configs/%C3%A9.yaml")
    }

    @Test func documentHasARulePerKindResultsWithLevelsAndSuppressions() throws {
        let deployment = ReportFixture.deployment(
            [ReportFixture.tier("bastion", line: 3, [ReportFixture.rule("ingress tcp 22 from 0.0.0.0/0", line: 4)])],
            accepted: [AcceptedRisk(findingID: "SG-WORLD-ADMIN", tier: "bastion", binding: .rule(ReportFixture.rule("ingress tcp 22 from 0.0.0.0/0", line: 40).key),
                                    reason: "ticket SEC-9", expires: CalendarDate(year: 2027, month: 2, day: 1),
                                    location: SourceLocation(file: "configs/x.yaml", line: 40, column: 5))])
        let validation = ScenarioValidator().validate(deployment, today: ReportFixture.today)
        let diagnostic = Diagnostic.error(.invalidProtocol, "bad port", at: SourceLocation(file: "scenarios/report-test.yaml", line: 9, column: 3))
        let log = SARIFLog(toolVersion: "1.2.3", lineText: { _, line in line == 4 ? String(repeating: " ", count: 29) + "0.0.0.0/0, x" : nil })
        let document = log.document(findings: validation.findings, diagnostics: [diagnostic], passed: false)
        guard case .object(let root) = document, case .array(let runs) = root["runs"], case .object(let run) = runs[0],
              case .object(let tool) = run["tool"], case .object(let driver) = tool["driver"], case .array(let rules) = driver["rules"],
              case .array(let results) = run["results"] else {
            Issue.record("unexpected SARIF shape")
            return
        }
        #expect(root["version"] == "2.1.0")
        #expect(rules.count == FindingKind.all.count + 1)
        let admin = try #require(results.first { if case .object(let r) = $0 { return r["ruleId"] == "SG-WORLD-ADMIN" }; return false })
        guard case .object(let result) = admin else { return }
        #expect(result["level"] == "error")
        #expect(result["suppressions"] == [["kind": "external", "status": "accepted", "justification": "ticket SEC-9 (accepted until 2027-02-01)"]])
        // The one fingerprint function: the same value validate's JSON prints and accepted risks bind to.
        let fingerprint = FindingFingerprint.make(findingID: "SG-WORLD-ADMIN", tier: "bastion", subject: "ingress tcp/22 from 0.0.0.0/0")
        #expect(result["partialFingerprints"] == ["sgProvisionerFinding/v2": .string(fingerprint)])
        #expect(validation.findings.first?.fingerprint == fingerprint)
        let region: JSONValue = ["startLine": 4, "startColumn": 30, "endLine": 4, "endColumn": 39]
        #expect(result["locations"] == [["physicalLocation": ["artifactLocation": ["uri": "scenarios/report-test.yaml", "index": 0], "region": region]]])
        let input = try #require(results.first { if case .object(let r) = $0 { return r["ruleId"] == "E301" }; return false })
        guard case .object(let inputResult) = input else { return }
        #expect(inputResult["level"] == "error")
        #expect(inputResult["ruleIndex"] == .int(FindingKind.all.count))
        // The code's rule says what the code means, in the catalog's words.
        guard case .object(let codeRule) = rules[FindingKind.all.count] else { return }
        #expect(codeRule["id"] == "E301")
        #expect(codeRule["shortDescription"] == ["text": .string(DiagnosticCode.invalidProtocol.meaning)])
        #expect(DiagnosticCode.invalidProtocol.meaning == "An unknown `protocol`.")
    }
}

@Suite struct SARIFArtifactTests {
    @Test func everyExaminedFileIsAnArtifactAndResultsPointAtTheirsByIndex() throws {
        let deployment = ReportFixture.deployment([ReportFixture.tier("db", line: 3, [ReportFixture.rule("ingress tcp 5432 from 0.0.0.0/0", line: 4)])])
        let validation = ScenarioValidator().validate(deployment, today: ReportFixture.today)
        let warning = Diagnostic.warning(.unresolvedTemplateValue, "cannot resolve", at: SourceLocation(file: "other.yaml", line: 2, column: 3))
        let document = SARIFLog(toolVersion: "1", lineText: { _, _ in nil }).document(
            findings: validation.findings, diagnostics: [warning], passed: false,
            artifacts: [
                .init(path: "clean.yaml", properties: ["passed": .bool(true)]),
                .init(path: ReportFixture.file, properties: ["passed": .bool(false)]),
            ])
        guard case .object(let root) = document, case .array(let runs) = root["runs"], case .object(let run) = runs[0],
              case .array(let artifacts) = run["artifacts"], case .array(let results) = run["results"] else {
            Issue.record("unexpected SARIF shape")
            return
        }
        let uris = artifacts.map { artifact -> String in
            guard case .object(let entry) = artifact, case .object(let location) = entry["location"], case .string(let uri) = location["uri"] else { return "?" }
            return uri
        }
        #expect(uris == ["clean.yaml", ReportFixture.file, "other.yaml"], "a file with results but not listed is added after the listed ones")
        guard case .object(let first) = artifacts[0], case .object(let properties) = first["properties"] else {
            Issue.record("the clean file's properties are missing")
            return
        }
        #expect(properties["passed"] == .bool(true))
        for result in results {
            guard case .object(let fields) = result, case .array(let locations) = fields["locations"], case .object(let location) = locations[0],
                  case .object(let physical) = location["physicalLocation"], case .object(let artifact) = physical["artifactLocation"],
                  case .string(let uri) = artifact["uri"], case .int(let index) = artifact["index"] else {
                Issue.record("a result without an indexed artifact: \(result)")
                continue
            }
            #expect(uris[index] == uri)
        }
    }
}
