import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGDeploy
import SGDiagnostics
import SGDrift
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `check-drift` for a deployment with `targets`: every account and region checked the way a
/// single deployment is (its live groups by the deployment tag of its region, in its VPC, against
/// the config judged with its own `vpc_cidr`), each through the role `target_role` in its account,
/// through `FanOut` (`--jobs`, exit 1 > 3 > 0, one summary line, as `-con DIR`). Writes a report per
/// target (`{deployment}-{account}-{region}-drift-report.md/json`) and one fleet report
/// (`{deployment}-fleet-drift-report.md/json`) that attributes every drifted rule to its account,
/// region and group. A target that cannot be read fails the run (exit 1): a throttled or refused
/// call is never drift. Throttling is retried by the AWS client; requests are paced per account.
struct FleetDriftCheck {
    let context: ActionContext
    let deployment: Deployment

    /// What one target left for the action besides its line.
    struct TargetDrift: Sendable {
        var report: DriftReport?
        var failure: Diagnostic?
    }

    func run() async -> ActionOutcome {
        let request = context.request
        if let snapshot = request.snapshot {
            context.report(.error(
                .notForTargets,
                "--snapshot \(snapshot) holds one account's groups; a deployment with targets is checked live in every target (give a config without targets to compare a snapshot)",
                at: nil))
            return failed()
        }
        if request.accepts {
            context.report(.error(
                .notForTargets,
                "--accept writes one deployment's drift into its config; with targets the same config serves every account and region, so accept drift in a config of that target alone",
                at: nil))
            return failed()
        }
        if request.force {
            context.report(.error(
                .notForTargets,
                "--force reverts one deployment's groups; with targets, check-drift only reports (each target's report holds its revert plan)",
                at: nil))
            return failed()
        }
        guard let base = await AWSContext(context: context).session(for: deployment.identity) else { return failed() }
        let targets = deployment.config.targets
        let sessions = FleetSessions(
            base: base, targets: targets, roleName: deployment.config.targetRole, action: .checkDrift, accountRate: request.accountRate)
        context.record("fleet: \(targets.count) target(s), role \(deployment.config.targetRole), session \(sessions.sessionName), jobs \(request.jobs), \(request.accountRate) request(s)/s per account")

        let deployment = self.deployment, today = context.today
        var rows: [FleetDriftReport.Row] = []
        let fanOut = FleetFanOut<TargetDrift>(context: context, words: .fleetDrift)
        let results = await fanOut.run(targets, work: { target in
            await Self.check(target, deployment: deployment, session: sessions.session(for: target),
                             roleARN: target.roleARN(sessions.roleName), today: today)
        }, onEach: { target, result, drift in
            var row = FleetDriftReport.Row(
                target: target, verdict: result.verdict == .passed ? .inSync : result.verdict == .changed ? .drifted : .failed,
                report: drift.report, error: drift.failure?.message)
            if let failure = drift.failure { context.report(failure) }
            if let report = drift.report { row.reportFile = writeTargetReports(report, target: target) }
            context.record("target \(target.label): \(result.verdict == .passed ? "in sync" : result.verdict == .changed ? "DRIFT" : "FAILED"): \(result.summary)")
            rows.append(row)
        })
        for pace in await sessions.pacing() where pace.waits > 0 {
            context.record("account \(pace.account): \(pace.waits) request(s) waited \(String(format: "%.2f", pace.seconds)) s in total for the account's rate limit")
        }

        let fleet = FleetDriftReport(
            deployment: deployment.identity.fleetName, stackSetName: deployment.identity.stackSetName,
            roleName: deployment.config.targetRole, rows: rows)
        let fleetFile = writeFleetReport(fleet)
        let unitResults = results.map(\.result)
        let (code, summary) = fanOut.ending(unitResults, context: context)
        var outcome = ActionOutcome(code: code)
        switch request.output {
        case .text:
            if !(request.quiet && code == .success) {
                outcome.outputs.append(.out(summary))
                if let fleetFile { outcome.outputs.append(.out("fleet report: \(fleetFile)\n")) }
            }
        case .json:
            outcome.outputs.append(.json([
                "deployment": .string(deployment.identity.fleetName),
                "stackset": .string(deployment.identity.stackSetName),
                "in_sync": .bool(code == .success),
                "targets": .array(unitResults.map(\.document)),
                "summary": FanOut.summaryJSON(unitResults, words: .fleetDrift),
                "fleet_report": fleet.json(toolVersion: context.environment.toolVersion),
            ]))
        case .sarif:
            let added = rows.compactMap(\.report).flatMap(\.addedRules)
            outcome.outputs.append(.sarif(findings: added.flatMap(\.findings), passed: code == .success))
        }
        outcome.summary = summary.replacingOccurrences(of: "\(request.action.rawValue): ", with: "").trimmingCharacters(in: .newlines)
        return outcome
    }

    /// One target: live groups tagged for the deployment in the target's region and VPC, compared
    /// with the config as that target deploys it.
    static func check(
        _ target: DeploymentTarget, deployment: Deployment, session: AWSSession, roleARN: String, today: CalendarDate
    ) async -> (FanOut.UnitResult, TargetDrift) {
        let local = deployment.forTarget(target)
        let tag = local.identity.qualifiedName
        func failure(_ diagnostic: Diagnostic) -> (FanOut.UnitResult, TargetDrift) {
            let result = FanOut.UnitResult(
                label: target.label, target: target.label, verdict: .failed, summary: diagnostic.message, details: "",
                document: ["account": .string(target.account), "region": .string(target.region), "vpc_id": .string(target.vpcID),
                           "status": "failed", "in_sync": .null, "error": .string(diagnostic.message)])
            return (result, TargetDrift(report: nil, failure: diagnostic))
        }
        let groups: [LiveSecurityGroup]
        do {
            let (found, problems) = try await LiveInventory(ec2: try session.ec2()).groups(vpcID: target.vpcID, deployment: tag)
            if let problem = problems.first {
                return failure(.error(
                    .targetFailed, "target \(target.label): cannot understand live rule \(problem); the comparison is incomplete", at: nil))
            }
            groups = found
        } catch {
            let diagnostic = AWSFailure.diagnostic(error, doing: "target \(target.label): reading security groups of \(target.vpcID) as \(roleARN)")
            return failure(diagnostic)
        }
        let comparator = DriftComparator(deployment: local, today: today)
        let comparison = comparator.compare(liveGroups: groups, keepLocations: false)
        let (plan, _) = DriftRevertPlanner(deployment: local).plan(comparison)
        let report = DriftReport(
            deployment: tag, vpcID: target.vpcID, source: .live(region: target.region), groups: comparison.groups,
            missingGroups: comparison.missingGroups, extraGroups: comparison.extraGroups,
            notes: ["account \(target.account), region \(target.region), read as \(roleARN)"] + comparison.notes, revertPlan: plan)
        var document = DriftJSON.document(report, toolVersion: "")
        if case .object(var object) = document {
            object.removeValue(forKey: "tool_version")
            object.removeValue(forKey: "action")
            object["account"] = .string(target.account)
            object["region"] = .string(target.region)
            object["status"] = .string(report.hasDrift ? "drifted" : "in_sync")
            document = .object(object)
        }
        let summary = report.hasDrift
            ? "DRIFT: \(report.countsSummary)" + (report.worstAddedRisk.map { "; worst added rule \($0.label)" } ?? "")
            : "\(report.groups.count) group\(report.groups.count == 1 ? "" : "s"), \(report.checkedRules) live rules checked"
        let details = report.hasDrift ? "\(target.label):\n" + Self.fleetWording(DriftTextRenderer().render(report)) : ""
        return (FanOut.UnitResult(
            label: target.label, target: target.label, verdict: report.hasDrift ? .changed : .passed, summary: summary,
            details: details, document: document), TargetDrift(report: report, failure: nil))
    }

    // MARK: Output

    /// A single deployment's report says `--force` applies its revert plan; with targets it does
    /// not (the target role only reads), so the fleet's reports say how to apply it instead.
    static func fleetWording(_ text: String) -> String {
        text.replacingOccurrences(
            of: "  not executed: review it, then run again with --force to apply it\n",
            with: "  not executed: with targets check-drift only reports; apply it in the target account (\(forceAdvice))\n")
            .replacingOccurrences(
                of: "Not executed. Run `check-drift` again with `--force` to apply it.\n",
                with: "Not executed: with targets check-drift only reports; apply it in the target account (\(forceAdvice)).\n")
    }

    static let forceAdvice = "or run check-drift --force on a config of that target alone, with credentials that may change its groups"

    private func writeTargetReports(_ report: DriftReport, target: DeploymentTarget) -> String? {
        let name = "\(deployment.identity.fleetName)-\(target.account)-\(target.region)-drift-report"
        let version = context.environment.toolVersion
        do {
            let path = try context.writeReport(Self.fleetWording(DriftMarkdownRenderer().render(report, toolVersion: version)), named: name + ".md")
            try context.writeReport(DriftJSON.document(report, toolVersion: version).rendered(), named: name + ".json")
            return path
        } catch {
            context.report(.error(.cannotWriteOutput, "cannot write the drift report of \(target.label): \(error)", at: nil))
            return nil
        }
    }

    private func writeFleetReport(_ fleet: FleetDriftReport) -> String? {
        let name = "\(deployment.identity.fleetName)-fleet-drift-report"
        let version = context.environment.toolVersion
        do {
            let path = try context.writeReport(fleet.markdown(toolVersion: version), named: name + ".md")
            try context.writeReport(fleet.json(toolVersion: version).rendered(), named: name + ".json")
            return path
        } catch {
            context.report(.error(.cannotWriteOutput, "cannot write the fleet drift report: \(error)", at: nil))
            return nil
        }
    }

    private func failed() -> ActionOutcome {
        switch context.request.output {
        case .json: return .ending(.failure, [.json(["in_sync": .null])])
        case .sarif: return .ending(.failure, [.sarif(findings: [], passed: false)])
        case .text: return .failure
        }
    }
}
