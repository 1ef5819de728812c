import Foundation
import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGReports

/// Creates, updates and deletes the stacks of one deployment and waits for each, printing
/// progress. Every failure becomes a diagnostic in the log; each method answers whether the
/// step succeeded so the action can stop at the first failed stack.
public struct StackDeployer: Sendable {
    let log: DeployLog
    let cloudFormation: CloudFormationClient
    let watcher: StackWatcher
    /// `--timeout`: how long one wait may take.
    let timeoutMinutes: Double

    /// The result of one stack operation.
    public enum Outcome: Equatable, Sendable {
        /// Done as asked (or, for an update CloudFormation had nothing to do for, unchanged);
        /// `imported`: existing resources taken into the stack by an IMPORT change set.
        case created, updated, unchanged, deleted, imported
        /// Failed; diagnostics are reported already.
        case failed
        /// Ctrl-C or the time limit: the stack keeps changing in AWS.
        case stoppedWatching
    }

    /// The time limit of one wait.
    /// `30`, `0.5`: minutes as the user wrote them, without a trailing `.0`.
    static func minutes(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    var timeout: TimeInterval { timeoutMinutes * 60 }

    /// A deployer over CloudFormation; stack events are printed through `log.say` as they come.
    public init(
        cloudFormation: CloudFormationClient, interrupt: InterruptFlag, timeoutMinutes: Double, now: @escaping @Sendable () -> Date,
        log: DeployLog, pollInterval: Double = 5
    ) {
        self.log = log
        self.cloudFormation = cloudFormation
        self.timeoutMinutes = timeoutMinutes
        var watcher = StackWatcher(
            source: CloudFormationProgress(cloudFormation: cloudFormation),
            print: log.say,
            now: now,
            sleep: { seconds in try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000)) },
            interrupt: interrupt)
        watcher.pollInterval = pollInterval
        self.watcher = watcher
    }

    /// Creates the stack, or updates it when `existing` is given. "No updates are to be
    /// performed" is success without changes.
    ///
    /// Each call carries a ClientRequestToken of this run. A retried call that meets
    /// AlreadyExists (create) or "No updates are to be performed" (update) may be meeting its own
    /// earlier attempt, which reached CloudFormation although its answer was a failure: the stack's
    /// events tell, since every event an operation causes carries its token. Ours: the operation
    /// is this run's and is watched to its end. Not ours: the first failure is reported, with what
    /// the retries met after it.
    public func deploy(_ stack: StackTemplate, body: String, existing: StackDescription?) async -> Outcome {
        let token = cloudFormation.query.system.makeClientToken()
        if let existing {
            guard !existing.status.isInProgress else {
                log.report(.error(.stackBusy, "stack \(stack.stackName) is \(existing.status); wait for it to finish first", at: nil))
                return .failed
            }
            if ["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED"].contains(existing.status.rawValue) {
                log.report(.error(
                    .stackBusy,
                    "stack \(stack.stackName) is \(existing.status) and cannot be updated; delete it (-act delete-security-groups --force) and deploy again",
                    at: nil))
                return .failed
            }
            let seen: Set<String>
            do {
                seen = try await watcher.currentEventIDs(of: stack.stackName)
            } catch {
                log.report(error, doing: "updating stack \(stack.stackName)")
                return .failed
            }
            do {
                log.say("updating stack \(stack.stackName)\n")
                var request = UpdateStackRequest(stackName: stack.stackName, templateBody: body)
                request.clientRequestToken = token
                _ = try await cloudFormation.updateStack(request)
                log.record("UpdateStack \(stack.stackName) token \(token)")
            } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("No updates are to be performed") {
                if !error.earlierAttempts.isEmpty {
                    switch await eventsCarry(token, stack: stack.stackName, retried: error, call: "UpdateStack") {
                    case .ours:
                        return await finish(stack.stackName, seen: seen, expected: "UPDATE_COMPLETE", success: .updated)
                    case .notOurs:
                        break
                    case .unknown:
                        return .failed
                    }
                }
                log.say("stack \(stack.stackName): no updates are to be performed\n")
                log.record("UpdateStack \(stack.stackName): no changes")
                return .unchanged
            } catch {
                log.report(error, doing: "updating stack \(stack.stackName)")
                return .failed
            }
            return await finish(stack.stackName, seen: seen, expected: "UPDATE_COMPLETE", success: .updated)
        }
        do {
            log.say("creating stack \(stack.stackName)\n")
            var request = CreateStackRequest(stackName: stack.stackName, templateBody: body)
            request.onFailure = .rollback
            request.clientRequestToken = token
            let stackID = try await cloudFormation.createStack(request)
            log.record("CreateStack \(stack.stackName) id \(stackID) token \(token)")
        } catch let error as AWSError where error.code == "AlreadyExistsException" && !error.earlierAttempts.isEmpty {
            switch await eventsCarry(token, stack: stack.stackName, retried: error, call: "CreateStack") {
            case .ours: break
            case .notOurs, .unknown: return .failed
            }
        } catch {
            log.report(error, doing: "creating stack \(stack.stackName)")
            return .failed
        }
        return await finish(stack.stackName, seen: [], expected: "CREATE_COMPLETE", success: .created)
    }

    /// Deletes a stack (by id, so its final events stay readable) and waits for DELETE_COMPLETE.
    /// DeleteStack on a stack already being deleted succeeds, so a retried delete needs no check; a
    /// failed one reports its first failure first.
    public func delete(_ existing: StackDescription) async -> Outcome {
        let seen: Set<String>
        let token = cloudFormation.query.system.makeClientToken()
        do {
            seen = try await watcher.currentEventIDs(of: existing.stackID)
            log.say("deleting stack \(existing.stackName)\n")
            try await cloudFormation.deleteStack(stackName: existing.stackID, clientRequestToken: token)
            log.record("DeleteStack \(existing.stackName) token \(token)")
        } catch {
            log.report(error, doing: "deleting stack \(existing.stackName)")
            return .failed
        }
        let outcome = await finish(existing.stackID, seen: seen, expected: "DELETE_COMPLETE", success: .deleted, displayName: existing.stackName)
        return outcome
    }

    /// What the stack's events say about an operation whose retry met its possible consequence.
    enum TokenFinding: Equatable {
        /// An event carries this run's token: an earlier attempt reached CloudFormation.
        case ours
        /// No event does: another request did what the retry met (reported as an error).
        case notOurs
        /// The events could not be read (reported as an error).
        case unknown
    }

    /// Reads the events of `stack` for `token` after `retried` (AlreadyExists or "No updates") met
    /// a retry of `call` (CreateStack, UpdateStack), and says or reports the finding.
    func eventsCarry(_ token: String, stack: String, retried: AWSError, call: String) async -> TokenFinding {
        let doing = call == "CreateStack" ? "creating stack \(stack)" : "updating stack \(stack)"
        let history = "\(call) \(AWSRequestFailure.history(retried.attempts))"
        let events: [StackEvent]
        do {
            events = try await cloudFormation.describeStackEvents(stackName: stack)
        } catch {
            log.report(AWSFailure.diagnostic(retried, doing: doing))
            log.report(error, doing: "reading the events of stack \(stack) to find this run's request (token \(token))")
            return .unknown
        }
        let ours = events.filter { $0.clientRequestToken == token }
        guard ours.isEmpty else {
            log.say("stack \(stack): \(history); the stack's events carry this run's request token:"
                + " an earlier attempt reached CloudFormation, watching its operation\n")
            log.record("\(doing): \(history); \(ours.count) event(s) carry token \(token): this run's operation")
            return .ours
        }
        if call == "UpdateStack" {
            // Nothing of ours ran and nothing is left to do: the stack is as asked.
            log.record("\(doing): \(history); no event carries token \(token)")
            return .notOurs
        }
        let first = AWSFailure.diagnostic(retried, doing: doing)
        log.report(.error(
            first.code,
            first.message + "; no event of the stack carries this run's request token (\(token)):"
                + " another request created it, and this run deployed nothing",
            at: nil))
        return .notOurs
    }

    /// Waits for the operation on `stack` to reach `expected` (events in `seen` are not printed)
    /// and reports how it ended.
    func finish(
        _ stack: String, seen: Set<String>, expected: String, success: Outcome, displayName: String? = nil
    ) async -> Outcome {
        let name = displayName ?? stack
        // The operation's verb (CREATE, UPDATE, DELETE): the status its accepted call left the
        // stack in, and the AWS CLI waiter that picks up where this wait stops.
        let verb = String(expected.prefix { $0 != "_" })
        let resume = "the operation continues in AWS; resume watching with"
            + " `aws cloudformation wait stack-\(verb.lowercased())-complete --stack-name \(name)`"
            + " (events: `aws cloudformation describe-stack-events --stack-name \(name)`)"
            + " and run -act show-changes when it has finished"
        let outcome: StackWaitOutcome
        do {
            outcome = try await watcher.wait(
                for: stack, seen: seen, timeout: timeout, lastKnown: StackStatus(verb + "_IN_PROGRESS"))
        } catch let error as StackWatchError {
            // The stack is not failed: only reading it did. Say where it stood and how to go on,
            // never that it was deployed.
            log.report(error.underlying, doing: "watching stack \(name)")
            log.report(.error(
                .stackWaitStopped,
                "stopped watching stack \(name), not the stack: its last known status is"
                    + " \(error.lastStatus?.rawValue ?? "unknown"); \(resume)",
                at: nil))
            log.record("stack \(name): watching failed, last known status \(error.lastStatus?.rawValue ?? "unknown")")
            return .stoppedWatching
        } catch {
            log.report(error, doing: "watching stack \(name)")
            return .failed
        }
        switch outcome {
        case .gone:
            if success == .deleted { return .deleted }
            log.report(.error(.stackFailed, "stack \(name) disappeared while \(expected) was awaited (rolled back and deleted?)", at: nil))
            return .failed
        case .finished(let status, let reason, let failures):
            log.record("stack \(name): \(status)")
            if status.rawValue == expected { return success }
            var message = "stack \(name) ended in \(status)" + (reason.map { ": \($0)" } ?? "")
            for failure in failures {
                message += "\n  \(failure.logicalID) (\(failure.resourceType)) \(failure.status): \(failure.reason ?? "")"
            }
            log.report(.error(.stackFailed, message, at: nil))
            return .failed
        case .timedOut(let status):
            log.report(.error(
                .stackWaitStopped,
                "stack \(name) is still \(status?.rawValue ?? "changing") after \(Self.minutes(timeoutMinutes)) minute(s) (--timeout); \(resume)",
                at: nil))
            return .stoppedWatching
        case .interrupted(let status):
            log.report(.error(
                .stackWaitStopped,
                "interrupted: Ctrl-C stops watching, not the stack: the last known status of stack \(name)"
                    + " is \(status?.rawValue ?? "unknown"); \(resume)",
                at: nil))
            return .stoppedWatching
        }
    }

    /// Turns termination protection on and sets the stack policy that forbids replacing or
    /// deleting the groups through an update (production environments).
    public func protect(_ stackName: String) async -> Bool {
        do {
            try await cloudFormation.updateTerminationProtection(stackName: stackName, enabled: true)
            log.say("stack \(stackName): termination protection enabled\n")
            log.record("termination protection enabled on \(stackName)")
        } catch {
            log.report(error, doing: "enabling termination protection on \(stackName)")
            return false
        }
        do {
            try await cloudFormation.setStackPolicy(stackName: stackName, policyBody: Self.productionStackPolicy)
            log.say("stack \(stackName): stack policy denies Update:Replace and Update:Delete on security groups\n")
            log.record("stack policy set on \(stackName)")
        } catch {
            log.report(error, doing: "setting the stack policy of \(stackName)")
            return false
        }
        return true
    }

    /// Allows every update except replacing or deleting a security group: a replaced group
    /// gets a new id and is detached from every network interface.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html
    static let productionStackPolicy: String = {
        let document: JSONValue = [
            "Statement": [
                ["Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"],
                [
                    "Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*", "Resource": "*",
                    "Condition": ["StringEquals": ["ResourceType": ["AWS::EC2::SecurityGroup"]]],
                ],
            ],
        ]
        return document.rendered()
    }()
}
