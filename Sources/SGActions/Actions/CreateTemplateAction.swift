import SGActionKit
import SGCloudFormation
import SGDiagnostics
import SGModel

/// `create-prov-template`: compile the config into CloudFormation in reports/. Findings do not stop
/// it (that is validate's job), input errors do: nothing but the audit log is written then.
struct CreateTemplateAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let pipeline = Pipeline(context: context)
        guard let deployment = pipeline.load() else { return .failure }
        // Only the count is needed at the end, so the validation result is not kept alive through
        // compiling and writing, where create's memory peaks.
        let (validation, compilation) = pipeline.judgeAndCompile(deployment, assessingRules: false)
        let open = validation.findings.filter { !$0.isAccepted && $0.severity >= .medium }.count
        guard let compiled = compilation, !context.diagnostics.hasErrors else { return .failure }
        var written: [String] = []
        do {
            let format = context.request.templateFormat
            try pipeline.forEachRendered(compiled.stacks, format: format) { stack, text in
                written.append(try context.writeReport(text, named: pipeline.templateFileName(stack, format: format)))
            }
        } catch {
            context.report(.error(.cannotWriteOutput, "\(error)", at: nil))
            return .failure
        }
        var outcome = ActionOutcome(code: .success)
        for path in written { outcome.say("wrote \(path)\n") }
        outcome.say("create-prov-template: \(deployment.identity.qualifiedName): \(deployment.tiers.count) tier(s), "
            + "\(compiled.stacks.count) stack(s); \(open) open finding(s) at medium or above — run -act validate-prov-template\n")
        return outcome
    }
}
