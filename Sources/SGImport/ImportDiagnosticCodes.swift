import SGDiagnostics

/// Diagnostic codes of `import-security-groups` (E54x errors, W54x warnings). Codes never change meaning.
public extension DiagnosticCode {
    /// No source, several sources, or a live source without `--vpc-id` or `--tag-filter`.
    static let importSource: DiagnosticCode = "E540"
    /// The identity cannot be completed from the flags and the config name, or the name is not one
    /// a config and a scenario can have.
    static let importIdentity: DiagnosticCode = "E541"
    /// `configs/NAME.yaml` or `scenarios/NAME.yaml` exists and `--force` was not given.
    static let importTargetExists: DiagnosticCode = "E542"
    /// Nothing to import: no group matched, or every group was left out.
    static let importNothing: DiagnosticCode = "E543"
    /// The groups are in several VPCs (or none), or a template gives no VPC: `--vpc-id` decides.
    static let importVPCUndecided: DiagnosticCode = "E544"
    /// The files the import would write do not load or compile cleanly; nothing was written.
    static let importGeneratedInvalid: DiagnosticCode = "E545"
    /// A group was left out (the VPC's default group, a stack's group, one CloudFormation could
    /// not take over unchanged, one with more rules than a tier holds).
    static let importGroupSkipped: DiagnosticCode = "W540"
    /// A value the config cannot hold (a description AWS would reject, a peer that is not an id)
    /// was left out; the file says what it was in a comment.
    static let importValueDropped: DiagnosticCode = "W541"
    /// A group owned by a CloudFormation stack was imported because of `--force`.
    static let importStackOwnedGroup: DiagnosticCode = "W542"

    /// Every code of this module, for the catalog test.
    static let importCodes: [DiagnosticCode] = [
        .importSource, .importIdentity, .importTargetExists, .importNothing, .importVPCUndecided, .importGeneratedInvalid,
        .importGroupSkipped, .importValueDropped, .importStackOwnedGroup,
    ]
}
