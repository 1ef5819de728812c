import SGModel

/// The rules a tier expects against the rules of its live group: the one comparison behind drift
/// (`check-drift`) and the verification after a deploy (`test-deploy`, `create-security-groups`),
/// so a group in sync for one is in sync for the other.
///
/// What counts as the same rule:
/// - rules match by `RuleKey` (protocol, ports, peer), group-id peers mapped to tier names;
/// - a tier that keeps AWS's default egress (`DefaultEgress.expected`) expects the IPv4 rule and
///   accepts the IPv6 twin EC2 adds in a VPC with an IPv6 block; neither has a description of ours;
/// - the compiler's closed-egress placeholder stands for "no egress", so a closed group is in sync
///   whether AWS shows it or not (on a tier that keeps the default it is unexpected);
/// - descriptions compare with an empty one read as none, because AWS reports a missing
///   description as absent or empty;
/// - a live rule matching a key already matched is unexpected (EC2 holds one rule per key, so
///   only a broken reader or snapshot has two).
public struct RuleSetComparison: Sendable {
    /// A rule the tier expects that the live group lacks.
    public struct Missing: Sendable {
        /// The rule's key.
        public var key: RuleKey
        /// The tier's rule; nil for AWS's default egress, which no rule of the tier states.
        public var rule: Rule?
    }

    /// A live rule the tier does not expect.
    public struct Unexpected: Sendable {
        /// The live rule's key with group ids of the deployment mapped to tier names.
        public var key: RuleKey
        /// The live rule.
        public var live: LiveRule
    }

    /// A rule on both sides whose descriptions differ.
    public struct ChangedDescription: Sendable {
        /// The rule's key.
        public var key: RuleKey
        /// The tier's rule.
        public var expected: Rule
        /// The live rule.
        public var live: LiveRule
    }

    /// Expected rules the live group lacks, sorted by key.
    public private(set) var missing: [Missing] = []
    /// Live rules the tier does not expect, in live order.
    public private(set) var unexpected: [Unexpected] = []
    /// Rules whose descriptions differ, in live order.
    public private(set) var changedDescriptions: [ChangedDescription] = []

    /// True when nothing differs.
    public var isInSync: Bool { missing.isEmpty && unexpected.isEmpty && changedDescriptions.isEmpty }

    /// Compares a tier's rules with its live group's. `tiersByGroupID` names the deployment's
    /// groups, so a live reference to one compares equal to a tier reference.
    public init(expected tier: Tier, live rules: [LiveRule], tiersByGroupID: [String: String]) {
        // The config rejects duplicate keys, so one rule per key; nil stands for AWS's default.
        var expected: [RuleKey: Rule?] = [:]
        for rule in tier.rules { expected[rule.key] = rule }
        let keepsDefault = DefaultEgress.expected(for: tier)
        if keepsDefault { expected[DefaultEgress.ipv4Rule] = .some(nil) }
        var matched = Set<RuleKey>()
        for live in rules {
            if live.isClosedEgressPlaceholder && !keepsDefault { continue }
            let key = live.tierKey(tiersByGroupID)
            if let entry = expected[key], !matched.contains(key) {
                matched.insert(key)
                if let rule = entry, Self.normalisedDescription(rule.description) != Self.normalisedDescription(live.description) {
                    changedDescriptions.append(ChangedDescription(key: key, expected: rule, live: live))
                }
                continue
            }
            if keepsDefault && key == DefaultEgress.ipv6Rule { continue }
            unexpected.append(Unexpected(key: key, live: live))
        }
        missing = expected.filter { !matched.contains($0.key) }.map { Missing(key: $0.key, rule: $0.value) }.sorted { $0.key < $1.key }
    }

    /// AWS reports a missing description as absent or empty; both mean none.
    public static func normalisedDescription(_ description: String?) -> String? {
        guard let description, !description.isEmpty else { return nil }
        return description
    }
}
