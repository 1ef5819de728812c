/// Codes for talking to AWS (E6xx).
public extension DiagnosticCode {
    /// AWS answered with an error.
    static let awsServiceError = DiagnosticCode("E601", .aws, "AWS answered with an error (its code and message follow).")
    /// AWS refused the caller (AccessDenied, UnauthorizedOperation, AuthFailure).
    static let awsAccessDenied = DiagnosticCode("E602", .aws, "AWS refused the caller (AccessDenied, UnauthorizedOperation, AuthFailure).")
    /// No usable credentials.
    static let awsCredentials = DiagnosticCode("E603", .aws, "No usable AWS credentials.")
    /// Region or endpoint settings are missing or invalid.
    static let awsConfiguration = DiagnosticCode("E604", .aws, "The AWS region or endpoint settings are missing or invalid.")
    /// AWS could not be reached, or kept failing after retries.
    static let awsUnreachable = DiagnosticCode("E605", .aws, "AWS could not be reached, or kept failing after retries.")

    /// The codes of this stage, in the catalog's order.
    static let awsCodes: [DiagnosticCode] = [.awsServiceError, .awsAccessDenied, .awsCredentials, .awsConfiguration, .awsUnreachable]
}
