import Foundation
import SGCloudFormation
import SGDiagnostics
import SGTestSupport
import Testing

@testable import SGAWS
@testable import SGAWSServices
@testable import SGDeploy

/// A retried CreateStack/UpdateStack whose retry meets AlreadyExists or "No updates are to be
/// performed", against a scripted CloudFormation (Tests/Fixtures/aws/stub_server.py answering each
/// request with the next response): the stack's events decide whether this run's earlier attempt
/// did it. The same path runs end to end against the local AWS in WireFaultTests, where moto records
/// the token on events through the project's patch.
@Suite(.serialized) struct StackDeployerTokenTests {
    static let token = "sgp-run-token-1"

    /// What a deploy said, recorded and reported.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var said: [String] = []
        private var recorded: [String] = []
        private var reported: [Diagnostic] = []

        var log: DeployLog {
            DeployLog(
                say: { text in self.lock.withLock { self.said.append(text) } },
                record: { line in self.lock.withLock { self.recorded.append(line) } },
                report: { diagnostic in self.lock.withLock { self.reported.append(diagnostic) } })
        }

        var output: String { lock.withLock { said.joined() } }
        var auditLines: [String] { lock.withLock { recorded } }
        var diagnostics: [Diagnostic] { lock.withLock { reported } }
    }

    static func deployer(_ stub: StubHTTPServer, _ collected: Collected) -> StackDeployer {
        let system = AWSSystem(
            environment: [:], readFile: { _ in nil }, homeDirectory: nil, now: { Date(timeIntervalSince1970: 1_777_975_154) },
            sleep: { _ in }, randomFraction: { 0 }, makeClientToken: { token })
        let query = AWSQueryClient(
            service: .cloudFormation, region: "eu-west-1", endpoint: stub.endpoint,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            transport: URLSessionTransport(), system: system)
        return StackDeployer(
            cloudFormation: CloudFormationClient(query: query), interrupt: InterruptFlag(), timeoutMinutes: 1,
            now: { Date(timeIntervalSince1970: 1_777_975_154) }, log: collected.log, pollInterval: 0)
    }

    static let stack = StackTemplate(stackName: "s", template: Template(description: "t"), role: .main)

    static func events(_ tokens: [String?]) -> String {
        let members = tokens.enumerated().reversed().map { index, token in
            "<member><EventId>e\(index)</EventId><LogicalResourceId>s</LogicalResourceId><ResourceType>AWS::CloudFormation::Stack</ResourceType>"
                + "<ResourceStatus>\(index == 0 ? "CREATE_IN_PROGRESS" : "CREATE_COMPLETE")</ResourceStatus>"
                + (token.map { "<ClientRequestToken>\($0)</ClientRequestToken>" } ?? "") + "</member>"
        }
        return "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>\(members.joined())</StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>"
    }

    static func stacks(_ status: String) -> String {
        "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackId>arn:aws:cloudformation:eu-west-1:1:stack/s/1</StackId>"
            + "<StackName>s</StackName><StackStatus>\(status)</StackStatus></member></Stacks></DescribeStacksResult></DescribeStacksResponse>"
    }

    static let alreadyExists = StubHTTPServer.Response(status: 400, body:
        "<ErrorResponse><Error><Code>AlreadyExistsException</Code><Message>Stack [s] already exists</Message></Error><RequestId>r-2</RequestId></ErrorResponse>")
    static let noUpdates = StubHTTPServer.Response(status: 400, body:
        "<ErrorResponse><Error><Code>ValidationError</Code><Message>No updates are to be performed.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>")
    static let internalFailure = StubHTTPServer.Response(status: 500, body:
        "<ErrorResponse><Error><Code>InternalFailure</Code><Message>An internal error has occurred</Message></Error><RequestId>r-1</RequestId></ErrorResponse>")

    static func actions(_ stub: StubHTTPServer) async throws -> [String] {
        try await stub.recordedRequests().map { request in
            request.body.split(separator: "&").first { $0.hasPrefix("Action=") }.map { String($0.dropFirst(7)) } ?? "?"
        }
    }

    @Test func aCreateWhoseRetryMeetsItsOwnStackWatchesIt() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            Self.internalFailure, Self.alreadyExists,                 // CreateStack, its retry
            .init(body: Self.events([Self.token])),                   // the token check
            .init(body: Self.stacks("CREATE_COMPLETE")), .init(body: Self.events([Self.token, Self.token])),
        ]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: nil)
        #expect(outcome == .created, "\(collected.diagnostics)")
        #expect(collected.diagnostics.isEmpty)
        #expect(collected.output.contains(
            "stack s: CreateStack attempt 1: InternalFailure (HTTP 500): An internal error has occurred [request id r-1];"
                + " attempt 2: AlreadyExistsException (HTTP 400): Stack [s] already exists [request id r-2];"
                + " the stack's events carry this run's request token: an earlier attempt reached CloudFormation, watching its operation\n"),
            "\(collected.output)")
        #expect(collected.auditLines.contains { $0.contains("1 event(s) carry token \(Self.token)") })
        #expect(try await Self.actions(stub) == ["CreateStack", "CreateStack", "DescribeStackEvents", "DescribeStacks", "DescribeStackEvents"])
        let bodies = try await stub.recordedRequests().map(\.body)
        #expect(bodies.prefix(2).allSatisfy { $0.contains("ClientRequestToken=\(Self.token)") })
    }

    @Test func aCreateWhoseRetryMeetsSomeoneElsesStackReportsTheFirstErrorFirst() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            Self.internalFailure, Self.alreadyExists, .init(body: Self.events(["console-create-1"])),
        ]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: nil)
        #expect(outcome == .failed)
        #expect(collected.diagnostics.map(\.code) == [.awsServiceError])
        #expect(collected.diagnostics.first?.message == "creating stack s:"
            + " attempt 1: InternalFailure (HTTP 500): An internal error has occurred [request id r-1];"
            + " attempt 2: AlreadyExistsException (HTTP 400): Stack [s] already exists [request id r-2];"
            + " no event of the stack carries this run's request token (\(Self.token)): another request created it, and this run deployed nothing")
        #expect(try await Self.actions(stub) == ["CreateStack", "CreateStack", "DescribeStackEvents"], "nothing is watched")
    }

    @Test func aFirstAttemptMeetingAnExistingStackIsReportedAsSuch() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [Self.alreadyExists]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: nil)
        #expect(outcome == .failed)
        #expect(collected.diagnostics.first?.message
            == "creating stack s: AWS error AlreadyExistsException: Stack [s] already exists (request id r-2)")
        #expect(try await Self.actions(stub) == ["CreateStack"], "no retry, so nothing to find out")
    }

    static let existing = StackDescription(
        stackID: "arn:aws:cloudformation:eu-west-1:1:stack/s/1", stackName: "s", status: StackStatus("CREATE_COMPLETE"),
        statusReason: nil, description: nil, creationTime: nil, lastUpdatedTime: nil, outputs: [], parameters: [], tags: [],
        terminationProtection: false)

    @Test func anUpdateWhoseRetryFindsNothingLeftWatchesItsOwnUpdate() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            .init(body: Self.events([nil])),                          // the history before the update
            Self.internalFailure, Self.noUpdates,                     // UpdateStack, its retry
            .init(body: Self.events([nil, Self.token])),              // the token check
            .init(body: Self.stacks("UPDATE_COMPLETE")), .init(body: Self.events([nil, Self.token])),
        ]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: Self.existing)
        #expect(outcome == .updated, "\(collected.diagnostics)")
        #expect(collected.output.contains("stack s: UpdateStack attempt 1: InternalFailure (HTTP 500)"), "\(collected.output)")
        #expect(collected.output.contains("watching its operation"))
        #expect(!collected.output.contains("no updates are to be performed"))
        // Only the update's own event is printed, not the history from before it.
        #expect(collected.output.contains("CREATE_COMPLETE  AWS::CloudFormation::Stack  s\n"))
        #expect(!collected.output.contains("CREATE_IN_PROGRESS"))
    }

    @Test func anUpdateWhoseRetryFindsNothingToDoAndNoEventOfItsOwnIsUnchanged() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            .init(body: Self.events([nil])), Self.internalFailure, Self.noUpdates, .init(body: Self.events([nil])),
        ]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: Self.existing)
        #expect(outcome == .unchanged)
        #expect(collected.diagnostics.isEmpty)
        #expect(collected.output.contains("stack s: no updates are to be performed\n"))
        #expect(collected.auditLines.contains { $0.hasPrefix("updating stack s: UpdateStack attempt 1: InternalFailure") && $0.hasSuffix("no event carries token \(Self.token)") },
                "the earlier failure stays in the audit log: \(collected.auditLines)")
    }

    @Test func unreadableEventsAfterARetryReportBothTheFirstErrorAndTheRead() async throws {
        let stub = try StubHTTPServer.start(routes: ["POST /": [
            Self.internalFailure, Self.alreadyExists,
            .init(status: 403, body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>"),
        ]])
        defer { stub.stop() }
        let collected = Collected()
        let outcome = await Self.deployer(stub, collected).deploy(Self.stack, body: "Resources: {}", existing: nil)
        #expect(outcome == .failed)
        #expect(collected.diagnostics.map(\.code) == [.awsServiceError, .awsAccessDenied])
        #expect(collected.diagnostics.first?.message.hasPrefix("creating stack s: attempt 1: InternalFailure") == true)
        #expect(collected.diagnostics.last?.message.hasPrefix("reading the events of stack s to find this run's request (token \(Self.token))") == true)
    }
}
