import Foundation
import SGAWS
import SGAWSCredentials
import SGDeploy
import SGModel
import SGReports

/// The bridge from a run's request to the AWS client: one place decides region, profile, endpoint
/// and debug output, and turns AWS failures into diagnostics (`AWSFailure`). No secret passes
/// through here: the debug hook only ever sees service, action, attempt, status, request id and
/// duration.
package struct AWSContext {
    let context: ActionContext

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(context: ActionContext) {
        self.context = context
    }

    /// The session for a deployment (the config's region unless --region overrides it), or for no
    /// config (audit: --region, AWS_REGION, the profile), with the caller identified: every live
    /// action asks sts:GetCallerIdentity once, before anything else, and records who acts (principal,
    /// account, how the credentials were obtained; never a secret) in its audit log and JSON output.
    /// A caller that cannot be identified does not act. Reports a diagnostic and returns nil on failure.
    package func session(for identity: DeploymentIdentity?) async -> AWSSession? {
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
        let session: AWSSession
        do {
            session = try AWSSession.resolve(options: options, system: system)
            context.record("aws: region \(session.region)\(request.endpointURL.map { " endpoint \($0)" } ?? "")")
        } catch {
            report(error, doing: "preparing AWS access")
            return nil
        }
        do {
            let caller = try await session.sts().getCallerIdentity()
            // Already fetched for the call above: the cache answers without another request.
            let credentials = try await session.credentials.credentials()
            let acting = AWSCaller(identity: caller, credentials: credentials)
            context.identifyCaller(acting)
            if request.debug { environment.writeErr("aws: acting as \(acting.arn) in account \(acting.account) (\(acting.credentials))\n") }
            return session
        } catch {
            report(error, doing: "identifying the caller (sts:GetCallerIdentity)")
            return nil
        }
    }

    /// Reports any error from the AWS layer as a located-nowhere diagnostic with a stable code.
    package func report(_ error: any Error, doing what: String) {
        context.report(AWSFailure.diagnostic(error, doing: what))
    }
}

/// Who a live action acts as: what sts:GetCallerIdentity answered and how the credentials were
/// obtained. Written to the audit log and JSON output so a run can be tied to CloudTrail; it holds
/// no secret (the access key id is not recorded either: the principal is what CloudTrail shows).
package struct AWSCaller: Equatable {
    /// The 12-digit account.
    let account: String
    /// The principal's ARN (`arn:aws:sts::123456789012:assumed-role/role/session`, `...:user/name`).
    let arn: String
    /// The principal's unique id (`AROA...:session`, `AIDA...`).
    let userID: String
    /// botocore's name for how the credentials were obtained (`env`, `assume-role`, `sso`, ...).
    let credentialMethod: String
    /// Where they came from: profile, file, role, token file (never their value).
    let credentialSource: String

    init(identity: CallerIdentity, credentials: AWSCredentials) {
        account = identity.account
        arn = identity.arn
        userID = identity.userID
        credentialMethod = credentials.method.rawValue
        credentialSource = credentials.source
    }

    /// `method: source`, as the audit log shows it.
    var credentials: String { "\(credentialMethod): \(credentialSource)" }

    /// The `aws_caller` object of JSON output.
    var json: JSONValue {
        .object([
            "account": .string(account), "arn": .string(arn), "user_id": .string(userID),
            "credential_method": .string(credentialMethod), "credential_source": .string(credentialSource),
        ])
    }
}
