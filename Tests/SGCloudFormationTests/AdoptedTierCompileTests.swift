import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

/// Compiling an adopted tier (`adopted_groups`): CloudFormation must be able to take the existing
/// group over without replacing it, and must never delete it.
@Suite struct AdoptedTierCompileTests {
    /// The three-tier sample with web adopting a hand-made group (Name tag kept) and db one without
    /// a Name tag; app stays the tool's own and also admits a group of another account.
    static var adopted: Deployment {
        var deployment = SampleDeployments.threeTier
        deployment.tiers[1].ingress.append(Rule(
            direction: .ingress, ipProtocol: .tcp, ports: .port(9443), peer: .securityGroup("sg-0bb00009"), description: "partner",
            locations: RuleLocations(rule: SourceLocation(file: DeploymentBuilder.scenarioFile, line: 40, column: 7)),
            peerAccount: "999988887777"))
        deployment.config.adoptedGroups = [
            AdoptedGroup(tier: "web", groupID: "sg-0aa00001", groupName: "launch-wizard-1",
                         groupDescription: "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00", nameTag: "Web Front (prod)",
                         location: SourceLocation(file: DeploymentBuilder.configFile, line: 20, column: 3)),
            AdoptedGroup(tier: "db", groupID: "sg-0aa00003", groupName: "db", groupDescription: "Database",
                         location: SourceLocation(file: DeploymentBuilder.configFile, line: 24, column: 3)),
        ]
        return deployment
    }

    static func tags(_ resource: TemplateResource?) -> [String] {
        (resource?["Tags"]?.listValue ?? []).map { "\($0["Key"]?.stringValue ?? "")=\($0["Value"]?.stringValue ?? "")" }
    }

    @Test func anAdoptedGroupKeepsItsNameDescriptionVPCAndNameTagAndIsRetained() throws {
        let template = try singleTemplate(Self.adopted)
        let web = try #require(template.resource("WebSecurityGroup"))
        #expect(web["GroupName"] == .string("launch-wizard-1"))
        #expect(web["GroupDescription"] == .string("launch-wizard-1 created 2021-03-04T10:11:12.000+01:00"))
        #expect(web["VpcId"] == .string("vpc-0a1b2c3d4e5f67890"))
        #expect(web.deletionPolicy == "Retain" && web.updateReplacePolicy == "Retain" && web.isRetainedOnStackDeletion)
        #expect(Self.tags(web) == [
            "Name=Web Front (prod)", "cost_center=Fraud Operations", "owner=fraud-team",
            "sg-provisioner:deployment=globalbank-prod-c001-us-west-2", "sg-provisioner:tier=web",
        ])
        let db = try #require(template.resource("DbSecurityGroup"))
        #expect(db["GroupName"] == .string("db"))
        #expect(Self.tags(db).first?.hasPrefix("Name=") == false, "no Name tag is invented for a group that had none")
        // The tool's own tier is unchanged.
        let app = try #require(template.resource("AppSecurityGroup"))
        #expect(app["GroupName"] == .string("globalbank-prod-c001-app"))
        #expect(app.deletionPolicy == nil && app.updateReplacePolicy == nil)
        #expect(Self.tags(app).first == "Name=globalbank-prod-c001-app")
        // The rendered resource carries the policies between Type and Properties.
        let yaml = template.renderYAML()
        #expect(yaml.contains("  WebSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      GroupName: launch-wizard-1\n"))
        #expect(template.renderJSON().contains("\"DeletionPolicy\": \"Retain\""))
    }

    @Test func theTemplateReadsBackWithTheSameNamesSoShowChangesSeesNoReplacement() throws {
        let template = try singleTemplate(Self.adopted)
        let parsed = try TemplateRuleReader.parse(text: template.renderYAML(), path: "t.yaml")
        #expect(parsed.resource("WebSecurityGroup")?.deletionPolicy == "Retain")
        #expect(parsed.resource("WebSecurityGroup")?.updateReplacePolicy == "Retain")
        let rules = TemplateRuleReader.read([(stackName: "s", template: parsed)])
        #expect(rules.tiers["web"]?.groupName == "launch-wizard-1")
        #expect(rules.tiers["web"]?.groupDescription == "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00")
    }

    @Test func aGroupOfAnotherAccountCompilesWithItsOwner() throws {
        var deployment = DeploymentBuilder([TierDraft(
            name: "app", ingress: [ingress(.tcp, .port(9443), .securityGroup("sg-0bb00009"), "partner")],
            egress: [egress(.tcp, .port(9000), .securityGroup("sg-0bb00009"))])]).build()
        deployment.tiers[0].ingress[0].peerAccount = "999988887777"
        let template = try singleTemplate(deployment)
        let group = try #require(template.resource("AppSecurityGroup"))
        let rule = try #require(group["SecurityGroupIngress"]?.listValue?.first)
        #expect(rule.mapEntries?.map(\.0) == ["IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupId", "SourceSecurityGroupOwnerId", "Description"])
        #expect(rule["SourceSecurityGroupOwnerId"] == .string("999988887777"))
        let egressRule = try #require(group["SecurityGroupEgress"]?.listValue?.first)
        #expect(egressRule["DestinationSecurityGroupId"] == .string("sg-0bb00009"))
    }

    @Test func anAdoptedNameAWSWouldRejectIsAnInputError() {
        var deployment = Self.adopted
        deployment.config.adoptedGroups[0].groupName = "sg-web"
        let result = compiler.compile(deployment)
        #expect(result.diagnostics.errors.map(\.code) == [.cfnInvalidName])
        #expect(result.diagnostics.errors.first?.message.hasPrefix("group name 'sg-web' is not a valid security group name") == true)
    }
}
