import Foundation
import Testing
@testable import SGAWS
@testable import SGAWSCredentials
@testable import SGAWSServices

@Suite("XML tree")
struct XMLTreeTests {
    @Test("a well-formed document becomes a tree")
    func wellFormed() throws {
        let root = try XMLTree.parse("""
            <?xml version="1.0"?>
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <DescribeStacksResult><Stacks><member><StackName>a &amp; b</StackName></member></Stacks></DescribeStacksResult>
              <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
            </DescribeStacksResponse>
            """)
        #expect(root.name == "DescribeStacksResponse")
        #expect(root.path("DescribeStacksResult")?.list("Stacks").first?.string("StackName") == "a & b")
        #expect(AWSQueryClient.requestID(in: root) == "req-1")
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        let name: String
        let xml: String
        let message: String
        var testDescription: String { name }
    }

    @Test("malformed and truncated XML is rejected", arguments: [
        // On Linux parse() returns true for "<a>" without reporting the element at all: only the
        // closed-stack/one-root check catches it.
        MalformedCase(name: "unclosed root", xml: "<a>", message: "no root element"),
        MalformedCase(name: "truncated inside child", xml: "<a><b>text", message: "malformed XML"),
        MalformedCase(name: "empty", xml: "", message: "no root element"),
        MalformedCase(name: "not XML", xml: "Service Unavailable", message: "malformed XML"),
        MalformedCase(name: "mismatched end tag", xml: "<a><b></a></b>", message: "malformed XML"),
        MalformedCase(name: "two roots", xml: "<a/><b/>", message: "malformed XML"),
    ])
    func malformed(_ testCase: MalformedCase) {
        do {
            let root = try XMLTree.parse(testCase.xml)
            Issue.record("parsed \(root.name) from \(testCase.name)")
        } catch let error as XMLTreeError {
            #expect(error.message.hasPrefix(testCase.message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("AWS error documents")
struct AWSErrorDecodingTests {
    @Test("CloudFormation/STS ErrorResponse")
    func cloudFormationShape() {
        let body = """
            <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error>
              <RequestId>cfn-req-9</RequestId>
            </ErrorResponse>
            """
        let error = AWSError.decode(body: Array(body.utf8), httpStatus: 400, headerRequestID: nil)
        #expect(error == AWSError(code: "ValidationError", message: "Stack with id x does not exist",
                                  requestID: "cfn-req-9", httpStatus: 400))
        #expect(error.description == "ValidationError (HTTP 400): Stack with id x does not exist [request id cfn-req-9]")
        #expect(!error.isThrottling)
    }

    @Test("EC2 Response/Errors/Error")
    func ec2Shape() {
        let body = """
            <Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>The security group 'sg-1' does not exist</Message></Error></Errors><RequestID>ec2-req-3</RequestID></Response>
            """
        let error = AWSError.decode(body: Array(body.utf8), httpStatus: 400, headerRequestID: "header-id")
        #expect(error == AWSError(code: "InvalidGroup.NotFound", message: "The security group 'sg-1' does not exist",
                                  requestID: "ec2-req-3", httpStatus: 400))
    }

    @Test("throttling and server faults are classified", arguments: [
        ("Throttling", 400, true, false), ("ThrottlingException", 400, true, false),
        ("RequestLimitExceeded", 503, true, true), ("TooManyRequestsException", 429, true, false),
        ("RequestThrottled", 400, true, false), ("InternalError", 500, false, true),
        ("ValidationError", 400, false, false),
    ])
    func classification(_ code: String, _ status: Int, _ throttling: Bool, _ serverFault: Bool) {
        let error = AWSError(code: code, message: "", requestID: nil, httpStatus: status)
        #expect(error.isThrottling == throttling)
        #expect(error.isServerFault == serverFault)
    }

    @Test("a body that is no error document still gives a typed error")
    func nonXMLBody() {
        let error = AWSError.decode(body: Array("<html>bad gateway".utf8), httpStatus: 503, headerRequestID: "r")
        #expect(error == AWSError(code: "ServiceUnavailable", message: "HTTP 503 without an AWS error document",
                                  requestID: "r", httpStatus: 503))
    }
}

@Suite("Query protocol encoding")
struct QueryEncodingTests {
    @Test("form body: Action and Version first, then names sorted, AWS percent-encoding")
    func formBody() {
        var parameters = QueryParameters(action: "AuthorizeSecurityGroupIngress", version: "2016-11-15")
        parameters.set("GroupId", "sg-1")
        parameters.set("DryRun", false)
        EC2Client.setPermissions(&parameters, [IPPermission(
            ipProtocol: "tcp", fromPort: 443, toPort: 443,
            ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "HTTPS from internet (a+b)")])])
        #expect(parameters.formBody == "Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&DryRun=false"
            + "&GroupId=sg-1&IpPermissions.1.FromPort=443&IpPermissions.1.IpProtocol=tcp"
            + "&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0"
            + "&IpPermissions.1.IpRanges.1.Description=HTTPS%20from%20internet%20%28a%2Bb%29"
            + "&IpPermissions.1.ToPort=443")
    }

    @Test("CloudFormation lists use .member.N and EC2 filters .N.Value.M")
    func lists() {
        var cfn = QueryParameters(action: "CreateStack", version: "2010-05-15")
        CloudFormationClient.setCommon(&cfn, [StackParameter(key: "Env", value: "prod")],
                                       [AWSTag(key: "owner", value: "fraud team")], ["CAPABILITY_IAM"])
        #expect(cfn["Parameters.member.1.ParameterKey"] == "Env")
        #expect(cfn["Parameters.member.1.ParameterValue"] == "prod")
        #expect(cfn["Tags.member.1.Value"] == "fraud team")
        #expect(cfn["Capabilities.member.1"] == "CAPABILITY_IAM")
        var ec2 = QueryParameters(action: "DescribeSecurityGroups", version: "2016-11-15")
        EC2Client.setFilters(&ec2, [EC2Filter(name: "vpc-id", values: ["vpc-1", "vpc-2"])])
        #expect(ec2["Filter.1.Name"] == "vpc-id")
        #expect(ec2["Filter.1.Value.2"] == "vpc-2")
    }
}

@Suite("Region and endpoint resolution")
struct ResolutionTests {
    @Test("region precedence", arguments: [
        ("eu-west-1", ["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"], "ap-south-1", "eu-west-1"),
        (nil, ["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-1"], "ap-south-1", "us-east-2"),
        (nil, ["AWS_DEFAULT_REGION": "us-west-1"], "ap-south-1", "us-west-1"),
        (nil, [:], "ap-south-1", "ap-south-1"),
    ] as [(String?, [String: String], String?, String)])
    func region(_ explicit: String?, _ environment: [String: String], _ profile: String?, _ expected: String) {
        #expect(AWSRegionResolver.resolve(explicit: explicit, environment: environment, profileRegion: profile) == expected)
    }

    @Test("endpoint precedence", arguments: [
        ("http://127.0.0.1:5000", ["AWS_ENDPOINT_URL": "http://b:1", "AWS_ENDPOINT_URL_EC2": "http://c:2"], "http://127.0.0.1:5000"),
        (nil, ["AWS_ENDPOINT_URL": "http://b:1", "AWS_ENDPOINT_URL_EC2": "http://c:2"], "http://c:2"),
        (nil, ["AWS_ENDPOINT_URL": "http://b:1"], "http://b:1"),
        (nil, ["AWS_ENDPOINT_URL": "http://b:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], "https://ec2.us-west-2.amazonaws.com"),
        (nil, [:], "https://ec2.us-west-2.amazonaws.com"),
    ] as [(String?, [String: String], String)])
    func endpoint(_ explicit: String?, _ environment: [String: String], _ expected: String) throws {
        let url = try AWSEndpointResolver.resolve(service: .ec2, region: "us-west-2", explicit: explicit, environment: environment)
        #expect(url.absoluteString == expected)
    }

    @Test("unusable endpoint and region are configuration errors")
    func invalid() {
        #expect(throws: AWSClientError.configuration("--endpoint-url is not an http(s) URL: ftp://x")) {
            try AWSEndpointResolver.resolve(service: .sts, region: "us-east-1", explicit: "ftp://x", environment: [:])
        }
        #expect(throws: AWSClientError.configuration("'../etc' is not an AWS region name")) {
            try AWSEndpointResolver.resolve(service: .sts, region: "../etc", explicit: nil, environment: [:])
        }
    }

    @Test("Host header carries non-default ports only")
    func hostHeader() {
        #expect(AWSQueryClient.hostHeader(for: URL(string: "http://127.0.0.1:5000")!) == "127.0.0.1:5000")
        #expect(AWSQueryClient.hostHeader(for: URL(string: "https://ec2.us-east-1.amazonaws.com")!) == "ec2.us-east-1.amazonaws.com")
        #expect(AWSQueryClient.hostHeader(for: URL(string: "https://x.com:443")!) == "x.com")
    }
}

@Suite("Emulator error shapes")
struct EmulatorErrorShapeTests {
    @Test("ErrorResponse/Errors/Error (moto's EC2 auth failure) is decoded too")
    func nestedErrors() {
        let body = "<ErrorResponse><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors></ErrorResponse>"
        let error = AWSError.decode(body: Array(body.utf8), httpStatus: 401, headerRequestID: nil)
        #expect(error == AWSError(code: "AuthFailure", message: "AWS was not able to validate the provided access credentials",
                                  requestID: nil, httpStatus: 401))
    }
}
