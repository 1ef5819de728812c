import SGAWS
import SGCloudFormation
import SGModel
import SGValidation

/// What every live, config-driven action prepares first: the deployment, its compilation (when
/// asked) and AWS clients for its region. Failures are reported into the context.
struct LiveSetup {
    let deployment: Deployment
    let session: AWSSession
    let cloudFormation: CloudFormationClient
    let ec2: EC2Client

    /// Loads the config and opens a session; nil (with diagnostics) on failure.
    static func prepare(_ context: ActionContext) async -> LiveSetup? {
        guard let deployment = Pipeline(context: context).load() else { return nil }
        return await open(context, for: deployment)
    }

    /// Opens a session (identifying the caller) and clients for a deployment already loaded; nil
    /// (with diagnostics) on failure.
    static func open(_ context: ActionContext, for deployment: Deployment) async -> LiveSetup? {
        let aws = AWSContext(context: context)
        guard let session = await aws.session(for: deployment.identity) else { return nil }
        do {
            return LiveSetup(deployment: deployment, session: session, cloudFormation: try session.cloudFormation(), ec2: try session.ec2())
        } catch {
            aws.report(error, doing: "preparing AWS clients")
            return nil
        }
    }

    /// Loads and compiles the config, then opens the session: what needs no AWS comes first, so a
    /// config that cannot deploy is reported as such without asking AWS who the caller is (and also
    /// when AWS cannot be reached). Nil (with diagnostics) on failure.
    /// `refusingTargets`: the error for an action that cannot work on a deployment with targets.
    static func prepareCompiled(_ context: ActionContext, refusingTargets: String? = nil) async -> (setup: LiveSetup, compiled: CompilationResult)? {
        guard let deployment = Pipeline(context: context).load() else { return nil }
        if let refusal = refusingTargets, deployment.isFleet {
            context.report(.error(.notForTargets, refusal, at: nil))
            return nil
        }
        guard let compiled = compile(deployment, context), let setup = await open(context, for: deployment) else { return nil }
        return (setup, compiled)
    }

    /// Compiles and self-checks; nil (with diagnostics) when the templates must not be deployed.
    static func compile(_ deployment: Deployment, _ context: ActionContext) -> CompilationResult? {
        guard let compiled = Pipeline(context: context).compile(deployment) else { return nil }
        return context.diagnostics.hasErrors ? nil : compiled
    }
}
