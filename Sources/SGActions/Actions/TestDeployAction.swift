import SGAWS
import SGCloudFormation
import SGCrypto
import SGDeploy
import SGDiagnostics
import SGModel
import SGReports

/// `test-deploy`: deploys the compiled stacks under throwaway names (`{stackName}-test-{hex}`,
/// group names, exports, SSM names and the deployment tag suffixed the same way), waits, checks
/// the live groups against the model rule by rule, reports every difference, then deletes the
/// stacks unless --keep. Exit 0 only when the live groups match.
struct TestDeployAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        guard let (setup, compiled) = await LiveSetup.prepareCompiled(
            context, refusingTargets: "test-deploy deploys one throwaway stack in one account; a deployment with targets is a StackSet: review it with show-changes, deploy it with create-security-groups")
        else { return .failure }
        let naming = TestStackNaming(hex: SecureRandom.hex(4), identity: setup.deployment.identity)
        let stacks = naming.rename(compiled.stacks)
        for stack in stacks where stack.stackName.count > TestStackNaming.maxStackName {
            context.report(.error(.cfnInvalidName, "test stack name \(stack.stackName) is longer than \(TestStackNaming.maxStackName) characters", at: nil))
        }
        if context.diagnostics.hasErrors { return .failure }
        context.say("test-deploy: deploying \(stacks.map(\.stackName).joined(separator: ", "))\n")
        let interrupt = InterruptFlag()
        interrupt.install()
        defer { interrupt.uninstall() }
        let deployer = StackDeployer(context: context, cloudFormation: setup.cloudFormation, interrupt: interrupt)

        var touched: [StackTemplate] = []
        var deployedAll = true
        var stillChanging = false
        for stack in stacks {
            touched.append(stack)
            let outcome = await deployer.deploy(stack, body: stack.template.renderYAML(), existing: nil)
            guard outcome == .created else {
                deployedAll = false
                stillChanging = outcome == .stoppedWatching
                break
            }
        }

        var differences: [VerificationDifference] = []
        if deployedAll {
            do {
                let verifier = DeploymentVerifier(cloudFormation: setup.cloudFormation, ec2: setup.ec2)
                let result = try await verifier.verify(setup.deployment, stacks: stacks)
                differences = result.differences
                for problem in result.problems { context.say("verification: cannot read \(problem)\n") }
                context.record("verification: \(differences.count) difference(s) over groups \(result.groups.keys.sorted().joined(separator: ", "))")
                for difference in differences {
                    context.report(.error(.verificationFailed, "live groups differ from the model: \(difference)", at: nil))
                }
            } catch {
                AWSContext(context: context).report(error, doing: "verifying the test stacks")
            }
        }

        if context.request.keep || stillChanging {
            let names = touched.map(\.stackName).joined(separator: ", ")
            context.say(stillChanging
                ? "test-deploy: left \(names) in AWS because it is still changing; delete it when it has finished\n"
                : "test-deploy: kept \(names) (--keep); delete with `aws cloudformation delete-stack --stack-name NAME` in reverse order\n")
        } else {
            await cleanUp(touched, naming: naming, deployer: deployer, setup: setup)
        }
        let passed = deployedAll && !context.diagnostics.hasErrors
        return outcome(passed: passed, differences: differences, stacks: stacks.map(\.stackName), name: setup.deployment.identity.qualifiedName)
    }

    /// Deletes what was created, last stack first (rule stacks import from group stacks), then
    /// checks that no group tagged with the test deployment remains.
    private func cleanUp(_ stacks: [StackTemplate], naming: TestStackNaming, deployer: StackDeployer, setup: LiveSetup) async {
        let verifier = DeletionVerifier(cloudFormation: setup.cloudFormation, ec2: setup.ec2)
        var retained: [String: String] = [:]
        for stack in stacks.reversed() {
            do {
                guard let existing = try await setup.cloudFormation.describeStack(stack.stackName) else { continue }
                retained.merge((try? await verifier.retainedGroups(in: existing)) ?? [:]) { first, _ in first }
                guard await deployer.delete(existing) != .stoppedWatching else { return }
            } catch {
                AWSContext(context: context).report(error, doing: "deleting test stack \(stack.stackName)")
            }
        }
        do {
            try await verifier.check(deploymentTag: naming.deploymentTag, retained: retained).report(to: context.deployLog)
        } catch {
            AWSContext(context: context).report(error, doing: "checking that no test security group remains")
        }
    }

    private func outcome(passed: Bool, differences: [VerificationDifference], stacks: [String], name: String) -> ActionOutcome {
        let code: ToolExitCode = passed ? .success : .failure
        switch context.request.output {
        case .json, .sarif:  // sarif is refused for this action at the command line
            return .ending(code, [.json([
                "deployment": .string(name),
                "stacks": .array(stacks.map(JSONValue.string)),
                "passed": .bool(passed),
                "differences": .array(differences.map(\.json)),
            ])])
        case .text:
            return .ending(code, [.say(
                "test-deploy: \(name): \(differences.count) difference(s) between the live groups and the model; \(passed ? "PASSED" : "FAILED")\n")])
        }
    }
}
