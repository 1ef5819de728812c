import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGDeploy
import SGDiagnostics
import SGFindings
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `audit-security-groups -con CONFIG` for a config with targets: every group in each target's VPC
/// (the tool's or not) judged by the one validator with that target's `vpc_cidr`, read through
/// `target_role` in each account, through `FanOut` (`--jobs`, one line per target, one summary,
/// exit 1 when any target fails `--fail-on` or cannot be read). Every finding names its target:
/// its location is `aws:{account}/{region}/{vpc}`.
struct FleetAudit {
    let context: ActionContext
    let deployment: Deployment

    func run() async -> ActionOutcome {
        let request = context.request
        guard let base = await AWSContext(context: context).session(for: deployment.identity) else {
            return AuditOutput(context: context).outcome([], label: nil)
        }
        let targets = deployment.config.targets
        let sessions = FleetSessions(
            base: base, targets: targets, roleName: deployment.config.targetRole, action: .auditSecurityGroups, accountRate: request.accountRate)
        context.record("fleet audit: \(targets.count) target(s), role \(deployment.config.targetRole), jobs \(request.jobs)")
        let today = context.today, failOn = request.failOn, allowUnresolved = request.allowUnresolved
        let renderer = FindingTextRenderer(useColor: false, sourceLine: { _, _ in nil })
        let fanOut = FleetFanOut<FileAudit>(context: context, words: .fleetAudit)
        let results = await fanOut.run(targets, work: { target in
            let audit = await Self.audit(target, session: sessions.session(for: target), roleARN: target.roleARN(sessions.roleName), today: today)
            let passed = audit.passed(failOn: failOn, allowUnresolved: allowUnresolved)
            let findings = audit.findings
            let summary = audit.diagnostics.hasErrors
                ? (audit.diagnostics.errors.first?.message ?? "failed")
                : "\(audit.groups) group(s); findings: " + RiskLevel.allCases.map { level in
                    "\(findings.filter { $0.severity == level && !$0.isAccepted }.count) \(level.rawValue)"
                }.joined(separator: ", ")
            let details = passed ? "" : findings.filter { !$0.isAccepted && $0.severity >= failOn }.map(renderer.render).joined()
            let document: JSONValue = [
                "account": .string(target.account), "region": .string(target.region), "vpc_id": .string(target.vpcID),
                "status": .string(passed ? "passed" : "failed"), "groups": .int(audit.groups),
                "findings": .array(findings.map(FindingJSON.finding)), "summary": FindingJSON.severityCounts(findings),
                "errors": .array(audit.diagnostics.errors.map(FindingJSON.diagnostic)),
            ]
            return (FanOut.UnitResult(
                label: target.label, target: target.label, verdict: passed ? .passed : .failed, summary: summary, details: details,
                document: document, findings: findings), audit)
        }, onEach: { target, result, audit in
            context.report(audit.diagnostics)
            context.record("target \(target.label): \(audit.groups) group(s), \(audit.findings.count) finding(s): \(result.verdict == .passed ? "passed" : "FAILED")")
        })
        let unitResults = results.map(\.result)
        let (code, summary) = fanOut.ending(unitResults, context: context)
        var outcome = ActionOutcome(code: code)
        switch request.output {
        case .text:
            if !(request.quiet && code == .success) { outcome.outputs.append(.out(summary)) }
        case .json:
            outcome.outputs.append(.json([
                "deployment": .string(deployment.identity.fleetName),
                "fail_on": .string(request.failOn.rawValue),
                "passed": .bool(code == .success),
                "targets": .array(unitResults.map(\.document)),
                "findings": .array(unitResults.flatMap(\.findings).map(FindingJSON.finding)),
                "summary": FanOut.summaryJSON(unitResults, words: .fleetAudit),
            ]))
        case .sarif:
            let artifacts = results.map { target, result, audit in
                SARIFLog.Artifact(path: audit.path, properties: [
                    "passed": .bool(result.verdict == .passed), "groups": .int(audit.groups), "findings": .int(audit.findings.count),
                    "account": .string(target.account), "region": .string(target.region),
                ])
            }
            outcome.outputs.append(.sarif(findings: unitResults.flatMap(\.findings), passed: code == .success, artifacts: artifacts))
        }
        return outcome
    }

    /// Every group in the target's VPC, judged with the target's CIDR.
    static func audit(_ target: DeploymentTarget, session: AWSSession, roleARN: String, today: CalendarDate) async -> FileAudit {
        let label = "aws:\(target.account)/\(target.region)/\(target.vpcID)"
        var diagnostics = Diagnostics()
        do {
            let (groups, problems) = try await LiveInventory(ec2: try session.ec2()).groups(vpcID: target.vpcID)
            for problem in problems {
                diagnostics.warning(.liveRuleNotJudged, "\(target.label): a live rule could not be read: \(problem)", at: nil)
            }
            let names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
            let tiers = groups.map { group -> Tier in
                var tier = group.asTier(named: names[group.groupID], tiersByGroupID: names)
                tier.location = .file(label)
                return tier
            }
            let result = ScenarioValidator().validate(tiers: tiers, context: ValidationContext(vpcCIDR: target.vpcCIDR, today: today))
            return FileAudit(path: label, source: nil, bytes: 0, groups: groups.count, findings: result.findings, diagnostics: diagnostics)
        } catch {
            diagnostics.report(AWSFailure.diagnostic(error, doing: "target \(target.label): reading security groups of \(target.vpcID) as \(roleARN)"))
            return FileAudit(path: label, source: nil, bytes: 0, groups: 0, findings: [], diagnostics: diagnostics)
        }
    }
}

/// `verify-vpc` for a config with targets: in every target, through `target_role`, the VPC exists
/// and its `vpc_cidr` is one of the VPC's IPv4 blocks (the block its findings are judged against
/// and its instance's `VpcCidr`). One line per target and one summary, through `FanOut`.
struct FleetVerifyVPC {
    let context: ActionContext
    let deployment: Deployment

    func run() async -> ActionOutcome {
        guard let base = await AWSContext(context: context).session(for: deployment.identity) else { return .failure }
        let targets = deployment.config.targets
        let sessions = FleetSessions(
            base: base, targets: targets, roleName: deployment.config.targetRole, action: .verifyVPC, accountRate: context.request.accountRate)
        let fanOut = FleetFanOut<Diagnostic?>(context: context, words: .fleetAudit)
        let results = await fanOut.run(targets, work: { target in
            let session = sessions.session(for: target)
            func result(_ passed: Bool, _ summary: String, _ problem: Diagnostic?) -> (FanOut.UnitResult, Diagnostic?) {
                (FanOut.UnitResult(
                    label: target.label, target: target.label, verdict: passed ? .passed : .failed, summary: summary, details: "",
                    document: ["account": .string(target.account), "region": .string(target.region), "vpc_id": .string(target.vpcID),
                               "passed": .bool(passed), "summary": .string(summary)]), problem)
            }
            do {
                guard let vpc = try await session.ec2().describeVpcs(vpcIDs: [target.vpcID]).first(where: { $0.vpcID == target.vpcID }) else {
                    let message = "target \(target.label): VPC \(target.vpcID) does not exist"
                    return result(false, message, .error(.vpcMismatch, message, at: target.location))
                }
                let blocks = vpc.ipv4CidrBlocks.compactMap { try? CIDRBlock.parse($0).get() }
                guard blocks.contains(target.vpcCIDR) else {
                    let message = "target \(target.label): vpc_cidr \(target.vpcCIDR) differs from the CIDR AWS reports for \(vpc.vpcID): \(vpc.ipv4CidrBlocks.joined(separator: ", "))"
                    return result(false, message, .error(.vpcMismatch, message, at: target.location))
                }
                return result(true, "\(vpc.vpcID) \(vpc.state), CIDR \(vpc.ipv4CidrBlocks.joined(separator: ", "))", nil)
            } catch let error as AWSError where error.code.hasPrefix("InvalidVpcID") {
                let message = "target \(target.label): VPC \(target.vpcID) does not exist (\(error.code))"
                return result(false, message, .error(.vpcMismatch, message, at: target.location))
            } catch {
                let diagnostic = AWSFailure.diagnostic(error, doing: "target \(target.label): describing VPC \(target.vpcID) as \(target.roleARN(sessions.roleName))")
                return result(false, diagnostic.message, diagnostic)
            }
        }, onEach: { target, result, problem in
            if let problem { context.report(problem) }
            context.record("target \(target.label): \(result.summary)")
        })
        let unitResults = results.map(\.result)
        let (code, summary) = fanOut.ending(unitResults, context: context)
        var outcome = ActionOutcome(code: code)
        if context.request.output == .text {
            outcome.say(summary)
        } else {
            outcome.outputs.append(.json(["targets": .array(unitResults.map(\.document)), "summary": FanOut.summaryJSON(unitResults, words: .fleetAudit)]))
        }
        return outcome
    }
}
