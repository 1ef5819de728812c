import SGModel
import Testing
@testable import SGValidation

/// A deployment with targets is judged once per target CIDR; what only some targets have says which.
@Suite struct FleetValidationTests {
    static func target(_ account: String, _ region: String, _ cidr: String) -> DeploymentTarget {
        DeploymentTarget(
            account: account, region: region, vpcID: "vpc-0000000\(region.count)", vpcCIDR: try! CIDRBlock.parse(cidr).get(),
            location: .file("configs/test.yaml"))
    }

    /// MySQL from 10.1.0.0/24: the whole VPC of a target in 10.1.0.0/24 (a broad source for a
    /// database port), a narrow block of another network for a target in 10.2.0.0/16.
    static let tiers = [tier("db", line: 3, ["ingress tcp 3306 from 10.1.0.0/24", "ingress tcp 22 from 0.0.0.0/0"])]

    static func fleet(_ targets: [DeploymentTarget]) -> Deployment {
        var fleet = deployment(tiers)
        fleet.config.targets = targets
        return fleet
    }

    @Test func aFindingOfOneCIDRNamesItsTargetsAndOneOfEveryTargetDoesNot() throws {
        let first = Self.target("111122223333", "us-east-1", "10.1.0.0/24")
        let second = Self.target("111122223333", "eu-west-1", "10.2.0.0/16")
        let third = Self.target("444455556666", "us-east-1", "10.1.0.0/24")
        let result = ScenarioValidator().validateTargets(Self.fleet([first, second, third]), today: testToday)
        let alone = [first, second].map { ScenarioValidator().validate(deployment(Self.tiers, vpc: $0.vpcCIDR.description), today: testToday) }
        // Every distinct finding once (a finding both judgements have is one).
        let keys = Set(alone.flatMap { $0.findings.map { "\($0.id)|\($0.fingerprint)|\($0.severity)" } })
        #expect(result.findings.count == keys.count)
        let onlyFirst = alone[0].findings.filter { finding in !alone[1].findings.contains { $0.fingerprint == finding.fingerprint && $0.id == finding.id } }
        #expect(!onlyFirst.isEmpty, "the whole-VPC judgement should differ between the two CIDRs")
        for finding in onlyFirst {
            let merged = try #require(result.findings.first { $0.id == finding.id && $0.fingerprint == finding.fingerprint })
            #expect(merged.description == finding.description + " (targets: 111122223333/us-east-1, 444455556666/us-east-1)")
        }
        let everywhere = try #require(result.findings.first { $0.id == "SG-WORLD-ADMIN" })
        #expect(!everywhere.description.contains("(targets:"))
        // Per rule, the worst any target gets.
        for (index, assessment) in result.assessments.enumerated() {
            #expect(assessment.risk == max(alone[0].assessments[index].risk, alone[1].assessments[index].risk))
        }
    }

    @Test func targetsThatShareACIDRShareOneJudgement() {
        let targets = [Self.target("111122223333", "us-east-1", "10.1.0.0/16"), Self.target("444455556666", "eu-west-1", "10.1.0.0/16")]
        let result = ScenarioValidator().validateTargets(Self.fleet(targets), today: testToday)
        let alone = ScenarioValidator().validate(deployment(Self.tiers, vpc: "10.1.0.0/16"), today: testToday)
        #expect(result.findings == alone.findings)
    }

    @Test func aDeploymentWithoutTargetsIsJudgedAsBefore() {
        let single = deployment(Self.tiers, vpc: "10.1.0.0/16")
        #expect(ScenarioValidator().validateTargets(single, today: testToday).findings == ScenarioValidator().validate(single, today: testToday).findings)
    }
}
