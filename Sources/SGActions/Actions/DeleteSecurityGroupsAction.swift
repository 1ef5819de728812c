import SGAWSServices
import SGActionKit
import SGCloudFormation
import SGDeploy
import SGDiagnostics
import SGFleet
import SGModel

/// `delete-security-groups`: deletes the deployment's stacks, last first (rule stacks import from
/// group stacks), and waits for DELETE_COMPLETE. Requires --force; refuses stacks with termination
/// protection unless --disable-termination-protection asks to lift it. Then checks that no security
/// group tagged with the deployment remains (DeletionCheck): groups a template keeps with
/// DeletionPolicy Retain are reported as retained, any other is an error naming it.
struct DeleteSecurityGroupsAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        guard let deployment = Pipeline(context: context).load() else { return .failure }
        if deployment.isFleet { return await Fleet.delete(context, deployment) }
        guard let setup = await LiveSetup.open(context, for: deployment) else { return .failure }
        let identity = setup.deployment.identity
        // The stack names come from the compiler; if the config no longer compiles, the main
        // stack and any split stacks found by probing are still deleted.
        let compiled = TemplateCompiler(toolVersion: context.environment.toolVersion).compile(setup.deployment).stacks
        guard context.request.force else {
            context.report(.error(
                .forceRequired,
                "delete-security-groups deletes stack \(identity.stackName) (and its split stacks) and every security group in it; re-run with --force",
                at: nil))
            return .failure
        }
        let found: DeployedStacks
        do {
            found = try await DeployedStacks.find(compiled, base: identity.stackName, cloudFormation: setup.cloudFormation)
        } catch {
            AWSContext(context: context).report(error, doing: "looking up the stacks of \(identity.qualifiedName)")
            return .failure
        }
        let verifier = DeletionVerifier(cloudFormation: setup.cloudFormation, ec2: setup.ec2)
        // The config's adopted groups are never deleted by the tool, also when no stack holds them
        // (yet: --adopt tags them before it imports them).
        let adoptedByConfig = Dictionary(setup.deployment.config.adoptedGroups.map { adopted in
            (adopted.groupID, "adopted_groups.\(adopted.tier) of \(setup.deployment.config.file), not in any stack")
        }, uniquingKeysWith: { first, _ in first })
        guard !found.existing.isEmpty else {
            // No stack, but groups of the deployment may still be there (left by an earlier delete).
            guard await checkNothingRemains(identity, verifier: verifier, retained: adoptedByConfig) else { return .failure }
            // This ending has never printed the run's diagnostics (they are in the audit log).
            var nothing = ActionOutcome.ending(.success, [.say("delete-security-groups: \(identity.qualifiedName): no stack to delete\n")])
            nothing.printsDiagnostics = false
            return nothing
        }
        // Reverse deployment order: rules stacks (highest part first), extra group stacks, main.
        let order = found.existing.values.sorted {
            DeployedStacks.rank($0.stackName, base: identity.stackName) > DeployedStacks.rank($1.stackName, base: identity.stackName)
        }
        let protected = order.filter(\.terminationProtection)
        if !protected.isEmpty && !context.request.disableTerminationProtection {
            context.report(.error(
                .terminationProtected,
                "termination protection is on for \(protected.map(\.stackName).joined(separator: ", ")); add --disable-termination-protection to lift it and delete",
                at: nil))
            return .failure
        }
        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let deployer = StackDeployer(context: context, cloudFormation: setup.cloudFormation, interrupt: interrupt)
        var retained: [String: String] = [:]
        var stillChanging = false
        for stack in order {
            if stack.terminationProtection {
                do {
                    try await setup.cloudFormation.updateTerminationProtection(stackName: stack.stackName, enabled: false)
                    context.say("stack \(stack.stackName): termination protection disabled\n")
                    context.record("termination protection disabled on \(stack.stackName)")
                } catch {
                    AWSContext(context: context).report(error, doing: "disabling termination protection on \(stack.stackName)")
                    break
                }
            }
            do {
                retained.merge(try await verifier.retainedGroups(in: stack)) { first, _ in first }
                // A retained (adopted) group keeps its inline rules; its rules that are resources
                // of their own go with the stack. Said before, not discovered after.
                let revoked = try await verifier.rulesRevokedOnRetainedGroups(in: stack)
                if !revoked.isEmpty {
                    context.say("stack \(stack.stackName): deleting it also revokes \(revoked.count) rule(s) it holds as resources of their own on"
                        + " the groups it retains: \(revoked.joined(separator: ", ")); the groups and their inline rules stay\n")
                }
            } catch {
                // Not a reason to keep the stack: without the list, a kept group is reported as remaining.
                context.say("stack \(stack.stackName): cannot read which groups it retains (\(error)); any it keeps will be reported as remaining\n")
            }
            let outcome = await deployer.delete(stack)
            stillChanging = outcome == .stoppedWatching
            guard outcome == .deleted else { break }
        }
        // A stack still being deleted is not finished: its groups are expected to be there yet.
        if !stillChanging {
            _ = await checkNothingRemains(identity, verifier: verifier, retained: retained.merging(adoptedByConfig) { stack, _ in stack })
        }
        let passed = !context.diagnostics.hasErrors
        return .ending(passed ? .success : .failure, [.say(
            "delete-security-groups: \(identity.qualifiedName): \(passed ? "deleted \(order.map(\.stackName).joined(separator: ", "))" : "FAILED")\n")])
    }

    /// Runs the deletion check for the deployment and reports what it finds; false when a group remains
    /// or the check could not be made.
    private func checkNothingRemains(_ identity: DeploymentIdentity, verifier: DeletionVerifier, retained: [String: String]) async -> Bool {
        do {
            let check = try await verifier.check(deploymentTag: identity.qualifiedName, retained: retained)
            check.report(to: context.deployLog)
            return check.passed
        } catch {
            AWSContext(context: context).report(error, doing: "checking that no security group of \(identity.qualifiedName) remains")
            return false
        }
    }
}
