import Foundation
import Testing
import SGTestSupport
@testable import SGAWS

/// The CloudTrail client (AWS JSON 1.1) against the LookupEvents stub, whose signature check is
/// botocore's own signer and whose answers boto3 parses too.
@Suite("CloudTrail LookupEvents over the JSON 1.1 protocol", .serialized)
struct CloudTrailClientTests {
    static let group = "sg-0123456789abcdef0"

    /// `count` AuthorizeSecurityGroupIngress records on the group, one a minute apart, newest first
    /// by id: `e000` is the most recent.
    static func events(_ count: Int, group: String = group) -> [[String: Any]] {
        (0..<count).map { index -> [String: Any] in
            let range: [String: Any] = ["cidrIp": "10.0.0.0/8"]
            let permission: [String: Any] = [
                "ipProtocol": "tcp", "fromPort": 1000 + index, "toPort": 1000 + index, "groups": [String: Any](),
                "ipRanges": ["items": [range]], "ipv6Ranges": [String: Any](), "prefixListIds": [String: Any](),
            ]
            let request: [String: Any] = ["groupId": group, "ipPermissions": ["items": [permission]]]
            return CloudTrailStub.record(
                id: String(format: "e%03d", index), name: "AuthorizeSecurityGroupIngress",
                time: CloudTrailStub.time(secondsAgo: Double(3600 + 60 * index)), request: request)
        }
    }

    static let credentials = [testCredentials.accessKeyID: testCredentials.secretAccessKey]

    /// A CloudTrail client on the real clock (the stub's rate limit is real time), recording sleeps.
    func client(_ stub: CloudTrailStub, retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.2),
                pacer: AWSRequestPacer? = AWSRequestPacer(interval: CloudTrailClient.requestInterval), log: LogCollector? = nil,
                system: AWSSystem = .live) -> CloudTrailClient {
        var hook: (@Sendable (AWSRequestLog) -> Void)?
        if let log { hook = { log.append($0) } }
        return CloudTrailClient(json: AWSJSONClient(
            service: .cloudTrail, targetPrefix: CloudTrailClient.targetPrefix, region: "us-west-2", endpoint: stub.endpoint,
            credentials: StaticCredentialProvider(testCredentials), transport: URLSessionTransport(), system: system,
            retryPolicy: retryPolicy, timeout: 10, pacer: pacer, debugLog: hook))
    }

    @Test("a call is signed like every other (botocore's signer agrees), targeted and typed as JSON 1.1")
    func signedJSONCall() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(3), credentials: Self.credentials)
        defer { stub.stop() }
        let page = try await client(stub).lookupEvents(
            attribute: "ResourceName", value: Self.group, start: Date().addingTimeInterval(-86_400), end: Date())
        #expect(page.events.map(\.eventID) == ["e000", "e001", "e002"])
        #expect(page.nextToken == nil)
        let first = try #require(page.events.first)
        #expect(first.eventName == "AuthorizeSecurityGroupIngress")
        #expect(first.resourceNames == [Self.group])
        #expect(first.username == "alice")
        #expect(first.record?.identity.arn == "arn:aws:iam::123456789012:user/alice")
        #expect(first.record?.sourceIPAddress == "203.0.113.7")
        #expect(first.record?.requestParameters?["groupId"]?.string == Self.group)
        // EventTime (epoch seconds) is the record's eventTime (ISO 8601), an hour before the fixture was made.
        let eventTime = try #require(first.eventTime)
        let recordTime = try #require(first.record?.eventTime)
        let recorded = try #require(ISO8601DateFormatter().date(from: recordTime))
        #expect(eventTime == recorded)
        #expect(eventTime.timeIntervalSinceNow < -3590)
        let calls = try await stub.calls()
        #expect(calls.count == 1)
        #expect(calls[0].signatureOK, "botocore's SigV4 computed the same signature")
        #expect(calls[0].status == 200)
        #expect(calls[0].target == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
        #expect(calls[0].contentType == "application/x-amz-json-1.1")
        #expect(calls[0].maxResults == 50)
        #expect(calls[0].attributeValue == Self.group)
    }

    @Test("the signed request names the JSON protocol's headers among the signed ones; a wrong secret is refused by the peer")
    func signedHeaders() async throws {
        let json = AWSJSONClient(
            service: .cloudTrail, targetPrefix: CloudTrailClient.targetPrefix, region: "us-west-2",
            endpoint: URL(string: "http://127.0.0.1:1")!, credentials: StaticCredentialProvider(testCredentials),
            transport: URLSessionTransport(), system: testSystem())
        let request = try await json.signedRequest("LookupEvents", body: Array("{}".utf8))
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTESTKEY000000001/20260101/us-west-2/cloudtrail/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="), "\(authorization)")
        #expect(authorization.split(separator: "=").last.map { $0.count == 64 && $0.allSatisfy(\.isHexDigit) } == true)
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(request.header("X-Amz-Target") == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
        #expect(request.header("X-Amz-Security-Token") == testCredentials.sessionToken)

        let stub = try CloudTrailStub.start(events: Self.events(1), credentials: [testCredentials.accessKeyID: "another secret"])
        defer { stub.stop() }
        await #expect(throws: AWSError.self) {
            _ = try await client(stub).lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil)
        }
        let calls = try await stub.calls()
        #expect(calls.map(\.error) == ["InvalidSignatureException"], "not retried: a signature error is not transient")
    }

    @Test("pages are followed with the token of the query they came from; boto3's paginator reads the same events")
    func pagination() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(120), credentials: Self.credentials)
        defer { stub.stop() }
        let cloudTrail = client(stub)
        var ids: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await cloudTrail.lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil, nextToken: token)
            ids += page.events.map(\.eventID)
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(ids == (0..<120).map { String(format: "e%03d", $0) })
        let calls = try await stub.calls()
        #expect(calls.map { $0.nextToken == nil } == [true, false, false])
        #expect(calls.allSatisfy { $0.status == 200 && $0.signatureOK })

        let boto = try runBoto3(endpoint: stub.endpoint, resource: Self.group)
        #expect(boto["pages"] as? Int == 3)
        let botoEvents = try #require(boto["events"] as? [[String: Any]])
        #expect(botoEvents.compactMap { $0["id"] as? String } == ids)
        #expect(botoEvents.compactMap { $0["record_event_id"] as? String } == ids)
        #expect(botoEvents.allSatisfy { ($0["resources"] as? [String]) == [Self.group] })
        #expect(botoEvents.allSatisfy { $0["name"] as? String == "AuthorizeSecurityGroupIngress" && $0["username"] as? String == "alice" })
    }

    /// Six lookups at once through one client; the stub's answers, in arrival order.
    private func burst(_ cloudTrail: CloudTrailClient, _ stub: CloudTrailStub) async throws -> [CloudTrailStub.Call] {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = try? await cloudTrail.lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil, maxResults: 1) }
            }
        }
        return try await stub.calls()
    }

    @Test("calls are paced to two a second, so a burst of lookups is never throttled")
    func pacing() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(6), credentials: Self.credentials)
        defer { stub.stop() }
        // Six lookups started together (several deployments checked at once) still go one at a time,
        // 0.55 s after the previous answer: none meets CloudTrail's limit.
        let calls = try await burst(client(stub, retryPolicy: .none), stub)
        #expect(calls.count == 6)
        #expect(calls.allSatisfy { $0.status == 200 }, "\(calls.map(\.error))")
        // Each call leaves 0.55 s after the previous answer, so the stub sees them at least that far apart.
        let gaps = zip(calls.dropFirst(), calls).map { $0.time - $1.time }
        #expect(gaps.allSatisfy { $0 >= 0.5 }, "\(gaps)")

        // Without the pacer the same burst meets CloudTrail's limit.
        let unpaced = try CloudTrailStub.start(events: Self.events(6), credentials: Self.credentials)
        defer { unpaced.stop() }
        let hammered = try await burst(client(unpaced, retryPolicy: .none, pacer: nil), unpaced)
        #expect(hammered.contains { $0.error == "ThrottlingException" }, "\(hammered.map(\.time))")
    }

    @Test("ThrottlingException is retried with backoff and the call succeeds; the debug log shows each attempt")
    func throttlingRetried() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(2), credentials: Self.credentials, throttleFirst: 2)
        defer { stub.stop() }
        let log = LogCollector()
        let page = try await client(stub, log: log).lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil)
        #expect(page.events.count == 2)
        #expect(log.all.map(\.statusCode) == [400, 400, 200])
        #expect(log.all.map(\.action) == ["LookupEvents", "LookupEvents", "LookupEvents"])
        #expect(log.all.allSatisfy { $0.service == "cloudtrail" })
        #expect(try await stub.calls().map(\.error) == ["ThrottlingException", "ThrottlingException", nil])
    }

    @Test("a missing cloudtrail:LookupEvents permission is a typed AccessDeniedException, not retried")
    func accessDenied() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(1), credentials: Self.credentials, deny: true)
        defer { stub.stop() }
        do {
            _ = try await client(stub).lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil)
            Issue.record("expected AccessDeniedException")
        } catch let error as AWSError {
            #expect(error.code == "AccessDeniedException")
            #expect(error.httpStatus == 400)
            #expect(error.message.contains("cloudtrail:LookupEvents"))
            #expect(error.requestID != nil)
        }
        #expect(try await stub.calls().count == 1)
        let boto = try runBoto3(endpoint: stub.endpoint, resource: Self.group, maxAttempts: 2)
        #expect(boto["error"] as? String == "AccessDeniedException", "boto3 reads the stub's error the same way")
    }

    @Test("a token from another query gets CloudTrail's InvalidNextTokenException")
    func invalidQueries() async throws {
        let stub = try CloudTrailStub.start(events: Self.events(3), credentials: Self.credentials)
        defer { stub.stop() }
        let cloudTrail = client(stub)
        let first = try await cloudTrail.lookupEvents(attribute: "ResourceName", value: Self.group, start: nil, end: nil, maxResults: 1)
        let token = try #require(first.nextToken)
        await #expect(throws: AWSError(code: "InvalidNextTokenException", message: "The NextToken does not belong to this query.", requestID: nil, httpStatus: 400)) {
            do {
                _ = try await cloudTrail.lookupEvents(attribute: "ResourceName", value: "sg-0fedcba9876543210", start: nil, end: nil, nextToken: token)
            } catch let error as AWSError {
                throw AWSError(code: error.code, message: error.message, requestID: nil, httpStatus: error.httpStatus)
            }
        }
    }

    private func runBoto3(endpoint: URL, resource: String, maxAttempts: Int = 10) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", FixturePaths.aws.appendingPathComponent("boto3_lookup_events.py").path,
                             endpoint.absoluteString, "us-west-2", resource]
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = testCredentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = testCredentials.secretAccessKey
        environment["AWS_SESSION_TOKEN"] = testCredentials.sessionToken
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        environment.removeValue(forKey: "AWS_PROFILE")
        // boto3's standard retries: its paginator meets the stub's two-a-second limit and backs off, as with AWS.
        environment["AWS_RETRY_MODE"] = "standard"
        environment["AWS_MAX_ATTEMPTS"] = String(maxAttempts)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], Comment(rawValue: String(decoding: data, as: UTF8.self)))
    }
}

@Suite("AWS JSON values and JSON-protocol errors")
struct AWSJSONTests {
    @Test func rendersSortedCompactWithIntegers() throws {
        let value: AWSJSON = ["b": [1, 2.5, true, .null], "a": "x\"y\\\n\u{1}", "MaxResults": 50]
        #expect(value.rendered == #"{"MaxResults":50,"a":"x\"y\\\n\u0001","b":[1,2.5,true,null]}"#)
        #expect(try AWSJSON.parse(value.rendered) == value)
    }

    @Test func booleansAndNumbersStayApart() throws {
        let parsed = try AWSJSON.parse(#"{"t": true, "one": 1, "s": "22", "n": null}"#)
        #expect(parsed["t"] == .bool(true))
        #expect(parsed["one"] == .number(1))
        #expect(parsed["s"]?.int == 22)
        #expect(parsed["n"] == .null)
        #expect(parsed.member(ignoringCase: "T") == .bool(true))
        #expect(throws: AWSJSONError.self) { try AWSJSON.parse("{\"a\":") }
    }

    @Test(arguments: [
        (HTTPResponse(statusCode: 400, headers: ["x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/x/", "x-amzn-RequestId": "r1"],
                      body: Array(#"{"message":"Rate exceeded"}"#.utf8)),
         AWSError(code: "ThrottlingException", message: "Rate exceeded", requestID: "r1", httpStatus: 400)),
        (HTTPResponse(statusCode: 400, body: Array(#"{"__type":"com.amazonaws.cloudtrail.v20131101#AccessDeniedException","Message":"no"}"#.utf8)),
         AWSError(code: "AccessDeniedException", message: "no", requestID: nil, httpStatus: 400)),
        (HTTPResponse(statusCode: 503, body: Array("<html>busy</html>".utf8)),
         AWSError(code: "ServiceUnavailable", message: "HTTP 503 without an AWS error document", requestID: nil, httpStatus: 503)),
    ])
    func decodesErrors(response: HTTPResponse, expected: AWSError) {
        let error = AWSJSONClient.decodeError(response)
        #expect(error == expected)
        #expect(error.isThrottling == (expected.code == "ThrottlingException"))
    }

    @Test func clientsOfOneEndpointAndRegionShareOnePacer() throws {
        let system = testSystem()
        func session(_ region: String) -> AWSSession {
            AWSSession(region: region, credentials: StaticCredentialProvider(testCredentials),
                       options: AWSSessionOptions(endpointURL: "http://127.0.0.1:1"), system: system, transport: URLSessionTransport())
        }
        let a = try session("us-west-2").cloudTrail(), b = try session("us-west-2").cloudTrail(), c = try session("eu-west-1").cloudTrail()
        #expect(a.json.pacer === b.json.pacer, "two deployments in one account and region share LookupEvents' rate")
        #expect(a.json.pacer !== c.json.pacer)
        #expect(a.json.pacer?.interval == CloudTrailClient.requestInterval)
    }

    @Test func pacerLetsOneCallThroughAtATimeIntervalAfterThePreviousAnswer() async throws {
        let sleeps = SleepRecorder()
        let system = testSystem(sleeps: sleeps)
        let pacer = AWSRequestPacer(interval: 0.5)
        // Three calls at once: one in flight at a time, each 0.5 s after the previous answer (the
        // test clock advances only by the recorded sleeps, so each answer comes at its start).
        let order = await withTaskGroup(of: Int.self) { group in
            for index in 0..<3 { group.addTask { (try? await pacer.paced(system: system) { index }) ?? -1 } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(order) == [0, 1, 2])
        #expect(sleeps.recorded == [0.5, 0.5])
        // A failed call still ends its turn.
        await #expect(throws: HTTPTransportError.self) { try await pacer.paced(system: system) { () -> Int in throw HTTPTransportError.timedOut("x") } }
        #expect(try await pacer.paced(system: system) { 7 } == 7, "the next call gets its turn")
    }
}
