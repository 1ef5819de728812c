import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGModel
import SGReports

/// `show-changes`: what deploying the config now would change. Rule-level diff of the deployed
/// stacks' templates (GetTemplate; a missing stack means everything is new) against the compiled
/// ones, per tier; every resource CloudFormation would replace, from the two templates and from an
/// UPDATE change set per existing stack (created, read, deleted). Replacements are announced on
/// stderr in a banner. Exit 0 nothing to change, 3 changes pending, 1 error.
struct ShowChangesAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        guard let setup = LiveSetup.prepare(context), let compiled = setup.compile(context) else {
            return finish(plan: nil, deployment: nil)
        }
        do {
            let (plan, _) = try await ChangePlanner(context: context, cloudFormation: setup.cloudFormation)
                .plan(compiled, identity: setup.deployment.identity, useChangeSets: true)
            return finish(plan: plan, deployment: setup.deployment)
        } catch let failure as ChangeSetFailure {
            context.report(.error(.awsServiceError, failure.description, at: nil))
        } catch {
            AWSContext(context: context).report(error, doing: "comparing with the deployed stacks")
        }
        return finish(plan: nil, deployment: setup.deployment)
    }

    private func finish(plan: ChangePlan?, deployment: Deployment?) -> ToolExitCode {
        let code: ToolExitCode = plan.map { $0.hasChanges ? .changes : .success } ?? .failure
        let name = deployment?.identity.qualifiedName ?? context.request.config ?? "-"
        if let plan {
            context.record("show-changes: \(plan.ruleChanges.count) rule change(s), \(plan.replacements.count) replacement(s)")
            for replacement in plan.replacements {
                context.record("REPLACEMENT \(replacement.stackName) \(replacement.logicalID): \(replacement.reason)")
            }
        }
        switch context.request.output {
        case .json, .sarif:  // sarif is refused for this action at the command line
            let document: JSONValue = [
                "action": .string(context.request.action.rawValue),
                "tool_version": .string(context.environment.toolVersion),
                "deployment": .string(name),
                "errors": .array(context.diagnostics.sorted.filter { $0.severity == .error }.map(FindingJSON.diagnostic)),
                "plan": plan?.json() ?? .null,
            ]
            context.environment.writeOut(document.rendered())
            if let plan, !plan.replacements.isEmpty { context.warn(plan.replacementBanner()) }
        case .text:
            context.printDiagnostics()
            guard let plan else { return code }
            if !plan.replacements.isEmpty { context.warn(plan.replacementBanner()) }
            context.say(plan.renderText())
            let summary = plan.hasChanges
                ? "\(plan.ruleChanges.count) rule change(s), \(plan.addedTiers.count) new tier(s), \(plan.removedTiers.count) removed tier(s), \(plan.replacements.count) replacement(s); changes pending"
                : "no changes"
            context.say("show-changes: \(name): \(summary)\n")
        }
        return code
    }
}
