import SGAWS
import SGAWSServices
import SGActionKit
import SGCloudFormation
import SGDiagnostics
import SGFindings
import SGModel
import SGReports
import SGValidation

/// `validate-prov-template`: parse, validate inputs, judge every rule, compile, self-check the
/// template, and with `--remote` have CloudFormation's ValidateTemplate check every stack. The exit
/// code gates CI: 1 on any error (a stack CloudFormation rejects included) or on a finding at/above
/// `--fail-on` that no active accepted risk covers.
struct ValidateAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let pipeline = Pipeline(context: context)
        var findings: [Finding] = []
        var judged = false
        var remote: RemoteValidation?
        if let deployment = pipeline.load() {
            judged = true
            let (validation, compiled) = pipeline.judgeAndCompile(deployment, assessingRules: false)
            findings = validation.findings
            if let compiled {
                context.record("compiled \(compiled.stacks.count) stack(s): \(compiled.stacks.map(\.stackName).joined(separator: ", "))")
                if context.request.remote, !context.diagnostics.hasErrors {
                    remote = await validateRemotely(compiled, deployment: deployment)
                }
            }
        }
        let failing = findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        let passed = !context.diagnostics.hasErrors && failing.isEmpty
        return ValidationOutput(context: context).outcome(
            findings: findings, failing: failing, passed: passed, deployment: context.identity?.qualifiedName, judged: judged,
            remote: remote)
    }

    /// What CloudFormation said about each stack.
    struct RemoteValidation {
        var region: String
        /// Stack name and whether ValidateTemplate accepted it.
        var stacks: [(name: String, accepted: Bool)]
    }

    /// ValidateTemplate on the exact YAML create-security-groups would send, stack by stack, in the
    /// config's region (or `--region`). A rejection is an error naming the stack; a failure to reach
    /// AWS is the usual E6xx error and leaves the remaining stacks unchecked.
    private func validateRemotely(_ compiled: CompilationResult, deployment: Deployment) async -> RemoteValidation? {
        guard let setup = await LiveSetup.open(context, for: deployment) else { return nil }
        var texts: [(String, String)] = []
        Pipeline(context: context).forEachRendered(compiled.stacks, format: .yaml) { stack, text in texts.append((stack.stackName, text)) }
        var result = RemoteValidation(region: setup.session.region, stacks: [])
        for (name, text) in texts {
            do {
                let answer = try await setup.cloudFormation.validateTemplate(templateBody: text)
                context.record("ValidateTemplate \(name): accepted (\(answer.parameters.count) parameter(s))")
                result.stacks.append((name, true))
            } catch let error as AWSError where error.code == "ValidationError" {
                context.report(.error(.remoteValidationRejected, "CloudFormation ValidateTemplate rejected stack \(name): \(error.message)", at: nil))
                result.stacks.append((name, false))
            } catch {
                AWSContext(context: context).report(error, doing: "validating stack \(name) with CloudFormation ValidateTemplate")
                return result
            }
        }
        return result
    }
}

/// A validation outcome in the requested format; shared by validate and audit.
struct ValidationOutput {
    let context: ActionContext

    /// `judged` is false when input errors stopped the run before the validator saw the rules:
    /// the summary then says so instead of counting zero findings (JSON: `judged: false`,
    /// `summary: null`).
    func outcome(
        findings: [Finding], failing: [Finding], passed: Bool, deployment: String?, judged: Bool = true,
        remote: ValidateAction.RemoteValidation? = nil
    ) -> ActionOutcome {
        let request = context.request
        var outputs: [ActionOutcome.Output] = []
        switch request.output {
        case .json:
            var document: [String: JSONValue] = [
                "fail_on": .string(request.failOn.rawValue),
                "passed": .bool(passed),
                "judged": .bool(judged),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": judged ? FindingJSON.severityCounts(findings) : .null,
            ]
            if let deployment { document["deployment"] = .string(deployment) }
            if let remote {
                document["remote"] = [
                    "region": .string(remote.region),
                    "stacks": .array(remote.stacks.map { ["stack": .string($0.name), "accepted": .bool($0.accepted)] }),
                ]
            }
            outputs.append(.json(document))
        case .sarif:
            outputs.append(.sarif(findings: findings, passed: passed))
        case .text:
            let renderer = FindingTextRenderer(useColor: context.useColor, excerpt: context.sources.excerptProvider)
            if !(request.quiet && passed) {
                for finding in findings {
                    outputs.append(.out(
                        FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding)))
                }
                if let remote {
                    let accepted = remote.stacks.filter(\.accepted).count
                    outputs.append(.out("remote: CloudFormation ValidateTemplate in \(remote.region) accepted \(accepted) of \(remote.stacks.count) stack(s)\n"))
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
