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

    func run() async -> ActionOutcome {
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
        return ValidationOutput(context: context).outcome(
            findings: findings, failing: failing, passed: passed, deployment: deploymentName)
    }
}

/// A validation outcome in the requested format; shared by validate and audit.
struct ValidationOutput {
    let context: ActionContext

    func outcome(findings: [Finding], failing: [Finding], passed: Bool, deployment: String?) -> ActionOutcome {
        let request = context.request
        var outputs: [ActionOutcome.Output] = []
        switch request.output {
        case .json:
            outputs.append(.json([
                "deployment": .optional(deployment),
                "fail_on": .string(request.failOn.rawValue),
                "passed": .bool(passed),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": FindingJSON.severityCounts(findings),
            ], warnings: true))
        case .sarif:
            outputs.append(.sarif(findings: findings, passed: passed))
        case .text:
            let renderer = FindingTextRenderer(useColor: context.useColor, sourceLine: context.sources.lineProvider)
            if !(request.quiet && passed) {
                for finding in findings {
                    outputs.append(.out(
                        FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding)))
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
            if !(request.quiet && passed) { outputs.append(.out(line)) }
        }
        context.record("result: \(passed ? "passed" : "failed") (\(failing.count) finding(s) at/above \(request.failOn.rawValue))")
        return .ending(passed ? .success : .failure, outputs)
    }
}
