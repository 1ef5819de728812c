/// Codes of the deploying actions: show-changes, test-deploy, create- and delete-security-groups
/// (E51x, E52x, E57x, W51x, W57x) and the deployed templates they read back (E411).
public extension DiagnosticCode {
    /// Template text (from GetTemplate) that is not a CloudFormation template.
    static let cfnTemplateText = DiagnosticCode("E411", .deploy, "A deployed stack's template, as CloudFormation returns it, is not a CloudFormation template.")
    /// The stack exists and the action needs --force to touch it.
    static let stackExistsNeedsForce = DiagnosticCode("E510", .deploy, "The stack exists, and changing it needs `--force`.")
    /// The action needs --force.
    static let forceRequired = DiagnosticCode("E511", .deploy, "The action needs `--force`.")
    /// The stack is busy or in a state that cannot be updated.
    static let stackBusy = DiagnosticCode("E512", .deploy, "The stack is busy, or in a state that cannot be updated.")
    /// The stack operation failed or rolled back.
    static let stackFailed = DiagnosticCode("E513", .deploy, "The stack operation failed or rolled back (the failed events are listed).")
    /// Waiting stopped (time limit or Ctrl-C) while the stack keeps changing.
    static let stackWaitStopped = DiagnosticCode("E514", .deploy, "Waiting stopped (`--timeout` or Ctrl-C) while the stack keeps changing in AWS.")
    /// Termination protection is on and was not asked to be lifted.
    static let terminationProtected = DiagnosticCode("E515", .deploy, "The stack has termination protection, and lifting it was not asked for.")
    /// The VPC does not exist, or its CIDR differs from the config's vpc_cidr.
    static let vpcMismatch = DiagnosticCode("E516", .deploy, "The VPC does not exist, or its CIDR differs from the config's `vpc_cidr`.")
    /// Validation refused the deployment (findings at/above --fail-on).
    static let deployRefusedByFindings = DiagnosticCode("E517", .deploy, "Findings at or above `--fail-on` refuse the deployment.")
    /// The live groups differ from the model (test-deploy: error).
    static let verificationFailed = DiagnosticCode("E518", .deploy, "`test-deploy`: the live groups differ from the model.")
    /// --approved-report names other templates (hash, stack set) than the ones about to be deployed.
    static let approvedReportMismatch = DiagnosticCode("E519", .deploy, "`--approved-report` approved other templates than the ones about to be deployed.")
    /// Security groups tagged with the deployment remain after its stacks were deleted.
    static let groupsRemainAfterDelete = DiagnosticCode("E524", .deploy, "Security groups tagged with the deployment remain after its stacks were deleted.")
    /// create-security-groups could not revoke a live rule the update would create (nothing was
    /// deployed), or could not put one back after a failed update.
    static let liveRuleTakeoverFailed = DiagnosticCode(
        "E525", .deploy, "A live rule the update re-creates could not be revoked first, or not put back after a failed update.")
    /// create-security-groups: tiers adopt existing groups that no stack of the deployment holds;
    /// creating the stack would try to create groups with their names again.
    static let adoptionNotDeployable = DiagnosticCode(
        "E547", .deploy, "Tiers adopt existing groups that no stack of the deployment holds; creating the stack would create them again.")
    /// create-security-groups --adopt: an adopted group cannot be taken in as it is (it does not
    /// exist, its name, description or VPC differ from the compiled ones, a rule has no id, ...).
    static let adoptionRefused = DiagnosticCode(
        "E570", .deploy, "`--adopt`: an adopted group cannot be taken into the stack as it is (missing, or its name, description or VPC differ).")
    /// The IMPORT change set failed, or would do something other than import the planned resources.
    static let adoptionImportFailed = DiagnosticCode(
        "E571", .deploy, "`--adopt`: the IMPORT change set failed, or would do more than import the planned resources.")
    /// create-security-groups: an update would change a group's GroupName or GroupDescription (or
    /// an adopted group's VpcId), which CloudFormation can only do by replacing the group; refused
    /// before anything is sent.
    static let replacementRefused = DiagnosticCode(
        "E572", .deploy, "An update would change a group's name, description or VPC, which CloudFormation does by replacing it; refused.")
    /// The live groups differ from the model after create-security-groups (the stack stays).
    static let verificationDifference = DiagnosticCode("W510", .deploy, "After `create-security-groups` the live groups differ from the model (the stack stays).")
    /// A stack that is no longer part of the compiled deployment still exists.
    static let obsoleteStack = DiagnosticCode("W511", .deploy, "A stack that is no longer part of the compiled deployment still exists.")
    /// create-security-groups: a rule revoked for the update is not back, or the update is still running.
    static let liveRuleTakeover = DiagnosticCode("W512", .deploy, "A live rule revoked for the update is not back, or the update is still running.")

    /// show-changes: what --adopt would refuse (E570), as a warning.
    static let adoptionWouldBeRefused = DiagnosticCode("W570", .deploy, "`show-changes`: what `create-security-groups --adopt` would refuse (E570).")
    /// A change set (or the empty stack it created) could not be cleaned up after a failed import.
    static let adoptionCleanupFailed = DiagnosticCode(
        "W571", .deploy, "`--adopt`: a change set, or the empty stack it created, could not be cleaned up after a failed import.")
    /// show-changes: an update create-security-groups would refuse (E572), as a warning.
    static let replacementWouldBeRefused = DiagnosticCode("W572", .deploy, "`show-changes`: an update `create-security-groups` would refuse (E572).")

    /// The codes of this stage, in the catalog's order.
    static let deployCodes: [DiagnosticCode] = [
        .cfnTemplateText, .stackExistsNeedsForce, .forceRequired, .stackBusy, .stackFailed, .stackWaitStopped, .terminationProtected,
        .vpcMismatch, .deployRefusedByFindings, .verificationFailed, .approvedReportMismatch, .groupsRemainAfterDelete,
        .liveRuleTakeoverFailed, .adoptionNotDeployable, .adoptionRefused, .adoptionImportFailed, .replacementRefused,
        .verificationDifference, .obsoleteStack, .liveRuleTakeover, .adoptionWouldBeRefused, .adoptionCleanupFailed,
        .replacementWouldBeRefused,
    ]
}
