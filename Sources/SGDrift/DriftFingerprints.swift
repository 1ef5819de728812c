import SGModel

/// Every drifted rule and group carries a fingerprint, with or without a finding: the handle
/// `check-drift --accept` takes. It is made by the one fingerprint function (`FindingFingerprint`)
/// from the kind of drift, the tier and the rule in canonical form, so it is stable across runs,
/// across live reads and snapshots, and across rule ids and line moves; and an added rule's
/// fingerprint can never accept a removal or a description change of the same rule.
public enum DriftKind: String, Sendable, CaseIterable {
    /// A rule in AWS that the config does not have.
    case added
    /// A rule of the config missing in AWS.
    case removed
    /// A rule on both sides whose description differs.
    case changed
    /// A tier with no live group.
    case missingGroup = "missing_group"
    /// A group tagged for the deployment that is not one of its tiers.
    case extraGroup = "extra_group"

    /// The kind's name in the fingerprint's input (never a validator finding id).
    public var fingerprintID: String {
        switch self {
        case .added: return "SG-DRIFT-ADDED"
        case .removed: return "SG-DRIFT-REMOVED"
        case .changed: return "SG-DRIFT-CHANGED"
        case .missingGroup: return "SG-DRIFT-MISSING-GROUP"
        case .extraGroup: return "SG-DRIFT-EXTRA-GROUP"
        }
    }

    /// `+`, `-`, `~`, `!` (missing), `?` (extra): the mark the text report puts before the item.
    public var sign: String {
        switch self {
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "~"
        case .missingGroup: return "!"
        case .extraGroup: return "?"
        }
    }
}

extension DriftAddedRule {
    /// The fingerprint `--accept` takes for this rule.
    public var fingerprint: String { FindingFingerprint.make(findingID: DriftKind.added.fingerprintID, tier: tier, rule: key) }
}

extension DriftRemovedRule {
    /// The fingerprint `--accept` takes for this removal.
    public var fingerprint: String { FindingFingerprint.make(findingID: DriftKind.removed.fingerprintID, tier: tier, rule: key) }
}

extension DriftChangedRule {
    /// The fingerprint `--accept` takes for this description change.
    public var fingerprint: String { FindingFingerprint.make(findingID: DriftKind.changed.fingerprintID, tier: tier, rule: key) }
}

extension DriftMissingGroup {
    /// The fingerprint of the missing group (which can only be reverted, by redeploying).
    public var fingerprint: String { FindingFingerprint.make(findingID: DriftKind.missingGroup.fingerprintID, tier: tier, subject: "") }
}

extension DriftExtraGroup {
    /// The fingerprint of the extra group (which no override can express).
    public var fingerprint: String {
        FindingFingerprint.make(findingID: DriftKind.extraGroup.fingerprintID, tier: tierTag ?? name, subject: groupID)
    }
}

/// One drifted item of a report, whatever its kind: what `--accept` selects and the remediation
/// section lists, in report order (groups in scenario order, then missing, then extra groups).
public struct DriftItem: Sendable, Hashable {
    /// Added, removed, changed, missing or extra group.
    public var kind: DriftKind
    /// The fingerprint.
    public var fingerprint: String
    /// The tier (for an extra group: its tier tag or name).
    public var tier: String
    /// The group holding the rule; nil for a missing group.
    public var groupID: String?
    /// The rule; nil for missing and extra groups.
    public var key: RuleKey?
    /// True for a rule of an extra group (reported with the group, not acceptable alone).
    public var inExtraGroup: Bool

    /// `+ ingress tcp/22 from 0.0.0.0/0`, `! tier db (missing group)`, `? group sg-... (extra)`.
    public var line: String {
        switch kind {
        case .missingGroup: return "\(kind.sign) tier \(tier): missing group"
        case .extraGroup: return "\(kind.sign) group \(groupID ?? "?"): extra group"
        default: return "\(kind.sign) \(key.map(\.description) ?? "")"
        }
    }
}

extension DriftReport {
    /// Every drifted item in report order.
    public var items: [DriftItem] {
        var items: [DriftItem] = []
        for group in groups {
            items += group.added.map { DriftItem(kind: .added, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: false) }
            items += group.removed.map { DriftItem(kind: .removed, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: false) }
            items += group.changed.map { DriftItem(kind: .changed, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: false) }
        }
        items += missingGroups.map { DriftItem(kind: .missingGroup, fingerprint: $0.fingerprint, tier: $0.tier, groupID: nil, key: nil, inExtraGroup: false) }
        for extra in extraGroups {
            items.append(DriftItem(kind: .extraGroup, fingerprint: extra.fingerprint, tier: extra.tierTag ?? extra.name, groupID: extra.groupID, key: nil, inExtraGroup: false))
            items += extra.rules.map { DriftItem(kind: .added, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: true) }
        }
        return items
    }
}
