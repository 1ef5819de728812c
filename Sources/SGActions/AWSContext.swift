import Foundation
import SGAWS
import SGDiagnostics
import SGModel

/// The bridge from a run's request to the AWS client: one place decides region, profile, endpoint
/// and debug output, and turns AWS failures into diagnostics. No secret passes through here: the
/// debug hook only ever sees service, action, attempt, status, request id and duration.
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
        let code: DiagnosticCode
        let message: String
        switch error {
        case let error as AWSError:
            code = error.code == "AccessDenied" || error.code == "UnauthorizedOperation" || error.code == "AuthFailure"
                ? .awsAccessDenied : .awsServiceError
            message = "\(what): AWS error \(error.code): \(error.message)\(error.requestID.map { " (request id \($0))" } ?? "")"
        case let error as AWSClientError:
            switch error {
            case .credentials: code = .awsCredentials
            case .configuration: code = .awsConfiguration
            default: code = .awsUnreachable
            }
            message = "\(what): \(error)"
        default:
            code = .awsUnreachable
            message = "\(what): \(error)"
        }
        context.report(.error(code, message, at: nil))
    }
}

/// Diagnostic codes for talking to AWS (E6xx).
public extension DiagnosticCode {
    /// AWS answered with an error.
    static let awsServiceError: DiagnosticCode = "E601"
    /// AWS refused the caller (AccessDenied, UnauthorizedOperation, AuthFailure).
    static let awsAccessDenied: DiagnosticCode = "E602"
    /// No usable credentials.
    static let awsCredentials: DiagnosticCode = "E603"
    /// Region or endpoint settings are missing or invalid.
    static let awsConfiguration: DiagnosticCode = "E604"
    /// AWS could not be reached, or kept failing after retries.
    static let awsUnreachable: DiagnosticCode = "E605"

    /// Every AWS code, for the catalog test.
    static let awsCodes: [DiagnosticCode] = [.awsServiceError, .awsAccessDenied, .awsCredentials, .awsConfiguration, .awsUnreachable]
}
