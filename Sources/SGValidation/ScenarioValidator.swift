import SGModel

/// The one validator behind validate, review reports, drift rating and audit: never two copies
/// of "is this dangerous".
///
/// Stages: (1) world coverage per tier and direction, (2) per-rule families (world exposure,
/// egress, broad CIDRs), (3) default egress per tier, (4) exposure paths over the whole
/// deployment, (5) accepted risks, (6) sorting and per-rule assessments.
public struct ScenarioValidator: Sendable {
    private let ruleChecks: [any RuleCheck]

    /// A validator with every built-in rule family.
    public init() {
        ruleChecks = [WorldExposureRule(), EgressRule(), BroadCIDRRule()]
    }

    /// Validates a deployment's tiers (after overrides) with the config's VPC CIDR, accepted risks
    /// and port catalog extensions. With `assessingRules` false the result's `assessments` is
    /// empty (findings, tier assessments and unused accepted risks are the same): callers that
    /// only report findings skip an assessment per rule, the largest allocation of a run.
    public func validate(_ deployment: Deployment, today: CalendarDate, assessingRules: Bool = true) -> ValidationResult {
        let context = ValidationContext(
            vpcCIDR: deployment.config.vpcCIDR, acceptedRisks: deployment.config.acceptedRisks, today: today,
            catalog: PortCatalog.builtIn.extended(with: deployment.config.portCatalog))
        return validate(tiers: deployment.tiers, context: context, assessingRules: assessingRules)
    }

    /// Validates tiers that need not come from a config (audit of live groups or templates, drift).
    /// `assessingRules` as for `validate(_:today:assessingRules:)`.
    public func validate(tiers: [Tier], context: ValidationContext, assessingRules: Bool = true) -> ValidationResult {
        var findings: [Finding] = []
        // Findings per rule, keyed by (tier index, direction, position), for the assessments.
        var findingsByRule: [RuleSlot: [Finding]] = [:]
        var worldIngress = [[Rule]](repeating: [], count: tiers.count)
        var tierAssessments: [TierAssessment] = []

        for (tierIndex, tier) in tiers.enumerated() {
            // (1) Sets of CIDRs that together are the world.
            var coverageRules = Set<RuleSlot>()
            for direction in Direction.allCases {
                let rules = direction == .ingress ? tier.ingress : tier.egress
                for set in WorldCoverage.coveringSets(in: rules) {
                    let anchor = set.rules[0]
                    let finding = direction == .ingress
                        ? WorldExposureRule.finding(
                            ipProtocol: set.ipProtocol, ports: set.ports, world: set.worldPeer, tier: tier, anchor: anchor,
                            ruleText: set.ruleText, catalog: context.catalog)
                        : EgressRule.finding(
                            ipProtocol: set.ipProtocol, ports: set.ports, world: set.worldPeer, tier: tier, anchor: anchor,
                            ruleText: set.ruleText, catalog: context.catalog)
                    findings.append(finding)
                    if direction == .ingress { worldIngress[tierIndex].append(anchor) }
                    for rule in set.rules {
                        for slot in slots(of: rule, in: rules, tierIndex: tierIndex) {
                            coverageRules.insert(slot)
                            findingsByRule[slot, default: []].append(finding)
                        }
                    }
                }
            }

            // (2) One rule at a time.
            for direction in Direction.allCases {
                let rules = direction == .ingress ? tier.ingress : tier.egress
                for (position, rule) in rules.enumerated() {
                    let slot = RuleSlot(tier: tierIndex, direction: direction, position: position)
                    var own = ruleChecks.flatMap { $0.findings(for: rule, in: tier, context: context) }
                    // A wide public CIDR that is half of the world is reported once, as the world.
                    if coverageRules.contains(slot) { own.removeAll { $0.id == FindingKind.publicWideCIDR.id } }
                    findings += own
                    // Only rules with findings get an entry: lookups default to none, and 20,000
                    // empty entries were a megabyte of dictionary for nothing.
                    if !own.isEmpty { findingsByRule[slot, default: []] += own }
                    if direction == .ingress, WorldPeer.of(rule) != nil { worldIngress[tierIndex].append(rule) }
                }
            }

            // (3) The tier's egress posture.
            if let finding = EgressRule.defaultEgressFinding(for: tier) { findings.append(finding) }
            tierAssessments.append(tierAssessment(tier, findingsByRule: findingsByRule, tierIndex: tierIndex))
        }

        // (4) Reachability through other tiers.
        findings += ExposurePathRule.findings(tiers: tiers, worldIngress: worldIngress, context: context)

        // (5) Accepted risks, then (6) the stable order.
        let unused = AcceptedRisks.apply(to: &findings, acceptedRisks: context.acceptedRisks, today: context.today)
        findings.sort(by: Finding.reportOrder)

        var assessments: [RuleAssessment] = []
        guard assessingRules else {
            return ValidationResult(findings: findings, assessments: [], tierAssessments: tierAssessments, unusedAcceptedRisks: unused)
        }
        // Sized once: grown by doubling, the last copy of ~300-byte assessments held the old and
        // the new buffer at once, the peak memory of validating a big deployment.
        assessments.reserveCapacity(tiers.reduce(0) { $0 + $1.ingress.count + $1.egress.count })
        for (tierIndex, tier) in tiers.enumerated() {
            for direction in Direction.allCases {
                let rules = direction == .ingress ? tier.ingress : tier.egress
                for (position, rule) in rules.enumerated() {
                    let slot = RuleSlot(tier: tierIndex, direction: direction, position: position)
                    assessments.append(Self.assessment(of: rule, in: tier, findings: findingsByRule[slot] ?? []))
                }
            }
        }
        return ValidationResult(findings: findings, assessments: assessments, tierAssessments: tierAssessments, unusedAcceptedRisks: unused)
    }

    /// One rule's risk on its own (world exposure, egress, broad CIDR). It cannot see sets of
    /// CIDRs covering the world or exposure paths; `validate` folds those into its assessments.
    public func assess(_ rule: Rule, in tier: Tier, context: ValidationContext) -> RuleAssessment {
        Self.assessment(of: rule, in: tier, findings: ruleChecks.flatMap { $0.findings(for: rule, in: tier, context: context) })
    }

    // MARK: - Helpers

    /// Identifies a rule by position, so identical rules written twice stay distinct.
    private struct RuleSlot: Hashable {
        var tier: Int
        var direction: Direction
        var position: Int
    }

    private func slots(of rule: Rule, in rules: [Rule], tierIndex: Int) -> [RuleSlot] {
        rules.indices.filter { rules[$0] == rule }.map { RuleSlot(tier: tierIndex, direction: rule.direction, position: $0) }
    }

    private static func assessment(of rule: Rule, in tier: Tier, findings: [Finding]) -> RuleAssessment {
        let ids = Array(Set(findings.map(\.id))).sorted()
        if let worst = findings.sorted(by: Finding.reportOrder).first {
            return RuleAssessment(tier: tier.name, rule: rule, risk: worst.severity, reason: worst.description, findingIDs: ids)
        }
        switch rule.peer {
        case .tier(let name):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, isPreferred: true, reason: "tier reference to \(name) (preferred)")
        case .securityGroup(let id):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "reference to existing security group \(id)")
        case .prefixList(let id):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "managed prefix list \(id)")
        case .cidr(let block):
            let kind = block.isPrivate ? "internal" : "public"
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "\(kind) CIDR \(block), /\(block.prefixLength) is narrow enough")
        }
    }

    private func tierAssessment(_ tier: Tier, findingsByRule: [RuleSlot: [Finding]], tierIndex: Int) -> TierAssessment {
        if tier.isEgressClosed {
            return TierAssessment(tier: tier.name, egress: .closed, risk: .info, riskLabel: "SAFE", reason: "egress: [] allows no outbound traffic (fully isolated)")
        }
        if tier.usesDefaultEgress {
            return TierAssessment(
                tier: tier.name, egress: .awsDefault, risk: FindingKind.defaultEgress.defaultSeverity,
                riskLabel: FindingKind.defaultEgress.defaultSeverity.label, reason: "egress omitted: AWS allows all outbound traffic to 0.0.0.0/0")
        }
        let worst = tier.egress.indices
            .flatMap { findingsByRule[RuleSlot(tier: tierIndex, direction: .egress, position: $0)] ?? [] }
            .map(\.severity).max() ?? .low
        return TierAssessment(
            tier: tier.name, egress: .explicit, risk: worst, riskLabel: worst.label,
            reason: "\(tier.egress.count) explicit egress rule\(tier.egress.count == 1 ? "" : "s")")
    }
}
