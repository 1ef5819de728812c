import SGDiagnostics
import SGFindings
import SGInventory
import SGModel
import SGValidation

/// Compares the live security groups of a deployment with the rules its config compiles to now.
///
/// Pure: no AWS, no files, no clock (the day accepted risks are judged on is passed in), so every
/// case is a table-driven unit test. Both sides are already normalised to `RuleKey` (protocol
/// numbers, port ranges, canonical CIDRs); this type only decides what counts as the same rule.
public struct DriftComparator: Sendable {
    /// The deployment as the config describes it now (tiers after overrides).
    public let deployment: Deployment
    /// The day accepted risks are judged on, for rating added rules.
    public let today: CalendarDate

    /// Creates a comparator for a deployment, rating added rules as of `today`.
    public init(deployment: Deployment, today: CalendarDate) {
        self.deployment = deployment
        self.today = today
    }

    /// The rule AWS gives a group created without egress, and that a tier without `egress` keeps
    /// (`DefaultEgress`, the one place that decides it).
    public static let awsDefaultEgress = DefaultEgress.ipv4Rule
    /// AWS adds the IPv6 twin of the default egress in VPCs with an IPv6 block; a tier that keeps the
    /// default accepts it too, because the config cannot say which the VPC has.
    public static let awsDefaultEgressIPv6 = DefaultEgress.ipv6Rule

    /// What the comparison found, plus the tier → group id map the revert plan needs.
    public struct Comparison: Sendable {
        /// The report without a revert plan (the planner adds it).
        public var groups: [DriftGroup]
        /// Tiers of the config with no live group.
        public var missingGroups: [DriftMissingGroup]
        /// Groups tagged for the deployment that are not one of its tiers.
        public var extraGroups: [DriftExtraGroup]
        /// What the reader should know that is not drift.
        public var notes: [String]
        /// Group id of each tier that has a live group.
        public var groupIDsByTier: [String: String]
    }

    /// Compares. `liveGroups` may contain anything (a whole snapshot, a VPC's groups): only groups
    /// tagged `sg-provisioner:deployment = qualifiedName` in the config's VPC take part, and the
    /// groups of `adopted_groups`, found by id whatever their tags.
    /// `keepLocations` is true for snapshots, whose rules have file positions worth printing.
    public func compare(liveGroups: [LiveSecurityGroup], keepLocations: Bool) -> Comparison {
        let identity = deployment.identity
        var notes: [String] = []
        var ours: [LiveSecurityGroup] = []
        let adoptedByID = Dictionary(
            deployment.config.adoptedGroups.map { ($0.groupID, $0) }, uniquingKeysWith: { first, _ in first })
        for group in liveGroups.sorted(by: { $0.groupID < $1.groupID }) {
            let adopted = adoptedByID[group.groupID]
            guard adopted != nil || group.deploymentTag == identity.qualifiedName else { continue }
            if let vpc = group.vpcID, vpc != deployment.config.vpcID {
                let why = adopted.map { "is adopted by tier '\($0.tier)'" } ?? "is tagged for this deployment"
                notes.append("\(group.groupID) \(why) but is in \(vpc), not the config's \(deployment.config.vpcID); ignored")
                continue
            }
            ours.append(group)
        }

        // One group per tier: an adopted tier's group is the one with its id; otherwise the one
        // with the expected name, else the lowest id. Others tagged for the tier are extra.
        var chosen: [String: LiveSecurityGroup] = [:]
        var extra: [(LiveSecurityGroup, String)] = []
        for tier in deployment.tiers {
            if let adopted = deployment.config.adoptedGroup(tier: tier.name) {
                if let group = ours.first(where: { $0.groupID == adopted.groupID }) { chosen[tier.name] = group }
                for other in ours where other.tierTag == tier.name && other.groupID != adopted.groupID && adoptedByID[other.groupID] == nil {
                    extra.append((other, "tagged for tier '\(tier.name)', which adopts \(adopted.groupID) (the one compared)"))
                }
                continue
            }
            let expectedName = identity.groupName(tier: tier.name)
            let candidates = ours.filter { $0.tierTag == tier.name && adoptedByID[$0.groupID] == nil }.sorted { lhs, rhs in
                if (lhs.name == expectedName) != (rhs.name == expectedName) { return lhs.name == expectedName }
                return lhs.groupID < rhs.groupID
            }
            guard let first = candidates.first else { continue }
            chosen[tier.name] = first
            for other in candidates.dropFirst() {
                extra.append((other, "a second group tagged for tier '\(tier.name)' (\(first.groupID) is the one compared)"))
            }
        }
        let tierNames = Set(deployment.tiers.map(\.name))
        for group in ours where adoptedByID[group.groupID] == nil && (group.tierTag.map({ !tierNames.contains($0) }) ?? true) {
            let reason = group.tierTag.map { "tagged for tier '\($0)', which the config does not have" }
                ?? "tagged for this deployment without an \(DeploymentIdentity.tierTagKey) tag"
            extra.append((group, reason))
        }
        extra.sort { $0.0.groupID < $1.0.groupID }

        var tiersByGroupID: [String: String] = [:]
        for (tier, group) in chosen { tiersByGroupID[group.groupID] = tier }

        // Rate every live rule with the one validator, over the live groups as tiers.
        let matched = deployment.tiers.compactMap { tier in chosen[tier.name].map { (tier, $0) } }
        var liveTiers = matched.map { tier, group in
            var live = group.asTier(named: tier.name, tiersByGroupID: tiersByGroupID)
            live.isPublic = tier.isPublic
            live.location = tier.location
            return live
        }
        // Extra groups get names of their own, so a second group tagged for a tier is judged apart from it.
        liveTiers += extra.map { group, _ in group.asTier(named: "\(group.tierTag ?? group.name) (\(group.groupID))", tiersByGroupID: tiersByGroupID) }
        let ratings = Ratings(tiers: liveTiers, validation: ScenarioValidator().validate(tiers: liveTiers, context: validationContext))

        var groups: [DriftGroup] = []
        for (index, (tier, group)) in matched.enumerated() {
            groups.append(compare(tier: tier, group: group, rated: liveTiers[index], ratings: ratings,
                                  tiersByGroupID: tiersByGroupID, keepLocations: keepLocations))
        }
        let missing = deployment.tiers.filter { chosen[$0.name] == nil }.map { tier in
            DriftMissingGroup(
                tier: tier.name, expectedName: deployment.groupName(ofTier: tier.name), expectedRules: tier.rules.count,
                location: tier.location, adoptedGroupID: deployment.config.adoptedGroup(tier: tier.name)?.groupID)
        }
        let extraGroups = extra.enumerated().map { offset, pair in
            let (group, reason) = pair
            let rated = liveTiers[matched.count + offset]
            let rules = rated.rules.map { rule in
                added(rule, groupID: group.groupID, tier: rated.name, ruleID: nil, location: keepLocations ? rule.location : nil,
                      ratings: ratings)
            }
            return DriftExtraGroup(groupID: group.groupID, name: group.name, tierTag: group.tierTag, reason: reason, rules: rules.sorted { $0.key < $1.key })
        }
        return Comparison(
            groups: groups, missingGroups: missing, extraGroups: extraGroups, notes: notes,
            groupIDsByTier: Dictionary(uniqueKeysWithValues: chosen.map { ($0.key, $0.value.groupID) }))
    }

    /// The context the validator judges live rules in: the config's VPC, accepted risks and catalog,
    /// so a drifted rule is rated exactly as the same rule written in the config would be.
    public var validationContext: ValidationContext {
        ValidationContext(
            vpcCIDR: deployment.config.vpcCIDR, acceptedRisks: deployment.config.acceptedRisks, today: today,
            catalog: PortCatalog.builtIn.extended(with: deployment.config.portCatalog))
    }

    private func compare(
        tier: Tier, group: LiveSecurityGroup, rated: Tier, ratings: Ratings, tiersByGroupID: [String: String], keepLocations: Bool
    ) -> DriftGroup {
        // What differs is decided once, for drift and post-deploy verification alike.
        let comparison = RuleSetComparison(expected: tier, live: group.rules, tiersByGroupID: tiersByGroupID)
        let changed = comparison.changedDescriptions.map { change in
            DriftChangedRule(
                groupID: group.groupID, tier: tier.name, key: change.key, expectedDescription: change.expected.description,
                liveDescription: Self.normalised(change.live.description), ruleID: change.live.ruleID,
                configLocation: change.expected.location, liveLocation: keepLocations ? change.live.location : nil)
        }
        let added = comparison.unexpected.map { unexpected in
            let (key, live) = (unexpected.key, unexpected.live)
            // Find the rated twin of this live rule (same key, same position in the rated tier).
            let ratedRule = rated.rules.first { $0.key == key && $0.description == live.description } ?? Rule(
                direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer,
                description: live.description, locations: RuleLocations(rule: live.location))
            return self.added(
                ratedRule, groupID: group.groupID, tier: tier.name, ruleID: live.ruleID, location: keepLocations ? live.location : nil,
                ratings: ratings)
        }
        let removed = comparison.missing.map { missing in
            DriftRemovedRule(
                groupID: group.groupID, tier: tier.name, key: missing.key, description: missing.rule?.description,
                configLocation: missing.rule?.location, peerAccount: missing.rule?.peerAccount)
        }
        return DriftGroup(
            tier: tier.name, groupID: group.groupID, groupName: group.name,
            added: added.sorted { $0.key < $1.key }, removed: removed.sorted { $0.key < $1.key },
            changed: changed.sorted { $0.key < $1.key }, liveRuleCount: group.rules.count)
    }

    private func added(_ rule: Rule, groupID: String, tier: String, ruleID: String?, location: SourceLocation?, ratings: Ratings) -> DriftAddedRule {
        let assessment = ratings.assessment(of: rule, tier: tier)
            ?? ScenarioValidator().assess(rule, in: Tier(name: tier, location: rule.location), context: validationContext)
        return DriftAddedRule(
            groupID: groupID, tier: tier, key: rule.key, description: Self.normalised(rule.description), ruleID: ruleID,
            location: location, risk: assessment.risk, riskLabel: assessment.riskLabel, reason: assessment.reason,
            findings: ratings.findings(of: rule, tier: tier, ids: assessment.findingIDs))
    }

    /// AWS reports a missing description as absent or empty; both mean none
    /// (`RuleSetComparison.normalisedDescription`).
    public static func normalised(_ description: String?) -> String? {
        RuleSetComparison.normalisedDescription(description)
    }

    /// The validator's verdicts over the live tiers, looked up by tier and rule.
    private struct Ratings {
        let validation: ValidationResult
        let assessmentsByTier: [String: [RuleAssessment]]

        init(tiers: [Tier], validation: ValidationResult) {
            self.validation = validation
            assessmentsByTier = Dictionary(grouping: validation.assessments, by: \.tier)
        }

        func assessment(of rule: Rule, tier: String) -> RuleAssessment? {
            assessmentsByTier[tier]?.first { $0.rule == rule }
        }

        /// Findings about this rule: on its tier, of the kinds its assessment names, about it alone
        /// or with it as a member of a union of peers. Each carries the fingerprint the same rule
        /// written in the config would have.
        func findings(of rule: Rule, tier: String, ids: [String]) -> [Finding] {
            validation.findings.filter { finding in
                finding.tier == tier && ids.contains(finding.id) && finding.direction == rule.direction && finding.isAbout(rule.key)
            }
        }
    }
}
