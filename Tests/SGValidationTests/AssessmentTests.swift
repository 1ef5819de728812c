import Foundation
import SGFindings
import SGModel
import Testing
@testable import SGValidation

@Suite("Assessments, ordering and output")
struct AssessmentTests {
    let threeTier = [
        tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "egress tcp 8080 to tier:app"]),
        tier("app", line: 10, ["ingress tcp 8080 from tier:web", "egress tcp 5432 to tier:db", "egress tcp 443 to 0.0.0.0/0"]),
        tier("db", line: 20, ["ingress tcp 5432 from tier:app"]),
    ]

    @Test("one assessment per rule, in tier and rule order, with labels")
    func everyRuleWithItsRisk() {
        let result = validate(threeTier)
        let rows = result.assessments.map { "\($0.tier) \($0.rule.key) => \($0.riskLabel)" }
        #expect(rows == [
            "web ingress tcp/443 from 0.0.0.0/0 => LOW",
            "web egress tcp/8080 to tier app => LOW (preferred)",
            "app ingress tcp/8080 from tier web => LOW (preferred)",
            "app egress tcp/5432 to tier db => LOW (preferred)",
            "app egress tcp/443 to 0.0.0.0/0 => LOW",
            "db ingress tcp/5432 from tier app => LOW (preferred)",
        ])
        #expect(result.assessments[0].findingIDs == ["SG-WORLD-WEB-PUBLIC"])
        #expect(result.assessments[1].reason == "tier reference to app (preferred)")
        #expect(result.assessments.filter(\.isPreferred).allSatisfy { $0.findingIDs.isEmpty })  // preferred is never a finding
        let tierPeerFindings = result.findings.filter { if case .tier = $0.rule?.peer { return true } else { return false } }
        #expect(tierPeerFindings.allSatisfy { $0.id == "SG-EXPOSURE-PATH" })
        #expect(result.tierAssessments.map { "\($0.tier) \($0.egress.rawValue) \($0.riskLabel)" } == [
            "web explicit LOW", "app explicit LOW", "db closed SAFE",
        ])
    }

    @Test("default egress is a MEDIUM tier assessment")
    func defaultEgressAssessment() {
        let result = validate([tier("app", line: 3, egress: .awsDefault, ["ingress tcp 8080 from tier:web"])])
        #expect(result.tierAssessments.first?.egress == .awsDefault)
        #expect(result.tierAssessments.first?.risk == .medium)
    }

    @Test("assess judges one rule the same way validate does", arguments: [
        ("ingress tcp 22 from 0.0.0.0/0", RiskLevel.high, ["SG-WORLD-ADMIN"]),
        ("ingress tcp 5432 from 10.0.0.0/16", .medium, ["SG-BROAD-INTERNAL-DB"]),
        ("ingress tcp 22 from sg-0123456789abcdef0", .low, []),
        ("egress all all to ::/0", .medium, ["SG-EGRESS-WORLD-ALL"]),
    ])
    func assessSingleRule(_ text: String, _ risk: RiskLevel, _ ids: [String]) {
        let theTier = tier("t", line: 3, [text])
        let single = ScenarioValidator().assess(theTier.rules[0], in: theTier, context: context(vpc: "10.0.0.0/16"))
        #expect(single.risk == risk)
        #expect(single.findingIDs == ids)
        #expect(single == validate([theTier], vpc: "10.0.0.0/16").assessments[0])
    }

    @Test("findings are sorted by severity, then location, then id")
    func ordering() {
        let tiers = [
            tier("web", line: 3, isPublic: true, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0", "ingress tcp 22 from 0.0.0.0/0"]),
            tier("db", line: 10, ["ingress tcp 5432 from 0.0.0.0/0", "ingress tcp 3306 from 0.0.0.0/0"]),
        ]
        let result = validate(tiers)
        #expect(result.findings.map { "\($0.severity) \($0.id) \($0.location)" } == [
            "critical SG-WORLD-DB scenarios/test.yaml:11:40",
            "critical SG-WORLD-DB scenarios/test.yaml:12:40",
            "high SG-WORLD-ADMIN scenarios/test.yaml:5:40",
            "medium SG-DEFAULT-EGRESS scenarios/test.yaml:3:3",
            "low SG-WORLD-WEB-PUBLIC scenarios/test.yaml:4:40",
        ])
        #expect(validate(tiers).findings == result.findings)  // deterministic
    }

    @Test("a finding encodes to stable JSON")
    func json() throws {
        let result = validate([tier("bastion", line: 3, ["ingress tcp 22 from 0.0.0.0/0"])],
                              accepted: [acceptedRisk("SG-WORLD-ADMIN", tier: "bastion", rule: "ingress tcp 22 from 0.0.0.0/0", expires: "2027-03-31", line: 20)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(result.findings[0]), as: UTF8.self)
        #expect(text == #"{"acceptance":{"expires":"2027-03-31","is_expired":false,"location":"configs\/test.yaml:20:5","reason":"ticket SEC-20"},"accepted":true,"column":40,"description":"tcp port 22 (SSH) is open to 0.0.0.0\/0 (every IPv4 address); remote administration from the internet invites brute force and exploits","direction":"ingress","file":"scenarios\/test.yaml","fingerprint":"b196f33105bead192cf8c05a8bc9a88a","id":"SG-WORLD-ADMIN","line":4,"location":"scenarios\/test.yaml:4:40","remediation":"Use a bastion tier or AWS Systems Manager Session Manager (Fleet Manager for RDP); if direct access is unavoidable, restrict the source to a VPN \/32 and accept the risk with an expiry date.","rule":"ingress tcp\/22 from 0.0.0.0\/0","severity":"high","tier":"bastion","title":"Remote administration open to the world","type":"world-exposure"}"#)
    }

    @Test("a rule without a peer location is located at the rule")
    func fallbackLocation() {
        var bastion = tier("bastion", line: 3, ["ingress tcp 22 from 0.0.0.0/0"])
        bastion.ingress[0].locations.peer = nil
        #expect(validate([bastion]).findings.first?.location.description == "scenarios/test.yaml:4:11")
    }
}

@Suite("Scale")
struct ScaleTests {
    /// 1,000 tiers x 20 rules in a binary tree: tier i accepts 18 ports from its parent (i-1)/2
    /// and PostgreSQL from the whole VPC, and sends to the VPC. Only counts are asserted here;
    /// timing belongs in benchmarks.
    @Test("1,000 tiers x 20 rules")
    func thousandTiers() throws {
        var tiers: [Tier] = []
        for index in 0..<1000 {
            let line = index * 30 + 1
            var rules: [String]
            if index == 0 {
                rules = ["ingress tcp 443 from 0.0.0.0/0"] + (0..<18).map { "ingress tcp \(9000 + $0) from 10.0.1.0/24" }
            } else {
                rules = (0..<18).map { "ingress tcp \(8000 + $0) from tier:t\((index - 1) / 2)" } + ["ingress tcp 5432 from 10.0.0.0/16"]
            }
            rules.append("egress tcp 8000-8017 to 10.0.0.0/16")
            tiers.append(tier("t\(index)", line: line, isPublic: index == 0, rules))
        }
        let result = validate(tiers, vpc: "10.0.0.0/16")
        #expect(result.assessments.count == 20_000)
        #expect(result.findings.count == 1 + 999 + 999)
        #expect(result.findings.filter { $0.id == "SG-WORLD-WEB-PUBLIC" }.count == 1)
        #expect(result.findings.filter { $0.id == "SG-BROAD-INTERNAL-DB" }.count == 999)
        #expect(result.findings.filter { $0.id == "SG-EXPOSURE-PATH" }.count == 999)
        let deepest = try #require(result.findings.first { $0.id == "SG-EXPOSURE-PATH" && $0.tier == "t999" })
        var chain = [999]
        while chain[0] > 0 { chain.insert((chain[0] - 1) / 2, at: 0) }
        #expect(deepest.path == ["internet"] + chain.map { "t\($0)" })
        #expect(deepest.path?.count == 11)
    }
}

/// validate and create ask for findings only; everything but the per-rule assessments must match.
@Suite struct FindingsOnlyValidationTests {
    @Test func withoutRuleAssessmentsEverythingElseIsTheSame() {
        let tiers = [
            tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "ingress tcp 22 from 0.0.0.0/0", "egress tcp 8080 to tier:app"]),
            tier("app", line: 10, egress: .awsDefault, ["ingress tcp 8080 from tier:web"]),
        ]
        let accepted = [
            acceptedRisk("SG-NOT-A-FINDING", tier: "web", expires: "2026-12-31", line: 12),
            acceptedRisk("SG-WORLD-ADMIN", tier: "web", expires: "2026-12-31", line: 16),
        ]
        let full = ScenarioValidator().validate(tiers: tiers, context: context(accepted: accepted))
        let findingsOnly = ScenarioValidator().validate(tiers: tiers, context: context(accepted: accepted), assessingRules: false)
        #expect(!full.findings.isEmpty)
        #expect(full.assessments.count == 4)
        #expect(findingsOnly.assessments.isEmpty)
        #expect(findingsOnly.findings == full.findings)
        #expect(findingsOnly.tierAssessments == full.tierAssessments)
        #expect(findingsOnly.unusedAcceptedRisks == full.unusedAcceptedRisks)
        #expect(findingsOnly.unusedAcceptedRisks.count == 1)
        #expect(findingsOnly.diagnostics == full.diagnostics)
        #expect(findingsOnly.diagnostics.map(\.code) == [.acceptedRiskNamesNoRule])
        // The exposure path is found either way; only the report needs the graph kept.
        #expect(findingsOnly.findings.contains { $0.id == "SG-EXPOSURE-PATH" })
        #expect(full.reachability.hops.count == 2)
        #expect(findingsOnly.reachability.hops.isEmpty && findingsOnly.reachability.tiers.isEmpty)
    }
}
