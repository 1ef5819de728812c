import Foundation
import SGCloudFormation
import SGDiagnostics
import SGModel
import Testing

@testable import SGDeploy

@Suite struct DeletionCheckTests {
    static func group(_ id: String, tier: String? = "web") -> LeftoverGroup {
        LeftoverGroup(groupID: id, groupName: "acme-dev-d01-\(tier ?? "x")", tier: tier, vpcID: "vpc-1")
    }

    @Test func groupsATemplateRetainsAreRetainedEveryOtherRemains() {
        let check = DeletionVerifier.split(
            [Self.group("sg-2", tier: "db"), Self.group("sg-1"), Self.group("sg-3", tier: nil)], deploymentTag: "acme-dev-d01-eu-west-1",
            retained: ["sg-2": "stack s resource DbSecurityGroup"])
        #expect(check.retained.map(\.groupID) == ["sg-2"])
        #expect(check.retained.first?.retainedBy == "stack s resource DbSecurityGroup")
        #expect(check.remaining.map(\.groupID) == ["sg-1", "sg-3"], "in id order")
        #expect(!check.passed)
        #expect(DeletionVerifier.split([Self.group("sg-2")], deploymentTag: "t", retained: ["sg-2": "x"]).passed)
        #expect(DeletionVerifier.split([], deploymentTag: "t", retained: [:]).passed)
    }

    @Test func onlySecurityGroupsWithARetainingPolicyAreKept() {
        let template = """
            Resources:
              WebSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                DeletionPolicy: Retain
                Properties: { GroupDescription: web }
              AppSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                DeletionPolicy: RetainExceptOnCreate
                Properties: { GroupDescription: app }
              DbSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                DeletionPolicy: Delete
                Properties: { GroupDescription: db }
              CacheSecurityGroup:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: cache }
              WebGroupIdParameter:
                Type: AWS::SSM::Parameter
                DeletionPolicy: Retain
                Properties: { Type: String, Value: x }
            """
        #expect(DeletionVerifier.retainingGroupResources(templateBody: template, stackName: "s") == ["WebSecurityGroup", "AppSecurityGroup"])
        #expect(DeletionVerifier.retainingGroupResources(templateBody: "[not a template", stackName: "s").isEmpty,
                "an unreadable template retains nothing, so whatever is left is reported")
    }

    @Test func aRetainingPolicyIsEmittedInTheTemplate() {
        var template = Template(description: "t")
        template.resources = [
            TemplateResource(logicalID: "WebSecurityGroup", type: "AWS::EC2::SecurityGroup", properties: [("GroupDescription", .string("web"))],
                             deletionPolicy: "Retain"),
            TemplateResource(logicalID: "DbSecurityGroup", type: "AWS::EC2::SecurityGroup", properties: [("GroupDescription", .string("db"))]),
        ]
        let yaml = template.renderYAML()
        #expect(yaml.contains("  WebSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    DeletionPolicy: Retain\n    Properties:\n"), "\(yaml)")
        #expect(yaml.contains("  DbSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n"))
        #expect(DeletionVerifier.retainingGroupResources(templateBody: yaml, stackName: "s") == ["WebSecurityGroup"], "read back as written")
    }

    @Test func theReportNamesEveryRemainingGroupAndSaysWhatWasRetained() {
        final class Sink: @unchecked Sendable {
            var said = "", recorded: [String] = [], reported: [Diagnostic] = []
        }
        let sink = Sink()
        let log = DeployLog(say: { sink.said += $0 }, record: { sink.recorded.append($0) }, report: { sink.reported.append($0) })
        var check = DeletionCheck(deploymentTag: "acme-dev-d01-eu-west-1")
        check.retained = [LeftoverGroup(groupID: "sg-9", groupName: "acme-dev-d01-db", tier: "db", vpcID: "vpc-1", retainedBy: "stack s resource DbSecurityGroup")]
        check.remaining = [Self.group("sg-1"), LeftoverGroup(groupID: "sg-2", groupName: "by-hand", tier: nil, vpcID: nil)]
        check.report(to: log)
        #expect(sink.said == "retained (DeletionPolicy Retain, stack s resource DbSecurityGroup): sg-9 (acme-dev-d01-db, tier db, vpc-1)\n")
        #expect(sink.reported.map(\.code) == [.groupsRemainAfterDelete])
        #expect(sink.reported.first?.message == "2 security groups tagged sg-provisioner:deployment=acme-dev-d01-eu-west-1 remain after the delete:"
            + " sg-1 (acme-dev-d01-web, tier web, vpc-1); sg-2 (by-hand)."
            + " Nothing in the deleted stacks keeps them on purpose; find what does (a network interface, a rule of another group,"
            + " someone's hand) and delete with `aws ec2 delete-security-group --group-id ID`")
        #expect(sink.recorded.contains("deletion check: 2 group(s) tagged sg-provisioner:deployment=acme-dev-d01-eu-west-1 remain: sg-1, sg-2"))

        let clean = Sink()
        DeletionCheck(deploymentTag: "t").report(to: DeployLog(say: { clean.said += $0 }, record: { clean.recorded.append($0) }, report: { clean.reported.append($0) }))
        #expect(clean.reported.isEmpty && clean.said.isEmpty)
        #expect(clean.recorded == ["deletion check: no security group tagged sg-provisioner:deployment=t remains"])
    }
}
