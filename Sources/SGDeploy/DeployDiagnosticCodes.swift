import SGDiagnostics

/// Diagnostic codes of the deploying actions (E51x, W51x).
public extension DiagnosticCode {
    /// The stack exists and the action needs --force to touch it.
    static let stackExistsNeedsForce: DiagnosticCode = "E510"
    /// The action needs --force.
    static let forceRequired: DiagnosticCode = "E511"
    /// The stack is busy or in a state that cannot be updated.
    static let stackBusy: DiagnosticCode = "E512"
    /// The stack operation failed or rolled back.
    static let stackFailed: DiagnosticCode = "E513"
    /// Waiting stopped (time limit or Ctrl-C) while the stack keeps changing.
    static let stackWaitStopped: DiagnosticCode = "E514"
    /// Termination protection is on and was not asked to be lifted.
    static let terminationProtected: DiagnosticCode = "E515"
    /// The VPC does not exist, or its CIDR differs from the config's vpc_cidr.
    static let vpcMismatch: DiagnosticCode = "E516"
    /// Validation refused the deployment (findings at/above --fail-on).
    static let deployRefusedByFindings: DiagnosticCode = "E517"
    /// The live groups differ from the model (test-deploy: error).
    static let verificationFailed: DiagnosticCode = "E518"
    /// The live groups differ from the model after create-security-groups (the stack stays).
    static let verificationDifference: DiagnosticCode = "W510"
    /// A stack that is no longer part of the compiled deployment still exists.
    static let obsoleteStack: DiagnosticCode = "W511"
    /// --approved-report names other templates (hash, stack set) than the ones about to be deployed.
    static let approvedReportMismatch: DiagnosticCode = "E519"
    /// Security groups tagged with the deployment remain after its stacks were deleted.
    static let groupsRemainAfterDelete: DiagnosticCode = "E524"
    /// create-security-groups: tiers adopt existing groups that no stack of the deployment holds;
    /// creating the stack would try to create groups with their names again.
    static let adoptionNotDeployable: DiagnosticCode = "E547"

    /// create-security-groups could not revoke a live rule the update would create (nothing was
    /// deployed), or could not put one back after a failed update.
    static let liveRuleTakeoverFailed: DiagnosticCode = "E525"
    /// create-security-groups: a rule revoked for the update is not back, or the update is still running.
    static let liveRuleTakeover: DiagnosticCode = "W512"

    /// Every code of the deploying actions, for the catalog test.
    static let deployCodes: [DiagnosticCode] = [
        .stackExistsNeedsForce, .forceRequired, .stackBusy, .stackFailed, .stackWaitStopped, .terminationProtected,
        .vpcMismatch, .deployRefusedByFindings, .verificationFailed, .verificationDifference, .obsoleteStack,
        .approvedReportMismatch, .groupsRemainAfterDelete, .adoptionNotDeployable, .liveRuleTakeoverFailed, .liveRuleTakeover,
    ]
}
