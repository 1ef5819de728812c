/// Codes of the actions over a deployment's targets: StackSets and the checks over many accounts
/// and regions (E56x, W56x).
public extension DiagnosticCode {
    /// An action or option that works on one stack in one account was given a config with targets
    /// (test-deploy, verify-vpc, check-drift --snapshot or --force, ...).
    static let notForTargets = DiagnosticCode("E560", .fleet, "An action or option for one stack in one account was given a config with targets.")
    /// One target could not be checked (its role refused, its VPC unreadable, ...): an error of the
    /// run, never drift.
    static let targetFailed = DiagnosticCode("E561", .fleet, "One target could not be checked (its role refused, its VPC unreadable); an error, never drift.")
    /// A StackSet operation failed, or was stopped, in at least one account and region.
    static let stackSetOperationFailed = DiagnosticCode("E562", .fleet, "A StackSet operation failed, or was stopped, in at least one account and region.")
    /// Waiting for a StackSet operation stopped (time limit or Ctrl-C); it goes on in AWS.
    static let stackSetWaitStopped = DiagnosticCode("E563", .fleet, "Waiting for a StackSet operation stopped (`--timeout` or Ctrl-C); it goes on in AWS.")
    /// The StackSet has instances in accounts and regions the config no longer lists; they stay.
    static let obsoleteStackInstance = DiagnosticCode("W560", .fleet, "The StackSet has instances in accounts and regions the config no longer lists; they stay.")

    /// The codes of this stage, in the catalog's order.
    static let fleetCodes: [DiagnosticCode] = [
        .notForTargets, .targetFailed, .stackSetOperationFailed, .stackSetWaitStopped, .obsoleteStackInstance,
    ]
}
