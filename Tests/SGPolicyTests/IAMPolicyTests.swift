import SGModel
import SGReports
import Testing

@testable import SGPolicy

@Suite struct IAMPolicyTests {
    static let identity = DeploymentIdentity(company: "globalbank", environment: "prod", deploymentID: "c001", region: "us-west-2")
    static let policies = [IAMPolicyGenerator.readOnly(for: identity), IAMPolicyGenerator.deploy(for: identity, vpcID: "vpc-0a1b2c3d4e5f67890")]

    @Test func generatedPoliciesPassTheirOwnCheck() {
        for policy in Self.policies { #expect(IAMPolicyChecker.check(policy).isEmpty, "\(IAMPolicyChecker.check(policy))") }
    }

    @Test func readOnlyPolicyLetsCheckDriftAskCloudTrailWhoChangedAGroup() throws {
        let readOnly = Self.policies[0]
        let lookup = try #require(readOnly.statements.first { $0.actions.contains("cloudtrail:LookupEvents") })
        #expect(lookup.actions == ["cloudtrail:LookupEvents"], "one statement, one action")
        #expect(lookup.resources == ["*"])
        #expect(lookup.sid == "CloudTrailLookupEventsHasNoResourceLevelPermissionsSoResourceIsWildcard")
        #expect(lookup.conditions == [IAMStatement.Condition("StringEquals", "aws:RequestedRegion", ["us-west-2"])])
        #expect(!Self.policies[1].statements.contains { $0.actions.contains { $0.hasPrefix("cloudtrail:") } }, "the deploy policy needs no CloudTrail")
    }

    @Test func documentsAreIAMShaped() {
        for policy in Self.policies {
            guard case .object(let root) = policy.json, case .array(let statements) = root["Statement"] else {
                Issue.record("not an IAM document")
                continue
            }
            #expect(root["Version"] == "2012-10-17")
            #expect(!statements.isEmpty)
            for case .object(let statement) in statements {
                #expect(statement["Effect"] == "Allow")
                #expect(statement["Sid"].map { if case .string(let sid) = $0 { return sid.allSatisfy { $0.isLetter || $0.isNumber } }; return false } == true)
            }
        }
    }

    @Test func noWildcardActionAndDeployIsScopedToPrefixAndRegion() {
        let deploy = Self.policies[1]
        for statement in Self.policies.flatMap(\.statements) {
            #expect(statement.actions.allSatisfy { !$0.contains("*") }, "\(statement.sid)")
            #expect(statement.resources.allSatisfy { $0 == "*" || $0.contains(":us-west-2:") }, "\(statement.sid)")
            if statement.resources.contains("*") {
                #expect(statement.actions.allSatisfy(IAMPolicyGenerator.actionsRequiringWildcardResource.contains), "\(statement.sid)")
                #expect(statement.sid.contains("Wildcard"), "the Sid says why")
            }
        }
        for statement in deploy.statements {
            #expect(!statement.resources.contains("*"))
            #expect(statement.conditions.contains(IAMStatement.Condition("StringEquals", "aws:RequestedRegion", ["us-west-2"])))
        }
        let resources = Set(deploy.statements.flatMap(\.resources))
        #expect(resources.contains("arn:aws:cloudformation:us-west-2:*:stack/globalbank-*/*"))
        #expect(resources.contains("arn:aws:ssm:us-west-2:*:parameter/globalbank/*"))
        #expect(resources.contains("arn:aws:ec2:us-west-2:*:vpc/vpc-0a1b2c3d4e5f67890"))
        let changes = deploy.statements.first { $0.sid == "ChangeOnlyThisDeploymentsGroups" }
        #expect(changes?.conditions.contains(IAMStatement.Condition("StringEquals", "aws:ResourceTag/sg-provisioner:deployment", ["globalbank-prod-c001-us-west-2"])) == true)
    }

    @Test(arguments: [
        (IAMStatement(sid: "Admin", actions: ["*"], resources: ["*"], rationale: ""), ["IAM-ADMIN-ACCESS|critical|admin_access", "IAM-MISSING-SCOPING|medium|missing_resource_scoping"]),
        (IAMStatement(sid: "Ec2All", actions: ["ec2:*"], resources: ["arn:aws:ec2:us-west-2:*:security-group/*"],
                      conditions: [.init("StringEquals", "aws:RequestedRegion", ["us-west-2"]), .init("StringEquals", "aws:ResourceTag/k", ["v"])], rationale: ""),
         ["IAM-WILDCARD-ACTION|high|overpermissive_policy"]),
        (IAMStatement(sid: "StacksEverywhere", actions: ["cloudformation:DeleteStack"], resources: ["*"], conditions: [.init("StringEquals", "aws:RequestedRegion", ["us-west-2"])], rationale: ""),
         ["IAM-WILDCARD-RESOURCE|high|wildcard_resource"]),
        (IAMStatement(sid: "ReadStacksEverywhere", actions: ["cloudformation:DescribeStacks"], resources: ["*"], rationale: ""),
         ["IAM-WILDCARD-RESOURCE|medium|wildcard_resource"]),
        (IAMStatement(sid: "AnyRegion", actions: ["ssm:PutParameter"], resources: ["arn:aws:ssm:us-west-2:*:parameter/globalbank/*"], rationale: ""),
         ["IAM-MISSING-SCOPING|medium|missing_resource_scoping"]),
        (IAMStatement(sid: "AnyGroup", actions: ["ec2:RevokeSecurityGroupIngress"], resources: ["arn:aws:ec2:us-west-2:*:security-group/*"],
                      conditions: [.init("StringEquals", "aws:RequestedRegion", ["us-west-2"])], rationale: ""),
         ["IAM-MISSING-SCOPING|high|missing_resource_scoping"]),
        (IAMStatement(sid: "DescribeOk", actions: ["ec2:DescribeVpcs"], resources: ["*"], rationale: ""), []),
        // LookupEvents has no resource-level permissions: "*" is what AWS requires; a trail change on "*" is not.
        (IAMStatement(sid: "LookupOk", actions: ["cloudtrail:LookupEvents"], resources: ["*"], rationale: ""), []),
        (IAMStatement(sid: "StopTrails", actions: ["cloudtrail:StopLogging"], resources: ["*"], conditions: [.init("StringEquals", "aws:RequestedRegion", ["us-west-2"])], rationale: ""),
         ["IAM-WILDCARD-RESOURCE|high|wildcard_resource"]),
    ])
    func checkerFlagsBadStatements(statement: IAMStatement, expected: [String]) {
        let findings = IAMPolicyChecker.check(IAMPolicyDocument(name: "bad", statements: [statement]))
        #expect(findings.map { "\($0.id)|\($0.severity.rawValue)|\($0.type)" } == expected)
        #expect(findings.allSatisfy { $0.resource == "bad#\(statement.sid)" })
    }
}

/// What `create-security-groups --adopt` needs from the deploy policy, and nothing more.
@Suite struct AdoptionPolicyTests {
    static let identity = IAMPolicyTests.identity
    static let adopted = ["sg-0ccc", "sg-0aaa"]

    @Test func adoptedGroupsMayOnlyBeTaggedWithTheDeploymentByID() throws {
        let policy = IAMPolicyGenerator.deploy(for: Self.identity, vpcID: "vpc-0a1b2c3d4e5f67890", adoptedGroupIDs: Self.adopted)
        #expect(IAMPolicyChecker.check(policy).isEmpty, "\(IAMPolicyChecker.check(policy))")
        let tagging = try #require(policy.statements.first { $0.sid == "TagAdoptedGroupsForTheDeployment" })
        #expect(tagging.actions == ["ec2:CreateTags"])
        #expect(tagging.resources == ["arn:aws:ec2:us-west-2:*:security-group/sg-0aaa", "arn:aws:ec2:us-west-2:*:security-group/sg-0ccc"])
        #expect(tagging.conditions == [
            IAMStatement.Condition("StringEquals", "aws:RequestedRegion", ["us-west-2"]),
            IAMStatement.Condition("StringEquals", "aws:RequestTag/sg-provisioner:deployment", ["globalbank-prod-c001-us-west-2"]),
            IAMStatement.Condition("ForAllValues:StringEquals", "aws:TagKeys", ["sg-provisioner:deployment", "sg-provisioner:tier"]),
        ])
        // No wildcard anywhere but where AWS requires one, and no other change to an untagged group.
        #expect(policy.statements.flatMap(\.actions).allSatisfy { !$0.contains("*") })
        #expect(!policy.statements.contains { $0.resources.contains { $0.hasSuffix("security-group/sg-0aaa") } && $0.actions.contains { $0.contains("Authorize") || $0.contains("Delete") } })
        // Once tagged, the deployment's statement covers the update, which also removes the tags the
        // config does not have (a team tag the adopted group carried).
        #expect(policy.statements.first { $0.sid == "ChangeOnlyThisDeploymentsGroups" }?.actions.contains("ec2:DeleteTags") == true)
        // Without adopted groups there is no such statement.
        let plain = IAMPolicyGenerator.deploy(for: Self.identity, vpcID: "vpc-0a1b2c3d4e5f67890")
        #expect(!plain.statements.contains { $0.sid == "TagAdoptedGroupsForTheDeployment" })
    }

    @Test func changeSetsMayImportOnlySecurityGroupsAndTheirRules() throws {
        let policy = IAMPolicyGenerator.deploy(for: Self.identity, vpcID: "vpc-0a1b2c3d4e5f67890")
        let changeSets = try #require(policy.statements.first { $0.sid == "ChangeSetsImportOnlySecurityGroupsAndRules" })
        #expect(changeSets.actions == ["cloudformation:CreateChangeSet"])
        #expect(changeSets.resources == ["arn:aws:cloudformation:us-west-2:*:stack/globalbank-*/*"])
        #expect(changeSets.conditions.contains(IAMStatement.Condition(
            "ForAllValues:StringEquals", "cloudformation:ImportResourceTypes",
            ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroupIngress"])))
        #expect(policy.statements.filter { $0.actions.contains("cloudformation:CreateChangeSet") }.count == 1, "no other statement allows any import")
        #expect(changeSets.json.rendered().contains(#""ForAllValues:StringEquals": {"#))
    }
}
