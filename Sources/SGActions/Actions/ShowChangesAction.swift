import SGAWSServices
import SGActionKit
import SGCloudFormation
import SGDeploy
import SGDiagnostics
import SGFleet
import SGModel
import SGReports

/// `show-changes`: what deploying the config now would change. Rule-level diff of the deployed
/// stacks' templates (GetTemplate; a missing stack means everything is new) against the compiled
/// ones, per tier; every resource CloudFormation would replace, from the two templates and from an
/// UPDATE change set per existing stack (created, read, deleted). Replacements are announced on
/// stderr in a banner. Adopted groups no stack holds yet are compared with their live groups, and
/// the adoption plan (`create-security-groups --adopt`) is printed after the diff; what --adopt or
/// a deploy would refuse is a warning (W570). Exit 0 nothing to change, 3 changes pending, 1 error.
struct ShowChangesAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        guard let (setup, compiled) = await LiveSetup.prepareCompiled(context) else {
            return finish(plan: nil, deployment: nil)
        }
        if setup.deployment.isFleet { return await Fleet.showChanges(context, setup, compiled) }
        do {
            let (plan, _) = try await ChangePlanner(cloudFormation: setup.cloudFormation, log: context.deployLog, now: context.environment.now)
                .plan(compiled, identity: setup.deployment.identity, useChangeSets: true,
                      adopted: (setup.deployment, AdoptedGroupsReader(ec2: setup.ec2)))
            return finish(plan: plan, deployment: setup.deployment)
        } catch let failure as ChangeSetFailure {
            context.report(.error(.awsServiceError, failure.description, at: nil))
        } catch {
            AWSContext(context: context).report(error, doing: "comparing with the deployed stacks")
        }
        return finish(plan: nil, deployment: setup.deployment)
    }

    private func finish(plan: ChangePlan?, deployment: Deployment?) -> ActionOutcome {
        let code: ToolExitCode = plan.map { $0.hasChanges ? .changes : .success } ?? .failure
        let name = deployment?.identity.qualifiedName ?? context.request.config ?? "-"
        if let plan {
            context.record("show-changes: \(plan.ruleChanges.count) rule change(s), \(plan.replacements.count) replacement(s)")
            for replacement in plan.replacements {
                context.record("REPLACEMENT \(replacement.stackName) \(replacement.logicalID): \(replacement.reason)")
            }
            // What create-security-groups would refuse, said now (the plan lists them too).
            for problem in plan.adoption?.problems ?? [] {
                context.report(.warning(.adoptionWouldBeRefused, "create-security-groups --adopt would refuse: \(problem.message)", at: problem.location))
            }
            if let deployment {
                for refusal in ReplacementGuard.refusals(plan, deployment: deployment) {
                    context.report(.warning(.replacementWouldBeRefused, "create-security-groups would refuse: \(refusal.message)", at: refusal.location))
                }
            }
        }
        var outcome = ActionOutcome(code: code)
        switch context.request.output {
        case .json, .sarif:  // sarif is refused for this action at the command line
            outcome.outputs.append(.json(["deployment": .string(name), "plan": plan?.json() ?? .null]))
            if let plan, !plan.replacements.isEmpty { outcome.outputs.append(.err(plan.replacementBanner())) }
        case .text:
            guard let plan else { return outcome }
            if !plan.replacements.isEmpty { outcome.outputs.append(.err(plan.replacementBanner())) }
            outcome.say(plan.renderText())
            let summary = plan.hasChanges
                ? "\(plan.ruleChanges.count) rule change(s), \(plan.addedTiers.count) new tier(s), \(plan.adoptedTiers.count) adopted tier(s), \(plan.removedTiers.count) removed tier(s), \(plan.replacements.count) replacement(s); changes pending"
                : "no changes"
            outcome.say("show-changes: \(name): \(summary)\n")
        }
        return outcome
    }
}
