import SGDiagnostics

/// Diagnostic codes for inventories read from snapshots and third-party templates (E7xx, W7xx).
public extension DiagnosticCode {
    /// The snapshot is not `aws ec2 describe-security-groups` output.
    static let snapshotShape: DiagnosticCode = "E701"
    /// A permission in the snapshot cannot be understood (protocol, ports, CIDR).
    static let snapshotPermission: DiagnosticCode = "E702"

    /// The file is not a CloudFormation template (no Resources mapping).
    static let templateShape: DiagnosticCode = "E703"
    /// A value in an audited template cannot be resolved statically; the rule is skipped.
    static let unresolvedTemplateValue: DiagnosticCode = "W701"

    /// Every code of this module, for the catalog test.
    static let inventoryCodes: [DiagnosticCode] = [.snapshotShape, .snapshotPermission, .templateShape, .unresolvedTemplateValue]
}
