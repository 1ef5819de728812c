/// Codes of `import-security-groups` (E54x errors, W54x warnings).
public extension DiagnosticCode {
    /// No source, several sources, or a live source without `--vpc-id` or `--tag-filter`.
    static let importSource = DiagnosticCode("E540", .import, "No source, several sources, or a live source without `--vpc-id` or `--tag-filter`.")
    /// The identity cannot be completed from the flags and the config name, or the name is not one
    /// a config and a scenario can have.
    static let importIdentity = DiagnosticCode(
        "E541", .import, "The deployment's identity cannot be completed from the options and the config name, or is not a valid name.")
    /// `configs/NAME.yaml` or `scenarios/NAME.yaml` exists and `--force` was not given.
    static let importTargetExists = DiagnosticCode("E542", .import, "The config or scenario to write exists and `--force` was not given.")
    /// Nothing to import: no group matched, or every group was left out.
    static let importNothing = DiagnosticCode("E543", .import, "Nothing to import: no group matched, or every group was left out.")
    /// The groups are in several VPCs (or none), or a template gives no VPC: `--vpc-id` decides.
    static let importVPCUndecided = DiagnosticCode("E544", .import, "The groups are in several VPCs, or the source names none; `--vpc-id` decides.")
    /// The files the import would write do not load or compile cleanly; nothing was written.
    static let importGeneratedInvalid = DiagnosticCode("E545", .import, "The files the import would write do not load or compile cleanly; nothing was written.")
    /// A group was left out (the VPC's default group, a stack's group, one CloudFormation could
    /// not take over unchanged, one with more rules than a tier holds).
    static let importGroupSkipped = DiagnosticCode("W540", .import, "A group was left out (the VPC's default group, a stack's group, one that cannot be taken over unchanged).")
    /// A value the config cannot hold (a description AWS would reject, a peer that is not an id)
    /// was left out; the file says what it was in a comment.
    static let importValueDropped = DiagnosticCode("W541", .import, "A value the config cannot hold was left out; the written file says what it was in a comment.")
    /// A group owned by a CloudFormation stack was imported because of `--force`.
    static let importStackOwnedGroup = DiagnosticCode("W542", .import, "A group a CloudFormation stack owns was imported because of `--force`.")

    /// The codes of this stage, in the catalog's order.
    static let importCodes: [DiagnosticCode] = [
        .importSource, .importIdentity, .importTargetExists, .importNothing, .importVPCUndecided, .importGeneratedInvalid,
        .importGroupSkipped, .importValueDropped, .importStackOwnedGroup,
    ]
}
