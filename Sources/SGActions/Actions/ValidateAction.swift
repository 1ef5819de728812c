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
        var judged = false
        if let deployment = pipeline.load() {
            judged = true
            let (validation, compiled) = pipeline.judgeAndCompile(deployment, assessingRules: false)
            findings = validation.findings
            if let compiled {
                context.record("compiled \(compiled.stacks.count) stack(s): \(compiled.stacks.map(\.stackName).joined(separator: ", "))")
            }
        }
        let failing = findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        let passed = !context.diagnostics.hasErrors && failing.isEmpty
        return ValidationOutput(context: context).outcome(
            findings: findings, failing: failing, passed: passed, deployment: context.identity?.qualifiedName, judged: judged)
    }
}

/// A validation outcome in the requested format; shared by validate and audit.
struct ValidationOutput {
    let context: ActionContext

    /// `judged` is false when input errors stopped the run before the validator saw the rules:
    /// the summary then says so instead of counting zero findings (JSON: `judged: false`,
    /// `summary: null`).
    func outcome(findings: [Finding], failing: [Finding], passed: Bool, deployment: String?, judged: Bool = true) -> ActionOutcome {
        let request = context.request
        var outputs: [ActionOutcome.Output] = []
        switch request.output {
        case .json:
            var fields: [String: JSONValue] = [
                "fail_on": .string(request.failOn.rawValue),
                "passed": .bool(passed),
                "judged": .bool(judged),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": judged ? FindingJSON.severityCounts(findings) : .null,
            ]
            if let deployment { fields["deployment"] = .string(deployment) }
            outputs.append(.json(fields))
        case .sarif:
            outputs.append(.sarif(findings: findings, passed: passed))
        case .text:
            let renderer = FindingTextRenderer(useColor: context.useColor, excerpt: context.sources.excerptProvider)
            if !(request.quiet && passed) {
                for finding in findings {
                    outputs.append(.out(
                        FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding)))
                }
            }
            if !(request.quiet && passed) {
                outputs.append(.out("\(request.action.rawValue): \(deployment ?? request.config ?? "input"): \(summary(findings, passed: passed, judged: judged))\n"))
            }
        }
        context.record("result: \(passed ? "passed" : "failed") (\(failing.count) finding(s) at/above \(request.failOn.rawValue))")
        var outcome = ActionOutcome.ending(passed ? .success : .failure, outputs)
        outcome.summary = summary(findings, passed: passed, judged: judged)
        return outcome
    }

    /// `0 errors, 1 warning; findings: 0 critical, 1 high, ...; --fail-on high: FAILED`, or
    /// `...; rules not judged (fix the input errors first); ...` when input errors stopped the run.
    private func summary(_ findings: [Finding], passed: Bool, judged: Bool) -> String {
        let errors = context.diagnostics.errors.count
        let warnings = context.diagnostics.all.count - errors
        let counts = RiskLevel.allCases.map { level in
            "\(findings.filter { $0.severity == level && !$0.isAccepted }.count) \(level.rawValue)"
        }.joined(separator: ", ")
        let accepted = findings.filter(\.isAccepted).count
        var line = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); "
        line += judged
            ? "findings: \(counts)\(accepted > 0 ? " (\(accepted) accepted)" : ""); "
            : "rules not judged (fix the input errors first); "
        return line + "--fail-on \(context.request.failOn.rawValue): \(passed ? "PASSED" : "FAILED")"
    }
}
