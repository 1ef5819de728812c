import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// What `check-drift` found for one deployment: per tier, the rules added out of band (each rated
/// by the scenario validator), removed and changed; tiers with no live group; groups tagged for the
/// deployment that the config does not know; and the plan that would revert the rule-level drift.
///
/// Every list is in a stable order (tiers in scenario order, rules by `RuleKey`, groups by id) and
/// nothing in it depends on the clock, so the same inputs give byte-identical reports.
public struct DriftReport: Hashable, Sendable {
    /// Where the live side was read from.
    public enum Source: Hashable, Sendable {
        /// EC2 in a region (DescribeSecurityGroups + DescribeSecurityGroupRules).
        case live(region: String)
        /// A saved `aws ec2 describe-security-groups` JSON file.
        case snapshot(path: String)

        /// `live us-west-2` or `snapshot reports/x.json`.
        public var label: String {
            switch self {
            case .live(let region): return "live \(region)"
            case .snapshot(let path): return "snapshot \(path)"
            }
        }
    }

    /// `{company}-{env}-{deployment_id}-{region}`.
    public var deployment: String
    /// The config's VPC.
    public var vpcID: String
    /// Live EC2 or a snapshot.
    public var source: Source
    /// One entry per tier that has a live group, in scenario order.
    public var groups: [DriftGroup]
    /// Tiers of the config with no live group, in scenario order.
    public var missingGroups: [DriftMissingGroup]
    /// Groups tagged for this deployment that are not a tier of the config (or a second group for a
    /// tier), by group id.
    public var extraGroups: [DriftExtraGroup]
    /// Things the reader should know that are not drift (rules the tool could not read, groups
    /// ignored because they are in another VPC).
    public var notes: [String]
    /// The revert plan for the rule-level drift (empty commands when there is none).
    public var revertPlan: FixPlan
    /// What `--force` did, when it ran.
    public var execution: RevertExecution?
    /// Who changed each drifted item and when, by the item's fingerprint (CloudTrail events found).
    public var attributions: [String: DriftChangeEvent] = [:]
    /// How the CloudTrail search went; nil when none was attempted (a snapshot).
    public var cloudTrail: CloudTrailSearch?
    /// What `--accept` wrote into the config, when it ran.
    public var acceptance: DriftAcceptanceRecord?
    /// Both ways out of each drifted item (revert, accept) and which the rating suggests.
    public var remediation: [DriftRemediation] = []

    /// Creates a report.
    public init(
        deployment: String, vpcID: String, source: Source, groups: [DriftGroup], missingGroups: [DriftMissingGroup],
        extraGroups: [DriftExtraGroup], notes: [String], revertPlan: FixPlan, execution: RevertExecution? = nil
    ) {
        self.deployment = deployment
        self.vpcID = vpcID
        self.source = source
        self.groups = groups
        self.missingGroups = missingGroups
        self.extraGroups = extraGroups
        self.notes = notes
        self.revertPlan = revertPlan
        self.execution = execution
    }

    /// True when anything differs from the config.
    public var hasDrift: Bool {
        !missingGroups.isEmpty || !extraGroups.isEmpty || groups.contains { $0.hasDrift }
    }

    /// Rules added out of band, over every group (extra groups' rules included).
    public var addedRules: [DriftAddedRule] { groups.flatMap(\.added) + extraGroups.flatMap(\.rules) }

    /// The worst risk of any added rule, or nil when nothing was added.
    public var worstAddedRisk: RiskLevel? { addedRules.map(\.risk).max() }

    /// Counts for summaries: added, removed, changed rules; missing and extra groups.
    public var counts: (added: Int, removed: Int, changed: Int, missing: Int, extra: Int) {
        (groups.reduce(0) { $0 + $1.added.count }, groups.reduce(0) { $0 + $1.removed.count },
         groups.reduce(0) { $0 + $1.changed.count }, missingGroups.count, extraGroups.count)
    }

    /// Rules compared on live groups (matched or not).
    public var checkedRules: Int { groups.reduce(0) { $0 + $1.liveRuleCount } }
}

/// The comparison for one tier that has a live group.
public struct DriftGroup: Hashable, Sendable {
    /// The tier.
    public var tier: String
    /// `sg-...`.
    public var groupID: String
    /// The group's name in AWS.
    public var groupName: String
    /// Rules in AWS that the config does not have, sorted by key.
    public var added: [DriftAddedRule]
    /// Rules of the config missing in AWS, sorted by key.
    public var removed: [DriftRemovedRule]
    /// Rules on both sides whose descriptions differ, sorted by key.
    public var changed: [DriftChangedRule]
    /// How many live rules were compared (the closed-egress placeholder and the AWS default egress
    /// of a tier that expects it included).
    public var liveRuleCount: Int

    /// Creates a group result.
    public init(
        tier: String, groupID: String, groupName: String, added: [DriftAddedRule] = [], removed: [DriftRemovedRule] = [],
        changed: [DriftChangedRule] = [], liveRuleCount: Int
    ) {
        self.tier = tier
        self.groupID = groupID
        self.groupName = groupName
        self.added = added
        self.removed = removed
        self.changed = changed
        self.liveRuleCount = liveRuleCount
    }

    /// True when any rule differs.
    public var hasDrift: Bool { !added.isEmpty || !removed.isEmpty || !changed.isEmpty }
}

/// A rule present in AWS and absent from the config, with the validator's judgement of it.
public struct DriftAddedRule: Hashable, Sendable {
    /// The group holding it.
    public var groupID: String
    /// The tier (or, for an extra group, the group's tier tag or name).
    public var tier: String
    /// What it allows; group-id peers of this deployment are tier names.
    public var key: RuleKey
    /// The rule's description in AWS.
    public var description: String?
    /// `sgr-...` when read live; nil from a snapshot (describe-security-groups has no rule ids).
    public var ruleID: String?
    /// Where the snapshot describes it; nil for live rules.
    public var location: SourceLocation?
    /// The validator's worst risk for the rule.
    public var risk: RiskLevel
    /// `HIGH`, `LOW (preferred)`, ...
    public var riskLabel: String
    /// The validator's short reason, e.g. `SSH open to the world`.
    public var reason: String
    /// The findings the validator raised against the rule (world exposure, broad CIDR, egress).
    public var findings: [Finding]

    /// Creates an added rule.
    public init(
        groupID: String, tier: String, key: RuleKey, description: String?, ruleID: String?, location: SourceLocation?,
        risk: RiskLevel, riskLabel: String, reason: String, findings: [Finding]
    ) {
        self.groupID = groupID
        self.tier = tier
        self.key = key
        self.description = description
        self.ruleID = ruleID
        self.location = location
        self.risk = risk
        self.riskLabel = riskLabel
        self.reason = reason
        self.findings = findings
    }
}

/// A rule of the config that AWS does not have.
public struct DriftRemovedRule: Hashable, Sendable {
    /// The group that should hold it.
    public var groupID: String
    /// The tier.
    public var tier: String
    /// What it allows.
    public var key: RuleKey
    /// Its description in the config.
    public var description: String?
    /// Where the config (or scenario) writes it; nil for the AWS default egress, which no file writes.
    public var configLocation: SourceLocation?
    /// The owner account of a group peer in another account (`source_security_group_owner`):
    /// restoring the rule must name it.
    public var peerAccount: String?

    /// Creates a removed rule.
    public init(
        groupID: String, tier: String, key: RuleKey, description: String?, configLocation: SourceLocation?, peerAccount: String? = nil
    ) {
        self.groupID = groupID
        self.tier = tier
        self.key = key
        self.description = description
        self.configLocation = configLocation
        self.peerAccount = peerAccount
    }
}

/// A rule on both sides whose description differs (the traffic allowed is the same).
public struct DriftChangedRule: Hashable, Sendable {
    /// The group holding it.
    public var groupID: String
    /// The tier.
    public var tier: String
    /// What it allows.
    public var key: RuleKey
    /// The config's description.
    public var expectedDescription: String?
    /// The description in AWS.
    public var liveDescription: String?
    /// `sgr-...` when read live.
    public var ruleID: String?
    /// Where the config writes it.
    public var configLocation: SourceLocation?
    /// Where the snapshot describes it.
    public var liveLocation: SourceLocation?

    /// Creates a changed rule.
    public init(
        groupID: String, tier: String, key: RuleKey, expectedDescription: String?, liveDescription: String?,
        ruleID: String?, configLocation: SourceLocation?, liveLocation: SourceLocation?
    ) {
        self.groupID = groupID
        self.tier = tier
        self.key = key
        self.expectedDescription = expectedDescription
        self.liveDescription = liveDescription
        self.ruleID = ruleID
        self.configLocation = configLocation
        self.liveLocation = liveLocation
    }
}

/// A tier of the config with no live group.
public struct DriftMissingGroup: Hashable, Sendable {
    /// The tier.
    public var tier: String
    /// The name the group would have, `{company}-{env}-{deployment_id}-{tier}`.
    public var expectedName: String
    /// How many rules the tier has in the config.
    public var expectedRules: Int
    /// Where the scenario defines the tier.
    public var location: SourceLocation
    /// For an adopted tier: the id of the existing group the config says it is (which the source
    /// does not have, or has in another VPC).
    public var adoptedGroupID: String?

    /// Creates a missing group.
    public init(tier: String, expectedName: String, expectedRules: Int, location: SourceLocation, adoptedGroupID: String? = nil) {
        self.tier = tier
        self.expectedName = expectedName
        self.expectedRules = expectedRules
        self.location = location
        self.adoptedGroupID = adoptedGroupID
    }

    /// What was looked for: `no live group tagged for it (expected NAME` or, for an adopted tier,
    /// `its adopted group sg-... (NAME) is not there`; the renderers add the counts.
    var whatIsMissing: (text: String, markdown: String) {
        if let id = adoptedGroupID {
            return ("its adopted group \(id) (\(expectedName)) is not there", "its adopted group `\(id)` (`\(expectedName)`) is not there")
        }
        return ("no live group tagged for it (expected \(expectedName)", "no live group tagged for it (expected `\(expectedName)`")
    }
}

/// A group tagged for this deployment that does not implement a tier of the config.
public struct DriftExtraGroup: Hashable, Sendable {
    /// `sg-...`.
    public var groupID: String
    /// Its name in AWS.
    public var name: String
    /// Its `sg-provisioner:tier` tag, if any.
    public var tierTag: String?
    /// Why it is extra.
    public var reason: String
    /// Its rules, each rated like an added rule: nothing in the config vouches for them.
    public var rules: [DriftAddedRule]

    /// Creates an extra group.
    public init(groupID: String, name: String, tierTag: String?, reason: String, rules: [DriftAddedRule]) {
        self.groupID = groupID
        self.name = name
        self.tierTag = tierTag
        self.reason = reason
        self.rules = rules
    }
}
