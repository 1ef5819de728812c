import SGDiagnostics

/// Diagnostic codes for inventories read from snapshots and third-party templates (E7xx, W7xx).
public extension DiagnosticCode {
    /// The snapshot is not `aws ec2 describe-security-groups` output.
    static let snapshotShape: DiagnosticCode = "E701"
    /// A permission in the snapshot cannot be understood (protocol, ports, CIDR).
    static let snapshotPermission: DiagnosticCode = "E702"

    /// The file is not a CloudFormation template (no Resources mapping).
    static let templateShape: DiagnosticCode = "E703"
    /// A value in an audited template cannot be resolved statically; the rule (or the variant of it
    /// that needs the value) is not judged. Counted in the audit's summary; fails the audit unless
    /// `--allow-unresolved`.
    static let unresolvedTemplateValue: DiagnosticCode = "W701"
    /// A CIDR in an audited template has host bits set; EC2 stores the network, which is judged.
    static let hostBitsCanonicalised: DiagnosticCode = "W702"
    /// A value in an audited template from which AWS would create no rule (malformed CIDR, inverted
    /// port range, unknown protocol, no peer, a rule list that is not a list): the resource fails or
    /// the rule is silently not created, so it is not judged. Counted in the summary, not failing.
    static let templateValueRejectedByAWS: DiagnosticCode = "W703"

    /// Every code of this module, for the catalog test.
    static let inventoryCodes: [DiagnosticCode] = [
        .snapshotShape, .snapshotPermission, .templateShape, .unresolvedTemplateValue, .hostBitsCanonicalised,
        .templateValueRejectedByAWS,
    ]
}
