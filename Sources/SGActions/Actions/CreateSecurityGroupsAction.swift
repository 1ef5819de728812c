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
///
/// With --adopt, the adopted tiers no stack holds are first taken in by CloudFormation resource
/// import (`AdoptionPlan`: tag the live groups, IMPORT change set per stack, then the ordinary
/// update); without it, such tiers are refused (E547). Either way, an update that would change a
/// group's GroupName or GroupDescription is refused before anything is sent (E572).
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
        if deployment.isFleet {
            guard !context.request.adopt else {
                context.report(.error(
                    .notForTargets,
                    "--adopt takes existing groups of one account and VPC (adopted_groups) into a stack; a deployment with targets has none and creates its groups in every target",
                    at: nil))
                return .failure
            }
            return await Fleet.create(context, deployment, compiled)
        }
        // Only a deployment that may go out opens AWS (and asks who the caller is).
        guard let setup = await LiveSetup.open(context, for: deployment) else { return .failure }

        let planner = ChangePlanner(cloudFormation: setup.cloudFormation, log: context.deployLog, now: context.environment.now)
        let found: DeployedStacks
        var adoption: AdoptionPlan?
        var takeover = LiveTakeover(rules: [], groupIDsByTier: [:])
        do {
            let adopted = deployment.config.adoptedGroups.isEmpty ? nil : (deployment, AdoptedGroupsReader(ec2: setup.ec2))
            let (plan, deployed) = try await planner.plan(compiled, identity: identity, useChangeSets: false, adopted: adopted)
            found = deployed
            // An adopted tier whose group no stack holds is taken in by resource import (--adopt);
            // deploying without it would create the group again under its live name, which AWS
            // refuses only after the stack started.
            let unheld = deployment.config.adoptedGroups.filter { plan.adoptedTiers[$0.tier] != nil }
            if !unheld.isEmpty && !context.request.adopt {
                let named = unheld.map { "\($0.tier) (\($0.groupID) \($0.groupName))" }.joined(separator: ", ")
                context.report(.error(
                    .adoptionNotDeployable,
                    "tier\(unheld.count == 1 ? " \(named) adopts an existing group" : "s \(named) adopt existing groups") that no stack of \(identity.qualifiedName) holds; creating the stack would create \(unheld.count == 1 ? "it" : "them") again under the same name, which AWS refuses. Add --adopt to take \(unheld.count == 1 ? "it" : "them") into the stack by CloudFormation resource import, without replacing \(unheld.count == 1 ? "it" : "them"); -act show-changes shows what that does",
                    at: unheld[0].location))
                return .failure
            }
            if context.request.adopt {
                guard let plan = adoptionPlan(plan, hasAdoptedGroups: !deployment.config.adoptedGroups.isEmpty) else { return .failure }
                adoption = plan
            }
            ReplacementGuard.refusals(plan, deployment: deployment).forEach(context.report)
            // A stack an IMPORT change set left empty (REVIEW_IN_PROGRESS) holds nothing to protect.
            let existing = deployed.existing.filter { $0.value.status.rawValue != "REVIEW_IN_PROGRESS" }
            if !existing.isEmpty && !context.request.force {
                let names = existing.keys.sorted().joined(separator: ", ")
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
            if context.diagnostics.hasErrors {
                if !plan.replacements.isEmpty { context.warn(plan.replacementBanner()) }
                return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): REFUSED (nothing was sent)\n")])
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
        let adopter = AdoptionDeployer(deployer: deployer, ec2: setup.ec2, now: context.environment.now)
        if let adoption {
            context.say(adoption.renderText())
            guard await adopter.prepare(adoption) else {
                return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): FAILED preparing the adopted groups (nothing imported)\n")])
            }
        }
        guard await takeover.revoke(context: context, ec2: setup.ec2) else {
            return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): FAILED before any stack update\n")])
        }
        var outcomes: [String: StackDeployer.Outcome] = [:]
        var importedStacks: Set<String> = []
        for stack in compiled.stacks {
            var existing = found.existing[stack.stackName]
            for stackImport in adoption?.imports(into: stack.stackName) ?? [] {
                guard await adopter.importResources(stackImport, existing: existing) == .imported else {
                    return .ending(.failure, [.say("create-security-groups: \(identity.qualifiedName): FAILED importing into stack \(stack.stackName)\n")])
                }
                importedStacks.insert(stack.stackName)
                do {
                    existing = try await setup.cloudFormation.describeStack(stack.stackName)
                } catch {
                    AWSContext(context: context).report(error, doing: "reading stack \(stack.stackName) after the import")
                    return .failure
                }
            }
            let outcome = await deployer.deploy(stack, body: stack.template.renderYAML(), existing: existing)
            outcomes[stack.stackName] = outcome
            guard [.created, .updated, .unchanged].contains(outcome) else {
                await takeover.restore(context: context, ec2: setup.ec2, stopped: outcome == .stoppedWatching)
                var lines = ["create-security-groups: \(identity.qualifiedName): FAILED at stack \(stack.stackName)\n"]
                if importedStacks.contains(stack.stackName) {
                    lines.insert(
                        "the adopted groups are in stack \(stack.stackName) now (imported, nothing replaced); after fixing the cause,"
                            + " finish with -act create-security-groups --force\n", at: 0)
                }
                return .ending(.failure, lines.map { .say($0) })
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
        let summary = compiled.stacks.map {
            "\($0.stackName) " + (importedStacks.contains($0.stackName) ? "imported, " : "") + Self.word(outcomes[$0.stackName])
        }.joined(separator: ", ")
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
