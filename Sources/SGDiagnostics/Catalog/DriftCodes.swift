/// Codes of `check-drift`: the comparison, the revert, CloudTrail and `--accept` (E52x, E55x, W55x).
public extension DiagnosticCode {
    /// check-drift: a live rule could not be understood, so the comparison is incomplete.
    static let driftUnreadableRule = DiagnosticCode("E520", .drift, "A live rule cannot be understood, so the comparison is incomplete.")
    /// check-drift: `--force` with `--snapshot` (a snapshot cannot be reverted).
    static let driftForceWithSnapshot = DiagnosticCode("E521", .drift, "`--force` with `--snapshot`: a snapshot cannot be reverted.")
    /// check-drift: a revert step failed; the message says which steps were done.
    static let driftRevertFailed = DiagnosticCode("E522", .drift, "A revert step failed; the message says which steps were done.")
    /// check-drift: the CloudTrail search for who changed the drift stopped (no
    /// cloudtrail:LookupEvents permission, CloudTrail unreachable); the drift is reported all the same.
    static let cloudTrailUnavailable = DiagnosticCode("W550", .drift, "The CloudTrail search for who made the drift stopped; the drift is reported all the same.")
    /// check-drift --accept: no drifted item has the fingerprint.
    static let acceptUnknownFingerprint = DiagnosticCode("E551", .drift, "`--accept`: no drifted item has the fingerprint.")
    /// check-drift --accept: the item cannot be accepted into the config (missing or extra group,
    /// AWS default egress); only reverting it is possible.
    static let acceptNotPossible = DiagnosticCode("E552", .drift, "`--accept`: the item cannot be written into the config (a missing or extra group, AWS's default egress).")
    /// check-drift --accept: a finding at or above --fail-on needs an accepted risk with an expiry (--expires).
    static let acceptNeedsAcceptedRisk = DiagnosticCode("E553", .drift, "`--accept`: a finding at or above `--fail-on` needs an accepted risk (`--expires`).")
    /// check-drift --accept: --expires is out of bounds (past, or more than a year ahead).
    static let acceptExpires = DiagnosticCode("E554", .drift, "`--accept`: `--expires` is in the past or more than a year ahead.")
    /// check-drift --accept: the config cannot be edited in place, or the edited config would not
    /// load or not be in sync; nothing was written.
    static let acceptSelfCheck = DiagnosticCode("E555", .drift, "`--accept`: the edited config would not load or not be in sync; nothing was written.")
    /// check-drift --accept: the config file changed on disk while the run was working; nothing was written.
    static let acceptConfigChanged = DiagnosticCode("E556", .drift, "`--accept`: the config file changed on disk during the run; nothing was written.")
    /// check-drift --accept-all: an item that cannot be accepted was left out.
    static let acceptLeftOut = DiagnosticCode("W552", .drift, "`--accept-all`: an item that cannot be accepted was left out.")
    /// check-drift --accept: an accepted risk of the config binds to a rule the accepted change removes.
    static let acceptStaleRisk = DiagnosticCode("W553", .drift, "`--accept`: an accepted risk of the config binds to a rule the accepted change removes.")

    /// The codes of this stage, in the catalog's order.
    static let driftCodes: [DiagnosticCode] = [
        .driftUnreadableRule, .driftForceWithSnapshot, .driftRevertFailed, .cloudTrailUnavailable,
        .acceptUnknownFingerprint, .acceptNotPossible, .acceptNeedsAcceptedRisk, .acceptExpires, .acceptSelfCheck,
        .acceptConfigChanged, .acceptLeftOut, .acceptStaleRisk,
    ]
}
