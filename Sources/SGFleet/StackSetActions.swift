import Foundation
import SGActionKit
import SGStackSets
import Synchronization
import SGAWSCredentials
import SGAWSServices
import SGCloudFormation
import SGDeploy
import SGDiagnostics
import SGModel
import SGReports

/// Progress, audit lines and diagnostics of a unit that runs beside others: kept in order and
/// replayed into the run's context when the unit's turn comes (the context is not shared between
/// tasks, and lines of concurrent units must not interleave).
final class BufferedDeployLog: Sendable {
    private enum Entry: Sendable { case say(String), record(String), report(Diagnostic) }
    private let entries = Mutex<[Entry]>([])

    /// A log writing into this buffer.
    var log: DeployLog {
        DeployLog(
            say: { [self] text in entries.withLock { $0.append(.say(text)) } },
            record: { [self] line in entries.withLock { $0.append(.record(line)) } },
            report: { [self] diagnostic in entries.withLock { $0.append(.report(diagnostic)) } })
    }

    /// Sends everything buffered to `context`, in order.
    func replay(into context: ActionContext) {
        for entry in entries.withLock({ $0 }) {
            switch entry {
            case .say(let text): context.say(text)
            case .record(let line): context.record(line)
            case .report(let diagnostic): context.report(diagnostic)
            }
        }
    }
}

/// What the StackSet actions share: the StackSet's name, the operation preferences from the command
/// line, and a deployer over the caller's CloudFormation in the administration region.
struct StackSetContext {
    let context: ActionContext
    let deployment: Deployment

    var name: String { deployment.identity.stackSetName }

    /// `--max-concurrent`, `--failure-tolerance`, and the targets' regions in config order (the
    /// rollout order; the administration region is not special).
    var preferences: StackSetOperationPreferences {
        var regions: [String] = []
        for target in deployment.config.targets where !regions.contains(target.region) { regions.append(target.region) }
        return StackSetOperationPreferences(
            maxConcurrentCount: context.request.maxConcurrent, failureToleranceCount: context.request.failureTolerance,
            regionOrder: regions)
    }

    /// Seconds between polls of an operation: `SG_STACKSET_POLL_SECONDS` (tests), else 5.
    var pollInterval: Double {
        context.environment.variables["SG_STACKSET_POLL_SECONDS"].flatMap(Double.init).map { max(0, $0) } ?? 5
    }

    func deployer(_ cloudFormation: CloudFormationClient, session: AWSSession, interrupt: InterruptFlag, log: DeployLog? = nil) -> StackSetDeployer {
        StackSetDeployer(
            cloudFormation: cloudFormation, log: log ?? context.deployLog, now: context.environment.now, sleep: session.system.sleep,
            interrupt: interrupt, timeout: context.request.timeoutMinutes * 60, pollInterval: pollInterval)
    }

    /// One instance outcome as a fan-out result (the same line format as every fan-out).
    static func unitResult(_ outcomes: [StackSetInstanceOutcome], label: String) -> FanOut.UnitResult {
        let failed = outcomes.first { !$0.succeeded }
        let shown = failed ?? outcomes.first
        let summary = shown.map { "\($0.operation): \($0.status.rawValue)" + ($0.reason.map { ": \($0)" } ?? "") } ?? "nothing done"
        return FanOut.UnitResult(
            label: label, target: label, verdict: failed == nil ? .passed : .failed, summary: summary, details: "",
            document: .array(outcomes.map(json)))
    }

    static func json(_ outcome: StackSetInstanceOutcome) -> JSONValue {
        let parts = outcome.label.split(separator: "/", maxSplits: 1).map(String.init)
        return [
            "account": .string(parts.first ?? ""), "region": .string(parts.count > 1 ? parts[1] : ""),
            "operation": .string(outcome.operation), "status": .string(outcome.status.rawValue), "reason": .optional(outcome.reason),
        ]
    }

    /// Prints per-instance lines of one operation over many instances, in the fan-out's format.
    func printInstances(_ outcomes: [StackSetInstanceOutcome]) {
        guard context.request.output == .text else { return }
        for outcome in outcomes {
            let result = Self.unitResult([outcome], label: outcome.label)
            if !(context.request.quiet && result.verdict == .passed) { context.environment.writeOut(FanOut.line(result, words: .stackInstances)) }
        }
    }

    /// Records outcomes in the audit log and reports the ones that did not succeed.
    func account(_ outcomes: [StackSetInstanceOutcome]) {
        for outcome in outcomes {
            context.record("instance \(outcome.label) \(outcome.operation): \(outcome.status.rawValue)" + (outcome.reason.map { ": \($0)" } ?? ""))
        }
        let notDone = outcomes.filter { !$0.succeeded }
        guard !notDone.isEmpty else { return }
        let stillRunning = notDone.contains { $0.status == .unknown }
        context.report(.error(
            stillRunning ? .stackSetWaitStopped : .stackSetOperationFailed,
            "StackSet \(name): \(notDone.count) instance operation(s) did not succeed: "
                + notDone.map { "\($0.label) \($0.operation) \($0.status.rawValue)" + ($0.reason.map { " (\($0))" } ?? "") }.joined(separator: "; "),
            at: nil))
    }

    /// The plan as JSON (show-changes, refusals).
    static func json(_ plan: StackSetPlan) -> JSONValue {
        var template = plan.templateChanges.json()
        if case .object(var object) = template {
            object["has_changes"] = .bool(plan.createsStackSet || plan.templateChanged)
            template = .object(object)
        }
        return [
            "stackset": .string(plan.name),
            "has_changes": .bool(plan.hasChanges),
            "creates_stackset": .bool(plan.createsStackSet),
            "template_changed": .bool(plan.templateChanged),
            "template": template,
            "instances": .array(plan.instances.map { instance in
                [
                    "account": .string(instance.target.account), "region": .string(instance.target.region),
                    "vpc_id": .string(instance.target.vpcID), "change": .string(instance.change.rawValue), "detail": .optional(instance.detail),
                ]
            }),
            "obsolete_instances": .array(plan.obsolete.map { ["account": .string($0.account), "region": .string($0.region), "status": .string($0.status)] }),
            "replacements": .array((plan.templateChanges.replacements + plan.instanceReplacements).map {
                ["stack": .string($0.stackName), "logical_id": .string($0.logicalID), "reason": .string($0.reason)]
            }),
        ]
    }

    /// The replacements banner of a plan, or nil when nothing would be replaced.
    static func banner(_ plan: StackSetPlan) -> String? { plan.replacementBanner }
}

/// `create-security-groups` for a deployment with targets: creates the StackSet (or, with --force,
/// updates its template in one operation over every instance), then creates or updates the instance
/// of every target whose instance is missing, has other overrides or is not current: one operation
/// per target (its overrides are its own), at most `--max-concurrent` at a time, none started once
/// more than `--failure-tolerance` failed. Waits for every operation and prints each instance's
/// status with AWS's reason; exit 1 when any instance did not succeed.
struct StackSetCreate {
    let context: ActionContext
    let deployment: Deployment
    let compiled: CompilationResult

    func run() async -> ActionOutcome {
        let shared = StackSetContext(context: context, deployment: deployment)
        guard let stack = compiled.stacks.first, compiled.stacks.count == 1 else { return .failure }
        guard let base = await AWSContext(context: context).session(for: deployment.identity) else { return .failure }
        let cloudFormation: CloudFormationClient
        let plan: StackSetPlan
        do {
            cloudFormation = try base.cloudFormation()
            let state = try await StackSetState.read(name: shared.name, targets: deployment.config.targets, cloudFormation: cloudFormation)
            plan = StackSetPlan.make(state: state, compiled: stack, targets: deployment.config.targets)
        } catch {
            AWSContext(context: context).report(error, doing: "reading StackSet \(shared.name)")
            return .failure
        }
        let qualified = deployment.identity.qualifiedName
        if !plan.createsStackSet && !context.request.force {
            context.report(.error(
                .stackExistsNeedsForce,
                "StackSet \(shared.name) already exists; updating it and its instances needs --force. Run -act show-changes to review",
                at: nil))
            var refusal = ActionOutcome(code: .failure)
            if let banner = StackSetContext.banner(plan) { refusal.outputs.append(.err(banner)) }
            refusal.say("what updating would change:\n" + plan.renderText())
            refusal.say("create-security-groups: \(qualified): REFUSED (\(plan.hasChanges ? "changes pending" : "no changes"))\n")
            return refusal
        }
        for instance in plan.obsolete {
            context.report(.warning(
                .obsoleteStackInstance,
                "StackSet \(shared.name) has an instance in \(instance.label), which the config no longer lists; it is left in place (and gets template updates)",
                at: nil))
        }
        if let banner = StackSetContext.banner(plan) { context.warn(banner) }
        guard plan.hasChanges else {
            return .ending(.success, [.say("create-security-groups: \(qualified): StackSet \(shared.name) and its \(plan.instances.count) instance(s) unchanged; OK\n")])
        }

        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let deployer = shared.deployer(cloudFormation, session: base, interrupt: interrupt)
        let body = stack.template.renderYAML()
        var outcomes: [StackSetInstanceOutcome] = []
        var results: [FanOut.UnitResult] = []
        do {
            if plan.createsStackSet {
                try await deployer.createStackSet(
                    name: shared.name, description: stack.template.description, body: body, executionRole: deployment.config.stackSetExecutionRole)
            } else if plan.templateChanged {
                let instances = try await cloudFormation.listStackInstances(stackSetName: shared.name)
                let updated = try await deployer.updateTemplate(
                    name: shared.name, body: body, executionRole: deployment.config.stackSetExecutionRole, preferences: shared.preferences,
                    instances: instances)
                shared.printInstances(updated)
                shared.account(updated)
                outcomes += updated
                results += updated.map { StackSetContext.unitResult([$0], label: $0.label) }
            }
        } catch {
            AWSContext(context: context).report(error, doing: plan.createsStackSet ? "creating StackSet \(shared.name)" : "updating StackSet \(shared.name)")
            return .ending(.failure, [.say("create-security-groups: \(qualified): FAILED at StackSet \(shared.name)\n")])
        }

        // One operation per target that needs one, through the fan-out: --max-concurrent at once.
        let work = plan.instanceWork
        let templateFailed = outcomes.contains { !$0.succeeded }
        let tolerance = context.request.failureTolerance
        let failures = Mutex(0)
        let preferences = shared.preferences, name = shared.name
        /// One target's instance operation: its buffered progress and how it ended.
        struct InstanceWork: Sendable {
            var log: BufferedDeployLog
            var outcomes: [StackSetInstanceOutcome]
        }
        let fanOut = FleetFanOut<InstanceWork>(context: context, words: .stackInstances, jobs: context.request.maxConcurrent)
        let changes = Dictionary(work.map { ($0.target.label, $0.change) }, uniquingKeysWith: { first, _ in first })
        var instanceOutcomes: [StackSetInstanceOutcome] = []
        let ran = await fanOut.run(work.map(\.target), work: { target in
            let buffer = BufferedDeployLog()
            let change = changes[target.label] ?? .none
            if templateFailed || failures.withLock({ $0 > tolerance }) {
                let why = templateFailed ? "the template update did not succeed everywhere" : "more than --failure-tolerance \(tolerance) instance(s) failed"
                let outcome = StackSetInstanceOutcome(label: target.label, operation: change.rawValue, status: .notAttempted, reason: why)
                return (StackSetContext.unitResult([outcome], label: target.label), InstanceWork(log: buffer, outcomes: [outcome]))
            }
            let deployer = shared.deployer(cloudFormation, session: base, interrupt: interrupt, log: buffer.log)
            var outcome: [StackSetInstanceOutcome]
            do {
                outcome = try await deployer.instanceOperation(name: name, target: target, change: change, preferences: preferences)
            } catch {
                buffer.log.report(AWSFailure.diagnostic(error, doing: "\(change.rawValue) instance \(target.label) of StackSet \(name)"))
                outcome = [StackSetInstanceOutcome(label: target.label, operation: change.rawValue, status: .failed, reason: "\(error)")]
            }
            if outcome.contains(where: { $0.status == .failed || $0.status == .cancelled }) { failures.withLock { $0 += 1 } }
            return (StackSetContext.unitResult(outcome, label: target.label), InstanceWork(log: buffer, outcomes: outcome))
        }, onEach: { _, _, done in
            done.log.replay(into: context)
            instanceOutcomes += done.outcomes
        })
        shared.account(instanceOutcomes)
        outcomes += instanceOutcomes
        results += ran.map(\.result)

        let passed = !context.diagnostics.hasErrors && outcomes.allSatisfy(\.succeeded)
        var outcome = ActionOutcome(code: passed ? .success : .failure)
        let verb = plan.createsStackSet ? "created" : plan.templateChanged ? "updated" : "unchanged"
        switch context.request.output {
        case .json, .sarif:
            outcome.outputs.append(.json([
                "stackset": .string(shared.name), "stackset_change": .string(verb), "passed": .bool(passed),
                "instances": .array(outcomes.map(StackSetContext.json)),
                "summary": FanOut.summaryJSON(results, words: .stackInstances),
            ]))
        case .text:
            outcome.say(FanOut.summaryLine(action: context.request.action.rawValue, results: results, words: .stackInstances))
            outcome.say("create-security-groups: \(qualified): StackSet \(shared.name) \(verb); \(passed ? "OK" : "FAILED")\n")
        }
        return outcome
    }
}

/// `delete-security-groups` for a deployment with targets (with --force): deletes every instance of
/// the StackSet (one operation per set of regions with the same accounts, stacks not retained), then
/// the StackSet, then checks in every target, through its role, that no security group tagged with
/// the deployment remains (`[E524]` names any that does).
struct StackSetDelete {
    let context: ActionContext
    let deployment: Deployment

    func run() async -> ActionOutcome {
        let shared = StackSetContext(context: context, deployment: deployment)
        let qualified = deployment.identity.qualifiedName
        guard context.request.force else {
            context.report(.error(
                .forceRequired,
                "delete-security-groups deletes every instance of StackSet \(shared.name) (\(deployment.config.targets.count) target(s) listed) and every security group in them; re-run with --force",
                at: nil))
            return .failure
        }
        guard let base = await AWSContext(context: context).session(for: deployment.identity) else { return .failure }
        let cloudFormation: CloudFormationClient
        let stackSet: StackSetDescription?
        var instances: [StackInstanceSummary] = []
        do {
            cloudFormation = try base.cloudFormation()
            stackSet = try await cloudFormation.describeStackSet(shared.name)
            if stackSet != nil { instances = try await cloudFormation.listStackInstances(stackSetName: shared.name) }
        } catch {
            AWSContext(context: context).report(error, doing: "reading StackSet \(shared.name)")
            return .failure
        }
        var deleted: [String] = []
        if stackSet != nil {
            let interrupt = InterruptFlag()
            interrupt.install()
            defer { interrupt.uninstall() }
            let deployer = shared.deployer(cloudFormation, session: base, interrupt: interrupt)
            let (outcomes, errors) = await deployer.deleteInstances(name: shared.name, instances: instances, preferences: shared.preferences)
            for error in errors { AWSContext(context: context).report(error, doing: "deleting instances of StackSet \(shared.name)") }
            shared.printInstances(outcomes)
            shared.account(outcomes)
            guard outcomes.allSatisfy(\.succeeded), errors.isEmpty else {
                return .ending(.failure, [.say("delete-security-groups: \(qualified): FAILED: StackSet \(shared.name) keeps the instances that were not deleted\n")])
            }
            do {
                try await cloudFormation.deleteStackSet(shared.name)
                context.record("DeleteStackSet \(shared.name)")
                context.say("StackSet \(shared.name): deleted\n")
                deleted.append(shared.name)
            } catch {
                AWSContext(context: context).report(error, doing: "deleting StackSet \(shared.name)")
                return .ending(.failure, [.say("delete-security-groups: \(qualified): FAILED at StackSet \(shared.name)\n")])
            }
        } else {
            context.say("StackSet \(shared.name): none to delete\n")
        }

        // Nothing tagged with the deployment may remain in any target (read through target_role).
        let sessions = FleetSessions(
            base: base, targets: deployment.config.targets, roleName: deployment.config.targetRole, action: .deleteSecurityGroups,
            accountRate: context.request.accountRate)
        let deployment = self.deployment
        let fanOut = FleetFanOut<BufferedDeployLog>(context: context, words: .stackInstances)
        let checked = await fanOut.run(deployment.config.targets, work: { target in
            let buffer = BufferedDeployLog()
            let session = sessions.session(for: target)
            let tag = deployment.identity.inRegion(target.region).qualifiedName
            do {
                let verifier = DeletionVerifier(cloudFormation: try session.cloudFormation(), ec2: try session.ec2())
                let check = try await verifier.check(deploymentTag: tag, retained: [:])
                let vpcCheck = check.remaining.filter { $0.vpcID == nil || $0.vpcID == target.vpcID }
                check.report(to: buffer.log)
                let summary = check.passed ? "deletion check: no group tagged \(tag) remains"
                    : "deletion check: \(check.remaining.count) group(s) remain: \(vpcCheck.map(\.groupID).joined(separator: ", "))"
                return (FanOut.UnitResult(
                    label: target.label, target: target.label, verdict: check.passed ? .passed : .failed, summary: summary, details: "",
                    document: ["account": .string(target.account), "region": .string(target.region), "passed": .bool(check.passed),
                               "remaining": .array(check.remaining.map { .string($0.groupID) })]), buffer)
            } catch {
                let diagnostic = AWSFailure.diagnostic(error, doing: "target \(target.label): checking that no security group tagged \(tag) remains as \(target.roleARN(sessions.roleName))")
                buffer.log.report(diagnostic)
                return (FanOut.UnitResult(
                    label: target.label, target: target.label, verdict: .failed, summary: diagnostic.message, details: "",
                    document: ["account": .string(target.account), "region": .string(target.region), "passed": false, "error": .string(diagnostic.message)]), buffer)
            }
        }, onEach: { _, _, buffer in buffer.replay(into: context) })

        let passed = !context.diagnostics.hasErrors && checked.allSatisfy { $0.result.verdict == .passed }
        var outcome = ActionOutcome(code: passed ? .success : .failure)
        switch context.request.output {
        case .json, .sarif:
            outcome.outputs.append(.json([
                "stackset": .string(shared.name), "deleted": .array(deleted.map(JSONValue.string)), "passed": .bool(passed),
                "instances": .array(instances.map { ["account": .string($0.account), "region": .string($0.region)] }),
                "deletion_check": .array(checked.map(\.result.document)),
            ]))
        case .text:
            outcome.say("delete-security-groups: \(qualified): \(passed ? "deleted \(deleted.isEmpty ? "nothing (no StackSet)" : "StackSet \(shared.name) and its \(instances.count) instance(s)")" : "FAILED")\n")
        }
        return outcome
    }
}

/// `show-changes` for a deployment with targets: StackSets have no change sets, so the plan is the
/// deployed template compared with the compiled one (rule by rule, replacements named from the
/// properties that replace a group) and the instances compared with the targets (new, other
/// overrides — a new VpcId replaces every group of the instance — not current, obsolete).
/// Exit 0 nothing to change, 3 changes pending, 1 error.
struct StackSetShowChanges {
    let context: ActionContext
    let setup: LiveSetup
    let compiled: CompilationResult

    func run() async -> ActionOutcome {
        let deployment = setup.deployment
        let name = deployment.identity.stackSetName
        guard let stack = compiled.stacks.first else { return .failure }
        let plan: StackSetPlan
        do {
            let state = try await StackSetState.read(name: name, targets: deployment.config.targets, cloudFormation: setup.cloudFormation)
            plan = StackSetPlan.make(state: state, compiled: stack, targets: deployment.config.targets)
        } catch {
            AWSContext(context: context).report(error, doing: "reading StackSet \(name)")
            return .failure
        }
        context.record("show-changes: StackSet \(name): \(plan.templateChanges.ruleChanges.count) rule change(s), \(plan.instanceWork.count) instance change(s), \(plan.obsolete.count) obsolete instance(s)")
        var outcome = ActionOutcome(code: plan.hasChanges ? .changes : .success)
        if let banner = StackSetContext.banner(plan) { outcome.outputs.append(.err(banner)) }
        switch context.request.output {
        case .json, .sarif:
            outcome.outputs.append(.json(["deployment": .string(deployment.identity.qualifiedName), "plan": StackSetContext.json(plan)]))
        case .text:
            outcome.say(plan.renderText())
            let summary = plan.hasChanges
                ? "StackSet \(name): \(plan.createsStackSet ? "new" : plan.templateChanged ? "template changes (\(plan.templateChanges.ruleChanges.count) rule change(s))" : "template unchanged"), "
                    + "\(plan.instanceWork.count) instance change(s), \(StackSetContext.banner(plan) == nil ? 0 : plan.templateChanges.replacements.count + plan.instanceReplacements.count) replacement(s); changes pending"
                : "StackSet \(name) and its \(plan.instances.count) instance(s): no changes"
            outcome.say("show-changes: \(deployment.identity.qualifiedName): \(summary)\n")
        }
        return outcome
    }
}
