import SGModel

/// A rule family that judges one rule at a time (world exposure, egress, broad CIDRs). Families
/// that need the whole tier or deployment (world coverage, exposure paths) are separate stages of
/// `ScenarioValidator`, because they cannot be answered for a rule in isolation.
protocol RuleCheck: Sendable {
    /// The findings this family raises against `rule` of `tier`.
    func findings(for rule: Rule, in tier: Tier, context: ValidationContext) -> [Finding]
}
