import Foundation
import SGAWSServices
import SGCloudFormation
import SGDeploy
import SGModel

/// How one account and region came out of a StackSet operation.
public struct StackSetInstanceOutcome: Sendable, Equatable {
    /// How it ended.
    public enum Status: String, Sendable {
        /// The operation succeeded in this account and region.
        case succeeded = "SUCCEEDED"
        /// It failed here; `reason` says why (the instance stack's error or the account gate's).
        case failed = "FAILED"
        /// CloudFormation cancelled it here (failure tolerance exceeded elsewhere, or stopped).
        case cancelled = "CANCELLED"
        /// The tool did not start it: the failure tolerance was already exceeded.
        case notAttempted = "NOT ATTEMPTED"
        /// Waiting stopped (time limit or Ctrl-C) before AWS finished; it may still finish.
        case unknown = "STILL RUNNING"
    }

    /// `account/region`.
    public var label: String
    /// What the operation did (`create`, `update`, `update-overrides`, `delete`, ...).
    public var operation: String
    /// How it ended.
    public var status: Status
    /// AWS's reason, or the tool's for a result it made itself.
    public var reason: String?

    /// Creates an outcome.
    public init(label: String, operation: String, status: Status, reason: String? = nil) {
        self.label = label
        self.operation = operation
        self.status = status
        self.reason = reason
    }

    /// True when nothing went wrong for this instance.
    public var succeeded: Bool { status == .succeeded }
}

/// How waiting for a StackSet operation ended.
public enum StackSetWaitOutcome: Sendable, Equatable {
    /// AWS finished it (`SUCCEEDED`, `FAILED`, `STOPPED`); the results are per account and region.
    case finished(StackSetOperation, [StackSetOperationResult])
    /// The time limit passed while it was still running; it goes on in AWS.
    case timedOut(StackSetOperation?)
    /// The operator pressed Ctrl-C; it goes on in AWS.
    case interrupted(StackSetOperation?)
}

/// Drives CloudFormation StackSets for one deployment: creates or updates the StackSet, starts
/// instance operations, and waits for each with the operation preferences the operator gave. It
/// never imitates what StackSets does (spreading over accounts, stopping at the failure
/// tolerance, rolling back an instance): it asks for it and reports what AWS says, per instance.
public struct StackSetDeployer: Sendable {
    let cloudFormation: CloudFormationClient
    let log: DeployLog
    /// The clock, for the time limit.
    let now: @Sendable () -> Date
    /// Suspends between polls (in short slices so Ctrl-C is noticed quickly).
    let sleep: @Sendable (Double) async throws -> Void
    let interrupt: InterruptFlag
    /// How long one operation may take before the tool stops waiting.
    let timeout: TimeInterval
    /// Seconds between polls of an operation.
    var pollInterval: Double

    /// Creates a deployer.
    public init(cloudFormation: CloudFormationClient, log: DeployLog, now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Double) async throws -> Void, interrupt: InterruptFlag, timeout: TimeInterval,
                pollInterval: Double = 5) {
        self.cloudFormation = cloudFormation
        self.log = log
        self.now = now
        self.sleep = sleep
        self.interrupt = interrupt
        self.timeout = timeout
        self.pollInterval = pollInterval
    }

    /// Creates the StackSet (self-managed, managed execution on so that instance operations for
    /// different targets run at once and conflicting ones queue).
    public func createStackSet(name: String, description: String, body: String, executionRole: String?) async throws {
        let id = try await cloudFormation.createStackSet(CreateStackSetRequest(
            name: name, description: description, templateBody: body, parameters: StackSetPlan.stackSetParameters,
            executionRoleName: executionRole, managedExecution: true))
        log.record("CreateStackSet \(name): \(id)")
        log.say("StackSet \(name): created (\(id))\n")
    }

    /// UpdateStackSet with the template: one operation over every instance, spread by `preferences`.
    /// Returns per-instance outcomes (operation `update`).
    public func updateTemplate(name: String, body: String, executionRole: String?, preferences: StackSetOperationPreferences,
                               instances: [StackInstanceSummary]) async throws -> [StackSetInstanceOutcome] {
        let operation = try await cloudFormation.updateStackSet(
            name: name, templateBody: body, parameters: StackSetPlan.stackSetParameters, executionRoleName: executionRole,
            preferences: preferences)
        log.record("UpdateStackSet \(name): operation \(operation) (\(describe(preferences)))")
        log.say("StackSet \(name): updating the template on \(instances.count) instance(s), operation \(operation)\n")
        return outcomes(of: try await wait(name: name, operationID: operation), expected: instances.map(\.label), operation: "update")
    }

    /// One target's instance operation (create, set overrides, bring current), waited for.
    public func instanceOperation(name: String, target: DeploymentTarget, change: StackSetPlan.InstanceChange,
                                  preferences: StackSetOperationPreferences) async throws -> [StackSetInstanceOutcome] {
        var preferences = preferences
        preferences.regionOrder = [target.region]
        let overrides = StackSetPlan.overrides(for: target)
        let operation: String
        switch change {
        case .create:
            operation = try await cloudFormation.createStackInstances(
                stackSetName: name, accounts: [target.account], regions: [target.region], overrides: overrides, preferences: preferences)
        case .updateOverrides, .bringCurrent:
            operation = try await cloudFormation.updateStackInstances(
                stackSetName: name, accounts: [target.account], regions: [target.region], overrides: overrides, preferences: preferences)
        case .none:
            return [StackSetInstanceOutcome(label: target.label, operation: "none", status: .succeeded, reason: "unchanged")]
        }
        log.record("\(change == .create ? "CreateStackInstances" : "UpdateStackInstances") \(name) \(target.label): operation \(operation) (\(describe(preferences)))")
        return outcomes(of: try await wait(name: name, operationID: operation), expected: [target.label], operation: change.rawValue)
    }

    /// DeleteStackInstances for every instance, grouped so that one operation covers every region
    /// with the same accounts (one operation for a full accounts x regions grid), stacks not
    /// retained. Operations run one after another; an operation that fails leaves the next ones
    /// unstarted (their instances `notAttempted`).
    public func deleteInstances(name: String, instances: [StackInstanceSummary], preferences: StackSetOperationPreferences) async
        -> (outcomes: [StackSetInstanceOutcome], errors: [any Error])
    {
        var outcomes: [StackSetInstanceOutcome] = []
        var errors: [any Error] = []
        var stopped = false
        for group in Self.deletionGroups(instances) {
            let labels = group.regions.flatMap { region in group.accounts.map { "\($0)/\(region)" } }
            if stopped {
                outcomes += labels.map { StackSetInstanceOutcome(label: $0, operation: "delete", status: .notAttempted, reason: "an earlier delete operation failed") }
                continue
            }
            var groupPreferences = preferences
            groupPreferences.regionOrder = group.regions
            do {
                let operation = try await cloudFormation.deleteStackInstances(
                    stackSetName: name, accounts: group.accounts, regions: group.regions, preferences: groupPreferences)
                log.record("DeleteStackInstances \(name) accounts=\(group.accounts.joined(separator: ",")) regions=\(group.regions.joined(separator: ",")): operation \(operation) (\(describe(groupPreferences)))")
                log.say("StackSet \(name): deleting \(labels.count) instance(s), operation \(operation)\n")
                let found = self.outcomes(of: try await wait(name: name, operationID: operation), expected: labels, operation: "delete")
                outcomes += found
                if found.contains(where: { !$0.succeeded }) { stopped = true }
            } catch {
                errors.append(error)
                outcomes += labels.map { StackSetInstanceOutcome(label: $0, operation: "delete", status: .failed, reason: "\(error)") }
                stopped = true
            }
        }
        return (outcomes, errors)
    }

    /// Instances grouped for deletion: regions that hold instances in the same accounts share one
    /// operation. In first-seen region order; accounts sorted.
    static func deletionGroups(_ instances: [StackInstanceSummary]) -> [(accounts: [String], regions: [String])] {
        var regionOrder: [String] = []
        var accountsByRegion: [String: Set<String>] = [:]
        for instance in instances {
            if accountsByRegion[instance.region] == nil { regionOrder.append(instance.region) }
            accountsByRegion[instance.region, default: []].insert(instance.account)
        }
        var groups: [(accounts: [String], regions: [String])] = []
        for region in regionOrder {
            let accounts = accountsByRegion[region, default: []].sorted()
            if let index = groups.firstIndex(where: { $0.accounts == accounts }) {
                groups[index].regions.append(region)
            } else {
                groups.append((accounts, [region]))
            }
        }
        return groups
    }

    /// Polls an operation until AWS finishes it, the time limit passes, or Ctrl-C; then reads its
    /// results per account and region.
    public func wait(name: String, operationID: String) async throws -> StackSetWaitOutcome {
        let deadline = now().addingTimeInterval(timeout)
        var last: StackSetOperation?
        while true {
            let operation = try await cloudFormation.describeStackSetOperation(stackSetName: name, operationID: operationID)
            last = operation
            if operation.isFinished {
                let results = try await cloudFormation.listStackSetOperationResults(stackSetName: name, operationID: operationID)
                log.record("operation \(operationID) \(operation.action) \(operation.status)" + (operation.statusReason.map { ": \($0)" } ?? ""))
                return .finished(operation, results)
            }
            if interrupt.isRaised { return .interrupted(last) }
            if now() >= deadline { return .timedOut(last) }
            var slept = 0.0
            while slept < pollInterval {
                if interrupt.isRaised { return .interrupted(last) }
                let slice = min(0.25, pollInterval - slept)
                try await sleep(slice)
                slept += slice
            }
        }
    }

    /// Per-instance outcomes of a wait: AWS's results for the instances it reports, and for an
    /// expected instance it does not report, the operation's own status.
    func outcomes(of wait: StackSetWaitOutcome, expected: [String], operation: String) -> [StackSetInstanceOutcome] {
        switch wait {
        case .finished(let summary, let results):
            var byLabel = Dictionary(results.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
            var outcomes: [StackSetInstanceOutcome] = []
            for label in expected + results.map(\.label).filter({ !expected.contains($0) }) {
                guard let result = byLabel.removeValue(forKey: label) else {
                    if !expected.contains(label) { continue }
                    let status: StackSetInstanceOutcome.Status = summary.status == "SUCCEEDED" ? .succeeded : .failed
                    outcomes.append(StackSetInstanceOutcome(
                        label: label, operation: operation, status: status,
                        reason: status == .succeeded ? nil : "operation \(summary.status)" + (summary.statusReason.map { ": \($0)" } ?? "")))
                    continue
                }
                let status: StackSetInstanceOutcome.Status
                switch result.status {
                case "SUCCEEDED": status = .succeeded
                case "CANCELLED": status = .cancelled
                case "PENDING", "RUNNING": status = .unknown
                default: status = .failed
                }
                outcomes.append(StackSetInstanceOutcome(label: label, operation: operation, status: status, reason: result.statusReason))
            }
            return outcomes
        case .timedOut(let operation), .interrupted(let operation):
            let why: String
            if case .timedOut = wait { why = "the time limit passed" } else { why = "Ctrl-C" }
            return expected.map {
                StackSetInstanceOutcome(
                    label: $0, operation: operation?.action.lowercased() ?? "operation", status: .unknown,
                    reason: "stopped waiting (\(why)); operation \(operation?.operationID ?? "?") is \(operation?.status ?? "unknown") and goes on in AWS")
            }
        }
    }

    private func describe(_ preferences: StackSetOperationPreferences) -> String {
        "max concurrent \(preferences.maxConcurrentCount), failure tolerance \(preferences.failureToleranceCount), \(preferences.concurrencyMode.rawValue)"
    }
}
