import SGAWS
import SGDiagnostics

/// Turns a failure of the AWS layer into a located-nowhere diagnostic with a stable code. One
/// mapping for every caller, so the same AWS answer always carries the same code. No secret passes
/// through here: AWS errors carry code, message and request id only (the client redacts the rest).
public enum AWSFailure {
    /// The diagnostic for `error`, raised while doing `what` (e.g. `creating stack X`).
    public static func diagnostic(_ error: any Error, doing what: String) -> Diagnostic {
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
        return .error(code, message, at: nil)
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
