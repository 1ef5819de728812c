import SGDiagnostics
import SGModel
import SGReports
import Testing

@testable import SGPolicy

/// The policies of a deployment with targets: StackSet and AssumeRole actions, no wildcard action,
/// `*` resources only where AWS cannot scope, and everything limited to the targets.
@Suite struct FleetIAMPolicyTests {
    static let deployment: Deployment = {
        let here = SourceLocation.file("configs/f.yaml")
        let identity = DeploymentIdentity(company: "acme", environment: "prod", deploymentID: "f01", region: "us-east-1")
        var config = DeploymentConfig(identity: identity, vpcID: "", scenario: "s", scenarioLocation: here, file: "configs/f.yaml")
        config.targets = [
            DeploymentTarget(account: "111122223333", region: "us-east-1", vpcID: "vpc-00000001", vpcCIDR: try! CIDRBlock.parse("10.1.0.0/16").get(), location: here),
            DeploymentTarget(account: "111122223333", region: "eu-west-1", vpcID: "vpc-00000002", vpcCIDR: try! CIDRBlock.parse("10.2.0.0/16").get(), location: here),
            DeploymentTarget(account: "444455556666", region: "eu-west-1", vpcID: "vpc-00000003", vpcCIDR: try! CIDRBlock.parse("10.3.0.0/16").get(), location: here),
        ]
        config.targetRole = "fleet-reader"
        return Deployment(config: config, scenario: Scenario(name: "s", tiers: [], file: "scenarios/s.yaml"), tiers: [])
    }()
    static let policies = FleetIAMPolicyGenerator.policies(for: deployment)

    @Test func fourPoliciesThatPassTheirOwnCheck() {
        #expect(Self.policies.map(\.name) == [
            "acme-prod-f01-us-east-1-iam-readonly-policy", "acme-prod-f01-us-east-1-iam-deploy-policy",
            "acme-prod-f01-us-east-1-iam-target-readonly-policy", "acme-prod-f01-us-east-1-iam-stackset-execution-policy",
        ])
        for policy in Self.policies { #expect(IAMPolicyChecker.check(policy).isEmpty, "\(IAMPolicyChecker.check(policy))") }
    }

    @Test func noWildcardActionAndStarResourcesOnlyWhereAWSRequiresThem() {
        for statement in Self.policies.flatMap(\.statements) {
            #expect(statement.actions.allSatisfy { !$0.contains("*") && !$0.contains("?") }, "\(statement.sid)")
            if statement.resources.contains("*") {
                #expect(statement.actions.allSatisfy(IAMPolicyGenerator.actionsRequiringWildcardResource.contains), "\(statement.sid)")
                #expect(statement.sid.contains("Wildcard") || statement.sid == "DescribeForTheTemplate", "\(statement.sid) says why")
            }
        }
    }

    @Test func assumeRoleOnlyIntoTheTargetRoleOfEachTargetAccount() throws {
        let statement = try #require(Self.policies[0].statements.first { $0.actions == ["sts:AssumeRole"] })
        #expect(statement.resources == ["arn:aws:iam::111122223333:role/fleet-reader", "arn:aws:iam::444455556666:role/fleet-reader"])
    }

    @Test func instanceChangesAreLimitedToTargetAccountsRegionsAndTheTemplatesTypes() throws {
        let statement = try #require(Self.policies[1].statements.first { $0.sid == "ChangeInstancesInTargetAccountsAndRegions" })
        #expect(statement.actions == ["cloudformation:CreateStackInstances", "cloudformation:DeleteStackInstances", "cloudformation:UpdateStackInstances"])
        #expect(statement.resources.contains("arn:aws:cloudformation:us-east-1:*:stackset/acme-prod-f01-sg-stackset:*"))
        #expect(statement.resources.filter { $0.contains(":stackset-target/") } == [
            "arn:aws:cloudformation:*:*:stackset-target/acme-prod-f01-sg-stackset:*/111122223333",
            "arn:aws:cloudformation:*:*:stackset-target/acme-prod-f01-sg-stackset:*/444455556666",
        ])
        #expect(statement.resources.filter { $0.contains(":type/resource/") }.count == 4)
        let regions = try #require(statement.conditions.first { $0.key == "cloudformation:TargetRegion" })
        #expect(regions.operation == "ForAllValues:StringEquals" && regions.values == ["us-east-1", "eu-west-1"])
    }

    @Test func theExecutionRoleCreatesGroupsOnlyInTheTargetsVPCsTaggedPerRegion() throws {
        let statement = try #require(Self.policies[3].statements.first { $0.sid == "CreateDeploymentTaggedGroups" })
        #expect(statement.resources.filter { $0.contains(":vpc/") } == [
            "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-00000001", "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-00000002",
            "arn:aws:ec2:eu-west-1:444455556666:vpc/vpc-00000003",
        ])
        let tag = try #require(statement.conditions.first { $0.key == "aws:RequestTag/sg-provisioner:deployment" })
        #expect(tag.values == ["acme-prod-f01-us-east-1", "acme-prod-f01-eu-west-1"])
    }
}
