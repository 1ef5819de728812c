import SGFindings
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
}
