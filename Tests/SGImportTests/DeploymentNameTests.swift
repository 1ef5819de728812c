import SGModel
import Testing

@testable import SGImport

/// `{company}-{env}-{deployment_id}-{region}` read from a config name, only when it reads one way.
@Suite struct DeploymentNameTests {
    @Test func readsTheFourParts() throws {
        let identity = try DeploymentName.parse("acme-prod-d001-us-east-1").get()
        #expect(identity == DeploymentIdentity(company: "acme", environment: "prod", deploymentID: "d001", region: "us-east-1"))
        #expect(try DeploymentName.parse("gov-stage-x9-us-gov-west-1").get().region == "us-gov-west-1")
        #expect(try DeploymentName.parse("a-b-c-ap-southeast-3").get().deploymentID == "c")
    }

    @Test func aPartWithAHyphenMakesItAmbiguous() {
        guard case .failure(let problem) = DeploymentName.parse("big-bank-prod-d1-us-east-1"),
              case .ambiguous(let readings) = problem else {
            Issue.record("expected ambiguous")
            return
        }
        #expect(readings.allSatisfy { $0.region == "us-east-1" })
        #expect(problem.description == "it reads several ways (company big, environment bank, deployment prod-d1; company big, environment bank-prod, deployment d1; company big-bank, environment prod, deployment d1)")
        #expect(readings.map { "company \($0.company), environment \($0.environment), deployment \($0.deploymentID)" } == [
            "company big, environment bank, deployment prod-d1",
            "company big, environment bank-prod, deployment d1",
            "company big-bank, environment prod, deployment d1",
        ])
    }

    @Test func namesThatDoNotReadAsAnIdentity() {
        #expect(DeploymentName.parse("acme-prod-d001") == .failure(.unparsable("it does not end with an AWS region")))
        #expect(DeploymentName.parse("acme-prod-us-east-1")
            == .failure(.unparsable("what comes before the region is not {company}-{environment}-{deployment_id}")))
        #expect(DeploymentName.parse("acme--d1-us-east-1")
            == .failure(.unparsable("what comes before the region is not {company}-{environment}-{deployment_id}")))
        #expect(DeploymentName.parse("us-east-1") == .failure(.unparsable("it does not end with an AWS region")))
    }

    @Test func flagsWinAndFillWhatTheNameDoesNotSay() throws {
        let filled = try DeploymentName.identity(name: "acme-prod-d001-us-east-1", flags: .init(environment: "staging")).get()
        #expect(filled == DeploymentIdentity(company: "acme", environment: "staging", deploymentID: "d001", region: "us-east-1"))
        let flagsOnly = try DeploymentName.identity(
            name: "legacy", flags: .init(company: "acme", environment: "prod", deploymentID: "d2", region: "eu-west-1")).get()
        #expect(flagsOnly.qualifiedName == "acme-prod-d2-eu-west-1")
    }

    @Test func theErrorNamesTheMissingFlagsAndWhy() {
        let result = DeploymentName.identity(name: "big-bank-prod-d1-us-east-1", flags: .init())
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.missing == ["--company-prefix", "--environment", "--deployment-id"])
        if case .ambiguous = error.nameProblem {} else { Issue.record("expected the ambiguity as the reason") }
    }
}
