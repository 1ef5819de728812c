/// Codes of the validator (E8xx, and E506/W501 of accepted risks): errors in the config's risk
/// inputs that only judging the deployment can find. Each points at the config entry at fault.
public extension DiagnosticCode {
    /// An accepted risk names a finding id the validator does not have.
    static let unknownFindingID = DiagnosticCode("E506", .validation, "An accepted risk names a finding id the validator does not have.")
    /// An accepted risk matches no finding.
    static let unusedAcceptedRisk = DiagnosticCode("W501", .validation, "An accepted risk matches no finding.")
    /// An accepted risk matches more than one finding; the message lists them with the
    /// fingerprint that binds to each.
    static let ambiguousAcceptedRisk = DiagnosticCode(
        "E801", .validation, "An accepted risk matches more than one finding; the message gives the fingerprint of each.")
    /// An accepted risk for a finding about a rule names no rule (`ingress:`, `egress:` or
    /// `fingerprint:` is missing); the message lists the findings it would match.
    static let acceptedRiskNamesNoRule = DiagnosticCode(
        "E802", .validation, "An accepted risk of a finding about a rule names no rule (`ingress`, `egress` or `fingerprint`).")
    /// An accepted risk's `expires` is more than one year after the day it is judged on.
    static let acceptedRiskExpiresTooLate = DiagnosticCode("E803", .validation, "An accepted risk's `expires` is more than a year ahead.")
    /// A `port_catalog` entry gives a built-in port a lower category than the built-in table.
    static let portCatalogLowersBuiltIn = DiagnosticCode(
        "E804", .validation, "A `port_catalog` entry gives a built-in port a lower category than the built-in table.")

    /// The codes of this stage, in the catalog's order.
    static let validationCodes: [DiagnosticCode] = [
        .unknownFindingID, .unusedAcceptedRisk, .ambiguousAcceptedRisk, .acceptedRiskNamesNoRule, .acceptedRiskExpiresTooLate,
        .portCatalogLowersBuiltIn,
    ]
}
