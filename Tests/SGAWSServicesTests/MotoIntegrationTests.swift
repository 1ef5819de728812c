import Foundation
import Testing
import SGTestSupport
@testable import SGAWS
@testable import SGAWSCredentials
@testable import SGAWSServices

/// Clients for the shared moto_server (SG_MOTO_ENDPOINT or one started for this process).
private func motoSession() async throws -> AWSSession {
    let moto = try await MotoServer.shared()
    let credentials = AWSCredentials(accessKeyID: "AKIAMOTOTEST00000001", secretAccessKey: "moto-secret")
    return AWSSession(region: "us-east-1", credentials: StaticCredentialProvider(credentials),
                      options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.05)),
                      system: .live, transport: URLSessionTransport())
}

/// A name unique to this test run, since the shared moto keeps state between tests.
private func uniqueName(_ prefix: String) -> String { "\(prefix)-\(SecureRandomName.next())" }
private enum SecureRandomName {
    static func next() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 16) }
}

@Suite("Against moto_server")
struct MotoIntegrationTests {
    @Test("DescribeVpcs finds a VPC created through our own client")
    func describeVpcs() async throws {
        let ec2 = try await motoSession().ec2()
        let created = try await ec2.createVpc(cidrBlock: "10.42.0.0/16")
        let found = try await ec2.describeVpcs(vpcIDs: [created.vpcID])
        #expect(found.map(\.vpcID) == [created.vpcID])
        #expect(found.first?.cidrBlock == "10.42.0.0/16")
        await #expect(throws: AWSError.self) { try await ec2.describeVpcs(vpcIDs: ["vpc-0000000000000dead"]) }
    }

    @Test("security groups and rules: authorize, paginate with small MaxResults, revoke by rule id")
    func securityGroupRules() async throws {
        let ec2 = try await motoSession().ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.43.0.0/16")
        var groupIDs: [String] = []
        for index in 0..<3 {
            groupIDs.append(try await ec2.createSecurityGroup(name: uniqueName("sg\(index)"), description: "test group", vpcID: vpc.vpcID))
        }
        let groupID = groupIDs[0]
        let added = try await ec2.authorizeSecurityGroupIngress(groupID: groupID, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "HTTPS")]),
            IPPermission(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, groupPairs: [SecurityGroupPair(groupID: groupIDs[1])]),
            IPPermission(ipProtocol: "udp", fromPort: 53, toPort: 53, ipv4Ranges: [SecurityGroupRange("10.0.0.0/8")]),
        ])
        // moto reports only part of the created rules here; the rule listing below checks all.
        #expect(!added.isEmpty)
        try await ec2.authorizeSecurityGroupEgress(groupID: groupID, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, ipv4Ranges: [SecurityGroupRange("10.43.1.0/24")])])

        let groups = try await ec2.describeSecurityGroups(filters: [EC2Filter(name: "vpc-id", values: [vpc.vpcID])], maxResults: 5)
        // Three created plus the VPC's default group, collected across pages.
        #expect(Set(groupIDs).isSubset(of: Set(groups.map(\.groupID))))
        let group = try #require(groups.first { $0.groupID == groupID })
        #expect(group.ingress.contains { $0.fromPort == 443 && $0.ipv4Ranges == [SecurityGroupRange("0.0.0.0/0", description: "HTTPS")] })
        #expect(group.ingress.contains { $0.groupPairs.first?.groupID == groupIDs[1] })

        let rules = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [groupID])], maxResults: 1)
        let ingress = rules.filter { !$0.isEgress }
        #expect(ingress.count == 3)
        #expect(Set(ingress.map(\.ruleID)).count == 3)
        let https = try #require(ingress.first { $0.fromPort == 443 })
        #expect(https.cidrIPv4 == "0.0.0.0/0")

        try await ec2.revokeSecurityGroupIngress(groupID: groupID, ruleIDs: [https.ruleID])
        let after = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [groupID])])
        #expect(!after.contains { $0.ruleID == https.ruleID })
        #expect(after.filter { !$0.isEgress }.count == 2)
        let egressRule = try #require(after.first { $0.isEgress && $0.fromPort == 5432 })
        try await ec2.revokeSecurityGroupEgress(groupID: groupID, ruleIDs: [egressRule.ruleID])
    }

    @Test("CloudFormation: validate, create, describe stacks/events/resources, get template, delete")
    func cloudFormationLifecycle() async throws {
        let session = try await motoSession()
        let cfn = try session.cloudFormation()
        let vpc = try await session.ec2().createVpc(cidrBlock: "10.44.0.0/16")
        let template = """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: sg-provisioner client test
            Parameters:
              VpcId:
                Type: String
            Resources:
              WebGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: web tier
                  VpcId: !Ref VpcId
            Outputs:
              WebGroupId:
                Value: !Ref WebGroup
            """
        let validation = try await cfn.validateTemplate(templateBody: template)
        #expect(validation.description == "sg-provisioner client test")
        // moto does not report template parameters from ValidateTemplate.

        let stackName = uniqueName("sgp-client-test")
        var request = CreateStackRequest(stackName: stackName, templateBody: template)
        request.parameters = [StackParameter(key: "VpcId", value: vpc.vpcID)]
        request.tags = [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-c001-us-east-1")]
        let stackID = try await cfn.createStack(request)
        #expect(stackID.hasPrefix("arn:aws:cloudformation:us-east-1:"))

        let stack = try #require(try await cfn.describeStack(stackName))
        #expect(stack.stackID == stackID)
        #expect(stack.status == StackStatus("CREATE_COMPLETE"))
        #expect(stack.tags == [AWSTag(key: "sg-provisioner:deployment", value: "acme-dev-c001-us-east-1")])
        #expect(stack.outputs.first?.key == "WebGroupId")
        #expect(stack.outputs.first?.value.hasPrefix("sg-") == true)

        let events = try await cfn.describeStackEvents(stackName: stackName)
        #expect(events.contains { $0.logicalResourceID == stackName && $0.resourceStatus == "CREATE_COMPLETE" },
                "\(events.map { "\($0.logicalResourceID) \($0.resourceStatus)" })")
        let resources = try await cfn.describeStackResources(stackName: stackName)
        #expect(resources.map(\.resourceType) == ["AWS::EC2::SecurityGroup"])
        #expect(resources.first?.physicalResourceID == stack.outputs.first?.value)
        #expect(try await cfn.getTemplate(stackName: stackName).contains("GroupDescription: web tier"))

        try await cfn.deleteStack(stackName: stackName)
        let deleted = try await cfn.describeStacks(stackName: stackID).first
        #expect(deleted?.status == StackStatus("DELETE_COMPLETE"))
    }

    @Test("a missing stack is a typed ValidationError, and describeStack returns nil")
    func missingStack() async throws {
        let cfn = try await motoSession().cloudFormation()
        let name = uniqueName("no-such-stack")
        do {
            _ = try await cfn.describeStacks(stackName: name)
            Issue.record("expected an error")
        } catch let error as AWSError {
            #expect(error.code == "ValidationError")
            #expect(error.message == "Stack with id \(name) does not exist")
            #expect(error.httpStatus == 400)
        }
        #expect(try await cfn.describeStack(name) == nil)
    }

    @Test("STS GetCallerIdentity")
    func callerIdentity() async throws {
        let identity = try await motoSession().sts().getCallerIdentity()
        #expect(identity.account.count == 12)
        #expect(identity.arn.hasPrefix("arn:aws:"))
    }
}

@Suite("moto with signature checking on")
struct MotoSignatureTests {
    /// IAM is enough of a Query service to create a user and key for the check.
    static let iam = AWSService(signingName: "iam", apiVersion: "2010-05-08", endpointVariableSuffix: "IAM")

    @Test("our signed request is accepted; a wrong secret is rejected")
    func signatureChecked() async throws {
        // Moto checks signatures against IAM users it knows, so the first three calls
        // (CreateUser, CreateAccessKey, PutUserPolicy) run unauthenticated to create one.
        let moto = try await MotoServer.startDedicated(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        defer { moto.stop() }
        let bootstrap = AWSCredentials(accessKeyID: "AKIABOOTSTRAP0000001", secretAccessKey: "bootstrap")
        let iam = testQueryClient(Self.iam, endpoint: moto.endpoint, system: .live, credentials: bootstrap)
        let userName = "sg-tester"
        var createUser = iam.parameters("CreateUser")
        createUser.set("UserName", userName)
        _ = try await iam.send(createUser, idempotency: .unsafe)
        var createKey = iam.parameters("CreateAccessKey")
        createKey.set("UserName", userName)
        let keyRoot = try await iam.send(createKey, idempotency: .unsafe)
        let key = try #require(keyRoot.path("CreateAccessKeyResult", "AccessKey"))
        let good = AWSCredentials(accessKeyID: try #require(key.string("AccessKeyId")),
                                  secretAccessKey: try #require(key.string("SecretAccessKey")))
        var policy = iam.parameters("PutUserPolicy")
        policy.set("UserName", userName)
        policy.set("PolicyName", "all")
        policy.set("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        _ = try await iam.send(policy, idempotency: .idempotent)

        let accepted = EC2Client(query: testQueryClient(.ec2, endpoint: moto.endpoint, system: .live, credentials: good))
        _ = try await accepted.describeVpcs()

        let wrong = AWSCredentials(accessKeyID: good.accessKeyID, secretAccessKey: good.secretAccessKey + "x")
        let rejected = EC2Client(query: testQueryClient(.ec2, endpoint: moto.endpoint, system: .live, credentials: wrong,
                                                        retryPolicy: .none))
        do {
            _ = try await rejected.describeVpcs()
            Issue.record("a wrong secret was accepted")
        } catch let error as AWSError {
            #expect(["AuthFailure", "SignatureDoesNotMatch"].contains(error.code), "\(error)")
            #expect([401, 403].contains(error.httpStatus))
        }
    }
}
