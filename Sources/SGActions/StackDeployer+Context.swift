import SGAWSServices
import SGActionKit
import SGDeploy

extension StackDeployer {
    /// A deployer for one run: `--timeout`, the run's clock, progress and diagnostics into the context.
    init(context: ActionContext, cloudFormation: CloudFormationClient, interrupt: InterruptFlag) {
        self.init(
            cloudFormation: cloudFormation, interrupt: interrupt, timeoutMinutes: context.request.timeoutMinutes,
            now: context.environment.now, log: context.deployLog)
    }
}
