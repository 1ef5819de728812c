import SGDiagnostics
import SGModel

/// Checks that need the whole model: tier references, duplicate rules, overrides, limits.
enum ModelChecks {
    /// Every `*_tier` peer names a tier of the scenario.
    static func checkTierReferences(in rules: [Rule], tierNames: [String], reader: inout NodeReader) {
        var check = TierReferenceCheck(tierNames: tierNames)
        for rule in rules { check.check(rule, reader: &reader) }
    }

    /// Every `*_tier` peer of the tiers' rules (each tier's ingress, then its egress) names one
    /// of the tiers. The same check as over `tiers.flatMap(\.rules)`, without copying 20,000
    /// rules into one array first.
    static func checkTierReferences(of tiers: [Tier], reader: inout NodeReader) {
        var check = TierReferenceCheck(tierNames: tiers.map(\.name))
        for tier in tiers {
            for rule in tier.ingress { check.check(rule, reader: &reader) }
            for rule in tier.egress { check.check(rule, reader: &reader) }
        }
    }

    /// The known names and the suggestions of one reference pass.
    private struct TierReferenceCheck {
        let known: Set<String>
        // One suggester for the whole pass: each distinct unknown name is compared with the tiers
        // once, and only the first twenty at all (see `Suggester`).
        var suggester: TextSupport.Suggester

        init(tierNames: [String]) {
            known = Set(tierNames)
            suggester = TextSupport.Suggester(candidates: tierNames)
        }

        mutating func check(_ rule: Rule, reader: inout NodeReader) {
            guard case .tier(let name) = rule.peer, !known.contains(name) else { return }
            let key = rule.direction == .ingress ? "source_tier" : "destination_tier"
            reader.diagnostics.error(
                .unknownTierReference, "unknown tier \(TextSupport.quoted(name)) in \(key)\(suggester.didYouMean(name))",
                at: rule.locations.peer ?? rule.location)
        }
    }



    /// The same rule twice in one tier and direction: AWS fails the deploy with
    /// InvalidPermission.Duplicate, so it is rejected here, at the second one.
    static func checkDuplicates(in tier: Tier, reader: inout NodeReader) {
        for rules in [tier.ingress, tier.egress] where rules.count > 1 {
            // Positions, not rules: a table of rule copies would retain every rule's strings.
            var first: [RuleKey: Int] = [:]
            first.reserveCapacity(rules.count)
            for (index, rule) in rules.enumerated() {
                if let earlier = first[rule.key] {
                    reportDuplicate(rule, of: rules[earlier], tier: tier.name, reader: &reader)
                } else {
                    first[rule.key] = index
                }
            }
        }
    }

    static func reportDuplicate(_ rule: Rule, of earlier: Rule, tier: String, reader: inout NodeReader) {
        reader.diagnostics.error(
            .duplicateRule, "duplicate rule in tier \(TextSupport.quoted(tier)): \(rule.key)", at: rule.location,
            notes: [.init("first defined here", at: earlier.location)])
    }

    /// AWS quota per direction, the model's tier count and total rule count.
    static func checkSizes(of tiers: [Tier], tiersLocation: SourceLocation, limits: ModelLimits, reader: inout NodeReader) {
        var total = 0
        for tier in tiers {
            for (direction, rules) in [(Direction.ingress, tier.ingress), (.egress, tier.egress)] where rules.count > limits.maxRulesPerDirection {
                reader.diagnostics.error(
                    .tooManyRules,
                    "tier \(TextSupport.quoted(tier.name)) has \(rules.count) \(direction.rawValue) rules; AWS allows \(limits.maxRulesPerDirection) per direction per security group (default quota)",
                    at: tier.location)
            }
            total += tier.ingress.count + tier.egress.count
        }
        if total > limits.maxTotalRules {
            reader.diagnostics.error(
                .scenarioLimitExceeded, "deployment has \(total) rules in total; the limit is \(limits.maxTotalRules)", at: tiersLocation)
        }
    }

    /// Applies overrides in order to the scenario's tiers: within one override, removals first (so
    /// an override may replace a rule), then additions appended with origin `.override(index:)`.
    static func applyOverrides(
        _ overrides: [OverrideDraft], to scenario: ScenarioDraft, reader: inout NodeReader
    ) -> [Tier] {
        var tiers = scenario.scenario.tiers
        let tierNames = tiers.map(\.name)
        // Every override's rules in one pass, so the name set and the suggestions are built once.
        checkTierReferences(
            in: overrides.flatMap { $0.override.addIngress + $0.override.addEgress + $0.override.removeIngress + $0.override.removeEgress },
            tierNames: tierNames, reader: &reader)
        let tierIndex = Dictionary(tiers.indices.map { (tiers[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        var suggester = TextSupport.Suggester(candidates: tierNames)
        for draft in overrides {
            let override = draft.override
            guard let index = tierIndex[override.tier] else {
                reader.diagnostics.error(
                    .overrideUnknownTier,
                    "override names unknown tier \(TextSupport.quoted(override.tier))\(suggester.didYouMean(override.tier))",
                    at: draft.tierLocation)
                continue
            }
            let checkStale = draft.isComplete && !scenario.incompleteTiers.contains(override.tier)
            remove(override.removeIngress, from: &tiers[index].ingress, tier: override.tier, checkStale: checkStale, reader: &reader)
            remove(override.removeEgress, from: &tiers[index].egress, tier: override.tier, checkStale: checkStale, reader: &reader)
            add(override.addIngress, to: &tiers[index].ingress, tier: override.tier, reader: &reader)
            if !override.addEgress.isEmpty, tiers[index].usesDefaultEgress {
                // Explicit egress rules replace AWS's allow-all default; say so, since the
                // override may have meant "also allow", which the default already did.
                reader.diagnostics.warning(
                    .egressDefaultReplaced,
                    "tier \(TextSupport.quoted(override.tier)) uses AWS's default egress (allow all); the override's add_egress rules replace it",
                    at: override.addEgress[0].location)
                tiers[index].usesDefaultEgress = false
            }
            add(override.addEgress, to: &tiers[index].egress, tier: override.tier, reader: &reader)
        }
        return tiers
    }

    private static func remove(_ removals: [Rule], from rules: inout [Rule], tier: String, checkStale: Bool, reader: inout NodeReader) {
        for removal in removals {
            if let position = rules.firstIndex(where: { $0.key == removal.key }) {
                rules.remove(at: position)
            } else if checkStale {
                reader.diagnostics.error(
                    .staleOverride, "stale override: tier \(TextSupport.quoted(tier)) has no rule \(removal.key) to remove",
                    at: removal.location)
            }
        }
    }

    private static func add(_ additions: [Rule], to rules: inout [Rule], tier: String, reader: inout NodeReader) {
        for addition in additions {
            if let existing = rules.first(where: { $0.key == addition.key }) {
                reportDuplicate(addition, of: existing, tier: tier, reader: &reader)
            } else {
                rules.append(addition)
            }
        }
    }

    /// Accepted risks name tiers of the scenario, and so do the rules they bind to.
    static func checkAcceptedRisks(_ risks: [AcceptedRiskDraft], tierNames: [String], reader: inout NodeReader) {
        let known = Set(tierNames)
        var suggester = TextSupport.Suggester(candidates: tierNames)
        for draft in risks where !known.contains(draft.risk.tier) {
            reader.diagnostics.error(
                .acceptedRiskUnknownTier,
                "accepted risk names unknown tier \(TextSupport.quoted(draft.risk.tier))\(suggester.didYouMean(draft.risk.tier))",
                at: draft.tierLocation)
        }
        checkTierReferences(in: risks.compactMap(\.selector), tierNames: tierNames, reader: &reader)
    }

    /// Every adopted group names a tier of the scenario.
    static func checkAdoptedGroups(_ groups: [AdoptedGroup], tierNames: [String], reader: inout NodeReader) {
        let known = Set(tierNames)
        var suggester = TextSupport.Suggester(candidates: tierNames)
        for group in groups where !known.contains(group.tier) {
            reader.diagnostics.error(
                .adoptedGroupUnknownTier,
                "adopted_groups names unknown tier \(TextSupport.quoted(group.tier))\(suggester.didYouMean(group.tier))",
                at: group.location)
        }
    }

    /// `{company}-{env}-{deployment_id}-{tier}` must fit AWS's group name limit.
    /// An adopted tier keeps its group's own name, checked where it is read.
    static func checkGroupNames(
        _ tiers: [Tier], identity: DeploymentIdentity, adopted: Set<String> = [], limits: ModelLimits, reader: inout NodeReader
    ) {
        for tier in tiers where !adopted.contains(tier.name) {
            let name = identity.groupName(tier: tier.name)
            if name.count > limits.maxGroupNameLength {
                reader.diagnostics.error(
                    .invalidTierName,
                    "security group name \(TextSupport.quoted(name)) is \(name.count) characters; AWS allows at most \(limits.maxGroupNameLength)",
                    at: tier.location)
            }
        }
    }
}
