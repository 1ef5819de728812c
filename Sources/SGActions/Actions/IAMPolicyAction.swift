import SGDiagnostics
import SGModel
import SGReports
import SGValidation

/// `create-iam-policy`: writes the read-only and deploy IAM policies for the config's deployment
/// into reports/ (`{qualifiedName}-iam-readonly-policy.json`, `...-iam-deploy-policy.json`, and a
/// `...-iam-policy-summary.txt`), after checking them with the same IAM policy checker users can
/// run on theirs. If the tool's own policy has any finding, nothing is written and it exits 1.
struct IAMPolicyAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        let pipeline = Pipeline(context: context)
        guard let deployment = pipeline.load() else {
            context.printDiagnostics()
            return .failure
        }
        let identity = deployment.identity
        let policies = [IAMPolicyGenerator.readOnly(for: identity), IAMPolicyGenerator.deploy(for: identity, vpcID: deployment.config.vpcID)]
        let findings = policies.flatMap(IAMPolicyChecker.check)
        for finding in findings {
            context.report(.error(
                .iamPolicySelfCheck, "generated IAM policy failed its own check: \(finding.severity.rawValue) \(finding.type) in \(finding.resource): \(finding.description)",
                at: .file(deployment.config.file)))
        }
        if !findings.isEmpty {
            context.printDiagnostics()
            return .failure
        }
        let summary = Self.summary(identity: identity, policies: policies)
        var written: [String] = []
        do {
            for policy in policies { written.append(try context.writeReport(policy.json.rendered(), named: policy.name + ".json")) }
            written.append(try context.writeReport(summary, named: "\(identity.qualifiedName)-iam-policy-summary.txt"))
        } catch {
            context.report(.error(.cannotWriteOutput, "\(error)", at: nil))
            context.printDiagnostics()
            return .failure
        }
        context.printDiagnostics()
        for path in written { context.say("wrote \(path)\n") }
        context.say(summary)
        return .success
    }

    /// The text summary: what each statement allows and why, and every `*` resource exception.
    static func summary(identity: DeploymentIdentity, policies: [IAMPolicyDocument]) -> String {
        var out = "IAM policies for \(identity.qualifiedName) (region \(identity.region), stacks \(identity.company)-*, "
        out += "parameters /\(identity.company)/*, groups tagged \(DeploymentIdentity.deploymentTagKey)=\(identity.qualifiedName))\n"
        var exceptions: [String] = []
        for policy in policies {
            out += "\n\(policy.name).json\n"
            for statement in policy.statements {
                out += "  \(statement.sid): \(statement.actions.joined(separator: ", "))\n    on \(statement.resources.joined(separator: ", "))"
                if !statement.conditions.isEmpty {
                    out += "\n    when " + statement.conditions.map { "\($0.key) = \($0.values.joined(separator: "|"))" }.joined(separator: " and ")
                }
                out += "\n    why: \(statement.rationale)\n"
                if statement.resources.contains("*") { exceptions.append("\(policy.name): \(statement.sid) — \(statement.rationale)") }
            }
        }
        out += "\nResource \"*\" only where AWS requires it (\(exceptions.count) statement(s)):\n"
        for exception in exceptions { out += "  - \(exception)\n" }
        out += "\nNo wildcard action anywhere. Policy check (admin access, wildcard actions/resources, missing scoping): 0 findings.\n"
        out += "Attach the read-only policy for show-changes, check-drift, verify-vpc and audit; attach both to deploy.\n"
        return out
    }
}
