import SGCloudFormation
import SGDiagnostics
import SGModel

/// `create-prov-template`: compile the config into CloudFormation in reports/. Findings do not stop
/// it (that is validate's job), input errors do: nothing but the audit log is written then.
struct CreateTemplateAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        let pipeline = Pipeline(context: context)
        guard let deployment = pipeline.load() else {
            context.printDiagnostics()
            return .failure
        }
        // Only the count is needed at the end: keeping the whole result (an assessment per rule)
        // alive through compiling and writing raised create's peak memory.
        let (validation, compilation) = pipeline.judgeAndCompile(deployment, assessingRules: false)
        let open = validation.findings.filter { !$0.isAccepted && $0.severity >= .medium }.count
        guard let compiled = compilation else {
            context.printDiagnostics()
            return .failure
        }
        if context.diagnostics.hasErrors {
            context.printDiagnostics()
            return .failure
        }
        var written: [String] = []
        do {
            let format = context.request.templateFormat
            try pipeline.forEachRendered(compiled.stacks, format: format) { stack, text in
                written.append(try context.writeReport(text, named: pipeline.templateFileName(stack, format: format)))
            }
        } catch {
            context.report(.error(.cannotWriteOutput, "\(error)", at: nil))
            context.printDiagnostics()
            return .failure
        }
        context.printDiagnostics()
        for path in written { context.say("wrote \(path)\n") }
        context.say("create-prov-template: \(deployment.identity.qualifiedName): \(deployment.tiers.count) tier(s), "
            + "\(compiled.stacks.count) stack(s); \(open) open finding(s) at medium or above — run -act validate-prov-template\n")
        return .success
    }
}
