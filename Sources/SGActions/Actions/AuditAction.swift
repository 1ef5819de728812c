import SGDiagnostics
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `audit-security-groups`: the same validator over groups the tool did not create, with no -con.
/// Sources: `--snapshot FILE` (saved `aws ec2 describe-security-groups`), `--template FILE` (any
/// CloudFormation template), or live EC2 (not in this build: the AWS client is not merged yet, so
/// the live source answers E503). Output is validate's: text, json or sarif; the exit code follows
/// `--fail-on`.
struct AuditAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        let request = context.request
        if request.snapshot != nil && request.template != nil {
            context.report(.error(.auditSource, "give one source: --snapshot FILE or --template FILE, not both", at: nil))
            return finish(findings: [], label: nil)
        }
        guard let path = request.snapshot ?? request.template else {
            context.report(.error(
                .actionNotAvailable,
                "live audit (DescribeSecurityGroups) is not available in this build; audit a saved snapshot with --snapshot FILE or a template with --template FILE",
                at: nil))
            return finish(findings: [], label: nil)
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

    private func finish(findings: [Finding], label: String?) -> ToolExitCode {
        let failing = findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        let passed = !context.diagnostics.hasErrors && failing.isEmpty
        ValidationOutput(context: context).emit(findings: findings, failing: failing, passed: passed, deployment: label)
        return passed ? .success : .failure
    }
}
