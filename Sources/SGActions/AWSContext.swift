import Foundation
import SGAWS
import SGDeploy
import SGModel

/// The bridge from a run's request to the AWS client: one place decides region, profile, endpoint
/// and debug output, and turns AWS failures into diagnostics (`AWSFailure`). No secret passes
/// through here: the debug hook only ever sees service, action, attempt, status, request id and
/// duration.
struct AWSContext {
    let context: ActionContext

    /// The session for a deployment (the config's region unless --region overrides it), or for no
    /// config (audit: --region, AWS_REGION, the profile). Reports a diagnostic and returns nil on failure.
    func session(for identity: DeploymentIdentity?) -> AWSSession? {
        let request = context.request
        var system = AWSSystem.live
        system.environment = context.environment.variables
        let environment = context.environment
        var debugLog: (@Sendable (AWSRequestLog) -> Void)?
        if request.debug {
            debugLog = { entry in environment.writeErr("aws: \(entry)\n") }
        }
        let options = AWSSessionOptions(
            profile: request.profile, region: request.region ?? identity?.region,
            endpointURL: request.endpointURL, debugLog: debugLog)
        do {
            let session = try AWSSession.resolve(options: options, system: system)
            context.record("aws: region \(session.region)\(request.endpointURL.map { " endpoint \($0)" } ?? "")")
            return session
        } catch {
            report(error, doing: "preparing AWS access")
            return nil
        }
    }

    /// Reports any error from the AWS layer as a located-nowhere diagnostic with a stable code.
    func report(_ error: any Error, doing what: String) {
        context.report(AWSFailure.diagnostic(error, doing: what))
    }
}
