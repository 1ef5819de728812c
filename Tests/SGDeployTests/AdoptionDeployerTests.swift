import Foundation
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import SGTestSupport
import Testing

@testable import SGAWS
@testable import SGDeploy

/// The preparation (on the local AWS's EC2) and the IMPORT change sets (on the CloudFormation
/// stub, which holds requests and answers to botocore's model and fails imports as the User Guide
/// says CloudFormation does).
@Suite(.serialized) struct AdoptionDeployerTests {
    typealias Collected = StackDeployerTokenTests.Collected
    static let credentials = AWSCredentials(accessKeyID: "AKIDADOPTTEST0000001", secretAccessKey: "adopt/deployer+secret")

    static func deployer(_ stub: CloudFormationStub, ec2: EC2Client? = nil, _ collected: Collected) throws -> AdoptionDeployer {
        let query = AWSQueryClient(
            service: .cloudFormation, region: "eu-west-1", endpoint: stub.endpoint, credentials: StaticCredentialProvider(credentials),
            transport: URLSessionTransport(), system: .live, retryPolicy: .none)
        let stacks = StackDeployer(
            cloudFormation: CloudFormationClient(query: query), interrupt: InterruptFlag(), timeoutMinutes: 1, now: { Date() },
            log: collected.log, pollInterval: 0)
        return AdoptionDeployer(deployer: stacks, ec2: try ec2 ?? moto(URL(string: "http://127.0.0.1:9")!), now: { Date(timeIntervalSince1970: 1_800_000_000) })
    }

    static func moto(_ endpoint: URL) throws -> EC2Client {
        try AWSSession(
            region: "eu-west-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: endpoint.absoluteString), system: .live, transport: URLSessionTransport()
        ).ec2()
    }

    static func stub() throws -> CloudFormationStub {
        try CloudFormationStub.start(credentials: [credentials.accessKeyID: credentials.secretAccessKey], region: "eu-west-1")
    }

    @Test func anImportRunsToImportCompleteAndHoldsThePlannedIDs() async throws {
        let stub = try Self.stub()
        defer { stub.stop() }
        let collected = Collected()
        let stack = try #require(AdoptionPlanTests.plan().stacks.first)
        let outcome = try await Self.deployer(stub, collected).importResources(stack, existing: nil)
        #expect(outcome == .imported, "\(collected.diagnostics)")
        #expect(collected.output.contains("importing 7 existing resource(s) into stack acme-dev-d01-eu-west-1-sg-stack (IMPORT change set sg-provisioner-adopt-1800000000)\n"))
        #expect(collected.output.contains("  Import  AWS::EC2::SecurityGroupIngress  AppIngressTcp8080FromWeb  sgr-a1\n"))
        #expect(collected.output.contains("IMPORT_COMPLETE  AWS::CloudFormation::Stack  acme-dev-d01-eu-west-1-sg-stack"))
        let requests = try await stub.requests()
        #expect(requests.map(\.action) == ["CreateChangeSet", "DescribeChangeSet", "DescribeStackEvents", "ExecuteChangeSet", "DescribeStacks", "DescribeStackEvents"])
        #expect(requests.allSatisfy { $0.signatureOK && $0.status == 200 }, "\(requests)")
        let create = requests[0].params
        #expect(create["ChangeSetType"] == "IMPORT")
        #expect(create["ResourcesToImport.member.1.ResourceIdentifier.entry.1.value"] == AdoptionPlanTests.ids.web)
        #expect(create["ResourcesToImport.member.7.ResourceIdentifier.entry.1.value"] == "sgr-d1")
        #expect(create["TemplateBody"] == stack.template.renderYAML())
        #expect(collected.auditLines.first?.hasPrefix("CreateChangeSet sg-provisioner-adopt-1800000000 on acme-dev-d01-eu-west-1-sg-stack: IMPORT WebSecurityGroup=sg-0aa00000000000001 ") == true)
    }

    @Test func aFailedImportExecutesNothingAndLeavesNoEmptyStack() async throws {
        let stub = try Self.stub()
        defer { stub.stop() }
        let collected = Collected()
        var stack = try #require(AdoptionPlanTests.plan().stacks.first)
        // As if the plan had forgotten a DeletionPolicy: CloudFormation fails the change set.
        stack.template.resources[0].deletionPolicy = nil
        let deployer = try Self.deployer(stub, collected)
        let outcome = await deployer.importResources(stack, existing: nil)
        #expect(outcome == .failed)
        let error = try #require(collected.diagnostics.first)
        #expect(error.code == .adoptionImportFailed)
        #expect(error.message == "stack acme-dev-d01-eu-west-1-sg-stack: CloudFormation could not create the IMPORT change set (FAILED): The following resource(s) to import [WebSecurityGroup] must have DeletionPolicy attribute specified in the template.; nothing was imported")
        #expect(try await stub.requests().map(\.action) == ["CreateChangeSet", "DescribeChangeSet", "DeleteChangeSet", "DescribeStacks", "DeleteStack"])
        #expect(try await deployer.cloudFormation.describeStack("acme-dev-d01-eu-west-1-sg-stack") == nil, "the REVIEW_IN_PROGRESS shell is gone")
    }

    @Test func aResourceAnotherStackHoldsIsNotImportedTwice() async throws {
        let stub = try Self.stub()
        defer { stub.stop() }
        let collected = Collected()
        let deployer = try Self.deployer(stub, collected)
        let stack = try #require(AdoptionPlanTests.plan().stacks.first)
        #expect(await deployer.importResources(stack, existing: nil) == .imported)
        var again = stack
        again.stackName = "another-stack"
        #expect(await deployer.importResources(again, existing: nil) == .failed)
        #expect(collected.diagnostics.last?.message.contains("Resource \(AdoptionPlanTests.ids.web) already belongs to stack acme-dev-d01-eu-west-1-sg-stack") == true)
    }

    @Test func thePreparationTagsAndClosesEgressAndCanRunTwice() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try Self.moto(moto.endpoint)
        let vpc = try await ec2.createVpc(cidrBlock: "10.71.0.0/16").vpcID
        let group = try await ec2.createSecurityGroup(name: "adopt-prep-\(UUID().uuidString.prefix(8))", description: "prep", vpcID: vpc)
        let defaults = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [group])]).filter(\.isEgress)
        try await ec2.revokeSecurityGroupEgress(groupID: group, ruleIDs: defaults.map(\.ruleID))
        var plan = AdoptionPlan()
        plan.preparation = [
            .tag(tier: "db", groupID: group, tags: [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-d01-eu-west-1"), AWSTag(key: "sg-provisioner:tier", value: "db")]),
            .closeEgress(tier: "db", groupID: group),
        ]
        let stub = try Self.stub()
        defer { stub.stop() }
        let collected = Collected()
        let deployer = try Self.deployer(stub, ec2: ec2, collected)
        #expect(await deployer.prepare(plan))
        #expect(await deployer.prepare(plan), "the rule is there already: still prepared")
        #expect(collected.diagnostics.isEmpty, "\(collected.diagnostics)")
        let live = try await LiveInventory(ec2: ec2).groups(ids: [group]).groups.first
        #expect(live?.tags["sg-provisioner:deployment"] == "acme-dev-d01-eu-west-1" && live?.tags["sg-provisioner:tier"] == "db")
        #expect(live?.egress.map(\.key) == [DefaultEgress.closedPlaceholder])
        #expect(live?.egress.first?.description == TemplateCompiler.egressPlaceholderDescription)
        #expect(try await stub.requests().isEmpty, "the preparation is EC2 only")
    }
}
