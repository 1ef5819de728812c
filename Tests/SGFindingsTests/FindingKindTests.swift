import SGModel
import Testing
@testable import SGFindings

/// The finding kinds as a table (ids, help text, order) and their examples as scenarios; the
/// validator's tests run every example (SGValidationTests/FindingExampleTests).
@Suite("Finding kinds")
struct FindingKindTests {
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
