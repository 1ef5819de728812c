import SGDiagnostics

/// Diagnostic codes of the validator (E8xx): errors in the config's risk inputs that only
/// judging the deployment can find. Each points at the config entry at fault. Codes never
/// change meaning.
public extension DiagnosticCode {
    /// An accepted risk matches more than one finding; the message lists them with the
    /// fingerprint that binds to each.
    static let ambiguousAcceptedRisk: DiagnosticCode = "E801"
    /// An accepted risk for a finding about a rule names no rule (`ingress:`, `egress:` or
    /// `fingerprint:` is missing); the message lists the findings it would match.
    static let acceptedRiskNamesNoRule: DiagnosticCode = "E802"
    /// An accepted risk's `expires` is more than one year after the day it is judged on.
    static let acceptedRiskExpiresTooLate: DiagnosticCode = "E803"
    /// A `port_catalog` entry gives a built-in port a lower category than the built-in table.
    static let portCatalogLowersBuiltIn: DiagnosticCode = "E804"

    /// Every code of this module, for the catalog test.
    static let validationCodes: [DiagnosticCode] = [
        .ambiguousAcceptedRisk, .acceptedRiskNamesNoRule, .acceptedRiskExpiresTooLate, .portCatalogLowersBuiltIn,
    ]
}
