import SGCloudFormation
import SGDiagnostics
import SGModel
import SGReports
import SGValidation

/// `validate-prov-template`: parse, validate inputs, judge every rule, compile, self-check the
/// template. The exit code gates CI: 1 on any error or on a finding at/above `--fail-on` that no
/// active accepted risk covers.
struct ValidateAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        let pipeline = Pipeline(context: context)
        var findings: [Finding] = []
        var deploymentName: String?
        if let deployment = pipeline.load() {
            deploymentName = deployment.identity.qualifiedName
            let (validation, compiled) = pipeline.judgeAndCompile(deployment, assessingRules: false)
            findings = validation.findings
            if let compiled {
                context.record("compiled \(compiled.stacks.count) stack(s): \(compiled.stacks.map(\.stackName).joined(separator: ", "))")
            }
        }
        let failing = findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        let passed = !context.diagnostics.hasErrors && failing.isEmpty
        ValidationOutput(context: context).emit(
            findings: findings, failing: failing, passed: passed, deployment: deploymentName)
        return passed ? .success : .failure
    }
}

/// Prints a validation outcome in the requested format; shared by validate and audit.
struct ValidationOutput {
    let context: ActionContext

    func emit(findings: [Finding], failing: [Finding], passed: Bool, deployment: String?) {
        let request = context.request
        switch request.output {
        case .json:
            let document: JSONValue = [
                "action": .string(request.action.rawValue),
                "tool_version": .string(context.environment.toolVersion),
                "deployment": .optional(deployment),
                "fail_on": .string(request.failOn.rawValue),
                "passed": .bool(passed),
                "errors": .array(context.diagnostics.sorted.filter { $0.severity == .error }.map(FindingJSON.diagnostic)),
                "warnings": .array(context.diagnostics.sorted.filter { $0.severity != .error }.map(FindingJSON.diagnostic)),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": FindingJSON.severityCounts(findings),
            ]
            context.environment.writeOut(document.rendered())
        case .sarif:
            let sources = context.sources
            let log = SARIFLog(toolVersion: context.environment.toolVersion, lineText: { sources.file($0)?.line($1) })
            context.environment.writeOut(log.document(findings: findings, diagnostics: context.diagnostics.sorted, passed: passed).rendered())
        case .text:
            context.printDiagnostics()
            let renderer = FindingTextRenderer(useColor: context.useColor, sourceLine: context.sources.lineProvider)
            if !(request.quiet && passed) {
                for finding in findings {
                    context.environment.writeOut(
                        FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding))
                }
            }
            let errors = context.diagnostics.errors.count
            let warnings = context.diagnostics.all.count - errors
            let counts = RiskLevel.allCases.map { level in
                "\(findings.filter { $0.severity == level && !$0.isAccepted }.count) \(level.rawValue)"
            }.joined(separator: ", ")
            let accepted = findings.filter(\.isAccepted).count
            var line = "\(request.action.rawValue): \(deployment ?? request.config ?? "input"): "
            line += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); "
            line += "findings: \(counts)\(accepted > 0 ? " (\(accepted) accepted)" : ""); "
            line += "--fail-on \(request.failOn.rawValue): \(passed ? "PASSED" : "FAILED")\n"
            if !(request.quiet && passed) { context.environment.writeOut(line) }
        }
        context.record("result: \(passed ? "passed" : "failed") (\(failing.count) finding(s) at/above \(request.failOn.rawValue))")
    }
}
