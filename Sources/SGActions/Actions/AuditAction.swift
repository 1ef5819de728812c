import SGDiagnostics
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `audit-security-groups`: the same validator over groups the tool did not create, with no -con.
/// Sources: `--snapshot FILE` (saved `aws ec2 describe-security-groups`), `--template FILE` (any
/// CloudFormation template), or live EC2 (DescribeSecurityGroups/Rules; every group in the region,
/// or in the config's VPC when `-con` is given). Output is validate's: text, json or sarif; the exit
/// code follows `--fail-on`.
struct AuditAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let request = context.request
        if request.snapshot != nil && request.template != nil {
            context.report(.error(.auditSource, "give one source: --snapshot FILE or --template FILE, not both", at: nil))
            return finish(findings: [], label: nil)
        }
        guard let path = request.snapshot ?? request.template else {
            return await auditLive()
        }
        let bytes: [UInt8]
        do {
            bytes = try context.environment.fileSystem.read(path)
        } catch {
            context.report(.error(.badInputFile, "\(error)", at: .file(path)))
            return finish(findings: [], label: path)
        }
        let source = SourceFile(path: path, bytes: bytes)
        context.register([source])
        context.record("read \(path) (\(bytes.count) bytes)")

        let tiers: [Tier]
        do {
            if request.template != nil {
                let (groups, diagnostics) = try CloudFormationTemplateReader().read(source)
                context.report(diagnostics)
                // A template's groups are named by logical id; references between them become tier
                // references, so exposure paths through the template are found too.
                let names = Dictionary(groups.map { ($0.groupID, $0.groupID) }, uniquingKeysWith: { first, _ in first })
                tiers = groups.map { $0.asTier(named: $0.groupID, tiersByGroupID: names) }
            } else {
                let (groups, diagnostics) = try SnapshotReader().read(source)
                context.report(diagnostics)
                let names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
                tiers = groups.map { $0.asTier(named: names[$0.groupID], tiersByGroupID: names) }
            }
        } catch {
            error.diagnostics.forEach(context.report)
            return finish(findings: [], label: path)
        }
        context.record("audited \(tiers.count) group(s) from \(path)")
        let result = ScenarioValidator().validate(tiers: tiers, context: ValidationContext(today: context.today))
        return finish(findings: result.findings, label: path)
    }

    /// Live source: the groups EC2 reports, named `name (sg-id)`, with group references between them
    /// resolved so exposure paths are found too.
    private func auditLive() async -> ActionOutcome {
        var vpcID: String?
        var identity: DeploymentIdentity?
        if context.request.config != nil {
            guard let deployment = Pipeline(context: context).load() else { return finish(findings: [], label: nil) }
            vpcID = deployment.config.vpcID
            identity = deployment.identity
        }
        let aws = AWSContext(context: context)
        guard let session = aws.session(for: identity) else { return finish(findings: [], label: nil) }
        let label = "aws:\(session.region)\(vpcID.map { "/\($0)" } ?? "")"
        do {
            let (groups, problems) = try await LiveInventory(ec2: try session.ec2()).groups(vpcID: vpcID)
            for problem in problems {
                context.report(.warning(.snapshotPermission, "a live rule could not be read: \(problem)", at: nil))
            }
            let names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
            let tiers = groups.map { $0.asTier(named: names[$0.groupID], tiersByGroupID: names) }
            context.record("audited \(tiers.count) live group(s) in \(label)")
            let result = ScenarioValidator().validate(tiers: tiers, context: ValidationContext(today: context.today))
            return finish(findings: result.findings, label: label)
        } catch {
            aws.report(error, doing: "reading security groups")
            return finish(findings: [], label: label)
        }
    }

    private func finish(findings: [Finding], label: String?) -> ActionOutcome {
        let failing = findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        let passed = !context.diagnostics.hasErrors && failing.isEmpty
        return ValidationOutput(context: context).outcome(findings: findings, failing: failing, passed: passed, deployment: label)
    }
}
