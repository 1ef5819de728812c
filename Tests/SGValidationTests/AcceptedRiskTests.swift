import SGModel
import Testing
@testable import SGValidation

@Suite("Accepted risks")
struct AcceptedRiskTests {
    let bastion = tier("bastion", line: 3, ["ingress tcp 22 from 0.0.0.0/0"])

    @Test("an active acceptance is shown and does not fail")
    func active() throws {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2027-03-31", line: 20)])
        let finding = try #require(result.findings.first)
        let acceptance = try #require(finding.acceptance)
        #expect(finding.isAccepted)
        #expect(!acceptance.isExpired)
        #expect(acceptance.reason == "ticket SEC-20")
        #expect(acceptance.expires.description == "2027-03-31")
        #expect(acceptance.location.description == "configs/test.yaml:20:5")
        #expect(result.failing(at: .high).isEmpty)
        #expect(result.unusedAcceptedRisks.isEmpty)
    }

    @Test("the expiry day itself still counts as accepted")
    func expiresToday() {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: testToday.description, line: 20)])
        #expect(result.findings.first?.isAccepted == true)
    }

    @Test("an expired acceptance is attached but the finding fails again")
    func expired() throws {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2026-05-04", line: 20)])
        let finding = try #require(result.findings.first)
        #expect(finding.acceptance?.isExpired == true)
        #expect(!finding.isAccepted)
        #expect(result.failing(at: .high).map(\.id) == ["SG-WORLD-ADMIN"])
    }

    @Test("an acceptance for another tier or id does not match and is reported unused")
    func unused() {
        let wrongTier = acceptedRisk("SG-WORLD-ADMIN", tier: "web", expires: "2027-03-31", line: 20)
        let wrongID = acceptedRisk("SG-WORLD-DB", tier: "bastion", expires: "2027-03-31", line: 25)
        let result = validate([bastion], accepted: [wrongTier, wrongID])
        #expect(result.findings.first?.acceptance == nil)
        #expect(result.unusedAcceptedRisks == [wrongTier, wrongID])
        #expect(result.failing(at: .high).count == 1)
    }

    @Test("with two entries for the same finding the active one wins")
    func activeWinsOverExpired() {
        let expired = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2025-01-01", line: 20)
        let active = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2027-01-01", line: 25)
        let result = validate([bastion], accepted: [expired, active])
        #expect(result.findings.first?.acceptance?.location.line == 25)
        #expect(result.findings.first?.isAccepted == true)
        #expect(result.unusedAcceptedRisks.isEmpty)
    }

    @Test("the config entry point reads accepted risks from the deployment")
    func throughDeployment() {
        let result = ScenarioValidator().validate(
            deployment([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2027-03-31", line: 20)]), today: testToday)
        #expect(result.findings.first?.isAccepted == true)
    }
}

@Suite("Failing threshold")
struct FailingThresholdTests {
    @Test("failing keeps unaccepted findings at or above the threshold", arguments: [
        (RiskLevel.critical, ["SG-WORLD-DB"]),
        (.high, ["SG-WORLD-DB", "SG-WORLD-ADMIN"]),
        (.medium, ["SG-WORLD-DB", "SG-WORLD-ADMIN", "SG-DEFAULT-EGRESS"]),
        (.low, ["SG-WORLD-DB", "SG-WORLD-ADMIN", "SG-DEFAULT-EGRESS", "SG-WORLD-WEB-PUBLIC"]),
    ])
    func threshold(_ level: RiskLevel, _ expected: [String]) {
        let tiers = [
            tier("web", line: 3, isPublic: true, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0", "ingress tcp 22 from 0.0.0.0/0"]),
            tier("db", line: 10, ["ingress tcp 5432 from 0.0.0.0/0"]),
        ]
        #expect(validate(tiers).failing(at: level).map(\.id) == expected)
    }

    @Test("risk levels order critical above info and parse from text")
    func riskOrder() {
        #expect(RiskLevel.allCases.sorted(by: >) == [.critical, .high, .medium, .low, .info])
        #expect(RiskLevel(text: "HIGH") == .high)
        #expect(RiskLevel(text: "severe") == nil)
    }
}
