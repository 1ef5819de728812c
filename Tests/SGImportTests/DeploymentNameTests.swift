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

    @Test func moreThanThreeWordsBeforeTheRegionAreAmbiguous() {
        // company_prefix, environment and deployment_id have no '-' (the identity rule), so five
        // words cannot say which are which; the region is still known.
        let problem = DeploymentName.Problem.ambiguous(words: ["big", "bank", "prod", "d1"], region: "us-east-1")
        #expect(DeploymentName.parse("big-bank-prod-d1-us-east-1") == .failure(problem))
        #expect(problem.description == "4 words come before the region (big, bank, prod, d1), and company_prefix, environment and deployment_id are one word each")
    }

    @Test func namesThatDoNotReadAsAnIdentity() {
        #expect(DeploymentName.parse("acme-prod-d001") == .failure(.unparsable("it does not end with an AWS region")))
        #expect(DeploymentName.parse("acme-prod-us-east-1")
            == .failure(.unparsable("what comes before the region is not {company}-{environment}-{deployment_id}")))
        #expect(DeploymentName.parse("acme--d1-us-east-1")
            == .failure(.unparsable("what comes before the region is not {company}-{environment}-{deployment_id}")))
        #expect(DeploymentName.parse("Acme-prod-d1-us-east-1")
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
        #expect(error.missing == ["--company-prefix", "--environment", "--deployment-id"], "the region comes from the name")
        if case .ambiguous = error.nameProblem {} else { Issue.record("expected the ambiguity as the reason") }
    }
}
