import Foundation
@testable import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGDeploy

/// The adoption plan, pure: which resources an IMPORT change set takes in and by which id, what the
/// import template states (the live groups as they are), what the preparation changes, and what
/// stops an adoption.
@Suite struct AdoptionPlanTests {
    static let ids = (web: "sg-0aa00000000000001", app: "sg-0bb00000000000002", db: "sg-0cc00000000000003")
    static let place = SourceLocation(file: "configs/t.yaml", line: 9, column: 3)

    /// threeTiers with every tier adopted.
    static func adopted(only tiers: Set<String> = ["web", "app", "db"]) -> Deployment {
        var deployment = threeTiers()
        deployment.config.adoptedGroups = [
            AdoptedGroup(tier: "app", groupID: ids.app, groupName: "App Servers", groupDescription: "Application servers", location: place),
            AdoptedGroup(tier: "db", groupID: ids.db, groupName: "db", groupDescription: "Database", location: place),
            AdoptedGroup(tier: "web", groupID: ids.web, groupName: "launch-wizard-1", groupDescription: "Load balancers", nameTag: "Web Front", location: place),
        ].filter { tiers.contains($0.tier) }
        return deployment
    }

    static func live(_ key: RuleKey, _ description: String? = nil, id: String?) -> LiveRule {
        LiveRule(key: key, description: description, ruleID: id, location: .file("aws"))
    }

    static func key(_ direction: Direction, _ port: Int, _ peer: Peer, _ ipProtocol: IPProtocol = .tcp) -> RuleKey {
        RuleKey(direction: direction, ipProtocol: ipProtocol, ports: .ports(PortRange(port: port)), peer: peer)
    }

    /// The three groups as they are in AWS: what the config says, plus a team tag and the tag a
    /// deleted stack left on web.
    static func liveGroups() -> [String: LiveSecurityGroup] {
        [
            "web": LiveSecurityGroup(
                groupID: ids.web, name: "launch-wizard-1", description: "Load balancers", vpcID: "vpc-1",
                tags: ["Name": "Web Front", "team": "shop", "aws:cloudformation:stack-name": "old-stack"],
                ingress: [live(key(.ingress, 443, world), "HTTPS", id: "sgr-w1")],
                egress: [live(key(.egress, 8080, .securityGroup(ids.app)), id: "sgr-w2")], location: .file("aws")),
            "app": LiveSecurityGroup(
                groupID: ids.app, name: "App Servers", description: "Application servers", vpcID: "vpc-1",
                ingress: [live(key(.ingress, 8080, .securityGroup(ids.web)), "From web", id: "sgr-a1")],
                egress: [live(key(.egress, 5432, .securityGroup(ids.db)), "PostgreSQL", id: "sgr-a2")], location: .file("aws")),
            "db": LiveSecurityGroup(
                groupID: ids.db, name: "db", description: "Database", vpcID: "vpc-1",
                ingress: [live(key(.ingress, 5432, .securityGroup(ids.app)), id: "sgr-d1")], location: .file("aws")),
        ]
    }

    static let tiersByGroupID = [ids.web: "web", ids.app: "app", ids.db: "db"]

    static func plan(
        _ deployment: Deployment = adopted(), live: [String: LiveSecurityGroup] = liveGroups(), held: Set<String> = [],
        existing: [String: Template] = [:], batchSize: Int = AdoptionPlanner.maxResourcesPerImport, limits: StackLimits = .inlineTemplateBody
    ) -> AdoptionPlan {
        let compiled = TemplateCompiler(toolVersion: "test", limits: limits).compile(deployment).stacks
        return AdoptionPlanner.plan(
            deployment: deployment, compiled: compiled, live: live, held: held, existingTemplates: existing,
            tiersByGroupID: tiersByGroupID, batchSize: batchSize)
    }

    @Test func groupsAndTheirOwnRuleResourcesAreImportedByIDAndNothingIsReplaced() throws {
        let plan = Self.plan()
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.replacedTiers.isEmpty)
        #expect(plan.stacks.count == 1)
        let stack = try #require(plan.stacks.first)
        #expect(stack.stackName == "acme-dev-d01-eu-west-1-sg-stack" && !stack.intoExistingStack)
        #expect(stack.resources.map { "\($0.logicalID)=\($0.physicalID) \($0.deletionPolicy)" } == [
            "WebSecurityGroup=sg-0aa00000000000001 Retain", "AppSecurityGroup=sg-0bb00000000000002 Retain",
            "DbSecurityGroup=sg-0cc00000000000003 Retain", "WebEgressTcp8080ToApp=sgr-w2 Retain", "AppIngressTcp8080FromWeb=sgr-a1 Retain",
            "AppEgressTcp5432ToDb=sgr-a2 Retain", "DbIngressTcp5432FromApp=sgr-d1 Retain",
        ])
        #expect(stack.resourcesToImport[0] == ResourceToImport(
            resourceType: "AWS::EC2::SecurityGroup", logicalResourceID: "WebSecurityGroup", resourceIdentifier: [("Id", Self.ids.web)]))
        #expect(stack.resourcesToImport[4] == ResourceToImport(
            resourceType: "AWS::EC2::SecurityGroupIngress", logicalResourceID: "AppIngressTcp8080FromWeb", resourceIdentifier: [("Id", "sgr-a1")]))
        // Only the imported resources, no outputs: an import may add nothing else.
        #expect(stack.template.resources.map(\.logicalID) == stack.resources.map(\.logicalID))
        #expect(stack.template.outputs.isEmpty)
        // Preparation: tags everywhere, the no-traffic egress rule where nothing of the group's own would be inline.
        #expect(plan.preparation == [
            .tag(tier: "app", groupID: Self.ids.app, tags: [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-d01-eu-west-1"), AWSTag(key: "sg-provisioner:tier", value: "app")]),
            .closeEgress(tier: "app", groupID: Self.ids.app),
            .tag(tier: "db", groupID: Self.ids.db, tags: [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-d01-eu-west-1"), AWSTag(key: "sg-provisioner:tier", value: "db")]),
            .closeEgress(tier: "db", groupID: Self.ids.db),
            .tag(tier: "web", groupID: Self.ids.web, tags: [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-d01-eu-west-1"), AWSTag(key: "sg-provisioner:tier", value: "web")]),
            .closeEgress(tier: "web", groupID: Self.ids.web),
        ])
        #expect(stack.template.renderYAML().contains("""
              WebSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  GroupName: launch-wizard-1
                  GroupDescription: Load balancers
                  VpcId: vpc-1
                  SecurityGroupIngress:
                    - IpProtocol: tcp
                      FromPort: 443
                      ToPort: 443
                      CidrIp: "0.0.0.0/0"
                      Description: HTTPS
                  SecurityGroupEgress:
                    - IpProtocol: icmp
                      FromPort: 252
                      ToPort: 86
                      CidrIp: "255.255.255.255/32"
                      Description: "no egress: placeholder that matches no traffic"
                  Tags:
                    - Key: Name
                      Value: Web Front
                    - Key: team
                      Value: shop
                    - Key: sg-provisioner:deployment
                      Value: acme-dev-d01-eu-west-1
                    - Key: sg-provisioner:tier
                      Value: web
            """), "\(stack.template.renderYAML())")
        // A rule resource exactly as compiled, with its live description and both policies.
        let rule = try #require(stack.template.resource("AppIngressTcp8080FromWeb"))
        let compiledRule = try #require(TemplateCompiler(toolVersion: "test").compile(Self.adopted()).stacks[0].template.resource("AppIngressTcp8080FromWeb"))
        #expect(rule.properties == compiledRule.properties)
        #expect(rule.deletionPolicy == "Retain" && rule.updateReplacePolicy == "Retain")
        // What the update then changes on the tags; AWS's own tags are never written.
        #expect(plan.tagChanges == [AdoptionPlan.TagChange(tier: "web", key: "team", live: "shop", compiled: nil)])
        #expect(!stack.template.renderYAML().contains("aws:cloudformation"))
        #expect(plan.notes == ["tier web: \(Self.ids.web) carries aws:cloudformation:stack-name=old-stack; CloudFormation refuses to import a resource a stack still holds (delete that stack with the group retained first)"])
        #expect(plan.windows.isEmpty)
    }

    @Test func theTextSaysWhatHappensAndWhatNeverDoes() {
        let text = Self.plan().renderText()
        #expect(text.hasPrefix("adoption (create-security-groups --adopt): 3 existing groups taken into the stack, none replaced\n  1. prepare (EC2; changes no traffic):\n"))
        #expect(text.contains("  2. import into stack acme-dev-d01-eu-west-1-sg-stack (new stack; IMPORT change set, 7 resources; changes nothing in AWS):\n"))
        #expect(text.contains("     AppIngressTcp8080FromWeb  AWS::EC2::SecurityGroupIngress  sgr-a1  ingress tcp/8080 from tier web  DeletionPolicy Retain\n"))
        #expect(text.contains("     tier web: - tag team=shop (not in the config)\n"))
        #expect(text.contains("  no group is replaced: each adopted group keeps its id, GroupName, GroupDescription and VpcId\n"))
        #expect(text.contains("  rules already live are imported by rule id (sgr-), never authorised again (no InvalidPermission.Duplicate)\n"))
        let json = Self.plan().json().rendered()
        #expect(json.contains(#""replaces_groups": false"#) && json.contains(#""id": "sgr-a1""#) && json.contains(#""step": "close-egress""#))
    }

    @Test func rulesTheConfigDropsAreImportedForTheUpdateToRevoke() throws {
        var live = Self.liveGroups()
        live["app"]?.ingress += [
            Self.live(Self.key(.ingress, 22, .securityGroup(Self.ids.web)), "ssh from web", id: "sgr-a3"),
            Self.live(Self.key(.ingress, 9000, .cidr(try CIDRBlock.parse("10.0.0.0/8").get())), "metrics", id: "sgr-a4"),
        ]
        let plan = Self.plan(live: live)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let dropped = try #require(plan.importedResources.first { $0.physicalID == "sgr-a3" })
        #expect(dropped.removedByUpdate && dropped.deletionPolicy == "Delete" && dropped.logicalID == "AppIngressTcp22FromWeb")
        let resource = try #require(plan.stacks[0].template.resource("AppIngressTcp22FromWeb"))
        #expect(resource.deletionPolicy == "Delete")
        #expect(resource["GroupId"] == .getAtt("AppSecurityGroup", "GroupId") && resource["SourceSecurityGroupId"] == .getAtt("WebSecurityGroup", "GroupId"))
        // A dropped rule with an address peer is stated inline: the update's inline change revokes it.
        let app = try #require(plan.stacks[0].template.resource("AppSecurityGroup"))
        #expect(app["SecurityGroupIngress"]?.listValue?.count == 1)
        #expect(app["SecurityGroupIngress"]?.listValue?.first?["Description"] == .string("metrics"))
        #expect(!plan.importedResources.contains { $0.physicalID == "sgr-a4" })
        #expect(plan.renderText().contains("AppIngressTcp22FromWeb  AWS::EC2::SecurityGroupIngress  sgr-a3  ingress tcp/22 from tier web  DeletionPolicy Delete (no longer in the config: the update revokes it)\n"))
    }

    @Test func anInlineDescriptionChangeIsAWindowAndARuleResourcesIsNot() throws {
        var live = Self.liveGroups()
        live["web"]?.ingress = [Self.live(Self.key(.ingress, 443, world), "old text", id: "sgr-w1")]
        live["app"]?.ingress = [Self.live(Self.key(.ingress, 8080, .securityGroup(Self.ids.web)), "old text", id: "sgr-a1")]
        let plan = Self.plan(live: live)
        #expect(plan.windows == [AdoptionPlan.Window(tier: "web", key: Self.key(.ingress, 443, world), liveDescription: "old text", newDescription: "HTTPS")])
        // The rule resource is imported with the live description; the update changes it in place.
        #expect(plan.stacks[0].template.resource("AppIngressTcp8080FromWeb")?["Description"] == .string("old text"))
        #expect(plan.renderText().contains(#"  window: tier web: ingress tcp/443 from 0.0.0.0/0: description "old text" -> "HTTPS": an inline rule; CloudFormation removes it and adds it again, and its traffic is dropped in between"#))
    }

    @Test func whatStopsAnAdoptionIsSaidWithItsPlace() throws {
        var live = Self.liveGroups()
        live["db"] = nil
        live["web"]?.description = "Load balancers v2"
        live["web"]?.tags["sg-provisioner:deployment"] = "acme-prod-d01-eu-west-1"
        live["app"]?.ingress = [LiveRule(key: Self.key(.ingress, 8080, .securityGroup(Self.ids.web)), ruleID: nil, location: .file("snapshot"))]
        let plan = Self.plan(live: live)
        #expect(!plan.isDeployable)
        #expect(plan.replacedTiers == ["web"])
        #expect(plan.problems.map(\.message) == [
            "tier app: its live rule ingress tcp/8080 from \(Self.ids.web) has no rule id (sgr-) to import it by; read the group from EC2, not a snapshot",
            "tier db: its adopted group \(Self.ids.db) (db) does not exist in AWS; remove the tier from adopted_groups to have the stack create its group, or import the group that replaced it",
            #"tier web: GroupDescription "Load balancers" in the compiled template, "Load balancers v2" on the live group sg-0aa00000000000001: CloudFormation would replace the group; set group_description under adopted_groups.web back to it"#,
            "tier web: the live group \(Self.ids.web) is tagged sg-provisioner:deployment=acme-prod-d01-eu-west-1: it belongs to another deployment",
        ])
        #expect(plan.problems.allSatisfy { $0.location == Self.place })
        #expect(plan.renderText().contains("2 existing groups taken into the stack, 1 would be REPLACED (refused)\n"), "db does not exist")
        #expect(plan.renderText().contains("  --adopt refuses: 4 problems:\n"))
    }

    @Test func aTierThatKeepsAWSsDefaultEgressNeedsTheDefaultLive() throws {
        var deployment = Self.adopted(only: ["web"])
        deployment.tiers[0].egress = []
        deployment.tiers[0].usesDefaultEgress = true
        var live = Self.liveGroups()
        live["web"]?.egress = [Self.live(DefaultEgress.ipv4Rule, id: "sgr-w9")]
        let fine = Self.plan(deployment, live: live)
        #expect(fine.problems.isEmpty, "\(fine.problems)")
        #expect(fine.stacks[0].template.resource("WebSecurityGroup")?["SecurityGroupEgress"] == nil, "stated as the compiled group states it: not at all")
        #expect(!fine.preparation.contains(.closeEgress(tier: "web", groupID: Self.ids.web)))
        live["web"]?.egress.append(Self.live(Self.key(.egress, 25, world), id: "sgr-w8"))
        let refused = Self.plan(deployment, live: live)
        #expect(refused.problems.map(\.message) == [
            "tier web: the scenario leaves out egress (AWS's default allow-all) but the live group \(Self.ids.web) has egress of its own; write the tier's egress in the scenario (import-security-groups writes it as the live group has it)",
        ])
        #expect(refused.problems.first?.location == here, "at the tier")
    }

    @Test func onlyTheAdoptedTiersAreImportedAndNewTiersComeWithTheUpdate() throws {
        var live = Self.liveGroups()
        live["web"]?.egress = []
        let plan = Self.plan(Self.adopted(only: ["web"]), live: live)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.importedResources.map(\.logicalID) == ["WebSecurityGroup"])
        #expect(plan.tiers == ["web": "\(Self.ids.web) (launch-wizard-1)"])
    }

    @Test func intoAnExistingStackItsTemplateIsRestatedBesideTheImports() throws {
        let deployed = TemplateCompiler(toolVersion: "test").compile(Self.adopted(only: ["web"])).stacks[0].template
        let plan = Self.plan(held: ["web"], existing: ["acme-dev-d01-eu-west-1-sg-stack": deployed])
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let stack = try #require(plan.stacks.first)
        #expect(stack.intoExistingStack)
        #expect(Array(stack.template.resources.prefix(deployed.resources.count)) == deployed.resources)
        #expect(stack.template.outputs == deployed.outputs)
        #expect(!stack.resources.contains { $0.tier == "web" }, "web is in the stack already")
        #expect(stack.resources.map(\.logicalID).prefix(2) == ["AppSecurityGroup", "DbSecurityGroup"])
    }

    @Test func manyResourcesGoInBatchesEachStatingTheOnesBefore() throws {
        let plan = Self.plan(batchSize: 3)
        #expect(plan.stacks.map(\.resources.count) == [3, 3, 1])
        #expect(plan.stacks.map(\.intoExistingStack) == [false, true, true])
        #expect(plan.stacks[2].template.resources.count == 7)
        #expect(plan.stacks[1].resourcesToImport.map(\.logicalResourceID) == ["WebEgressTcp8080ToApp", "AppIngressTcp8080FromWeb", "AppEgressTcp5432ToDb"])
    }

    @Test func splitStacksImportGroupsFirstAndRulesThroughTheExportsTheUpdateCreates() throws {
        let limits = StackLimits(maxResources: 6, maxTemplateBytes: 51_200, maxOutputs: 200, maxRulesPerDirection: 60)
        let compiled = TemplateCompiler(toolVersion: "test", limits: limits).compile(Self.adopted()).stacks
        #expect(compiled.count > 1, "\(compiled.map(\.stackName))")
        var live = Self.liveGroups()
        // A dropped rule in the last stack that names a group of an earlier one.
        live["db"]?.ingress.append(Self.live(Self.key(.ingress, 22, .securityGroup(Self.ids.web)), id: "sgr-d2"))
        let plan = Self.plan(live: live, limits: limits)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.stacks.map(\.stackName) == compiled.map(\.stackName).filter { name in plan.stacks.contains { $0.stackName == name } })
        // The groups' stack first, with the dropped rule beside its group (the update drops it there).
        #expect(plan.stacks.first?.resources.map(\.logicalID) == ["WebSecurityGroup", "AppSecurityGroup", "DbSecurityGroup", "DbIngressTcp22FromWeb"])
        #expect(plan.stacks.first?.template.resource("DbIngressTcp22FromWeb")?["SourceSecurityGroupId"] == .getAtt("WebSecurityGroup", "GroupId"))
        let rulesStack = try #require(plan.stacks.last)
        let rule = try #require(rulesStack.template.resource("AppIngressTcp8080FromWeb"))
        guard case .importValue = rule["GroupId"] else {
            Issue.record("a rule of a rules stack names its group by the export the groups stack's update creates: \(String(describing: rule["GroupId"]))")
            return
        }
        #expect(plan.importedResources.contains { $0.physicalID == "sgr-d2" && $0.removedByUpdate })
    }

    @Test func theChangeSetMustImportExactlyThePlan() throws {
        let stack = try #require(Self.plan().stacks.first)
        func changeSet(_ changes: [(String, String, String, String)], status: String = "CREATE_COMPLETE") -> ChangeSetDescription {
            ChangeSetDescription(
                changeSetID: "cs", changeSetName: "cs", stackID: "s", status: status, statusReason: "reason", executionStatus: "AVAILABLE",
                changes: changes.map { ResourceChange(action: $0.0, logicalResourceID: $0.1, physicalResourceID: $0.2, resourceType: $0.3, replacement: nil, scope: [], details: []) })
        }
        let exact = stack.resources.map { ("Import", $0.logicalID, $0.physicalID, $0.resourceType) }
        #expect(AdoptionDeployer.check(changeSet(exact), against: stack) == nil)
        #expect(AdoptionDeployer.check(changeSet(exact, status: "FAILED"), against: stack) == "CloudFormation could not create the IMPORT change set (FAILED): reason")
        #expect(AdoptionDeployer.check(changeSet(exact + [("Add", "Extra", "", "AWS::SSM::Parameter")]), against: stack)
            == "the IMPORT change set would add Extra (AWS::SSM::Parameter), which the plan does not import")
        #expect(AdoptionDeployer.check(changeSet(Array(exact.dropLast())), against: stack) == "the IMPORT change set leaves out DbIngressTcp5432FromApp")
        var swapped = exact
        swapped[0].2 = "sg-other"
        #expect(AdoptionDeployer.check(changeSet(swapped), against: stack) == "the IMPORT change set names sg-other for WebSecurityGroup, the plan sg-0aa00000000000001")
    }
}

/// GroupName and GroupDescription changes of groups a stack holds are refused before sending.
@Suite struct ReplacementGuardTests {
    @Test func aDescriptionChangeOfADeployedTierIsRefusedAtTheTier() throws {
        let plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers(appDescription: "App servers")))
        let refusals = ReplacementGuard.refusals(plan, deployment: threeTiers(appDescription: "App servers"))
        #expect(refusals.count == 1)
        let refusal = try #require(refusals.first)
        #expect(refusal.code == .replacementRefused && refusal.location == here)
        #expect(refusal.message == #"tier app: GroupDescription would change from "Application servers" to "App servers", which CloudFormation can only do by replacing security group AppSecurityGroup in stack acme-dev-d01-eu-west-1-sg-stack; the group's GroupName is fixed, so CloudFormation cannot create the replacement beside it: the update would fail and roll back. Refused before sending anything: set the description of tier app back to "Application servers"; to replace the group on purpose, give the tier a new name (a new group is created under a new name) and move what uses the old group to it first"#)
    }

    @Test func aTierThatHadTheGeneratedDescriptionIsToldToDropItsOwn() throws {
        var before = threeTiers()
        before.tiers[2].description = nil
        let after = threeTiers()
        let plan = ChangePlan.compare(deployed: rules(before), desired: rules(after))
        let refusal = try #require(ReplacementGuard.refusals(plan, deployment: after).first)
        #expect(refusal.message.hasSuffix("Refused before sending anything: remove the description of tier db (the deployed group has the generated one); to replace the group on purpose, give the tier a new name (a new group is created under a new name) and move what uses the old group to it first"), "\(refusal.message)")
    }

    @Test func anAdoptedGroupKeepsItsNameDescriptionAndVPC() throws {
        let deployed = AdoptionPlanTests.adopted(only: ["web"])
        var edited = deployed
        edited.config.adoptedGroups[0].groupName = "web-new"
        edited.config.vpcID = "vpc-2"
        let plan = ChangePlan.compare(deployed: rules(deployed), desired: rules(edited))
        let refusals = ReplacementGuard.refusals(plan, deployment: edited)
        #expect(refusals.count == 2)
        #expect(refusals.first?.message.hasPrefix(#"tier web: GroupName would change from "launch-wizard-1" to "web-new", which CloudFormation"#) == true)
        #expect(refusals.last?.message.hasPrefix(#"tier web: VpcId would change from "vpc-1" to "vpc-2", which CloudFormation"#) == true)
        #expect(refusals.allSatisfy { $0.location == AdoptionPlanTests.place })
        #expect(refusals[0].message.contains("a replaced group gets a new id, and every network interface and rule that uses WebSecurityGroup loses it"))
        #expect(refusals[1].message.hasSuffix("an adopted group stays in its VPC: keep vpc_id \"vpc-1\" for sg-0aa00000000000001, or remove the tier from adopted_groups to let the stack create a group in the new VPC"))
        // A tier that is not adopted may move to a new VPC (the banner still says it is a replacement).
        var moved = threeTiers()
        moved.config.vpcID = "vpc-2"
        #expect(ReplacementGuard.refusals(ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(moved)), deployment: moved).isEmpty)
    }

    @Test func adoptedTiersNoStackHoldsAreTheAdoptionsToJudge() {
        var plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers(appDescription: "App servers")))
        plan.adoptedTiers = ["app": "sg-0bb (App Servers)"]
        #expect(ReplacementGuard.refusals(plan, deployment: threeTiers()).isEmpty)
    }
}

/// Deleting an adopted deployment keeps the groups; the rules the stack holds as resources of
/// their own on them go with it, and the delete says so first.
@Suite struct RetainedGroupRulesTests {
    @Test func theRuleResourcesOnRetainedGroupsAreNamed() {
        let body = TemplateCompiler(toolVersion: "test").compile(AdoptionPlanTests.adopted(only: ["app"])).stacks[0].template.renderYAML()
        #expect(DeletionVerifier.rulesOnRetainedGroups(templateBody: body, stackName: "s") == ["AppIngressTcp8080FromWeb", "AppEgressTcp5432ToDb"])
        let plain = TemplateCompiler(toolVersion: "test").compile(threeTiers()).stacks[0].template.renderYAML()
        #expect(DeletionVerifier.rulesOnRetainedGroups(templateBody: plain, stackName: "s").isEmpty, "nothing retained, nothing to say")
    }
}
