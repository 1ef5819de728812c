import SGDiagnostics
import SGFindings
import SGModel

/// The one validator behind validate, review reports, drift rating and audit: never two copies
/// of "is this dangerous".
///
/// Stages, per tier and direction: (1) each rule's peer is classified once against the public
/// address model (`PeerScope`); (2) unions of public peers per protocol and port set
/// (`PeerUnion`); (3) one verdict per rule from its family: world exposure or egress for a
/// world-equivalent peer, `PublicRangeRule` for a wide public one, `LeastPrivilegeRule` inside
/// the network; (4) default egress per tier. Then over the whole deployment: (5) exposure paths,
/// (6) accepted risks, (7) sorting and per-rule assessments.
public struct ScenarioValidator: Sendable {
    /// A validator with every built-in rule family.
    public init() {}

    /// Validates a deployment's tiers (after overrides) with the config's VPC CIDR, accepted risks
    /// and port catalog extensions. With `assessingRules` false the result has no `assessments`
    /// and an empty `reachability` (findings, exposure paths included, are the same): callers that
    /// only report findings keep neither an assessment per rule nor the graph through compiling.
    public func validate(_ deployment: Deployment, today: CalendarDate, assessingRules: Bool = true) -> ValidationResult {
        let extensions = deployment.config.portCatalog
        let context = ValidationContext(
            vpcCIDR: deployment.config.vpcCIDR, acceptedRisks: deployment.config.acceptedRisks, today: today,
            catalog: PortCatalog.builtIn.extended(with: extensions))
        var result = validate(tiers: deployment.tiers, context: context, assessingRules: assessingRules)
        // Config entries that try to weaken the built-in table are errors, located in the config.
        result.diagnostics = PortCatalog.builtIn.loweringDiagnostics(for: extensions) + result.diagnostics
        return result
    }

    /// Validates tiers that need not come from a config (audit of live groups or templates, drift).
    /// `assessingRules` as for `validate(_:today:assessingRules:)`.
    public func validate(tiers: [Tier], context: ValidationContext, assessingRules: Bool = true) -> ValidationResult {
        var findings: [Finding] = []
        // Findings per rule, keyed by (tier index, direction, position), for the assessments.
        var findingsByRule: [RuleSlot: [Finding]] = [:]
        // (5) is built as the tiers are judged: each receiver's hops once its ingress is.
        var reachability = Reachability(tiers: tiers)
        var worldPositions: [Int] = []
        var tierAssessments: [TierAssessment] = []
        // One buffer for every tier's classifications: no allocation per tier once it has grown.
        var scopes: [PeerScope] = []

        for (tierIndex, tier) in tiers.enumerated() {
            for direction in Direction.allCases {
                let rules = direction == .ingress ? tier.ingress : tier.egress
                // (1) Each peer once.
                scopes.removeAll(keepingCapacity: true)
                var candidates = UnionCandidates()
                for rule in rules {
                    let scope = PeerScope.of(rule, context: context)
                    scopes.append(scope)
                    candidates.add(scope)
                }

                // (2) Unions that amount to more than their members.
                var worldUnionMembers = Set<Int>()
                if candidates.couldAmountToMore {
                    var lanes: [PeerUnion.Lane] = []
                    for (position, scope) in scopes.enumerated() {
                        switch scope {
                        case .widePublic(let block, _): lanes.append(PeerUnion.Lane(rule: rules[position], block: block, exposure: .widePublic))
                        case .narrowPublic(let block, _): lanes.append(PeerUnion.Lane(rule: rules[position], block: block, exposure: .narrowPublic))
                        default: break
                        }
                    }
                    for set in PeerUnion.sets(lanes, space: context.addressSpace) {
                        let finding = Self.finding(for: set, tier: tier, context: context)
                        findings.append(finding)
                        for member in set.rules {
                            for position in rules.indices where rules[position] == member {
                                if set.verdict == .world { worldUnionMembers.insert(position) }
                                findingsByRule[RuleSlot(tier: tierIndex, direction: direction, position: position), default: []].append(finding)
                            }
                        }
                    }
                }

                // (3) One verdict per rule.
                worldPositions.removeAll(keepingCapacity: true)
                for (position, rule) in rules.enumerated() {
                    let scope = scopes[position]
                    if direction == .ingress {
                        if case .world = scope {
                            worldPositions.append(position)
                        } else if !worldUnionMembers.isEmpty, worldUnionMembers.contains(position) {
                            worldPositions.append(position)
                        }
                    }
                    guard let finding = Self.judge(rule, scope: scope, in: tier, context: context) else { continue }
                    // A wide CIDR that is part of a world-equivalent union is reported once, as the world.
                    if worldUnionMembers.contains(position), finding.id == FindingKind.publicWideCIDR.id || finding.id == FindingKind.egressPublicWide.id {
                        continue
                    }
                    findings.append(finding)
                    // Only rules with findings get an entry (lookups default to none), so the
                    // table grows with the findings, not with the rules.
                    findingsByRule[RuleSlot(tier: tierIndex, direction: direction, position: position), default: []].append(finding)
                }
                if direction == .ingress {
                    reachability.addIngress(of: tierIndex, world: worldPositions, context: context)
                }
            }

            // (4) The tier's egress posture.
            if let finding = EgressRule.defaultEgressFinding(for: tier) { findings.append(finding) }
            tierAssessments.append(tierAssessment(tier, findingsByRule: findingsByRule, tierIndex: tierIndex))
        }

        // (5) Reachability through other tiers.
        reachability.findPaths()
        findings += ExposurePathRule.findings(reachability)

        // (6) Accepted risks, then (7) the stable order.
        let acceptance = AcceptedRisks.apply(to: &findings, acceptedRisks: context.acceptedRisks, today: context.today)
        findings.sort(by: Finding.reportOrder)

        var assessments: [RuleAssessment] = []
        guard assessingRules else {
            return ValidationResult(
                findings: findings, assessments: [], tierAssessments: tierAssessments, unusedAcceptedRisks: acceptance.unused,
                diagnostics: acceptance.diagnostics)
        }
        // Sized once: grown by doubling, the last copy would hold the old and the new buffer of
        // assessments at once, at the run's peak of memory.
        assessments.reserveCapacity(tiers.reduce(0) { $0 + $1.ingress.count + $1.egress.count })
        for (tierIndex, tier) in tiers.enumerated() {
            for direction in Direction.allCases {
                let rules = direction == .ingress ? tier.ingress : tier.egress
                for (position, rule) in rules.enumerated() {
                    let slot = RuleSlot(tier: tierIndex, direction: direction, position: position)
                    assessments.append(Self.assessment(of: rule, in: tier, findings: findingsByRule[slot] ?? [], context: context))
                }
            }
        }
        return ValidationResult(
            findings: findings, assessments: assessments, tierAssessments: tierAssessments, unusedAcceptedRisks: acceptance.unused,
            diagnostics: acceptance.diagnostics, reachability: reachability)
    }

    /// One rule's risk on its own. It cannot see unions of peers or exposure paths; `validate`
    /// folds those into its assessments.
    public func assess(_ rule: Rule, in tier: Tier, context: ValidationContext) -> RuleAssessment {
        let finding = Self.judge(rule, scope: PeerScope.of(rule, context: context), in: tier, context: context)
        return Self.assessment(of: rule, in: tier, findings: finding.map { [$0] } ?? [], context: context)
    }

    // MARK: - Verdicts

    /// The one verdict on a rule, from the family its peer's scope selects.
    static func judge(_ rule: Rule, scope: PeerScope, in tier: Tier, context: ValidationContext) -> Finding? {
        switch scope {
        case .world(let world):
            return rule.direction == .ingress
                ? WorldExposureRule.finding(
                    ipProtocol: rule.ipProtocol, ports: rule.ports, world: world, tier: tier, anchor: rule, ruleText: nil, catalog: context.catalog)
                : EgressRule.finding(
                    ipProtocol: rule.ipProtocol, ports: rule.ports, world: world, tier: tier, anchor: rule, ruleText: nil, catalog: context.catalog)
        case .widePublic(let block, let reach):
            return PublicRangeRule.finding(
                ipProtocol: rule.ipProtocol, ports: rule.ports, peerText: PublicRangeRule.peerText(block, reach: reach), tier: tier,
                anchor: rule, ruleText: nil, catalog: context.catalog)
        case .narrowPublic:
            return nil
        case .internalCIDR(let block):
            // Documentation or reserved space lets nothing through: nothing to narrow.
            guard context.addressSpace.holdsHosts(block) else { return nil }
            return LeastPrivilegeRule.finding(for: rule, scope: scope, in: tier, context: context)
        case .reference:
            return LeastPrivilegeRule.finding(for: rule, scope: scope, in: tier, context: context)
        }
    }

    /// The finding for a union of peers, anchored at its first rule in file order.
    private static func finding(for set: PeerUnion.UnionSet, tier: Tier, context: ValidationContext) -> Finding {
        let anchor = set.rules[0]
        let members = set.rules.map(\.key)
        switch set.verdict {
        case .world:
            let world = WorldPeer(union: set.blocks, reach: set.reach, space: context.addressSpace)
            return anchor.direction == .ingress
                ? WorldExposureRule.finding(
                    ipProtocol: set.ipProtocol, ports: set.ports, world: world, tier: tier, anchor: anchor, ruleText: set.ruleText,
                    members: members, catalog: context.catalog)
                : EgressRule.finding(
                    ipProtocol: set.ipProtocol, ports: set.ports, world: world, tier: tier, anchor: anchor, ruleText: set.ruleText,
                    members: members, catalog: context.catalog)
        case .wideUnion:
            return PublicRangeRule.finding(
                ipProtocol: set.ipProtocol, ports: set.ports, peerText: PublicRangeRule.unionText(set.blocks, reach: set.reach), tier: tier,
                anchor: anchor, ruleText: set.ruleText, members: members, catalog: context.catalog)
        }
    }

    /// Running sums over one tier's peers in one direction, so the union stage is skipped
    /// without allocating when no union could amount to more than its members.
    private struct UnionCandidates {
        var count = 0
        var narrowCount = 0
        var ipv4 = AddressCount.zero, ipv6 = AddressCount.zero
        var narrowIPv4 = AddressCount.zero, narrowIPv6 = AddressCount.zero

        mutating func add(_ scope: PeerScope) {
            switch scope {
            case .widePublic(_, let reach):
                count += 1
                ipv4 = ipv4 + reach.ipv4
                ipv6 = ipv6 + reach.ipv6
            case .narrowPublic(_, let reach):
                count += 1
                narrowCount += 1
                ipv4 = ipv4 + reach.ipv4
                ipv6 = ipv6 + reach.ipv6
                narrowIPv4 = narrowIPv4 + reach.ipv4
                narrowIPv6 = narrowIPv6 + reach.ipv6
            default:
                break
            }
        }

        /// The sums bound every union from above: below the thresholds, no union crosses them.
        var couldAmountToMore: Bool {
            guard count >= 2 else { return false }
            let t = Exposure.Thresholds.self
            if ipv4 >= t.worldEquivalentIPv4 || ipv6 >= t.worldEquivalentIPv6 { return true }
            return narrowCount >= 2 && (narrowIPv4 > t.wideUnionIPv4 || narrowIPv6 > t.wideUnionIPv6)
        }
    }

    // MARK: - Assessments

    /// Identifies a rule by position, so identical rules written twice stay distinct.
    private struct RuleSlot: Hashable {
        var tier: Int
        var direction: Direction
        var position: Int
    }

    private static func assessment(of rule: Rule, in tier: Tier, findings: [Finding], context: ValidationContext) -> RuleAssessment {
        if let worst = findings.min(by: Finding.reportOrder) {
            let ids = Array(Set(findings.map(\.id))).sorted()
            return RuleAssessment(tier: tier.name, rule: rule, risk: worst.severity, reason: worst.description, findingIDs: ids)
        }
        switch PeerScope.of(rule, context: context) {
        case .reference(.tier(let name)):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, isPreferred: true, reason: "tier reference to \(name) (preferred)")
        case .reference(.securityGroup(let id)):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "reference to existing security group \(id)")
        case .reference(.prefixList(let id)):
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "managed prefix list \(id)")
        case .reference(.cidr(let block)), .internalCIDR(let block):
            let reason: String
            if let vpc = context.vpcCIDR, vpc.contains(block) {
                reason = "internal CIDR \(block), inside the VPC \(vpc)"
            } else if let special = PublicAddressSpace.specialRange(containing: block) {
                reason = special.holdsHosts
                    ? "internal CIDR \(block), \(special.label)"
                    : "CIDR \(block) is \(special.label): no host has such an address, so the rule matches nothing"
            } else {
                reason = "internal CIDR \(block), no public address"
            }
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: reason)
        case .narrowPublic(let block, let reach):
            return RuleAssessment(
                tier: tier.name, rule: rule, risk: .low, reason: "public CIDR \(block), \(ReachText.count(reach)): narrow (one site or less)")
        case .widePublic, .world:
            // Every such rule has a finding unless a union reported it; keep the label honest anyway.
            return RuleAssessment(tier: tier.name, rule: rule, risk: .low, reason: "public CIDR \(rule.peer)")
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
