import Foundation
import SGAWSServices
import SGCloudFormation
import SGModel
import SGTestSupport
import Testing

@testable import SGDeploy
@testable import SGStackSets

/// What deploying to the targets would do, worked out statically (StackSets have no change sets).
@Suite struct StackSetPlanTests {
    static func fleet(_ deployment: Deployment, _ targets: [DeploymentTarget]) -> Deployment {
        var fleet = deployment
        fleet.config.vpcID = ""
        fleet.config.targets = targets
        return fleet
    }

    static let targets = [
        StackSetDeployerTests.target("111122223333", "eu-west-1", "vpc-00000001", "10.1.0.0/16"),
        StackSetDeployerTests.target("444455556666", "eu-west-1", "vpc-00000002", "10.2.0.0/16"),
        StackSetDeployerTests.target("777788889999", "us-east-1", "vpc-00000003", "10.3.0.0/16"),
    ]

    static func compiled(_ deployment: Deployment) throws -> StackTemplate {
        try #require(TemplateCompiler(toolVersion: "test").compile(deployment).stacks.first)
    }

    static func instance(_ target: DeploymentTarget, status: String = "CURRENT", reason: String? = nil) -> StackInstanceSummary {
        StackInstanceSummary(account: target.account, region: target.region, status: status, statusReason: reason)
    }

    @Test func aNewStackSetCreatesEveryInstance() throws {
        let plan = StackSetPlan.make(state: StackSetState(stackSet: nil), compiled: try Self.compiled(Self.fleet(threeTiers(), Self.targets)), targets: Self.targets)
        #expect(plan.createsStackSet && plan.hasChanges)
        #expect(plan.instances.map(\.change) == [.create, .create, .create])
        #expect(plan.renderText().hasPrefix("+ StackSet acme-dev-d01-sg-stackset (new)\n+ instance 111122223333/eu-west-1 (create): new instance in vpc-00000001\n"))
    }

    @Test func templateInstancesAndObsoleteOnesAreComparedApart() throws {
        let deployed = Self.fleet(threeTiers(), Self.targets)
        let stack = try Self.compiled(deployed)
        // Deployed: the template before a new db port; the first target's instance in another VPC,
        // the second's not current, and an instance the config no longer lists.
        let before = try Self.compiled(Self.fleet(threeTiers(dbPort: 5433), Self.targets))
        let stackSet = StackSetDescription(name: stack.stackName, stackSetID: "x:1", status: "ACTIVE", templateBody: before.template.renderYAML())
        let gone = StackSetDeployerTests.target("999999999999", "eu-west-1")
        var overrides: [String: [StackParameter]] = [:]
        for target in Self.targets { overrides[target.label] = StackSetPlan.overrides(for: target) }
        overrides[Self.targets[0].label] = [
            StackParameter(key: "VpcId", value: "vpc-0000000f"), StackParameter(key: "VpcCidr", value: "10.1.0.0/16"),
        ]
        let state = StackSetState(
            stackSet: stackSet,
            instances: [Self.instance(Self.targets[0]), Self.instance(Self.targets[1], status: "OUTDATED", reason: "User initiated stop"),
                        Self.instance(Self.targets[2]), Self.instance(gone)],
            overrides: overrides)
        let plan = StackSetPlan.make(state: state, compiled: stack, targets: Self.targets)
        #expect(!plan.createsStackSet && plan.templateChanged)
        #expect(plan.templateChanges.ruleChanges.map(ChangePlan.line).sorted() == [
            "+ egress tcp/5432 to tier db (PostgreSQL)", "+ ingress tcp/5432 from tier app",
            "- egress tcp/5433 to tier db (PostgreSQL)", "- ingress tcp/5433 from tier app",
        ])
        #expect(plan.instances.map(\.change) == [.updateOverrides, .bringCurrent, .none])
        #expect(plan.instances[0].detail == "VpcId vpc-0000000f -> vpc-00000001 (REPLACES every group of the instance)")
        #expect(plan.instances[1].detail == "OUTDATED: User initiated stop")
        #expect(plan.obsolete.map(\.label) == ["999999999999/eu-west-1"])
        #expect(plan.replacements.map(\.stackName) == ["acme-dev-d01-sg-stackset instance 111122223333/eu-west-1"])
        #expect(plan.replacementBanner?.contains("REPLACEMENT") == true)
        #expect(plan.renderText().contains("! instance 999999999999/eu-west-1 is not a target of the config; it is left in place"))
    }

    @Test func aRenamedGroupDescriptionIsAReplacementOfTheTemplate() throws {
        let stack = try Self.compiled(Self.fleet(threeTiers(appDescription: "App"), Self.targets))
        let before = try Self.compiled(Self.fleet(threeTiers(), Self.targets))
        let stackSet = StackSetDescription(name: stack.stackName, stackSetID: "x:1", status: "ACTIVE", templateBody: before.template.renderYAML())
        let plan = StackSetPlan.make(state: StackSetState(stackSet: stackSet), compiled: stack, targets: [])
        #expect(plan.replacements.map(\.reason) == [#"GroupDescription "Application servers" -> "App""#])
    }

    @Test func nothingToDoIsNoChange() throws {
        let deployment = Self.fleet(threeTiers(), Self.targets)
        let stack = try Self.compiled(deployment)
        let stackSet = StackSetDescription(name: stack.stackName, stackSetID: "x:1", status: "ACTIVE", templateBody: stack.template.renderYAML())
        var overrides: [String: [StackParameter]] = [:]
        for target in Self.targets { overrides[target.label] = StackSetPlan.overrides(for: target) }
        let plan = StackSetPlan.make(
            state: StackSetState(stackSet: stackSet, instances: Self.targets.map { Self.instance($0) }, overrides: overrides),
            compiled: stack, targets: Self.targets)
        #expect(!plan.hasChanges && plan.renderText().isEmpty)
    }
}
