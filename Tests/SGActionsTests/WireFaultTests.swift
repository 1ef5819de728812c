import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGCrypto
import SGModel
import SGTestSupport
import Testing

/// Faults on the wire, through the BUILT BINARY: the tool talks to moto through the loopback fault
/// proxy (Tests/Fixtures/faults/fault_proxy.py), which throttles, fails, delays or resets the
/// requests a test scripts, and logs every request so the test counts the attempts per action
/// instead of timing them.
@Suite(.serialized) struct WireFaultTests {
    /// Never printed or logged, also with --debug.
    static let secret = "wire-faults-secret-7c1d"
    /// The client's attempt bound (RetryPolicy's default), which persistent faults must exhaust exactly.
    static let attempts = RetryPolicy().maxAttempts

    /// Dummy credentials, no shared files from the machine, and the proxy as the endpoint.
    static func environment(_ proxy: FaultProxy) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": proxy.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
    }

    /// A session straight to moto (not through the proxy), to set up and inspect state.
    static func session(_ moto: MotoServer, region: String) -> AWSSession {
        AWSSession(
            region: region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
    }

    static func noSecret(_ outcome: ToolRunner.Outcome) -> Bool {
        !outcome.stdout.contains(secret) && !outcome.stderr.contains(secret)
    }

    /// A request the proxy logged without an Action is one that arrived without its body: the
    /// symptom of an HTTP stack that silently re-sends a request on a new connection.
    static func noHiddenResend(_ log: [FaultProxy.Entry]) -> Bool {
        log.allSatisfy { !$0.action.isEmpty }
    }

    // MARK: Reads: audit-security-groups

    @Test func transientFaultsOnReadsAreRetriedAndTheAuditIsRight() async throws {
        let moto = try await MotoServer.shared()
        // A region no other test uses, so the region-wide audit sees only this test's groups.
        let region = "ap-northeast-3"
        let ec2 = try Self.session(moto, region: region).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.92.0.0/16")
        let group = try await ec2.createSecurityGroup(name: "wire-jump", description: "hand made", vpcID: vpc.vpcID)
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: group, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 3389, toPort: 3389, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
        ])
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [
            .init("DescribeSecurityGroups", .throttle, times: 2),
            .init("DescribeSecurityGroups", .http503, times: 1),
            .init("DescribeSecurityGroupRules", .reset, times: 1),
        ])
        defer { proxy.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }

        let outcome = try tool.run(
            ["-act", "audit-security-groups", "--region", region, "--output", "json", "--fail-on", "critical", "--debug"],
            environment: Self.environment(proxy))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["id"] as? String == "SG-WORLD-ADMIN" && $0["tier"] as? String == "wire-jump (\(group))" }, "\(findings)")
        #expect((object["errors"] as? [Any])?.isEmpty ?? true, "\(outcome.stdout)")

        let log = try await proxy.log()
        #expect(log.faults(of: "DescribeSecurityGroups") == ["throttle", "throttle", "http503", "pass"])
        #expect(log.faults(of: "DescribeSecurityGroupRules") == ["reset", "pass"])
        #expect(Self.noHiddenResend(log), "\(log)")
        // --debug shows each attempt: action, status, AWS's (here the proxy's) request id, which
        // is the request's place in the proxy's log (sts:GetCallerIdentity comes first).
        let firstRead = try #require(log.first { $0.action == "DescribeSecurityGroups" })
        #expect(log.first?.action == "GetCallerIdentity")
        #expect(outcome.stderr.contains("aws: ec2 DescribeSecurityGroups attempt 1: HTTP 503 request-id fault-proxy-\(firstRead.seq) "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("aws: ec2 DescribeSecurityGroups attempt 3: HTTP 503 "))
        #expect(outcome.stderr.contains("aws: ec2 DescribeSecurityGroups attempt 4: HTTP 200 "))
        #expect(outcome.stderr.contains("aws: ec2 DescribeSecurityGroupRules attempt 1: no response "))
        #expect(outcome.stderr.contains("aws: ec2 DescribeSecurityGroupRules attempt 2: HTTP 200 "))
        #expect(Self.noSecret(outcome))
    }

    @Test func persistentFaultsEndInOneClearErrorWithinTheRetryBound() async throws {
        let moto = try await MotoServer.shared()
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [.init("DescribeSecurityGroups", .http503, times: -1)])
        defer { proxy.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }

        let outcome = try tool.run(["-act", "audit-security-groups", "--region", "ap-northeast-3", "--debug"], environment: Self.environment(proxy))
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(
            "error: reading security groups: DescribeSecurityGroups failed after \(Self.attempts) attempts: ServiceUnavailable (HTTP 503): HTTP 503 without an AWS error document [E605]"),
            "\(outcome.stderr)")
        let log = try await proxy.log()
        // The caller is identified once first; then exactly the attempt bound, and nothing more.
        #expect(log.map(\.action) == ["GetCallerIdentity"] + Array(repeating: "DescribeSecurityGroups", count: Self.attempts), "\(log)")
        #expect(log.dropFirst().allSatisfy { $0.fault == "http503" })
        #expect(outcome.stderr.components(separatedBy: "aws: ec2 DescribeSecurityGroups attempt ").count - 1 == Self.attempts)
        #expect(Self.noSecret(outcome))
    }

    // MARK: check-drift: reads retried, a mutating call never repeated

    /// Two tiers on AWS's default egress.
    static let driftScenario = """
        name: wire-drift
        description: Two tiers for check-drift through the fault proxy
        tiers:
          web:
            description: Load balancers
            public: true
            ingress:
              - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS from internet }
          app:
            description: Application servers
            ingress:
              - { protocol: tcp, port: 8080, source: 10.0.0.0/16, description: From the VPC }

        """

    @Test func checkDriftSurvivesReadFaultsAndNeverRepeatsAnAuthorize() async throws {
        let moto = try await MotoServer.shared()
        let region = "us-west-2"
        let ec2 = try Self.session(moto, region: region).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let id = "w" + SecureRandom.hex(3)
        let qualified = "wire-test-\(id)-\(region)"
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(Self.driftScenario, to: "scenarios/wire-drift.yaml")
        try tool.write("""
            company_prefix: wire
            environment: test
            deployment_id: \(id)
            region: \(region)
            vpc_id: \(vpc.vpcID)
            vpc_cidr: 10.0.0.0/16
            scenario: wire-drift
            tags:
              owner: sg-provisioner-tests

            """, to: "configs/wire.yaml")
        // The groups as the stack would leave them: tagged, with the scenario's rules.
        var ids: [String: String] = [:]
        for (tier, description) in [("web", "Load balancers"), ("app", "Application servers")] {
            let group = try await ec2.createSecurityGroup(name: "wire-test-\(id)-\(tier)", description: description, vpcID: vpc.vpcID)
            try await ec2.createTags(resourceIDs: [group], tags: [
                AWSTag(key: DeploymentIdentity.deploymentTagKey, value: qualified), AWSTag(key: DeploymentIdentity.tierTagKey, value: tier),
            ])
            ids[tier] = group
        }
        let web = try #require(ids["web"]), app = try #require(ids["app"])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: web, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "HTTPS from internet")]),
        ])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, ipv4Ranges: [SecurityGroupRange("10.0.0.0/16", description: "From the VPC")]),
        ])
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [
            .init("DescribeSecurityGroups", .throttle, times: 1, status: 400),
            .init("DescribeSecurityGroupRules", .http500, times: 1),
            .init("DescribeSecurityGroupRules", .reset, times: 1),
        ])
        defer { proxy.stop() }
        let check = ["-con", "wire", "-act", "check-drift", "--no-color"]

        let clean = try tool.run(check + ["--debug"], environment: Self.environment(proxy))
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout.contains("in sync (2 groups,"), "\(clean.stdout)")
        let readLog = try await proxy.log()
        #expect(readLog.faults(of: "DescribeSecurityGroups").prefix(2) == ["throttle", "pass"])
        #expect(readLog.faults(of: "DescribeSecurityGroupRules").prefix(3) == ["http500", "reset", "pass"])
        #expect(clean.stderr.contains("aws: ec2 DescribeSecurityGroupRules attempt 3: HTTP 200 "), "\(clean.stderr)")
        #expect(Self.noSecret(clean))

        // Out of band: SSH from the world on app (revert: revoke), web's HTTPS removed (revert: authorize).
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
        ])
        let https = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [web])])
            .filter { !$0.isEgress && $0.fromPort == 443 }.map(\.ruleID)
        try await ec2.revokeSecurityGroupIngress(groupID: web, ruleIDs: https)
        try await proxy.setRules([.init("AuthorizeSecurityGroupIngress", .reset, times: 1)])
        let before = try await proxy.log().count

        let reverted = try tool.run(check + ["--force", "--debug"], environment: Self.environment(proxy))
        #expect(reverted.exitCode == 1, "\(reverted.stdout)\n\(reverted.stderr)")
        #expect(reverted.stdout.contains("1. RevokeSecurityGroupIngress on \(app): done"), "\(reverted.stdout)")
        #expect(reverted.stdout.contains("2. AuthorizeSecurityGroupIngress on \(web): FAILED: AuthorizeSecurityGroupIngress failed (connection lost"),
                "\(reverted.stdout)")
        #expect(reverted.stdout.contains("not retried because AuthorizeSecurityGroupIngress is not idempotent and the request may have reached AWS"))
        #expect(reverted.stderr.contains("error: revert stopped at step 2 of 2; step 1 was applied [E522]"), "\(reverted.stderr)")
        #expect(reverted.stdout.contains("re-checked: still differs: 0 added, 1 removed, 0 changed, 0 missing, 0 extra"), "\(reverted.stdout)")
        let revertLog = Array(try await proxy.log().dropFirst(before))
        #expect(revertLog.faults(of: "AuthorizeSecurityGroupIngress") == ["reset"], "exactly one attempt: \(revertLog)")
        #expect(revertLog.faults(of: "RevokeSecurityGroupIngress") == ["pass"])
        #expect(Self.noHiddenResend(revertLog), "\(revertLog)")
        #expect(reverted.stderr.components(separatedBy: "aws: ec2 AuthorizeSecurityGroupIngress attempt ").count - 1 == 1, "\(reverted.stderr)")
        #expect(Self.noSecret(reverted))
        // The reset request never reached moto: web still lacks its HTTPS rule, app lost the SSH one.
        let live = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [web, app])]).filter { !$0.isEgress }
        #expect(!live.contains { $0.groupID == web && $0.fromPort == 443 })
        #expect(!live.contains { $0.groupID == app && $0.fromPort == 22 })

        // Worse: the Authorize reaches EC2 and only its answer is lost. Still one attempt, the step
        // is reported as failed, and the re-check reads what really happened: in sync.
        try await proxy.setRules([.init("AuthorizeSecurityGroupIngress", .lostResponse, times: 1)])
        let beforeLost = try await proxy.log().count
        let lost = try tool.run(check + ["--force"], environment: Self.environment(proxy))
        #expect(lost.exitCode == 1, "\(lost.stdout)\n\(lost.stderr)")
        #expect(lost.stdout.contains("1. AuthorizeSecurityGroupIngress on \(web): FAILED: AuthorizeSecurityGroupIngress failed (connection lost"),
                "\(lost.stdout)")
        #expect(lost.stderr.contains("error: revert stopped at step 1 of 1; no step was applied [E522]"), "\(lost.stderr)")
        #expect(lost.stdout.contains("re-checked: in sync"), "\(lost.stdout)")
        let lostLog = Array(try await proxy.log().dropFirst(beforeLost))
        #expect(lostLog.faults(of: "AuthorizeSecurityGroupIngress") == ["lost-response"], "\(lostLog)")
        #expect(Self.noHiddenResend(lostLog), "\(lostLog)")
    }

    // MARK: create-security-groups

    /// A deployment through the proxy: config, scenario and the names of its stack.
    struct Deploy {
        var tool: ToolRunner
        var stack: String
        var cloudFormation: CloudFormationClient
    }

    static func prepareDeploy(_ moto: MotoServer) async throws -> Deploy {
        let region = "eu-west-1"
        let session = Self.session(moto, region: region)
        let vpc = try await session.ec2().createVpc(cidrBlock: "10.214.0.0/16")
        let id = "f" + SecureRandom.hex(3)
        let tool = try ToolRunner()
        try tool.write(DeploymentLifecycleTests.scenario, to: "scenarios/lifecycle.yaml")
        try tool.write("""
            company_prefix: sgtest
            environment: dev
            deployment_id: \(id)
            region: \(region)
            vpc_id: \(vpc.vpcID)
            vpc_cidr: \(vpc.cidrBlock)
            scenario: lifecycle
            tags:
              owner: sg-provisioner-tests

            """, to: "configs/wire.yaml")
        return Deploy(tool: tool, stack: "sgtest-dev-\(id)-\(region)-sg-stack", cloudFormation: try session.cloudFormation())
    }

    @Test func aDeployThroughTransientFaultsCompletesWithOneCreateStackToken() async throws {
        let moto = try await MotoServer.shared()
        let deploy = try await Self.prepareDeploy(moto)
        defer { deploy.tool.cleanUp() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [
            .init("CreateStack", .http503, times: 1),
            .init("DescribeStacks", .throttle, times: 2, after: "CreateStack"),
            .init("DescribeStackEvents", .http500, times: 1, after: "CreateStack"),
            .init("DescribeStackEvents", .reset, times: 1, after: "CreateStack"),
        ])
        defer { proxy.stop() }

        let create = try deploy.tool.run(["-con", "wire", "-act", "create-security-groups", "--no-color"], environment: Self.environment(proxy))
        #expect(create.exitCode == 0, "\(create.stdout)\n\(create.stderr)")
        #expect(create.stdout.contains("\(deploy.stack) created; OK"), "\(create.stdout)")
        #expect(DeploymentLifecycleTests.problems(create.stderr).isEmpty, "no error, no verification difference: \(create.stderr)")

        let log = try await proxy.log()
        let creates = log.filter { $0.action == "CreateStack" }
        #expect(creates.map(\.fault) == ["http503", "pass"])
        // The retry carries the token of the first attempt, so CloudFormation would run it once.
        #expect(creates.first?.clientToken != nil)
        #expect(Set(creates.map(\.clientToken)).count == 1, "\(creates)")
        let watching = log.after("CreateStack")
        #expect(watching.faults(of: "DescribeStacks").prefix(3) == ["throttle", "throttle", "pass"])
        #expect(watching.faults(of: "DescribeStackEvents").prefix(3) == ["http500", "reset", "pass"])
        #expect(Self.noHiddenResend(log), "\(log)")
        let stacks = try await deploy.cloudFormation.describeStacks().filter { $0.stackName == deploy.stack }
        #expect(stacks.count == 1, "one stack, not a duplicate: \(stacks.map(\.stackID))")
        #expect(Self.noSecret(create))
    }

    /// Each mutating stack call reaches CloudFormation and only its answer is lost (HTTP 500 after
    /// the upstream acted): the retry meets AlreadyExists, "No updates", or a stack already deleted.
    /// The events carry the run's token (the local AWS records it, as AWS documents), so the tool
    /// knows the operation is its own: it watches it and reports success, with the first failure
    /// said first instead of lost.
    @Test func callsWhoseAnswerIsLostAfterTheyTookEffectAreRecognisedByTheirToken() async throws {
        let moto = try await MotoServer.shared()
        let deploy = try await Self.prepareDeploy(moto)
        defer { deploy.tool.cleanUp() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [.init("CreateStack", .forwardThen500, times: 1)])
        defer { proxy.stop() }
        func run(_ arguments: [String]) throws -> ToolRunner.Outcome {
            try deploy.tool.run(["-con", "wire", "--no-color"] + arguments, environment: Self.environment(proxy))
        }

        let create = try run(["-act", "create-security-groups"])
        #expect(create.exitCode == 0, "\(create.stdout)\n\(create.stderr)")
        #expect(create.stdout.contains("stack \(deploy.stack): CreateStack attempt 1: InternalFailure (HTTP 500): An internal error has occurred"
            + " [request id fault-proxy-"), "\(create.stdout)")
        #expect(create.stdout.contains("; attempt 2: AlreadyExistsException (HTTP 400): Stack \(deploy.stack) already exists"))
        #expect(create.stdout.contains("the stack's events carry this run's request token: an earlier attempt reached CloudFormation, watching its operation"))
        #expect(create.stdout.contains("\(deploy.stack) created; OK"))
        #expect(DeploymentLifecycleTests.problems(create.stderr).isEmpty, "\(create.stderr)")
        let creates = try await proxy.log().filter { $0.action == "CreateStack" }
        #expect(creates.map(\.fault) == ["forward-then-500", "pass"])
        #expect(Set(creates.map(\.clientToken)).count == 1, "one token for both attempts: \(creates)")
        let stacks = try await deploy.cloudFormation.describeStacks().filter { $0.stackName == deploy.stack }
        #expect(stacks.count == 1)

        try deploy.tool.write(DeploymentLifecycleTests.scenario.replacingOccurrences(
            of: "description: From web tier }", with: "description: From the web tier }"), to: "scenarios/lifecycle.yaml")
        try await proxy.setRules([.init("UpdateStack", .forwardThen500, times: 1)])
        let update = try run(["-act", "create-security-groups", "--force"])
        #expect(update.exitCode == 0, "\(update.stdout)\n\(update.stderr)")
        #expect(update.stdout.contains("stack \(deploy.stack): UpdateStack attempt 1: InternalFailure (HTTP 500)"), "\(update.stdout)")
        #expect(update.stdout.contains("; attempt 2: ValidationError (HTTP 400): No updates are to be performed."))
        #expect(update.stdout.contains("\(deploy.stack) updated; OK"), "the update is this run's, not 'unchanged': \(update.stdout)")
        #expect(!update.stdout.contains("no updates are to be performed\n"))
        #expect(DeploymentLifecycleTests.problems(update.stderr).isEmpty, "\(update.stderr)")

        try await proxy.setRules([.init("DeleteStack", .forwardThen500, times: 1)])
        let delete = try run(["-act", "delete-security-groups", "--force"])
        #expect(delete.exitCode == 0, "\(delete.stdout)\n\(delete.stderr)")
        #expect(delete.stdout.contains("deleted \(deploy.stack)"))
        let deletes = try await proxy.log().filter { $0.action == "DeleteStack" }
        #expect(deletes.map(\.fault) == ["forward-then-500", "pass"], "DeleteStack of a deleted stack succeeds: nothing to find out")
        #expect(Self.noSecret(create) && Self.noSecret(update) && Self.noSecret(delete))
    }

    @Test func persistentFaultsWhileWaitingSayWhereTheStackStands() async throws {
        let moto = try await MotoServer.shared()
        let deploy = try await Self.prepareDeploy(moto)
        defer { deploy.tool.cleanUp() }
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [
            .init("DescribeStacks", .http503, times: -1, after: "CreateStack"),
            .init("DescribeStackEvents", .http503, times: -1, after: "CreateStack"),
        ])
        defer { proxy.stop() }

        let create = try deploy.tool.run(["-con", "wire", "-act", "create-security-groups", "--no-color"], environment: Self.environment(proxy))
        #expect(create.exitCode == 1, "\(create.stdout)\n\(create.stderr)")
        #expect(!create.stdout.contains("created; OK"), "\(create.stdout)")
        #expect(create.stdout.contains("create-security-groups: \(deploy.stack.dropLast("-sg-stack".count)): FAILED at stack \(deploy.stack)"),
                "\(create.stdout)")
        #expect(create.stderr.contains(
            "error: watching stack \(deploy.stack): DescribeStacks failed after \(Self.attempts) attempts: ServiceUnavailable (HTTP 503)"),
            "\(create.stderr)")
        #expect(create.stderr.contains(
            "error: stopped watching stack \(deploy.stack), not the stack: its last known status is CREATE_IN_PROGRESS;"
                + " the operation continues in AWS; resume watching with `aws cloudformation wait stack-create-complete --stack-name \(deploy.stack)`"),
            "\(create.stderr)")
        #expect(create.stderr.contains("[E514]"))
        let watching = try await proxy.log().after("CreateStack")
        #expect(watching.faults(of: "DescribeStacks") == Array(repeating: "http503", count: Self.attempts), "\(watching)")
        // The stack is there: only watching it failed.
        #expect(try await deploy.cloudFormation.describeStack(deploy.stack) != nil)
        #expect(Self.noSecret(create))
    }

    @Test func ctrlCWhileWaitingStopsWatchingNotTheStack() async throws {
        let moto = try await MotoServer.shared()
        let deploy = try await Self.prepareDeploy(moto)
        defer { deploy.tool.cleanUp() }
        // The first poll after CreateStack hangs far longer than the test waits.
        let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [
            .init("DescribeStacks", .slow, times: 1, after: "CreateStack", delay: 60),
        ])
        defer { proxy.stop() }

        let running = try RunningTool.start(deploy.tool, ["-con", "wire", "-act", "create-security-groups", "--no-color"],
                                            environment: Self.environment(proxy))
        // Ctrl-C only once the tool is inside the delayed poll (its handler is installed by then).
        var polling = false
        for _ in 0..<200 where !polling {
            polling = try await proxy.log().contains { $0.action == "DescribeStacks" && $0.fault == "slow" }
            if !polling { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(polling, "the tool never reached the stack poll")
        running.interrupt()
        let outcome = try await running.finish(timeout: 20)
        let slowPoll = try await proxy.log().first { $0.fault == "slow" }
        #expect(slowPoll?.status == nil, "the tool left without waiting for the delayed answer")
        #expect(outcome.exitCode == 1, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stderr.contains(
            "error: interrupted: Ctrl-C stops watching, not the stack: the last known status of stack \(deploy.stack) is CREATE_IN_PROGRESS;"
                + " the operation continues in AWS; resume watching with `aws cloudformation wait stack-create-complete --stack-name \(deploy.stack)`"),
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains("[E514]"))
        #expect(!outcome.stdout.contains("created; OK"))
        #expect(try await deploy.cloudFormation.describeStack(deploy.stack) != nil, "Ctrl-C leaves the stack alone")
        #expect(!outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
    }
}

/// The built binary started in the background, so a test can signal it while it runs.
struct RunningTool {
    let process: Process
    let stdout: Pipe
    let stderr: Pipe

    static func start(_ tool: ToolRunner, _ arguments: [String], environment extra: [String: String]) throws -> RunningTool {
        let process = Process()
        process.executableURL = ToolRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = tool.directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningTool(process: process, stdout: out, stderr: err)
    }

    /// What an operator's Ctrl-C sends.
    func interrupt() {
        kill(process.processIdentifier, SIGINT)
    }

    /// Waits for the exit (polling: `waitUntilExit()` can hang on Linux from a concurrency thread),
    /// then reads both pipes; the tool's output here is far below a pipe's buffer.
    func finish(timeout: TimeInterval) async throws -> ToolRunner.Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        if process.isRunning {
            process.terminate()
            Issue.record("the tool did not exit within \(timeout) s of Ctrl-C")
        }
        while process.isRunning { try await Task.sleep(nanoseconds: 50_000_000) }
        return ToolRunner.Outcome(
            exitCode: process.terminationStatus,
            stdout: String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            stderr: String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
