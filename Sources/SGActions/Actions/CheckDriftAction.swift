import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGCrypto
import SGDiagnostics
import SGDrift
import SGFleet
import SGInventory
import SGModel
import SGReports

/// `check-drift`: compares the live groups of a deployment (EC2, or a saved
/// `describe-security-groups` snapshot) with the rules the config compiles to now, rates every rule
/// added out of band with the scenario validator, writes a Markdown and a JSON drift report, and
/// prints a revert plan that only `--force` executes.
///
/// It reads EC2 directly rather than CloudFormation's drift detection, which misses rules added next
/// to standalone `AWS::EC2::SecurityGroupIngress` resources. Exit: 0 in sync, 3 drift, 1 error.
struct CheckDriftAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let request = context.request
        guard let deployment = Pipeline(context: context).load() else { return fail() }
        if deployment.isFleet { return await Fleet.checkDrift(context, deployment) }
        if request.force, let snapshot = request.snapshot {
            context.report(.error(
                .driftForceWithSnapshot,
                "--force reverts live groups and cannot be used with --snapshot \(snapshot); run check-drift without --snapshot to revert",
                at: nil))
            return fail()
        }

        let comparator = DriftComparator(deployment: deployment, today: context.today)
        let source: DriftReport.Source
        let liveGroups: [LiveSecurityGroup]
        var ec2: EC2Client?
        var session: AWSSession?
        if let path = request.snapshot {
            source = .snapshot(path: path)
            guard let groups = readSnapshot(path) else { return fail() }
            liveGroups = groups
        } else {
            guard let setup = await LiveSetup.open(context, for: deployment) else { return fail() }
            source = .live(region: setup.session.region)
            ec2 = setup.ec2
            session = setup.session
            guard let groups = await readLive(setup.ec2, deployment: deployment) else { return fail() }
            liveGroups = groups
        }

        let comparison = comparator.compare(liveGroups: liveGroups, keepLocations: request.snapshot != nil)
        let (plan, steps) = DriftRevertPlanner(deployment: deployment).plan(comparison)
        var report = DriftReport(
            deployment: deployment.identity.qualifiedName, vpcID: deployment.config.vpcID, source: source,
            groups: comparison.groups, missingGroups: comparison.missingGroups, extraGroups: comparison.extraGroups,
            notes: comparison.notes, revertPlan: plan)
        let counts = report.counts
        context.record("drift: added=\(counts.added) removed=\(counts.removed) changed=\(counts.changed) missing=\(counts.missing) extra=\(counts.extra) plan=\(plan.id)")
        report.remediation = DriftRemediation.entries(for: report, config: request.config ?? "", failOn: request.failOn, deployment: deployment)
        if let session, report.hasDrift {
            await DriftWhoStep(context: context).run(session: session, report: &report, groupIDsByTier: comparison.groupIDsByTier)
        }

        if request.accepts {
            DriftAcceptStep(context: context).run(deployment: deployment, report: &report, liveGroups: liveGroups, comparator: comparator)
        }

        var revertFailed = false
        if request.force, report.hasDrift, !steps.isEmpty, let ec2 {
            let execution = await execute(steps, ec2: ec2, comparator: comparator, deployment: deployment)
            report.execution = execution
            revertFailed = !execution.completed
        }

        writeReports(report)
        let code: ToolExitCode = context.diagnostics.hasErrors || revertFailed ? .failure : report.hasDrift ? .changes : .success
        var outcome = ActionOutcome(code: code, outputs: outputs(report))
        let reportName = context.reports.map { $0.path(for: report.deployment + "-drift-report.md") } ?? ""
        outcome.summary = (report.hasDrift ? report.countsSummary
            : "\(report.groups.count) group\(report.groups.count == 1 ? "" : "s"), \(report.checkedRules) live rules checked")
            + (revertFailed ? "; revert FAILED" : "") + (reportName.isEmpty ? "" : "; \(reportName)")
        return outcome
    }

    // MARK: Reading

    private func readSnapshot(_ path: String) -> [LiveSecurityGroup]? {
        let bytes: [UInt8]
        do {
            bytes = try context.environment.fileSystem.read(path)
        } catch {
            context.report(.error(.badInputFile, "--snapshot: \(error)", at: nil))
            return nil
        }
        let source = SourceFile(path: path, bytes: bytes)
        context.register([source])
        context.record("read \(path) (\(bytes.count) bytes) sha256=\(SHA256.hex(bytes))")
        do {
            let (groups, diagnostics) = try SnapshotReader().read(source)
            // A permission the reader could not understand may hide drift: the run reports it as an error.
            context.report(diagnostics)
            return groups
        } catch {
            error.diagnostics.forEach(context.report)
            return nil
        }
    }

    /// The groups tagged for the deployment in its VPC, plus the adopted groups by id (wherever
    /// they are, so one found in another VPC is reported rather than missed).
    private func readLive(_ ec2: EC2Client, deployment: Deployment) async -> [LiveSecurityGroup]? {
        do {
            let inventory = LiveInventory(ec2: ec2)
            var (groups, problems) = try await inventory.groups(vpcID: deployment.config.vpcID, deployment: deployment.identity.qualifiedName)
            context.record("read \(groups.count) live group(s) tagged \(deployment.identity.qualifiedName) in \(deployment.config.vpcID)")
            let adoptedIDs = deployment.config.adoptedGroups.map(\.groupID).sorted()
            let known = Set(groups.map(\.groupID))
            for start in stride(from: 0, to: adoptedIDs.count, by: 100) {
                let chunk = Array(adoptedIDs[start..<min(start + 100, adoptedIDs.count)])
                let adopted = try await inventory.groups(filters: [EC2Filter(name: "group-id", values: chunk)])
                groups += adopted.groups.filter { !known.contains($0.groupID) }
                problems += adopted.problems
                context.record("read \(adopted.groups.count) of \(chunk.count) adopted group(s) by id")
            }
            for problem in problems {
                context.report(.error(.driftUnreadableRule, "cannot understand live rule \(problem); the comparison is incomplete", at: nil))
            }
            return groups
        } catch {
            AWSContext(context: context).report(error, doing: "reading security groups of \(deployment.config.vpcID)")
            return nil
        }
    }

    // MARK: Reverting

    /// Executes the plan's steps in order and stops at the first failure, then reads the groups
    /// again and compares, so the report says what the groups look like now, not what we hoped.
    private func execute(
        _ steps: [RevertStep], ec2: EC2Client, comparator: DriftComparator, deployment: Deployment
    ) async -> RevertExecution {
        var done: [RevertExecution.Step] = []
        var notAttempted: [String] = []
        var failed = false
        for step in steps {
            let command = step.command
            if failed { notAttempted.append(command.id); continue }
            guard let operation = step.operation else { notAttempted.append(command.id); continue }
            do {
                switch operation {
                case .revoke(let direction, let groupID, let ruleIDs):
                    if direction == .ingress {
                        try await ec2.revokeSecurityGroupIngress(groupID: groupID, ruleIDs: ruleIDs)
                    } else {
                        try await ec2.revokeSecurityGroupEgress(groupID: groupID, ruleIDs: ruleIDs)
                    }
                case .authorize(let direction, let groupID, let permission):
                    if direction == .ingress {
                        try await ec2.authorizeSecurityGroupIngress(groupID: groupID, permissions: [permission])
                    } else {
                        try await ec2.authorizeSecurityGroupEgress(groupID: groupID, permissions: [permission])
                    }
                }
                done.append(.init(commandID: command.id, action: command.action, resource: command.resource, succeeded: true, message: "done"))
                context.record("revert step \(command.id) \(command.action) \(command.resource): done")
            } catch {
                failed = true
                let message = failureText(error)
                done.append(.init(commandID: command.id, action: command.action, resource: command.resource, succeeded: false, message: message))
                context.record("revert step \(command.id) \(command.action) \(command.resource): failed: \(message)")
                AWSContext(context: context).report(error, doing: "revert step \(command.id) (\(command.action) on \(command.resource))")
                let succeeded = done.filter(\.succeeded).map(\.commandID)
                context.report(.error(
                    .driftRevertFailed,
                    "revert stopped at step \(command.id) of \(steps.count); "
                        + (succeeded.isEmpty ? "no step was applied"
                            : succeeded.count == 1 ? "step \(succeeded[0]) was applied" : "steps \(succeeded.joined(separator: ", ")) were applied"),
                    at: nil))
            }
        }
        var verification: String?
        if let groups = await readLive(ec2, deployment: deployment) {
            let after = comparator.compare(liveGroups: groups, keepLocations: false)
            let remaining = (
                added: after.groups.reduce(0) { $0 + $1.added.count }, removed: after.groups.reduce(0) { $0 + $1.removed.count },
                changed: after.groups.reduce(0) { $0 + $1.changed.count })
            let inSync = remaining == (0, 0, 0) && after.missingGroups.isEmpty && after.extraGroups.isEmpty
            verification = inSync
                ? "in sync"
                : "still differs: \(remaining.added) added, \(remaining.removed) removed, \(remaining.changed) changed, "
                    + "\(after.missingGroups.count) missing, \(after.extraGroups.count) extra"
            context.record("revert re-check: \(verification!)")
        }
        return RevertExecution(steps: done, notAttempted: notAttempted, verification: verification)
    }

    /// A failure in one line for the report; AWS errors carry no secrets (the client redacts them).
    private func failureText(_ error: any Error) -> String {
        if let error = error as? AWSError { return "AWS error \(error.code): \(error.message)" }
        return "\(error)"
    }

    // MARK: Output

    private func writeReports(_ report: DriftReport) {
        let name = report.deployment + "-drift-report"
        let version = context.environment.toolVersion
        do {
            try context.writeReport(DriftMarkdownRenderer().render(report, toolVersion: version), named: name + ".md")
            try context.writeReport(DriftJSON.document(report, toolVersion: version).rendered(), named: name + ".json")
        } catch {
            context.report(.error(.cannotWriteOutput, "cannot write the drift report: \(error)", at: nil))
        }
    }

    private func outputs(_ report: DriftReport) -> [ActionOutcome.Output] {
        switch context.request.output {
        case .json:
            guard case .object(let document) = DriftJSON.document(report, toolVersion: context.environment.toolVersion) else { return [] }
            return [.json(document)]
        case .sarif:
            // For code-scanning dashboards: the validator's findings on every rule added out of band.
            let added = report.groups.flatMap(\.added) + report.extraGroups.flatMap(\.rules)
            return [.sarif(findings: added.flatMap(\.findings), passed: !report.hasDrift, properties: DriftSARIF.properties(report))]
        case .text:
            // Cron mails whatever is printed: with --quiet, a clean run prints nothing at all.
            if report.hasDrift || !context.request.quiet || context.diagnostics.hasErrors {
                return [.out(DriftTextRenderer().render(report))]
            }
            return []
        }
    }

    /// A run that produced no report: JSON output still gets a document (`in_sync` null) and
    /// SARIF output a log with the errors, so scripts and dashboards can read what went wrong.
    private func fail() -> ActionOutcome {
        switch context.request.output {
        case .json: return .ending(.failure, [.json(["in_sync": .null])])
        case .sarif: return .ending(.failure, [.sarif(findings: [], passed: false)])
        case .text: return .failure
        }
    }
}
