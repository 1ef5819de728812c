import Foundation
import Testing
import SGTestSupport
@testable import SGAWS
@testable import SGAWSCredentials
@testable import SGAWSServices

private let throttlingXML = """
    <ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>thr-1</RequestId></ErrorResponse>
    """
private let callerIdentityXML = """
    <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ops</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>ok-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>
    """

@Suite("Query client against a scripted stub", .serialized)
struct QueryClientStubTests {
    @Test("503 and Throttling are retried with full-jitter backoff, then the call succeeds")
    func retriesThenSucceeds() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            .init(status: 503, body: ""), .init(status: 400, body: throttlingXML), .init(status: 503, body: ""),
            .init(status: 200, body: callerIdentityXML),
        ]])
        defer { stub.stop() }
        let sleeps = SleepRecorder()
        let log = LogCollector()
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.2, maxDelay: 20, maxTotalTime: 60)
        let sts = STSClient(query: testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem(sleeps: sleeps),
                                                   retryPolicy: policy, log: log))
        let identity = try await sts.getCallerIdentity()
        #expect(identity == CallerIdentity(account: "123456789012", arn: "arn:aws:iam::123456789012:user/ops", userID: "AIDAEXAMPLE"))
        // random 0.5 × min(20, 0.2 × 2^(n-1)).
        #expect(sleeps.recorded == [0.1, 0.2, 0.4])
        #expect(log.all.map(\.statusCode) == [503, 400, 503, 200])
        #expect(log.all.map(\.attempt) == [1, 2, 3, 4])
        #expect(log.all.last?.requestID == "ok-1")
        let requests = try await stub.recordedRequests()
        #expect(requests.count == 4)
        let first = try #require(requests.first)
        #expect(first.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(first.body == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(first.headers["authorization"]?.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKIDTESTKEY000000001/20260101/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=") == true)
        #expect(first.headers["x-amz-security-token"] == testCredentials.sessionToken)
    }

    @Test("persistent throttling ends with a typed error after the attempt bound")
    func exhausted() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 400, body: throttlingXML)]])
        defer { stub.stop() }
        let sleeps = SleepRecorder()
        let client = testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem(sleeps: sleeps),
                                     retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 1))
        let throttled = AWSRequestFailure.service(AWSError(code: "Throttling", message: "Rate exceeded", requestID: "thr-1", httpStatus: 400))
        let expected = AWSClientError.retriesExhausted(action: "GetCallerIdentity", attempts: 3, failures: [throttled, throttled, throttled])
        await #expect(throws: expected) { try await STSClient(query: client).getCallerIdentity() }
        #expect(sleeps.recorded == [0.5, 1.0])
        #expect(expected.description
            == "GetCallerIdentity failed after 3 attempts: Throttling (HTTP 400): Rate exceeded [request id thr-1]")
        #expect(try await stub.recordedRequests().count == 3)
    }

    @Test("the total time budget stops retries before the attempt bound")
    func timeBudget() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 503)]])
        defer { stub.stop() }
        let client = testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem(),
                                     retryPolicy: RetryPolicy(maxAttempts: 10, baseDelay: 4, maxDelay: 20, maxTotalTime: 5))
        // Waits would be 2, 4 (total 6 > 5): the second retry is not attempted.
        await #expect(throws: AWSClientError.self) { try await STSClient(query: client).getCallerIdentity() }
        #expect(try await stub.recordedRequests().count == 2)
    }

    @Test("non-idempotent calls are not retried on throttling or server errors")
    func unsafeNotRetried() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 503, body: "")]])
        defer { stub.stop() }
        let ec2 = EC2Client(query: testQueryClient(.ec2, endpoint: stub.endpoint, system: testSystem()))
        await #expect(throws: AWSError(code: "ServiceUnavailable", message: "HTTP 503 without an AWS error document",
                                       requestID: nil, httpStatus: 503)) {
            try await ec2.authorizeSecurityGroupIngress(groupID: "sg-1", permissions: [IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("10.0.0.0/8")])])
        }
        #expect(try await stub.recordedRequests().count == 1)
    }

    @Test("a timed-out non-idempotent call is reported, not repeated")
    func unsafeTimeout() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 200, body: "<x/>", delay: 3)]])
        defer { stub.stop() }
        let ec2 = EC2Client(query: testQueryClient(.ec2, endpoint: stub.endpoint, system: testSystem(), timeout: 1))
        do {
            try await ec2.revokeSecurityGroupIngress(groupID: "sg-1", ruleIDs: ["sgr-1"])
            Issue.record("revoke should have failed")
        } catch let error as AWSClientError {
            guard case .notRetriedUnsafe(let action, _) = error else { Issue.record("\(error)"); return }
            #expect(action == "RevokeSecurityGroupIngress")
        }
        #expect(try await stub.recordedRequests().count == 1)
    }

    @Test("connection refused is retried even for non-idempotent calls, then reported")
    func connectionRefused() async throws {
        let port = try ChildProcess.freePort()   // nothing listens there
        let sleeps = SleepRecorder()
        let ec2 = EC2Client(query: testQueryClient(.ec2, endpoint: URL(string: "http://127.0.0.1:\(port)")!,
                                                   system: testSystem(sleeps: sleeps), retryPolicy: RetryPolicy(maxAttempts: 3)))
        do {
            _ = try await ec2.createSecurityGroup(name: "x", description: "x", vpcID: nil)
            Issue.record("should fail")
        } catch let error as AWSClientError {
            guard case .retriesExhausted("CreateSecurityGroup", 3, let failures) = error, failures.count == 3,
                  case .transport(let failure) = failures[2] else {
                Issue.record("\(error)"); return
            }
            #expect(failure.requestNeverSent)
        }
        #expect(sleeps.recorded.count == 2)
    }

    @Test("token-protected calls reuse one ClientRequestToken across retries")
    func clientRequestTokenReused() async throws {
        let created = "<CreateStackResponse><CreateStackResult><StackId>arn:aws:cloudformation:us-east-1:1:stack/s/1</StackId></CreateStackResult></CreateStackResponse>"
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 500), .init(status: 200, body: created)]])
        defer { stub.stop() }
        let cfn = CloudFormationClient(query: testQueryClient(.cloudFormation, endpoint: stub.endpoint, system: testSystem()))
        let id = try await cfn.createStack(CreateStackRequest(stackName: "s", templateBody: "Resources: {}"))
        #expect(id == "arn:aws:cloudformation:us-east-1:1:stack/s/1")
        let bodies = try await stub.recordedRequests().map(\.body)
        #expect(bodies.count == 2)
        #expect(bodies.allSatisfy { $0.contains("ClientRequestToken=sgp-test-token-1") })
    }

    @Test("secrets never reach log lines, error descriptions or credential renderings")
    func secretsNeverLogged() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 503), .init(status: 403, body:
            "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad</Message></Error></ErrorResponse>")]])
        defer { stub.stop() }
        let log = LogCollector()
        let client = testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem(), log: log)
        var texts: [String] = []
        do {
            _ = try await STSClient(query: client).getCallerIdentity()
        } catch {
            texts.append(String(describing: error))
            texts.append(String(reflecting: error))
        }
        texts += log.all.map(\.description)
        texts += log.all.map { String(reflecting: $0) }
        texts.append(testCredentials.description)
        texts.append(String(reflecting: testCredentials))
        texts.append("\(testCredentials)")
        var dumped = ""
        dump(testCredentials, to: &dumped)
        texts.append(dumped)
        #expect(log.all.count == 2)
        #expect(texts.count >= 8)
        for text in texts {
            #expect(!text.contains(testCredentials.secretAccessKey), "secret in: \(text)")
            #expect(!text.contains(testCredentials.sessionToken!), "token in: \(text)")
        }
        #expect(testCredentials.description.contains("AKIDTESTKEY000000001"))
    }

    @Test("a 200 with a truncated body is a malformed-response error")
    func truncatedSuccess() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 200, body: "<GetCallerIdentityResponse>")]])
        defer { stub.stop() }
        let client = testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem())
        await #expect(throws: AWSClientError.malformedResponse(action: "GetCallerIdentity", detail: "1:28: malformed XML (5)")) {
            try await STSClient(query: client).getCallerIdentity()
        }
    }

    @Test("an error answered to a retry carries the earlier attempts' failures, the first first")
    func errorAfterRetriesKeepsTheFirstFailure() async throws {
        let exists = "<ErrorResponse><Error><Code>AlreadyExistsException</Code><Message>Stack [s] already exists</Message></Error><RequestId>ae-1</RequestId></ErrorResponse>"
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 500), .init(status: 400, body: exists)]])
        defer { stub.stop() }
        let cfn = CloudFormationClient(query: testQueryClient(.cloudFormation, endpoint: stub.endpoint, system: testSystem()))
        do {
            _ = try await cfn.createStack(CreateStackRequest(stackName: "s", templateBody: "Resources: {}"))
            Issue.record("should fail")
        } catch let error as AWSError {
            #expect(error.code == "AlreadyExistsException")
            #expect(error.earlierAttempts == [.service(AWSError(
                code: "InternalFailure", message: "HTTP 500 without an AWS error document", requestID: nil, httpStatus: 500))])
            #expect(AWSRequestFailure.history(error.attempts)
                == "attempt 1: InternalFailure (HTTP 500): HTTP 500 without an AWS error document;"
                + " attempt 2: AlreadyExistsException (HTTP 400): Stack [s] already exists [request id ae-1]")
        }
        // A first answer that ends the call has nothing before it.
        let direct = try StubHTTPServer.start(routes: ["POST /": [.init(status: 400, body: exists)]])
        defer { direct.stop() }
        let once = CloudFormationClient(query: testQueryClient(.cloudFormation, endpoint: direct.endpoint, system: testSystem()))
        await #expect(throws: AWSError(code: "AlreadyExistsException", message: "Stack [s] already exists", requestID: "ae-1", httpStatus: 400)) {
            _ = try await once.createStack(CreateStackRequest(stackName: "s", templateBody: "Resources: {}"))
        }
    }

    @Test("exhausted retries with different failures lead with the first, runs of one failure told once")
    func exhaustedHistoryLeadsWithTheFirstFailure() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 500), .init(status: 400, body: throttlingXML), .init(status: 503)]])
        defer { stub.stop() }
        let client = testQueryClient(.sts, endpoint: stub.endpoint, system: testSystem(), retryPolicy: RetryPolicy(maxAttempts: 4))
        do {
            _ = try await STSClient(query: client).getCallerIdentity()
            Issue.record("should fail")
        } catch let error as AWSClientError {
            #expect(error.description == "GetCallerIdentity failed after 4 attempts:"
                + " attempt 1: InternalFailure (HTTP 500): HTTP 500 without an AWS error document;"
                + " attempt 2: Throttling (HTTP 400): Rate exceeded [request id thr-1];"
                + " attempts 3-4: ServiceUnavailable (HTTP 503): HTTP 503 without an AWS error document")
        }
    }

    @Test("a caller's ClientRequestToken is sent on every attempt, and stack events give theirs back")
    func callersTokenAndEventTokens() async throws {
        let created = "<CreateStackResponse><CreateStackResult><StackId>arn:aws:cloudformation:us-east-1:1:stack/s/1</StackId></CreateStackResult></CreateStackResponse>"
        let events = """
            <DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>
            <member><EventId>e2</EventId><LogicalResourceId>s</LogicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus><ClientRequestToken>mine-1</ClientRequestToken></member>
            <member><EventId>e1</EventId><LogicalResourceId>s</LogicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>DELETE_COMPLETE</ResourceStatus></member>
            </StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>
            """
        let stub = try StubHTTPServer.start(routes: ["POST /": [.init(status: 503), .init(status: 200, body: created), .init(status: 200, body: events)]])
        defer { stub.stop() }
        let cfn = CloudFormationClient(query: testQueryClient(.cloudFormation, endpoint: stub.endpoint, system: testSystem()))
        var request = CreateStackRequest(stackName: "s", templateBody: "Resources: {}")
        request.clientRequestToken = "mine-1"
        _ = try await cfn.createStack(request)
        let read = try await cfn.describeStackEvents(stackName: "s")
        #expect(read.map(\.clientRequestToken) == ["mine-1", nil])
        let bodies = try await stub.recordedRequests().map(\.body)
        #expect(bodies.prefix(2).allSatisfy { $0.contains("ClientRequestToken=mine-1") }, "\(bodies)")
    }
}
