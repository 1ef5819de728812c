import Foundation
import SGAWSServices
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import SGTestSupport
import Testing

@testable import SGDeploy

@Suite struct ChangePlanTests {
    @Test func identicalTemplatesHaveNoChanges() {
        let plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers()))
        #expect(!plan.hasChanges)
        #expect(plan.renderText() == "")
    }

    @Test func ruleAndDescriptionChangesAndReplacementsAreListedPerTier() {
        let plan = ChangePlan.compare(
            deployed: rules(threeTiers()),
            desired: rules(threeTiers(dbPort: 5433, appDescription: "App servers", pgDescription: "PostgreSQL")))
        #expect(plan.renderText() == """
            tier app:
              - egress tcp/5432 to tier db (PostgreSQL)
              + egress tcp/5433 to tier db (PostgreSQL)
            tier db:
              - ingress tcp/5432 from tier app
              + ingress tcp/5433 from tier app

            """)
        #expect(plan.replacements.map(\.logicalID) == ["AppSecurityGroup"])
        #expect(plan.replacements.first?.reason == #"GroupDescription "Application servers" -> "App servers""#)
        #expect(plan.replacementBanner().contains("!! REPLACEMENT: CloudFormation would DELETE and RECREATE 1 resource(s)."))
        #expect(plan.hasChanges)
    }

    @Test func descriptionOnlyChangeIsATilde() {
        let plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers(pgDescription: "PostgreSQL via pool")))
        #expect(plan.ruleChanges.map(ChangePlan.line) == [#"~ egress tcp/5432 to tier db: description "PostgreSQL" -> "PostgreSQL via pool""#])
        #expect(plan.replacements.isEmpty)
    }

    @Test func missingStackMeansEverythingIsNew() {
        var plan = ChangePlan.compare(deployed: TemplateRules(), desired: rules(threeTiers()))
        plan.newStacks = ["acme-dev-d01-eu-west-1-sg-stack"]
        #expect(plan.addedTiers == ["app", "db", "web"])
        let text = plan.renderText()
        #expect(text.hasPrefix("+ stack acme-dev-d01-eu-west-1-sg-stack (new)\n+ tier app (new security group)\n  + ingress tcp/8080 from tier web (From web)\n"))
        #expect(plan.json().rendered().contains(#""has_changes": true"#))
    }

    @Test func removedTierAndChangeSetReplacements() {
        var smaller = threeTiers()
        smaller.tiers.removeAll { $0.name == "web" }
        smaller.tiers[0].ingress = []
        var plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(smaller))
        #expect(plan.removedTiers == ["web"])
        #expect(plan.renderText().contains("- tier web (security group deleted)\n  - ingress tcp/443 from 0.0.0.0/0 (HTTPS)\n"))
        plan.add(changeSet: [
            ("Modify", "DbSecurityGroup", "AWS::EC2::SecurityGroup", "Conditional"),
            ("Modify", "AppGroupIdParameter", "AWS::SSM::Parameter", "False"),
            ("Remove", "WebEgressTcp8080ToApp", "AWS::EC2::SecurityGroupEgress", nil),
        ], stackName: "s")
        #expect(plan.replacements.map { "\($0.logicalID) \($0.replacement) \($0.source.rawValue)" } == ["DbSecurityGroup Conditional change-set"])
        #expect(plan.otherChanges == ["s: Modify AppGroupIdParameter (AWS::SSM::Parameter)"])
    }
}
