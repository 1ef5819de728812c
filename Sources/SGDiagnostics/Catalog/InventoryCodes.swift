/// Codes of inventories: snapshots, live groups and third-party templates read for an audit or
/// a drift check (E508/E509, E7xx, W7xx).
public extension DiagnosticCode {
    /// audit-security-groups was given no source, or more than one.
    static let auditSource = DiagnosticCode("E508", .inventory, "`audit-security-groups` was given no source, or more than one.")
    /// audit-security-groups: a --template/--snapshot glob or directory names no file.
    static let auditInputMatchesNothing = DiagnosticCode("E509", .inventory, "`audit-security-groups`: a `--template` or `--snapshot` glob or directory names no file.")
    /// The snapshot is not `aws ec2 describe-security-groups` output.
    static let snapshotShape = DiagnosticCode("E701", .inventory, "The snapshot is not `aws ec2 describe-security-groups` output.")
    /// A permission in the snapshot (or a live rule an import would write) cannot be understood
    /// (protocol, ports, CIDR).
    static let snapshotPermission = DiagnosticCode("E702", .inventory, "A rule in a snapshot, or a live rule to import, cannot be understood (protocol, ports, CIDR).")
    /// The file is not a CloudFormation template (no Resources mapping).
    static let templateShape = DiagnosticCode("E703", .inventory, "An audited file is not a CloudFormation template (no `Resources` mapping).")
    /// A value in an audited template cannot be resolved statically; the rule (or the variant of it
    /// that needs the value) is not judged. Counted in the audit's summary; fails the audit unless
    /// `--allow-unresolved`.
    static let unresolvedTemplateValue = DiagnosticCode(
        "W701", .inventory, "A value in an audited template cannot be resolved; what needs it is not judged (fails the audit unless `--allow-unresolved`).")
    /// A CIDR in an audited template has host bits set; EC2 stores the network, which is judged.
    static let hostBitsCanonicalised = DiagnosticCode("W702", .inventory, "A CIDR in an audited template has host bits set; the network EC2 stores is judged.")
    /// A value in an audited template from which AWS would create no rule (malformed CIDR, inverted
    /// port range, unknown protocol, no peer, a rule list that is not a list): the resource fails or
    /// the rule is silently not created, so it is not judged. Counted in the summary, not failing.
    static let templateValueRejectedByAWS = DiagnosticCode(
        "W703", .inventory, "A value in an audited template from which AWS would create no rule; it is not judged.")
    /// audit-security-groups over live groups: a rule EC2 returned cannot be understood, so it is
    /// left out of the audit (drift reports the same as E520, an import as E702: both must be complete).
    static let liveRuleNotJudged = DiagnosticCode("W704", .inventory, "`audit-security-groups`: a live rule cannot be understood and is not judged.")

    /// The codes of this stage, in the catalog's order.
    static let inventoryCodes: [DiagnosticCode] = [
        .auditSource, .auditInputMatchesNothing, .snapshotShape, .snapshotPermission, .templateShape,
        .unresolvedTemplateValue, .hostBitsCanonicalised, .templateValueRejectedByAWS, .liveRuleNotJudged,
    ]
}
