import Foundation
import Synchronization
import SGAWS
import SGAWSServices
import SGCloudFormation
import SGDiagnostics
import SGModel
import Testing

@testable import SGDeploy
@testable import SGStackSets

/// The StackSet paths moto cannot show (updates reaching instances, failures with reasons,
/// failure tolerance, operations that take time), against `StackSetStub`.
@Suite struct StackSetDeployerTests {
    static let name = "acme-dev-d01-sg-stackset"

    static func system() -> AWSSystem {
        let clockBox = ClockBox()
        return AWSSystem(
            environment: [:], readFile: { _ in nil }, homeDirectory: nil, now: { clockBox.now() },
            sleep: { seconds in clockBox.advance(seconds) }, randomFraction: { 0 },
            makeClientToken: { "token-" + UUID().uuidString.lowercased() })
    }

    static func client(_ stub: StackSetStub, system: AWSSystem = system()) -> CloudFormationClient {
        CloudFormationClient(query: AWSQueryClient(
            service: .cloudFormation, region: "eu-west-1", endpoint: URL(string: "http://stub.invalid")!,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDSTUB", secretAccessKey: "stub")),
            transport: stub, system: system, retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: 0.01)))
    }

    final class Lines: Sendable {
        let said = Mutex<[String]>([]), recorded = Mutex<[String]>([]), reported = Mutex<[Diagnostic]>([])
        var log: DeployLog {
            DeployLog(say: { text in self.said.withLock { $0.append(text) } }, record: { line in self.recorded.withLock { $0.append(line) } },
                      report: { diagnostic in self.reported.withLock { $0.append(diagnostic) } })
        }
    }

    static func deployer(_ stub: StackSetStub, system: AWSSystem = system(), timeout: TimeInterval = 600, lines: Lines = Lines(),
                         interrupt: InterruptFlag = InterruptFlag()) -> StackSetDeployer {
        StackSetDeployer(
            cloudFormation: client(stub, system: system), log: lines.log, now: system.now, sleep: system.sleep, interrupt: interrupt,
            timeout: timeout, pollInterval: 5)
    }

    static func target(_ account: String, _ region: String, _ vpc: String = "vpc-0a1b2c3d", _ cidr: String = "10.1.0.0/16") -> DeploymentTarget {
        DeploymentTarget(account: account, region: region, vpcID: vpc, vpcCIDR: try! CIDRBlock.parse(cidr).get(), location: .file("configs/t.yaml"))
    }

    static let grid = [
        target("111122223333", "us-east-1", "vpc-00000001"), target("444455556666", "us-east-1", "vpc-00000002"),
        target("111122223333", "eu-west-1", "vpc-00000003"), target("444455556666", "eu-west-1", "vpc-00000004"),
    ]

    /// A stub with the StackSet created and an instance per target.
    static func deployed(_ stub: StackSetStub, body: String = "v1", targets: [DeploymentTarget] = grid) async throws {
        let deployer = deployer(stub)
        try await deployer.createStackSet(name: name, description: "d", body: body, executionRole: nil)
        for target in targets {
            _ = try await deployer.instanceOperation(name: name, target: target, change: .create, preferences: StackSetOperationPreferences())
        }
    }

    @Test func createsTheStackSetAndEachInstanceWithItsOwnOverrides() async throws {
        let stub = StackSetStub()
        try await Self.deployed(stub)
        let create = try #require(stub.requests("CreateStackSet").first)
        #expect(create["PermissionModel"] == "SELF_MANAGED" && create["ManagedExecution.Active"] == "true")
        #expect(create["Parameters.member.1.ParameterKey"] == "VpcId" && create["Parameters.member.1.ParameterValue"] == "")
        let instances = stub.requests("CreateStackInstances")
        #expect(instances.count == 4)
        #expect(instances.map { $0["ParameterOverrides.member.1.ParameterValue"] } == ["vpc-00000001", "vpc-00000002", "vpc-00000003", "vpc-00000004"])
        #expect(instances.allSatisfy { $0["Accounts.member.2"] == nil && $0["Regions.member.2"] == nil })
        #expect(stub.instances.map { $0.overrides["VpcCidr"] } == Array(repeating: "10.1.0.0/16", count: 4))
    }

    @Test func aTemplateUpdateReachesEveryInstanceInOneOperationWithThePreferences() async throws {
        let stub = StackSetStub()
        try await Self.deployed(stub)
        let preferences = StackSetOperationPreferences(maxConcurrentCount: 5, failureToleranceCount: 1, regionOrder: ["eu-west-1", "us-east-1"])
        let listed = try await Self.client(stub).listStackInstances(stackSetName: Self.name)
        let outcomes = try await Self.deployer(stub).updateTemplate(name: Self.name, body: "v2", executionRole: "exec", preferences: preferences, instances: listed)
        #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.succeeded })
        #expect(stub.instances.allSatisfy { $0.template == "v2" })
        let update = try #require(stub.requests("UpdateStackSet").first)
        #expect(update["OperationPreferences.MaxConcurrentCount"] == "5")
        #expect(update["OperationPreferences.FailureToleranceCount"] == "1")
        // 5 at once with 1 failure tolerated needs soft mode: strict allows at most tolerance + 1.
        #expect(update["OperationPreferences.ConcurrencyMode"] == "SOFT_FAILURE_TOLERANCE")
        #expect(update["OperationPreferences.RegionOrder.member.1"] == "eu-west-1")
        #expect(update["ExecutionRoleName"] == "exec")
        #expect(update["Accounts.member.1"] == nil, "no Accounts: the update reaches every instance")
    }

    @Test func strictModeWhenConcurrencyIsWithinTheTolerance() {
        #expect(StackSetOperationPreferences(maxConcurrentCount: 2, failureToleranceCount: 1).concurrencyMode == .strict)
        #expect(StackSetOperationPreferences().concurrencyMode == .strict)
        #expect(StackSetOperationPreferences(maxConcurrentCount: 3, failureToleranceCount: 1).concurrencyMode == .soft)
    }

    @Test func aFailedInstanceCarriesItsReasonAndTheToleranceCancelsTheRest() async throws {
        let stub = StackSetStub()
        try await Self.deployed(stub)
        stub.state.withLock { $0.failing = ["111122223333/us-east-1": "Resource handler returned message: \"The security group 'acme-dev-d01-web' already exists for VPC 'vpc-00000001'\""] }
        let listed = try await Self.client(stub).listStackInstances(stackSetName: Self.name)
        let outcomes = try await Self.deployer(stub).updateTemplate(
            name: Self.name, body: "v2", executionRole: nil, preferences: StackSetOperationPreferences(regionOrder: ["us-east-1", "eu-west-1"]),
            instances: listed)
        let byLabel = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.label, $0) })
        #expect(byLabel["111122223333/us-east-1"]?.status == .failed)
        #expect(byLabel["111122223333/us-east-1"]?.reason?.contains("already exists for VPC 'vpc-00000001'") == true)
        // Tolerance 0: the next account in the region and every later region are cancelled.
        #expect(byLabel["444455556666/us-east-1"]?.status == .cancelled)
        #expect(byLabel["111122223333/eu-west-1"]?.status == .cancelled)
        #expect(byLabel["444455556666/eu-west-1"]?.reason == "Cancelled since failure tolerance has exceeded")
        // The next plan brings the failed instance current.
        let state = try await StackSetState.read(name: Self.name, targets: Self.grid, cloudFormation: Self.client(stub))
        #expect(state.instances.first { $0.label == "111122223333/us-east-1" }?.status == "OUTDATED")
    }

    @Test func waitingPollsUntilTheOperationFinishes() async throws {
        let stub = StackSetStub(runningPolls: 3)
        let lines = Lines()
        try await Self.deployer(stub, lines: lines).createStackSet(name: Self.name, description: "d", body: "v1", executionRole: nil)
        let outcomes = try await Self.deployer(stub, lines: lines).instanceOperation(
            name: Self.name, target: Self.grid[0], change: .create, preferences: StackSetOperationPreferences())
        #expect(outcomes.map(\.status) == [.succeeded])
        #expect(stub.requests("DescribeStackSetOperation").count == 4)
        #expect(lines.recorded.withLock { $0 }.contains { $0.hasPrefix("operation token-") && $0.hasSuffix("CREATE SUCCEEDED") })
    }

    @Test func theTimeLimitStopsWaitingAndSaysTheOperationGoesOn() async throws {
        let stub = StackSetStub(runningPolls: 1000)
        try await Self.deployer(stub).createStackSet(name: Self.name, description: "d", body: "v1", executionRole: nil)
        let outcomes = try await Self.deployer(stub, timeout: 60).instanceOperation(
            name: Self.name, target: Self.grid[0], change: .create, preferences: StackSetOperationPreferences())
        let outcome = try #require(outcomes.first)
        #expect(outcome.status == .unknown)
        #expect(outcome.reason?.hasPrefix("stopped waiting (the time limit passed); operation ") == true)
        #expect(outcome.reason?.hasSuffix(" is RUNNING and goes on in AWS") == true)
        // Polls every 5 seconds for 60 seconds: 13 polls, not one more.
        #expect(stub.requests("DescribeStackSetOperation").count == 13)
    }

    @Test func ctrlCStopsWaiting() async throws {
        let stub = StackSetStub(runningPolls: 1000)
        try await Self.deployer(stub).createStackSet(name: Self.name, description: "d", body: "v1", executionRole: nil)
        let interrupt = InterruptFlag()
        interrupt.raise()
        let outcomes = try await Self.deployer(stub, interrupt: interrupt).instanceOperation(
            name: Self.name, target: Self.grid[0], change: .create, preferences: StackSetOperationPreferences())
        #expect(outcomes.first?.reason?.hasPrefix("stopped waiting (Ctrl-C)") == true)
    }

    @Test func aThrottledStartIsRetriedWithTheSameOperationId() async throws {
        let stub = StackSetStub(httpFailures: ["CreateStackInstances": 2])
        try await Self.deployer(stub).createStackSet(name: Self.name, description: "d", body: "v1", executionRole: nil)
        let outcomes = try await Self.deployer(stub).instanceOperation(
            name: Self.name, target: Self.grid[0], change: .create, preferences: StackSetOperationPreferences())
        #expect(outcomes.map(\.status) == [.succeeded])
        let attempts = stub.requests("CreateStackInstances")
        #expect(attempts.count == 3)
        #expect(Set(attempts.map { $0["OperationId"] ?? "" }).count == 1, "every attempt carries the one OperationId")
    }

    @Test func deletionGroupsRegionsWithTheSameAccounts() {
        func instance(_ account: String, _ region: String) -> StackInstanceSummary { StackInstanceSummary(account: account, region: region, status: "CURRENT") }
        let full = Self.grid.map { instance($0.account, $0.region) }
        let groups = StackSetDeployer.deletionGroups(full)
        #expect(groups.count == 1)
        #expect(groups[0].accounts == ["111122223333", "444455556666"] && groups[0].regions == ["us-east-1", "eu-west-1"])
        let ragged = StackSetDeployer.deletionGroups(full + [instance("777788889999", "ap-south-1")])
        #expect(ragged.map(\.regions) == [["us-east-1", "eu-west-1"], ["ap-south-1"]])
    }

    @Test func deletingRemovesEveryInstanceAndStopsAfterAFailure() async throws {
        let stub = StackSetStub()
        try await Self.deployed(stub, targets: Self.grid + [Self.target("777788889999", "ap-south-1", "vpc-00000009")])
        stub.state.withLock { $0.failing = ["111122223333/us-east-1": "DELETE_FAILED: resource sg-1 has a dependent object"] }
        let listed = try await Self.client(stub).listStackInstances(stackSetName: Self.name)
        let (outcomes, errors) = await Self.deployer(stub).deleteInstances(name: Self.name, instances: listed, preferences: StackSetOperationPreferences())
        #expect(errors.isEmpty)
        #expect(stub.requests("DeleteStackInstances").count == 1, "the second group is not started after the first failed")
        #expect(stub.requests("DeleteStackInstances").first?["RetainStacks"] == "false")
        #expect(outcomes.first { $0.label == "111122223333/us-east-1" }?.reason == "DELETE_FAILED: resource sg-1 has a dependent object")
        #expect(outcomes.first { $0.label == "777788889999/ap-south-1" }?.status == .notAttempted)

        stub.state.withLock { $0.failing = [:] }
        let rest = try await Self.client(stub).listStackInstances(stackSetName: Self.name)
        let (done, _) = await Self.deployer(stub).deleteInstances(name: Self.name, instances: rest, preferences: StackSetOperationPreferences())
        #expect(done.allSatisfy { $0.succeeded })
        try await Self.client(stub).deleteStackSet(Self.name)
        #expect(try await Self.client(stub).describeStackSet(Self.name) == nil)
    }

    @Test func aMissingStackSetIsNil() async throws {
        #expect(try await Self.client(StackSetStub()).describeStackSet("none") == nil)
    }
}

/// The injected clock: sleeping advances it.
final class ClockBox: Sendable {
    let seconds = Mutex(0.0)
    func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000 + seconds.withLock { $0 }) }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}
