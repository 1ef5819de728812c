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
    /// create-security-groups --adopt: an adopted group cannot be taken in as it is (it does not
    /// exist, its name, description or VPC differ from the compiled ones, a rule has no id, ...).
    static let adoptionRefused: DiagnosticCode = "E570"
    /// show-changes: what --adopt would refuse (E570), as a warning.
    static let adoptionWouldBeRefused: DiagnosticCode = "W570"
    /// The IMPORT change set failed, or would do something other than import the planned resources.
    static let adoptionImportFailed: DiagnosticCode = "E571"
    /// A change set (or the empty stack it created) could not be cleaned up after a failed import.
    static let adoptionCleanupFailed: DiagnosticCode = "W571"
    /// create-security-groups: an update would change a group's GroupName or GroupDescription (or
    /// an adopted group's VpcId), which CloudFormation can only do by replacing the group; refused
    /// before anything is sent.
    static let replacementRefused: DiagnosticCode = "E572"
    /// show-changes: an update create-security-groups would refuse (E572), as a warning.
    static let replacementWouldBeRefused: DiagnosticCode = "W572"

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
        .adoptionRefused, .adoptionWouldBeRefused, .adoptionImportFailed, .adoptionCleanupFailed, .replacementRefused,
        .replacementWouldBeRefused,
    ]
}
