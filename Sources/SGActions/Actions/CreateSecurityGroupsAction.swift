import SGAWSServices
import SGActionKit
import SGCloudFormation
import SGDeploy
import SGDiagnostics
import SGFleet
import SGModel
import SGReports
import SGValidation

/// `create-security-groups`: validates (input errors or findings at/above --fail-on refuse),
/// creates the stacks in order, or updates existing ones only with --force (without it, refuses
/// and prints what show-changes would report). Waits with progress from stack events; rollbacks
/// name the failing resource and AWS's reason. Production environments then get termination
/// protection and a stack policy against replacing or deleting groups. The live groups are then
/// verified against the model; differences are warnings (the stack stays as deployed).
struct CreateSecurityGroupsAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        guard let deployment = Pipeline(context: context).load() else { return .failure }
        let identity = deployment.identity
        let validation = Pipeline(context: context).judge(deployment)
        guard let compiled = LiveSetup.compile(deployment, context) else { return .failure }
        let failing = validation.findings.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        for finding in failing {
            context.report(.error(
                .deployRefusedByFindings,
                "refusing to deploy: finding \(finding.id) (\(finding.severity.rawValue)) on tier '\(finding.tier)' is at/above --fail-on \(context.request.failOn.rawValue): \(finding.title)",
                at: finding.location))
        }
        if let report = context.request.approvedReport {
            ApprovedReportCheck.check(reportPath: report, stacks: compiled.stacks, targets: deployment.config.targets, context: context)
        }
        if context.diagnostics.hasErrors { return .failure }
        // A deployment with targets is one StackSet over its accounts and regions.
        if deployment.isFleet { return await StackSetCreate(context: context, deployment: deployment, compiled: compiled).run() }
        // Only a deployment that may go out opens AWS (and asks who the caller is).
        guard let setup = await LiveSetup.open(context, for: deployment) else { return .failure }

        let planner = ChangePlanner(cloudFormation: setup.cloudFormation, log: context.deployLog, now: context.environment.now)
        let found: DeployedStacks
        var takeover = LiveTakeover(rules: [], groupIDsByTier: [:])
        do {
            let (plan, deployed) = try await planner.plan(compiled, identity: identity, useChangeSets: false)
            found = deployed
            // An adopted tier whose group no stack holds would be created again under its live
            // name; AWS refuses the duplicate only after the stack started.
            let unheld = deployment.config.adoptedGroups.filter { plan.addedTiers.contains($0.tier) }
            if !unheld.isEmpty {
                let named = unheld.map { "\($0.tier) (\($0.groupID) \($0.groupName))" }.joined(separator: ", ")
                context.report(.error(
                    .adoptionNotDeployable,
                    "tier\(unheld.count == 1 ? " \(named) adopts an existing group" : "s \(named) adopt existing groups") that no stack of \(identity.qualifiedName) holds; creating the stack would create \(unheld.count == 1 ? "it" : "them") again under the same name, which AWS refuses. Taking existing groups into a stack (CloudFormation resource import) is not done by create-security-groups; run -act show-changes to see what it would change on them",
                    at: unheld[0].location))
                return .failure
            }
            if !deployed.existing.isEmpty && !context.request.force {
                let names = deployed.existing.keys.sorted().joined(separator: ", ")
                context.report(.error(
                    .stackExistsNeedsForce,
                    "stack \(names) already exists; updating needs --force. Run -act show-changes to review (it also asks CloudFormation for replacements)",
                    at: nil))
                var refusal = ActionOutcome(code: .failure)
                if !plan.replacements.isEmpty { refusal.outputs.append(.err(plan.replacementBanner())) }
                refusal.say("what updating would change (from the deployed templates):\n" + plan.renderText())
                refusal.say("create-security-groups: \(identity.qualifiedName): REFUSED (\(plan.hasChanges ? "changes pending" : "no changes"))\n")
                return refusal
            }
            for name in deployed.obsolete {
                context.report(.warning(
                    .obsoleteStack, "stack \(name) is no longer part of the compiled deployment; it is left in place (delete it once nothing imports from it)",
                    at: nil))
            }
            if !plan.replacements.isEmpty { context.warn(plan.replacementBanner()) }
            if !deployed.existing.isEmpty { takeover = try await LiveTakeover.find(plan: plan, deployment: deployment, ec2: setup.ec2) }
        } catch {
            AWSContext(context: context).report(error, doing: "looking up the stacks of \(identity.qualifiedName)")
            return .failure
        }

        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let deployer = StackDeployer(context: context, cloudFormation: setup.cloudFormation, interrupt: interrupt)
        guard await takeover.revoke(context: context, ec2: setup.ec2) else {
            return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): FAILED before any stack update\n")])
        }
        var outcomes: [String: StackDeployer.Outcome] = [:]
        for stack in compiled.stacks {
            let outcome = await deployer.deploy(stack, body: stack.template.renderYAML(), existing: found.existing[stack.stackName])
            outcomes[stack.stackName] = outcome
            guard [.created, .updated, .unchanged].contains(outcome) else {
                await takeover.restore(context: context, ec2: setup.ec2, stopped: outcome == .stoppedWatching)
                return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): FAILED at stack \(stack.stackName)\n")])
            }
        }
        await takeover.confirm(context: context, ec2: setup.ec2, deployment: deployment)
        if identity.isProduction {
            for stack in compiled.stacks {
                guard await deployer.protect(stack.stackName) else { break }
            }
        }

        do {
            let verifier = DeploymentVerifier(cloudFormation: setup.cloudFormation, ec2: setup.ec2)
            let result = try await verifier.verify(deployment, stacks: compiled.stacks)
            for difference in result.differences {
                context.report(.warning(.verificationDifference, "live groups differ from the model: \(difference)", at: nil))
            }
            for problem in result.problems {
                context.report(.warning(.verificationDifference, "live rule not understood: \(problem)", at: nil))
            }
            context.record("verification: \(result.differences.count) difference(s)")
        } catch {
            AWSContext(context: context).report(error, doing: "verifying the deployed groups")
        }
        let passed = !context.diagnostics.hasErrors
        let summary = compiled.stacks.map { "\($0.stackName) \(Self.word(outcomes[$0.stackName]))" }.joined(separator: ", ")
        return .ending(passed ? .success : .failure, [.say("create-security-groups: \(identity.qualifiedName): \(summary); \(passed ? "OK" : "FAILED")\n")])
    }

    private static func word(_ outcome: StackDeployer.Outcome?) -> String {
        switch outcome {
        case .created: return "created"
        case .updated: return "updated"
        case .unchanged: return "unchanged"
        default: return "not deployed"
        }
    }
}
