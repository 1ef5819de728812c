import SGCrypto

/// The one identity of a finding across runs, outputs and sources: SARIF's partial fingerprint,
/// the `fingerprint:` an accepted risk binds to, and the fingerprint a drifted rule's finding
/// carries in check-drift all come from `make`.
///
/// It hashes what the finding is about (kind, tier, the rule in canonical form) and nothing
/// about where it was written, so moving a rule to another line, re-spelling its CIDR
/// (`2001:DB8::/32`, `2001:db8:0::/32`) or protocol (`6`, `tcp`), or reading the same rule from
/// a live security group instead of the YAML gives the same fingerprint. 128 bits of SHA-256:
/// short enough to type after `fingerprint:` or on a command line, too long to forge a
/// second finding with an approved one's fingerprint.
public enum FindingFingerprint {
    /// Characters in a fingerprint: 32 lowercase hexadecimal digits.
    public static let length = 32

    /// The fingerprint of a finding of kind `findingID` on `tier` about `subject`: the rule's
    /// canonical text (`RuleKey.description`), the joined CIDRs of a union, a path, or "" for a
    /// tier-level finding.
    public static func make(findingID: String, tier: String, subject: String) -> String {
        // Fields joined with NUL, which no id, tier name or rule text can contain, so no two
        // different triples hash the same text.
        let identity = "sg-provisioner finding v2\u{0}\(findingID)\u{0}\(tier)\u{0}\(subject)"
        return Hex.encode(SHA256.hash(identity.utf8).prefix(length / 2))
    }

    /// The fingerprint of a finding about one rule.
    public static func make(findingID: String, tier: String, rule: RuleKey) -> String {
        make(findingID: findingID, tier: tier, subject: rule.description)
    }

    /// True for 32 lowercase hexadecimal digits.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
