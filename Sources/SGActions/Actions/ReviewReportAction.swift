import SGActionKit
import SGCloudFormation
import SGDiagnostics
import SGModel
import SGReports
import SGValidation

/// `create-review-report`: the approver's report in reports/ as Markdown, self-contained HTML and
/// JSON (`{qualifiedName}-review-report.{md,html,json}`). Findings do not stop it (the report is
/// where an approver sees them); input errors and a failed template self-check do.
struct ReviewReportAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let pipeline = Pipeline(context: context)
        guard let deployment = pipeline.load() else { return .failure }
        let (validation, compilation) = pipeline.judgeAndCompile(deployment)
        guard let compiled = compilation, !context.diagnostics.hasErrors else { return .failure }
        // The hash is over the YAML that create-prov-template writes and create-security-groups
        // deploys, whatever --format says, so the approval binds the deployed bytes.
        var digests: [TemplateDigest] = []
        pipeline.forEachRendered(compiled.stacks, format: .yaml) { stack, text in
            digests.append(TemplateDigest(
                stackName: stack.stackName, fileName: pipeline.templateFileName(stack, format: .yaml), text: text))
        }
        let report = ReviewReport(
            deployment: deployment, validation: validation, templates: digests, toolVersion: context.environment.toolVersion,
            date: context.request.today, failOn: context.request.failOn,
            shipped: ShippedArtifacts.current(variables: context.environment.variables))
        let base = "\(deployment.identity.qualifiedName)-review-report"
        var written: [String] = []
        do {
            written.append(try context.writeReport(report.markdown(), named: base + ".md"))
            written.append(try context.writeReport(report.html(), named: base + ".html"))
            written.append(try context.writeReport(report.json().rendered(), named: base + ".json"))
        } catch {
            context.report(.error(.cannotWriteOutput, "\(error)", at: nil))
            return .failure
        }
        for digest in digests { context.record("template \(digest.stackName) sha256=\(digest.sha256)") }
        var outcome = ActionOutcome(code: .success)
        for path in written { outcome.say("wrote \(path)\n") }
        let needsHuman = report.checklist.filter { $0.status == .needsHuman }.count
        let failed = report.checklist.filter { $0.status == .failed }.count
        outcome.say("create-review-report: \(deployment.identity.qualifiedName): \(report.failingFindings.count) finding(s) at/above "
            + "\(context.request.failOn.rawValue) not accepted; checklist: \(failed) failed, \(needsHuman) needs-human\n")
        return outcome
    }
}
