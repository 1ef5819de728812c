import Foundation
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import SGTestSupport
import Testing

@testable import SGDeploy

@Suite struct TestStackNamingTests {
    @Test func everythingThatMustBeUniqueGetsTheSuffix() throws {
        let compiled = TemplateCompiler(toolVersion: "test").compile(threeTiers()).stacks
        let naming = TestStackNaming(hex: "0a1b2c3d", identity: threeTiers().identity)
        let renamed = naming.rename(compiled)
        let main = try #require(renamed.first)
        #expect(main.stackName == "acme-dev-d01-eu-west-1-sg-stack-test-0a1b2c3d")
        let group = try #require(main.template.resource("WebSecurityGroup"))
        #expect(group["GroupName"]?.stringValue == "acme-dev-d01-web-test-0a1b2c3d")
        let tags = Dictionary(uniqueKeysWithValues: (group["Tags"]?.listValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        })
        #expect(tags["sg-provisioner:deployment"] == "acme-dev-d01-eu-west-1-test-0a1b2c3d")
        #expect(tags["sg-provisioner:tier"] == "web", "the tier tag must stay, verification maps groups by it")
        #expect(main.template.resource("WebGroupIdParameter")?["Name"]?.stringValue == "/acme/dev/d01/sg/web-test-0a1b2c3d")
        #expect(main.template.outputs.allSatisfy { $0.exportName?.hasSuffix("-test-0a1b2c3d") == true })
        #expect(naming.stackName("acme-dev-d01-eu-west-1-sg-stack-rules-2") == "acme-dev-d01-eu-west-1-sg-stack-test-0a1b2c3d-rules-2")
        // Rules read back the same: the renamed templates deploy the same model.
        #expect(TemplateRuleReader.read(renamed).tiers.mapValues(\.ruleKeys) == TemplateRuleReader.read(compiled).tiers.mapValues(\.ruleKeys))
    }

    @Test func longGroupNamesAreCutToFitAWS() {
        let naming = TestStackNaming(hex: "0a1b2c3d", identity: threeTiers().identity)
        let name = naming.tagged(String(repeating: "g", count: 255), limit: TestStackNaming.maxGroupName)
        #expect(name.count == 255)
        #expect(name.hasSuffix("-test-0a1b2c3d"))
    }

    @Test func importsAreRenamedInSplitStacks() {
        let big = TemplateCompiler(
            toolVersion: "test", limits: StackLimits(maxResources: 8, maxTemplateBytes: 51_200, maxOutputs: 200, maxRulesPerDirection: 60)
        ).compile(threeTiers()).stacks
        let renamed = TestStackNaming(hex: "ff", identity: threeTiers().identity).rename(big)
        #expect(renamed.count > 1)
        let read = TemplateRuleReader.read(renamed)
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.ruleKeys(tier: "db").map(\.description) == ["ingress tcp/5432 from tier app"])
    }
}
