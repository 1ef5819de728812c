import SGDiagnostics

/// Diagnostic codes of the action layer (E5xx: command line, files, availability; W5xx warnings).
public extension DiagnosticCode {
    /// The action needs `-con`.
    static let missingConfigOption: DiagnosticCode = "E501"
    /// An output file could not be written.
    static let cannotWriteOutput: DiagnosticCode = "E502"
    /// The action is specified but not built yet.
    static let actionNotAvailable: DiagnosticCode = "E503"
    /// The compiled template failed the tool's own self-check.
    static let templateSelfCheck: DiagnosticCode = "E504"
    /// An input file given on the command line (--snapshot, --template, --approved-report) is unusable.
    static let badInputFile: DiagnosticCode = "E505"
    /// An accepted risk names a finding id the validator does not have.
    static let unknownFindingID: DiagnosticCode = "E506"
    /// The IAM policy the tool generated for itself failed its own policy check.
    static let iamPolicySelfCheck: DiagnosticCode = "E507"
    /// audit-security-groups was given no source, or more than one.
    static let auditSource: DiagnosticCode = "E508"
    /// audit-security-groups: a --template/--snapshot glob or directory names no file.
    static let auditInputMatchesNothing: DiagnosticCode = "E509"
    /// `-con DIR` or `-con 'GLOB'` names no config file (an empty directory, a pattern that
    /// matches nothing).
    static let noConfigSelected: DiagnosticCode = "E530"
    /// An accepted risk matches no finding.
    static let unusedAcceptedRisk: DiagnosticCode = "W501"
    /// check-drift: a live rule could not be understood, so the comparison is incomplete.
    static let driftUnreadableRule: DiagnosticCode = "E520"
    /// check-drift: `--force` with `--snapshot` (a snapshot cannot be reverted).
    static let driftForceWithSnapshot: DiagnosticCode = "E521"
    /// check-drift: a revert step failed; the message says which steps were done.
    static let driftRevertFailed: DiagnosticCode = "E522"
    /// validate-prov-template --remote: CloudFormation's ValidateTemplate rejected a stack's template.
    static let remoteValidationRejected: DiagnosticCode = "E523"

    /// check-drift: the CloudTrail search for who changed the drift stopped (no
    /// cloudtrail:LookupEvents permission, CloudTrail unreachable); the drift is reported all the same.
    static let cloudTrailUnavailable: DiagnosticCode = "W550"
    /// check-drift --accept: no drifted item has the fingerprint.
    static let acceptUnknownFingerprint: DiagnosticCode = "E551"
    /// check-drift --accept: the item cannot be accepted into the config (missing or extra group,
    /// AWS default egress); only reverting it is possible.
    static let acceptNotPossible: DiagnosticCode = "E552"
    /// check-drift --accept: a finding at or above --fail-on needs an accepted risk with an expiry (--expires).
    static let acceptNeedsAcceptedRisk: DiagnosticCode = "E553"
    /// check-drift --accept: --expires is out of bounds (past, or more than a year ahead).
    static let acceptExpires: DiagnosticCode = "E554"
    /// check-drift --accept: the config cannot be edited in place, or the edited config would not
    /// load or not be in sync; nothing was written.
    static let acceptSelfCheck: DiagnosticCode = "E555"
    /// check-drift --accept: the config file changed on disk while the run was working; nothing was written.
    static let acceptConfigChanged: DiagnosticCode = "E556"
    /// check-drift --accept-all: an item that cannot be accepted was left out.
    static let acceptLeftOut: DiagnosticCode = "W552"
    /// check-drift --accept: an accepted risk of the config binds to a rule the accepted change removes.
    static let acceptStaleRisk: DiagnosticCode = "W553"

    /// Every code of this module, for the catalog test.
    static let actionCodes: [DiagnosticCode] = [
        .missingConfigOption, .cannotWriteOutput, .actionNotAvailable, .templateSelfCheck, .badInputFile, .unknownFindingID,
        .iamPolicySelfCheck, .auditSource, .auditInputMatchesNothing, .noConfigSelected, .unusedAcceptedRisk,
        .driftUnreadableRule, .driftForceWithSnapshot, .driftRevertFailed, .remoteValidationRejected,
        .cloudTrailUnavailable, .acceptUnknownFingerprint, .acceptNotPossible, .acceptNeedsAcceptedRisk, .acceptExpires,
        .acceptSelfCheck, .acceptConfigChanged, .acceptLeftOut, .acceptStaleRisk,
    ] + fleetCodes
}
