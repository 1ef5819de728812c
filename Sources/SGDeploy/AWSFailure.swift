import SGAWS
import SGDiagnostics

/// Turns a failure of the AWS layer into a located-nowhere diagnostic with a stable code. One
/// mapping for every caller, so the same AWS answer always carries the same code. No secret passes
/// through here: AWS errors carry code, message and request id only (the client redacts the rest).
public enum AWSFailure {
    /// The diagnostic for `error`, raised while doing `what` (e.g. `creating stack X`). A call that
    /// was retried is told attempt by attempt, the first failure first and its code the one given:
    /// a later answer (AlreadyExists) is often only a consequence of the first (a failure after
    /// the request had taken effect).
    public static func diagnostic(_ error: any Error, doing what: String) -> Diagnostic {
        let code: DiagnosticCode
        let message: String
        switch error {
        case let error as AWSError where !error.earlierAttempts.isEmpty:
            code = Self.code(for: error.attempts[0])
            message = "\(what): \(AWSRequestFailure.history(error.attempts))"
        case let error as AWSError:
            code = Self.code(for: .service(error))
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
        return .error(code, message, at: nil)
    }

    /// The code of one attempt's failure.
    static func code(for failure: AWSRequestFailure) -> DiagnosticCode {
        switch failure {
        case .service(let error):
            return error.code == "AccessDenied" || error.code == "UnauthorizedOperation" || error.code == "AuthFailure"
                ? .awsAccessDenied : .awsServiceError
        case .transport:
            return .awsUnreachable
        }
    }
}
