import SGModel
import Testing
@testable import SGValidation

/// Every kind's documented examples run through the validator (SwiftLint style), so the help
/// text reports and SARIF print can never disagree with what the validator does.
@Suite("Finding kind examples")
struct FindingExampleTests {
    @Test("triggering examples raise their kind", arguments: FindingKind.all)
    func triggering(_ kind: FindingKind) {
        #expect(!kind.triggeringExamples.isEmpty)
        for example in kind.triggeringExamples {
            let result = ScenarioValidator().validate(tiers: example.makeTiers(), context: example.makeContext(today: testToday))
            #expect(result.findings.contains { $0.id == kind.id }, "\(kind.id) not raised by:\n\(example)")
        }
    }

    @Test("non-triggering examples do not", arguments: FindingKind.all)
    func nonTriggering(_ kind: FindingKind) {
        #expect(!kind.nonTriggeringExamples.isEmpty)
        for example in kind.nonTriggeringExamples {
            let result = ScenarioValidator().validate(tiers: example.makeTiers(), context: example.makeContext(today: testToday))
            #expect(!result.findings.contains { $0.id == kind.id }, "\(kind.id) raised by:\n\(example)")
        }
    }

    @Test("kinds have unique ids, help text, and are ordered worst first")
    func catalogShape() {
        let ids = FindingKind.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.count == 20)
        #expect(FindingKind.all.allSatisfy { $0.id.hasPrefix("SG-") && !$0.title.isEmpty && !$0.summary.isEmpty && !$0.remediation.isEmpty })
        #expect(FindingKind.all.map(\.defaultSeverity) == FindingKind.all.map(\.defaultSeverity).sorted(by: >))
        #expect(FindingKind.kind(id: "SG-WORLD-DB")?.defaultSeverity == .critical)
        #expect(FindingKind.kind(id: "SG-NOPE") == nil)
    }

    @Test("an example line becomes a rule located at its peer")
    func exampleLocations() throws {
        let tiers = FindingExample("db: ingress tcp 5432 from tier:app", "app: egress default").makeTiers(file: "x.yaml")
        #expect(tiers.map(\.name) == ["db", "app"])
        let rule = try #require(tiers.first?.ingress.first)
        #expect(rule.peer == .tier("app"))
        #expect(rule.locations.peer?.description == "x.yaml:1:27")
        #expect(tiers[0].isEgressClosed)
        #expect(tiers[1].usesDefaultEgress)
    }
}
