import SGConcurrency
import SGDiagnostics
import SGModel

/// The checks that keep AWS from failing a deploy late: everything the compiler cannot emit as
/// written is reported here, with the location of the offending input, and left out of the plan.
///
/// Some of them repeat a check of the config reader (tags, descriptions, tier references,
/// duplicate rules): a model read from YAML never fails them, but a model built in code (tests,
/// library callers) skips the reader, and the compiler must still never emit a template AWS
/// refuses. These backstops report the reader's code for the same problem (E217/E218/E104,
/// E314, E313, E315), so one problem has one code whichever stage sees it.
struct InputChecks {
    /// Tag keys the compiler writes itself; a config tag may not reuse them.
    static let reservedTagKeys = ["Name", DeploymentIdentity.deploymentTagKey, DeploymentIdentity.tierTagKey]

    /// The tiers to emit (first of each name) and, per tier name, the rules that can be emitted.
    struct Accepted {
        var tiers: [Tier] = []
        var rules: [String: (ingress: [Rule], egress: [Rule])] = [:]
        var tags: [Tag] = []
        /// The number of rules in `rules`.
        var ruleCount = 0
    }

    /// Runs every check; returns what can be emitted.
    static func run(_ deployment: Deployment, limits: StackLimits, diagnostics: inout Diagnostics) -> Accepted {
        var accepted = Accepted()
        var firstTier: [String: Tier] = [:]
        for tier in deployment.tiers {
            if let first = firstTier[tier.name] {
                diagnostics.error(
                    .cfnDuplicateTier, "tier '\(tier.name)' is defined twice", at: tier.location,
                    notes: [.init("first defined here", at: first.location)])
                continue
            }
            firstTier[tier.name] = tier
            accepted.tiers.append(tier)
        }
        accepted.tags = checkTags(deployment.config.tags, diagnostics: &diagnostics)
        // Tiers are checked independently, on every thread there is; merged in tier order.
        let known = firstTier
        let checked = Parallel.map(accepted.tiers, minimumSlice: StackPacker.tiersPerBatch) { tier in
            var found = Diagnostics()
            checkNames(tier, deployment: deployment, diagnostics: &found)
            let ingress = checkRules(tier.ingress, of: tier, known: known, diagnostics: &found)
            let egress = checkRules(tier.egress, of: tier, known: known, diagnostics: &found)
            checkRuleCounts(tier, ingress: ingress, egress: egress, limits: limits, diagnostics: &found)
            return (ingress: ingress, egress: egress, diagnostics: found)
        }
        for (tier, result) in zip(accepted.tiers, checked) {
            diagnostics.report(contentsOf: result.diagnostics.all)
            accepted.rules[tier.name] = (result.ingress, result.egress)
            accepted.ruleCount += result.ingress.count + result.egress.count
        }
        return accepted
    }

    /// True when AWS accepts the text as a group name or description (`AWSText`).
    static func isAWSDescription(_ text: String) -> Bool { AWSText.isValidDescription(text) }

    private static func checkNames(_ tier: Tier, deployment: Deployment, diagnostics: inout Diagnostics) {
        let adopted = deployment.config.adoptedGroup(tier: tier.name)
        let groupName = adopted?.groupName ?? deployment.identity.groupName(tier: tier.name)
        if !isAWSDescription(groupName) || groupName.hasPrefix(AWSText.groupIDPrefix) {
            diagnostics.error(
                .cfnInvalidName,
                "group name '\(groupName)' is not a valid security group name (at most 255 characters of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*, not starting with sg-)",
                at: tier.location)
        }
        // Backstop of the config reader's E314.
        if let description = tier.description, !isAWSDescription(description) {
            diagnostics.error(
                .invalidDescription,
                "description of tier '\(tier.name)' \(descriptionProblem(description)); AWS rejects it as a group description",
                at: tier.location)
        }
    }

    private static func descriptionProblem(_ text: String) -> String {
        if text.count > AWSText.maxDescriptionLength { return "is \(text.count) characters long (at most \(AWSText.maxDescriptionLength))" }
        let bad = AWSText.firstInvalidDescriptionCharacter(text) ?? " "
        return "contains '\(bad)', which is not one of \(AWSText.descriptionCharsetText)"
    }

    private static func checkTags(_ tags: [Tag], diagnostics: inout Diagnostics) -> [Tag] {
        var seen: [String: Tag] = [:]
        var kept: [Tag] = []
        for tag in tags {
            // Backstops of the config reader's E218 (reserved keys), E217 (AWS's tag rules) and
            // the YAML parser's E104 (a key twice).
            var problem: (code: DiagnosticCode, message: String)?
            if reservedTagKeys.contains(tag.key) {
                problem = (.reservedTagKey, "tag key '\(tag.key)' is set by sg-provisioner itself")
            } else if tag.key.lowercased().hasPrefix(AWSText.reservedTagPrefix) {
                problem = (.reservedTagKey, "tag key '\(tag.key)' uses the prefix aws:, which AWS reserves")
            } else if tag.key.isEmpty || tag.key.count > AWSText.maxTagKeyLength {
                problem = (.invalidTag, "tag key '\(tag.key)' must be 1-\(AWSText.maxTagKeyLength) characters long")
            } else if tag.value.count > AWSText.maxTagValueLength {
                problem = (.invalidTag, "value of tag '\(tag.key)' is \(tag.value.count) characters long (at most \(AWSText.maxTagValueLength))")
            } else if let bad = AWSText.firstInvalidTagCharacter(tag.key) ?? AWSText.firstInvalidTagCharacter(tag.value) {
                problem = (.invalidTag, "tag '\(tag.key)' contains '\(bad)'; tags allow letters, digits, spaces and _.:/=+-@")
            }
            if let problem {
                diagnostics.error(problem.code, problem.message, at: tag.location)
                continue
            }
            if let first = seen[tag.key] {
                diagnostics.error(
                    .yamlDuplicateKey, "tag key '\(tag.key)' is given twice", at: tag.location,
                    notes: [.init("first given here", at: first.location)])
                continue
            }
            seen[tag.key] = tag
            kept.append(tag)
        }
        return kept
    }

    /// The rules that can be emitted: the input array itself when all can (the usual case; rules
    /// are indexed, not copied, while checking), else a copy without the others.
    private static func checkRules(
        _ rules: [Rule], of tier: Tier, known: [String: Tier], diagnostics: inout Diagnostics
    ) -> [Rule] {
        var firstByKey = [RuleKey: Int](minimumCapacity: rules.count)
        var rejected = Set<Int>()
        for (index, rule) in rules.enumerated() {
            var emittable = true
            if let problem = portProblem(rule) {
                diagnostics.error(.cfnInvalidPorts, problem, at: rule.locations.ports ?? rule.location)
                emittable = false
            }
            // Backstops of the config reader's E314, E313 and E315.
            if let description = rule.description, !isAWSDescription(description) {
                diagnostics.error(
                    .invalidDescription,
                    "rule description \(descriptionProblem(description)); AWS rejects it", at: rule.location)
                emittable = false
            }
            if case .tier(let name) = rule.peer, known[name] == nil {
                diagnostics.error(
                    .unknownTierReference, "rule refers to tier '\(name)', which is not in the deployment",
                    at: rule.locations.peer ?? rule.location)
                emittable = false
            }
            if let first = firstByKey[rule.key] {
                diagnostics.error(
                    .duplicateRule,
                    "duplicate rule \(rule.key) on tier '\(tier.name)'; AWS rejects it (InvalidPermission.Duplicate)",
                    at: rule.location, notes: [.init("first written here", at: rules[first].location)])
                emittable = false
            }
            guard emittable else {
                rejected.insert(index)
                continue
            }
            firstByKey[rule.key] = index
        }
        guard !rejected.isEmpty else { return rules }
        return rules.indices.filter { !rejected.contains($0) }.map { rules[$0] }
    }

    /// Why a rule's ports cannot be emitted for its protocol, or nil when they can.
    static func portProblem(_ rule: Rule) -> String? { EC2Permission.encodingProblem(rule.ipProtocol, rule.ports) }

    private static func checkRuleCounts(
        _ tier: Tier, ingress: [Rule], egress: [Rule], limits: StackLimits, diagnostics: inout Diagnostics
    ) {
        if ingress.count > limits.maxRulesPerDirection {
            diagnostics.error(
                .cfnTooManyRules,
                "tier '\(tier.name)' has \(ingress.count) ingress rules; AWS allows at most \(limits.maxRulesPerDirection) per direction on a security group",
                at: tier.location)
        }
        let needsPlaceholder = egressIsDeclared(tier) && !egress.contains { !$0.peer.isTier }
        let egressCount = egress.count + (needsPlaceholder ? 1 : 0)
        if egressCount > limits.maxRulesPerDirection {
            let extra = needsPlaceholder ? " (including the placeholder that closes default egress)" : ""
            diagnostics.error(
                .cfnTooManyRules,
                "tier '\(tier.name)' has \(egressCount) egress rules\(extra); AWS allows at most \(limits.maxRulesPerDirection) per direction on a security group",
                at: tier.location)
        }
    }

    /// True when the group must not keep AWS's default allow-all egress: the scenario wrote
    /// `egress` (even `[]`), or an override added egress rules to a tier that had none.
    static func egressIsDeclared(_ tier: Tier) -> Bool {
        !DefaultEgress.expected(for: tier)
    }
}

extension Peer {
    /// True for a reference to another tier of the deployment.
    var isTier: Bool {
        if case .tier = self { return true }
        return false
    }
}
