import Foundation
import SGCloudFormation
import SGModel
import SGReports
import SGTestSupport
import Testing

@testable import SGDeploy

/// Deploying stages over adopted tiers: what show-changes says about a group no stack holds yet,
/// and test-deploy's copies, which must not be retained like the adopted group itself.
@Suite struct AdoptionDeployTests {
    static func adopted() -> Deployment {
        var deployment = threeTiers()
        deployment.config.adoptedGroups = [AdoptedGroup(
            tier: "web", groupID: "sg-0aa00001", groupName: "launch-wizard-1", groupDescription: "Load balancers", location: here)]
        return deployment
    }

    @Test func anAdoptedTierTakenIntoTheStackIsNotANewGroup() {
        let desired = rules(Self.adopted())
        var live = desired
        // The live group as AdoptedGroupsReader describes it: one rule more than the config.
        live.tiers = ["web": desired.tiers["web"]!]
        live.tiers["web"]?.stackName = desired.tiers["web"]?.stackName
        live.tiers["web"]?.rules.append(TemplateRule(
            key: RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(.anyIPv4)),
            description: "debug"))
        var plan = ChangePlan.compare(deployed: live, desired: desired)
        plan.adoptedTiers = ["web": "sg-0aa00001 (launch-wizard-1)"]
        #expect(plan.addedTiers == ["app", "db"])
        #expect(plan.replacements.isEmpty, "the live name and description are kept")
        #expect(plan.renderText() == """
            + tier app (new security group)
              + ingress tcp/8080 from tier web (From web)
              + egress tcp/5432 to tier db (PostgreSQL)
            + tier db (new security group)
              + ingress tcp/5432 from tier app
            ~ tier web (adopts existing group sg-0aa00001 (launch-wizard-1): taken into the stack, not created)
              - ingress tcp/22 from 0.0.0.0/0 (debug)

            """)
        #expect(plan.json().rendered().contains(#""adopted_tiers": {"#))
        #expect(plan.json().rendered().contains(#""web": "sg-0aa00001 (launch-wizard-1)""#))
    }

    @Test func testDeployCopiesOfAdoptedGroupsAreNotRetained() throws {
        let compiled = TemplateCompiler(toolVersion: "test").compile(Self.adopted()).stacks
        let original = try #require(compiled.first?.template.resource("WebSecurityGroup"))
        #expect(original.isRetainedOnStackDeletion)
        let renamed = TestStackNaming(hex: "0a1b2c3d", identity: Self.adopted().identity).rename(compiled)
        let copy = try #require(renamed.first?.template.resource("WebSecurityGroup"))
        #expect(copy["GroupName"]?.stringValue == "launch-wizard-1-test-0a1b2c3d")
        #expect(copy.deletionPolicy == nil && copy.updateReplacePolicy == nil)
        #expect(!(renamed.first?.template.renderYAML().contains("Retain") ?? true))
    }
}
