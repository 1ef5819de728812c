import SGDiagnostics
import SGPolicy

/// `create-iam-policy`: writes the read-only and deploy IAM policies for the config's deployment
/// into reports/ (`{qualifiedName}-iam-readonly-policy.json`, `...-iam-deploy-policy.json`, and a
/// `...-iam-policy-summary.txt`), after checking them with the same IAM policy checker users can
/// run on theirs. If the tool's own policy has any finding, nothing is written and it exits 1.
struct IAMPolicyAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        let pipeline = Pipeline(context: context)
        guard let deployment = pipeline.load() else { return .failure }
        let identity = deployment.identity
        let policies = deployment.isFleet
            ? FleetIAMPolicyGenerator.policies(for: deployment)
            : [IAMPolicyGenerator.readOnly(for: identity), IAMPolicyGenerator.deploy(
                for: identity, vpcID: deployment.config.vpcID, adoptedGroupIDs: deployment.config.adoptedGroups.map(\.groupID))]
        let findings = policies.flatMap(IAMPolicyChecker.check)
        for finding in findings {
            context.report(.error(
                .iamPolicySelfCheck, "generated IAM policy failed its own check: \(finding.severity.rawValue) \(finding.type) in \(finding.resource): \(finding.description)",
                at: .file(deployment.config.file)))
        }
        if !findings.isEmpty { return .failure }
        let summary = deployment.isFleet
            ? IAMPolicySummary.text(
                identity: identity, policies: policies,
                header: "IAM policies for \(identity.fleetName): StackSet \(identity.stackSetName) administered from \(identity.region), "
                    + "\(deployment.config.targets.count) target(s) read through role \(deployment.config.targetRole)\n",
                attaching: "In the administration account, attach the read-only policy for show-changes, check-drift, verify-vpc and audit, and both to deploy.\n"
                    + "In every target account, attach the target read-only policy to \(deployment.config.targetRole) (trusting the principal that runs the tool) "
                    + "and the StackSet execution policy to \(deployment.config.stackSetExecutionRole ?? "AWSCloudFormationStackSetExecutionRole") "
                    + "(instead of the administrator access of AWS's sample template).\n")
            : IAMPolicySummary.text(identity: identity, policies: policies)
        var written: [String] = []
        do {
            for policy in policies { written.append(try context.writeReport(policy.json.rendered(), named: policy.name + ".json")) }
            written.append(try context.writeReport(summary, named: "\(identity.qualifiedName)-iam-policy-summary.txt"))
        } catch {
            context.report(.error(.cannotWriteOutput, "\(error)", at: nil))
            return .failure
        }
        var outcome = ActionOutcome(code: .success)
        for path in written { outcome.say("wrote \(path)\n") }
        outcome.say(summary)
        return outcome
    }
}
