import SGAWSServices
import SGActionKit
import SGConcurrency
import SGDiagnostics
import SGFleet
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `audit-security-groups`: the same validator over groups the tool did not create, with no -con.
/// Sources: `--template` (any CloudFormation templates: files, directories, quoted globs, repeated),
/// `--snapshot` (saved `aws ec2 describe-security-groups` output, the same ways), or live EC2
/// (DescribeSecurityGroups/Rules; every group in the region, or in the config's VPC when `-con` is
/// given). One process and one summary for any number of files, with a result per file; the exit
/// code is over all of them and follows `--fail-on`. A template value that stays unresolved fails
/// its file unless `--allow-unresolved`.
struct AuditAction {
    let context: ActionContext

    /// Extensions a directory given to `--template` is searched for (cfn-lint's), and to `--snapshot`.
    static let templateExtensions = ["yaml", "yml", "json", "template"]
    static let snapshotExtensions = ["json"]

    func run() async -> ActionOutcome {
        let request = context.request
        if !request.snapshots.isEmpty && !request.templates.isEmpty {
            context.report(.error(.auditSource, "give one source: --snapshot FILE or --template FILE, not both", at: nil))
            return AuditOutput(context: context).outcome([], label: nil)
        }
        let isTemplate = !request.templates.isEmpty
        guard isTemplate || !request.snapshots.isEmpty else { return await auditLive() }

        let option = isTemplate ? "--template" : "--snapshot"
        let inputs = InputPaths(fileSystem: context.environment.fileSystem, extensions: isTemplate ? Self.templateExtensions : Self.snapshotExtensions)
        let (paths, problems) = inputs.expand(isTemplate ? request.templates : request.snapshots)
        for problem in problems {
            context.report(.error(.auditInputMatchesNothing, "\(option): \(problem)", at: nil))
        }
        let today = context.today
        let fileSystem = context.environment.fileSystem
        // Files are independent: read and judged on several threads, merged in input order, so the
        // output is the same whatever the thread count.
        let audits = Parallel.map(paths) { path in
            FileAudit.run(path: path, isTemplate: isTemplate, fileSystem: fileSystem, today: today)
        }
        for audit in audits {
            if let source = audit.source { context.register([source]) }
            context.report(audit.diagnostics)
            context.record("\(audit.path): read \(audit.bytes) bytes, \(audit.groups) group(s), \(audit.findings.count) finding(s), \(audit.unresolved) unresolved")
        }
        let label = paths.count == 1 && problems.isEmpty ? paths[0] : "\(paths.count) \(isTemplate ? "template" : "snapshot")\(paths.count == 1 ? "" : "s")"
        return AuditOutput(context: context).outcome(audits, label: label)
    }

    /// Live source: the groups EC2 reports, named `name (sg-id)`, with group references between them
    /// resolved so exposure paths are found too.
    private func auditLive() async -> ActionOutcome {
        var vpcID = context.request.vpcID
        var identity: DeploymentIdentity?
        if context.request.config != nil {
            guard let deployment = Pipeline(context: context).load() else { return AuditOutput(context: context).outcome([], label: nil) }
            // A config with targets: every target's VPC, in its account and region.
            if deployment.isFleet { return await Fleet.audit(context, deployment) }
            vpcID = deployment.config.vpcID
            identity = deployment.identity
        }
        let aws = AWSContext(context: context)
        guard let session = await aws.session(for: identity) else { return AuditOutput(context: context).outcome([], label: nil) }
        let label = "aws:\(session.region)\(vpcID.map { "/\($0)" } ?? "")"
        do {
            let (groups, problems) = try await LiveInventory(ec2: try session.ec2()).groups(vpcID: vpcID)
            var diagnostics = Diagnostics()
            for problem in problems {
                diagnostics.warning(.liveRuleNotJudged, "a live rule could not be read: \(problem)", at: nil)
            }
            context.report(diagnostics)
            let names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
            let tiers = groups.map { $0.asTier(named: names[$0.groupID], tiersByGroupID: names) }
            context.record("audited \(tiers.count) live group(s) in \(label)")
            let result = ScenarioValidator().validate(tiers: tiers, context: ValidationContext(today: context.today))
            let audit = FileAudit(path: label, source: nil, bytes: 0, groups: groups.count, findings: result.findings, diagnostics: diagnostics)
            return AuditOutput(context: context).outcome([audit], label: label)
        } catch {
            aws.report(error, doing: "reading security groups")
            return AuditOutput(context: context).outcome([], label: label)
        }
    }
}
