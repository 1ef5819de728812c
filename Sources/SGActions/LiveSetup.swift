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
    static func prepare(_ context: ActionContext) -> LiveSetup? {
        guard let deployment = Pipeline(context: context).load() else { return nil }
        return open(context, for: deployment)
    }

    /// Opens a session and clients for a deployment already loaded; nil (with diagnostics) on failure.
    static func open(_ context: ActionContext, for deployment: Deployment) -> LiveSetup? {
        let aws = AWSContext(context: context)
        guard let session = aws.session(for: deployment.identity) else { return nil }
        do {
            return LiveSetup(deployment: deployment, session: session, cloudFormation: try session.cloudFormation(), ec2: try session.ec2())
        } catch {
            aws.report(error, doing: "preparing AWS clients")
            return nil
        }
    }

    /// Compiles and self-checks; nil (with diagnostics) when the templates must not be deployed.
    func compile(_ context: ActionContext) -> CompilationResult? {
        guard let compiled = Pipeline(context: context).compile(deployment) else { return nil }
        return context.diagnostics.hasErrors ? nil : compiled
    }
}
