import SGModel
import Testing
@testable import SGValidation

@Suite("Accepted risks")
struct AcceptedRiskTests {
    let bastion = tier("bastion", line: 3, ["ingress tcp 22 from 0.0.0.0/0"])
    let ssh = "ingress tcp 22 from 0.0.0.0/0"

    @Test("an active acceptance bound to the rule is shown and does not fail")
    func active() throws {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2027-03-31", line: 20)])
        let finding = try #require(result.findings.first)
        let acceptance = try #require(finding.acceptance)
        #expect(finding.isAccepted)
        #expect(!acceptance.isExpired)
        #expect(acceptance.reason == "ticket SEC-20")
        #expect(acceptance.expires.description == "2027-03-31")
        #expect(acceptance.location.description == "configs/test.yaml:20:5")
        #expect(result.failing(at: .high).isEmpty)
        #expect(result.unusedAcceptedRisks.isEmpty)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("an acceptance bound by fingerprint accepts that finding")
    func byFingerprint() throws {
        let fingerprint = try #require(validate([bastion]).findings.first?.fingerprint)
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", fingerprint: fingerprint, expires: "2027-03-31", line: 20)])
        #expect(result.findings.first?.isAccepted == true)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("the expiry day itself still counts as accepted")
    func expiresToday() {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: testToday.description, line: 20)])
        #expect(result.findings.first?.isAccepted == true)
    }

    @Test("an expired acceptance is attached but the finding fails again")
    func expired() throws {
        let result = validate([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2026-05-04", line: 20)])
        let finding = try #require(result.findings.first)
        #expect(finding.acceptance?.isExpired == true)
        #expect(!finding.isAccepted)
        #expect(result.failing(at: .high).map(\.id) == ["SG-WORLD-ADMIN"])
    }

    @Test("an acceptance for another tier, id, rule or fingerprint does not match and is reported unused")
    func unused() {
        let wrongTier = acceptedRisk("SG-WORLD-ADMIN", tier: "web", rule: ssh, expires: "2027-03-31", line: 20)
        let wrongID = acceptedRisk("SG-WORLD-DB", tier: "bastion", rule: ssh, expires: "2027-03-31", line: 25)
        let wrongRule = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: "ingress tcp 3389 from 0.0.0.0/0", expires: "2027-03-31", line: 30)
        let wrongFingerprint = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", fingerprint: String(repeating: "0", count: 32), expires: "2027-03-31", line: 35)
        let result = validate([bastion], accepted: [wrongTier, wrongID, wrongRule, wrongFingerprint])
        #expect(result.findings.first?.acceptance == nil)
        #expect(result.unusedAcceptedRisks == [wrongTier, wrongID, wrongRule, wrongFingerprint])
        #expect(result.failing(at: .high).count == 1)
    }

    @Test("with two entries for the same finding the active one wins")
    func activeWinsOverExpired() {
        let expired = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2025-01-01", line: 20)
        let active = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2027-01-01", line: 25)
        let result = validate([bastion], accepted: [expired, active])
        #expect(result.findings.first?.acceptance?.location.line == 25)
        #expect(result.findings.first?.isAccepted == true)
        #expect(result.unusedAcceptedRisks.isEmpty)
    }

    @Test("the config entry point reads accepted risks from the deployment")
    func throughDeployment() {
        let result = ScenarioValidator().validate(
            deployment([bastion], accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2027-03-31", line: 20)]), today: testToday)
        #expect(result.findings.first?.isAccepted == true)
    }
}

/// The ways an acceptance could be made to cover more than the approver signed: each is an error
/// located at the config entry, and the acceptance then accepts nothing.
@Suite("Accepted risks that cannot be talked around")
struct AcceptedRiskBindingTests {
    /// Break-glass SSH next to RDP, Telnet and the Docker API, all from the world.
    let bastion = tier("bastion", line: 3, [
        "ingress tcp 22 from 0.0.0.0/0", "ingress tcp 3389 from 0.0.0.0/0", "ingress tcp 23 from 0.0.0.0/0", "ingress tcp 2375 from 0.0.0.0/0",
    ])

    @Test("finding + tier alone for a rule's finding is E802 listing every finding it would accept, with their fingerprints")
    func tierOnlyIsRefused() throws {
        let risk = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", expires: "2027-03-31", line: 20)
        let result = validate([bastion], accepted: [risk])
        #expect(result.findings.allSatisfy { $0.acceptance == nil })
        #expect(result.failing(at: .high).count == 4)
        let error = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(error.code == .acceptedRiskNamesNoRule)
        #expect(error.severity == .error)
        #expect(error.location?.description == "configs/test.yaml:20:5")
        #expect(error.message == "accepted risk SG-WORLD-ADMIN for tier 'bastion' names no rule, so it would accept every SG-WORLD-ADMIN finding on the tier, including ones added later (today it would accept 4 findings); bind it to one finding with ingress:, egress: or fingerprint:")
        let ssh = try #require(result.findings.first { $0.ruleText == "ingress tcp/22 from 0.0.0.0/0" })
        #expect(error.notes.count == 4)
        #expect(error.notes[0].message == "matches ingress tcp/22 from 0.0.0.0/0: fingerprint: \(ssh.fingerprint), or ingress: { protocol: tcp, port: 22, source: \"0.0.0.0/0\" }")
        #expect(error.notes[0].location?.description == "scenarios/test.yaml:4:40")
        #expect(result.unusedAcceptedRisks.isEmpty)
    }

    @Test("a tier-level finding may be accepted by finding and tier")
    func tierLevelKinds() {
        let app = tier("app", line: 3, egress: .awsDefault, ["ingress tcp 8080 from tier:web"])
        let result = validate([app], accepted: [acceptedRisk("SG-DEFAULT-EGRESS", tier: "app", expires: "2027-03-31", line: 20)])
        #expect(result.findings.first { $0.id == "SG-DEFAULT-EGRESS" }?.isAccepted == true)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("an acceptance naming a member of a union matches the union; one naming a rule in two unions is E801")
    func unions() throws {
        let db = tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/10", "ingress tcp 5432 from 11.64.0.0/10"])
        let member = acceptedRisk("SG-WORLD-DB", tier: "db", rule: "ingress tcp 5432 from 11.64.0.0/10", expires: "2027-03-31", line: 20)
        #expect(validate([db], accepted: [member]).findings.first?.isAccepted == true)

        // 0-65535 from one /10 joins two unions: tcp/22 with one /10 and tcp/3389 with another.
        let ops = tier("ops", line: 3, ["ingress tcp 1-65534 from 11.0.0.0/10", "ingress tcp 22 from 11.64.0.0/10", "ingress tcp 3389 from 12.0.0.0/10"])
        let wide = acceptedRisk("SG-WORLD-ADMIN", tier: "ops", rule: "ingress tcp 1-65534 from 11.0.0.0/10", expires: "2027-03-31", line: 30)
        let result = validate([ops], accepted: [wide])
        #expect(result.findings.filter { $0.id == "SG-WORLD-ADMIN" }.count == 2)
        #expect(result.findings.allSatisfy { !$0.isAccepted })
        let error = try #require(result.diagnostics.first)
        #expect(error.code == .ambiguousAcceptedRisk)
        #expect(error.message == "accepted risk SG-WORLD-ADMIN for tier 'ops' (ingress tcp/1-65534 from 11.0.0.0/10) matches 2 findings; an acceptance binds to exactly one: use the fingerprint of the one meant")
        #expect(error.notes.map(\.message).allSatisfy { $0.hasPrefix("matches ingress tcp/") && $0.contains("fingerprint: ") })
    }

    @Test("expires more than a year after today is E803 at the expires value; a year to the day is allowed")
    func expiryBound() throws {
        let ssh = "ingress tcp 22 from 0.0.0.0/0"
        let forever = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "9999-12-31", line: 20)
        let result = validate([bastion], accepted: [forever])
        #expect(result.findings.allSatisfy { !$0.isAccepted })
        let error = try #require(result.diagnostics.first)
        #expect(error.code == .acceptedRiskExpiresTooLate)
        #expect(error.location?.description == "configs/test.yaml:21:14")
        #expect(error.message == "accepted risk SG-WORLD-ADMIN for tier 'bastion' expires 9999-12-31, more than one year after 2026-05-05; the latest allowed is 2027-05-05")
        let yearToTheDay = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2027-05-05", line: 20)
        #expect(validate([bastion], accepted: [yearToTheDay]).diagnostics.isEmpty)
        let dayLater = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: ssh, expires: "2027-05-06", line: 20)
        #expect(validate([bastion], accepted: [dayLater]).diagnostics.map(\.code) == [.acceptedRiskExpiresTooLate])
        #expect(AcceptedRisk.latestExpiry(judgedOn: CalendarDate.parse("2028-02-29")!).description == "2029-02-28")
    }

    @Test("accepting SSH accepts SSH only: RDP, Telnet and the Docker API still fail")
    func breakGlassDoesNotSpread() {
        let risk = acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: "ingress tcp 22 from 0.0.0.0/0", expires: "2027-03-31", line: 20)
        let result = validate([bastion], accepted: [risk])
        #expect(result.findings.filter(\.isAccepted).map(\.ruleText) == ["ingress tcp/22 from 0.0.0.0/0"])
        #expect(result.failing(at: .high).compactMap(\.ruleText).sorted() == [
            "ingress tcp/23 from 0.0.0.0/0", "ingress tcp/2375 from 0.0.0.0/0", "ingress tcp/3389 from 0.0.0.0/0",
        ])
    }
}
