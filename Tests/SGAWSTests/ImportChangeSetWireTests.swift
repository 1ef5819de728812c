import Foundation
import SGTestSupport
import Testing

@testable import SGAWS

/// IMPORT change sets on the wire, held to botocore: the CloudFormation stub checks every request
/// against botocore's service model and answers from its output shapes, and boto3 sends the same
/// request and reads the same answers, so the two clients are compared on the same stub.
@Suite(.serialized) struct ImportChangeSetWireTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDIMPORTTEST000001", secretAccessKey: "import/wire+secret")

    static let template = """
        AWSTemplateFormatVersion: '2010-09-09'
        Description: wire test
        Resources:
          WebSecurityGroup:
            Type: AWS::EC2::SecurityGroup
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Properties:
              GroupName: launch-wizard-1
              GroupDescription: Load balancers
              VpcId: vpc-0a1
          AppIngressTcp8080FromWeb:
            Type: AWS::EC2::SecurityGroupIngress
            DeletionPolicy: Retain
            Properties:
              GroupId: sg-0bb00000000000002
              IpProtocol: tcp
              FromPort: 8080
              ToPort: 8080
              SourceSecurityGroupId: !GetAtt WebSecurityGroup.GroupId

        """

    static let resources = [
        ResourceToImport(resourceType: "AWS::EC2::SecurityGroup", logicalResourceID: "WebSecurityGroup", resourceIdentifier: [("Id", "sg-0aa00000000000001")]),
        ResourceToImport(
            resourceType: "AWS::EC2::SecurityGroupIngress", logicalResourceID: "AppIngressTcp8080FromWeb",
            resourceIdentifier: [("Id", "sgr-0cc00000000000003")]),
    ]

    func client(_ stub: CloudFormationStub) -> CloudFormationClient {
        CloudFormationClient(query: AWSQueryClient(
            service: .cloudFormation, region: "us-east-1", endpoint: stub.endpoint, credentials: StaticCredentialProvider(Self.credentials),
            transport: URLSessionTransport(), system: .live, retryPolicy: .none, timeout: 10))
    }

    func boto3(_ stub: CloudFormationStub, _ arguments: [String]) async throws -> [String: Any] {
        let output = try await ProcessInvocation.run(ProcessInvocation(
            executable: ChildProcess.pythonExecutable,
            arguments: [FixturePaths.aws.appendingPathComponent("boto3_cloudformation.py").path, stub.endpoint.absoluteString, "us-east-1",
                        Self.credentials.accessKeyID, Self.credentials.secretAccessKey] + arguments,
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }))
        let text = String(decoding: output.standardOutput, as: UTF8.self)
        #expect(output.status == 0, "boto3_cloudformation.py: \(text) \(String(decoding: output.standardError, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func ourImportChangeSetIsTheRequestBotocoreSends() async throws {
        let stub = try CloudFormationStub.start(credentials: [Self.credentials.accessKeyID: Self.credentials.secretAccessKey], region: "us-east-1")
        defer { stub.stop() }
        var request = CreateChangeSetRequest(stackName: "ours", changeSetName: "adopt-1", templateBody: Self.template, changeSetType: .import)
        request.resourcesToImport = Self.resources
        let created = try await client(stub).createChangeSet(request)
        #expect(created.changeSetID.hasPrefix("arn:aws:cloudformation:us-east-1:123456789012:changeSet/adopt-1/"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("import-wire-\(UUID().uuidString).yaml")
        try Self.template.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let resources = #"[{"ResourceType": "AWS::EC2::SecurityGroup", "LogicalResourceId": "WebSecurityGroup", "ResourceIdentifier": {"Id": "sg-0aa00000000000001"}}, {"ResourceType": "AWS::EC2::SecurityGroupIngress", "LogicalResourceId": "AppIngressTcp8080FromWeb", "ResourceIdentifier": {"Id": "sgr-0cc00000000000003"}}]"#
        let theirs = try await boto3(stub, ["import", "boto", "adopt-1", file.path, resources])
        #expect((theirs["Id"] as? String)?.contains(":changeSet/adopt-1/") == true, "\(theirs)")

        let requests = try await stub.requests()
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.signatureOK && $0.status == 200 }, "\(requests)")
        func comparable(_ request: CloudFormationStub.Request) -> [String: String] {
            request.params.filter { $0.key != "StackName" && $0.key != "ClientToken" }
        }
        #expect(comparable(requests[0]) == comparable(requests[1]), "ours: \(requests[0].params)\nboto3: \(requests[1].params)")
        #expect(requests[0].params["ResourcesToImport.member.2.ResourceIdentifier.entry.1.key"] == "Id")
        #expect(requests[0].params["ResourcesToImport.member.2.ResourceIdentifier.entry.1.value"] == "sgr-0cc00000000000003")
        #expect(requests[0].params["ChangeSetType"] == "IMPORT")
    }

    @Test func anImportChangeSetReadsAsBotocoreReadsIt() async throws {
        let stub = try CloudFormationStub.start(credentials: [Self.credentials.accessKeyID: Self.credentials.secretAccessKey], region: "us-east-1")
        defer { stub.stop() }
        let cloudFormation = client(stub)
        var request = CreateChangeSetRequest(stackName: "adopted", changeSetName: "adopt-2", templateBody: Self.template, changeSetType: .import)
        request.resourcesToImport = Self.resources
        _ = try await cloudFormation.createChangeSet(request)
        let ours = try await cloudFormation.describeChangeSet(changeSetName: "adopt-2", stackName: "adopted")
        let theirs = try await boto3(stub, ["describe", "adopted", "adopt-2"])
        #expect(ours.status == "CREATE_COMPLETE" && theirs["Status"] as? String == "CREATE_COMPLETE")
        #expect(ours.executionStatus == "AVAILABLE" && theirs["ExecutionStatus"] as? String == "AVAILABLE")
        let theirChanges = (theirs["Changes"] as? [[String: Any]] ?? []).map {
            [$0["Action"] as? String, $0["LogicalResourceId"] as? String, $0["PhysicalResourceId"] as? String, $0["ResourceType"] as? String]
        }
        let ourChanges = ours.changes.map { [$0.action, $0.logicalResourceID, $0.physicalResourceID, $0.resourceType] as [String?] }
        #expect(ourChanges == theirChanges)
        #expect(ourChanges == [
            ["Import", "WebSecurityGroup", "sg-0aa00000000000001", "AWS::EC2::SecurityGroup"],
            ["Import", "AppIngressTcp8080FromWeb", "sgr-0cc00000000000003", "AWS::EC2::SecurityGroupIngress"],
        ])
        // The stack an IMPORT change set creates waits for it (REVIEW_IN_PROGRESS), then holds the imports.
        #expect(try await cloudFormation.describeStack("adopted")?.status.rawValue == "REVIEW_IN_PROGRESS")
        try await cloudFormation.executeChangeSet(changeSetName: "adopt-2", stackName: "adopted")
        #expect(try await cloudFormation.describeStack("adopted")?.status.rawValue == "IMPORT_COMPLETE")
        let stack = try await boto3(stub, ["stack", "adopted"])
        #expect(stack["StackStatus"] as? String == "IMPORT_COMPLETE")
        #expect(stack["Resources"] as? [String: String] == ["WebSecurityGroup": "sg-0aa00000000000001", "AppIngressTcp8080FromWeb": "sgr-0cc00000000000003"])
        let resources = try await cloudFormation.describeStackResources(stackName: "adopted")
        #expect(Dictionary(uniqueKeysWithValues: resources.map { ($0.logicalResourceID, $0.physicalResourceID ?? "") })
            == ["WebSecurityGroup": "sg-0aa00000000000001", "AppIngressTcp8080FromWeb": "sgr-0cc00000000000003"])
        #expect(try await stub.requests().allSatisfy(\.signatureOK))
    }

    /// The stub is a real check: a map written the way Query does NOT write it is refused, naming
    /// the parameter, so an encoding mistake in our client could not pass the tests above.
    @Test func theStubRefusesARequestOutsideBotocoresModel() async throws {
        let stub = try CloudFormationStub.start(credentials: [Self.credentials.accessKeyID: Self.credentials.secretAccessKey], region: "us-east-1")
        defer { stub.stop() }
        let query = client(stub).query
        var parameters = query.parameters("CreateChangeSet")
        parameters.set("StackName", "bad")
        parameters.set("ChangeSetName", "bad-1")
        parameters.set("TemplateBody", Self.template)
        parameters.set("ChangeSetType", "IMPORT")
        parameters.set("ResourcesToImport.member.1.ResourceType", "AWS::EC2::SecurityGroup")
        parameters.set("ResourcesToImport.member.1.LogicalResourceId", "WebSecurityGroup")
        parameters.set("ResourcesToImport.member.1.ResourceIdentifier.Id", "sg-0aa00000000000001")
        await #expect {
            _ = try await query.send(parameters, idempotency: .idempotent)
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.code == "ValidationError" && error.message.contains("ResourcesToImport.member.1.ResourceIdentifier.Id: map ResourceIdentifierProperties is written entry.N.key / entry.N.value")
        }
        // An IMPORT the User Guide forbids fails in the change set, as CloudFormation fails it.
        var request = CreateChangeSetRequest(
            stackName: "bad", changeSetName: "bad-2", templateBody: Self.template.replacingOccurrences(of: "    DeletionPolicy: Retain\n", with: ""),
            changeSetType: .import)
        request.resourcesToImport = Self.resources
        _ = try await client(stub).createChangeSet(request)
        let failed = try await client(stub).describeChangeSet(changeSetName: "bad-2", stackName: "bad")
        #expect(failed.status == "FAILED")
        #expect(failed.statusReason?.contains("[WebSecurityGroup] must have DeletionPolicy attribute") == true, "\(failed.statusReason ?? "")")
    }
}
