import Foundation
import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

extension SampleDeployments {
    /// The three-tier example with targets: two accounts, two regions.
    static var threeTierFleet: Deployment { fleet(threeTier) }

    /// `deployment` with three targets (the config's own region is the administration region).
    static func fleet(_ deployment: Deployment, adminRegion: String = "us-west-2") -> Deployment {
        var fleet = deployment
        fleet.config.identity.region = adminRegion
        fleet.config.vpcID = ""
        fleet.config.targets = [
            target("111122223333", "us-east-1", "vpc-0a1b2c3d", "10.1.0.0/16"),
            target("111122223333", "eu-west-1", "vpc-0a1b2c3e", "10.2.0.0/16"),
            target("444455556666", "us-east-1", "vpc-0a1b2c3f", "10.0.0.0/16"),
        ]
        return fleet
    }

    static func target(_ account: String, _ region: String, _ vpc: String, _ cidr: String) -> DeploymentTarget {
        DeploymentTarget(account: account, region: region, vpcID: vpc, vpcCIDR: try! CIDRBlock.parse(cidr).get(), location: .file("configs/test.yaml"))
    }
}

/// A deployment with targets compiles to ONE template for every account and region.
@Suite struct StackSetTemplateTests {
    @Test func oneStackNamedFromTheIdentityWithoutRegion() throws {
        let result = compiler.compile(SampleDeployments.threeTierFleet)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.all)")
        #expect(result.stacks.map(\.stackName) == ["globalbank-prod-c001-sg-stackset"])
        let template = try #require(result.mainStack?.template)
        #expect(template.parameters.map(\.logicalID) == ["VpcId", "VpcCidr"])
        #expect(template.parameters[0].type == "AWS::EC2::VPC::Id")
        #expect(template.outputs.last?.logicalID == "TargetVpcCidr" && template.outputs.last?.value == .ref("VpcCidr"))
        for group in template.resources(ofType: "AWS::EC2::SecurityGroup") {
            #expect(group["VpcId"] == .ref("VpcId"))
            let tags = group["Tags"]?.listValue ?? []
            let deploymentTag = tags.first { $0["Key"]?.stringValue == DeploymentIdentity.deploymentTagKey }
            #expect(deploymentTag?["Value"] == .sub("globalbank-prod-c001-${AWS::Region}"))
        }
        for output in template.outputs.dropLast() {
            guard case .sub(let name)? = output.exportNameValue else { Issue.record("export \(output.logicalID) is not a !Sub"); continue }
            #expect(name.hasPrefix("globalbank-prod-c001-${AWS::Region}-"))
        }
        // The SSM parameters keep their region-free names; their descriptions name the region by !Sub.
        for parameter in template.resources(ofType: "AWS::SSM::Parameter") {
            #expect(parameter["Name"]?.stringValue?.hasPrefix("/globalbank/prod/c001/sg/") == true)
            if case .sub = parameter["Description"] {} else { Issue.record("SSM description is not a !Sub: \(String(describing: parameter["Description"]))") }
        }
    }

    @Test func theTemplateNamesNoRegionAndNoAccount() throws {
        let yaml = try #require(compiler.compile(SampleDeployments.threeTierFleet).mainStack).template.renderYAML()
        for literal in ["us-west-2", "us-east-1", "eu-west-1", "111122223333", "444455556666", "vpc-0a1b2c3d", "10.1.0.0/16"] {
            #expect(!yaml.contains(literal), "the StackSet template contains \(literal)")
        }
        #expect(yaml.contains("!Sub globalbank-prod-c001-${AWS::Region}"))
    }

    @Test func theSameTemplateWhateverTheAdministrationRegionAndTargets() throws {
        let one = try #require(compiler.compile(SampleDeployments.threeTierFleet).mainStack).template.renderYAML()
        var other = SampleDeployments.fleet(SampleDeployments.threeTier, adminRegion: "eu-central-1")
        other.config.targets.removeLast()
        let two = try #require(compiler.compile(other).mainStack).template.renderYAML()
        #expect(one == two)
    }

    @Test func aSingleStackDeploymentIsUnchanged() throws {
        let single = try #require(compiler.compile(SampleDeployments.threeTier).mainStack).template
        #expect(single.parameters.isEmpty)
        #expect(!single.renderYAML().contains("${AWS::Region}"))
        #expect(single.resources(ofType: "AWS::EC2::SecurityGroup").allSatisfy { $0["VpcId"] == .string("vpc-0a1b2c3d4e5f67890") })
    }

    @Test func aTextWithDollarBracesStaysLiteralInASub() {
        let fleet = SampleDeployments.threeTierFleet
        let value = StackSetForm.value("cost ${x} of globalbank-prod-c001-us-west-2", deployment: fleet)
        #expect(value == .sub("cost ${!x} of globalbank-prod-c001-${AWS::Region}"))
        #expect(StackSetForm.resolve(value, region: "eu-west-1") == "cost ${x} of globalbank-prod-c001-eu-west-1")
        #expect(StackSetForm.value("no name here", deployment: fleet) == .string("no name here"))
    }

    @Test func aDeploymentThatNeedsSplitStacksIsRefused() {
        let big = SampleDeployments.fleet(SampleDeployments.generated(tiers: 300, rulesPerTier: 4))
        let result = compiler.compile(big)
        let refusal = result.diagnostics.errors.filter { $0.code == .cfnStackSetTooLarge }
        #expect(refusal.count == 1)
        #expect(refusal.first?.message.hasPrefix("a deployment with targets is one StackSet template, and this one needs ") == true)
        #expect(refusal.first?.location == big.config.scenarioLocation)
    }

    @Test(arguments: ["yaml", "json"])
    func threeTierStackSetMatchesGolden(format: String) throws {
        try GoldenTests.expectGolden(compiler.compile(SampleDeployments.threeTierFleet), "three-tier-web-stackset", format: format)
    }

    @Test func theReaderSeesADescriptionChangeInAStackSetTemplate() throws {
        let before = compiler.compile(SampleDeployments.threeTierFleet)
        var changed = SampleDeployments.threeTierFleet
        changed.tiers[2].description = nil
        changed.tiers[1].description = "renamed"
        let after = compiler.compile(changed)
        let old = TemplateRuleReader.read(before.stacks), new = TemplateRuleReader.read(after.stacks)
        #expect(old.tiers["app"]?.groupDescription != new.tiers["app"]?.groupDescription)
        #expect(old.tiers["db"]?.groupDescription == "!Sub sg-provisioner globalbank-prod-c001-${AWS::Region} tier db")
        #expect(old.tiers["db"]?.vpcID == "!Ref VpcId")
    }
}
