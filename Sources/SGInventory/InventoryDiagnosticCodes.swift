import SGDiagnostics

/// Diagnostic codes for inventories read from snapshots (E7xx).
public extension DiagnosticCode {
    /// The snapshot is not `aws ec2 describe-security-groups` output.
    static let snapshotShape: DiagnosticCode = "E701"
    /// A permission in the snapshot cannot be understood (protocol, ports, CIDR).
    static let snapshotPermission: DiagnosticCode = "E702"

    /// Every code of this module, for the catalog test.
    static let inventoryCodes: [DiagnosticCode] = [.snapshotShape, .snapshotPermission]
}
