/// Where moto 5.2 answers differently from AWS, in one declared place. Tests use these entries only
/// to filter differences moto causes in what they expect; the tool itself never works around them.
enum MotoDivergence: String, CaseIterable {
    /// DescribeSecurityGroupRules omits `Description` for rules that reference another group
    /// (DescribeSecurityGroups keeps it), so a live check-drift sees those descriptions as removed.
    case ruleDescriptionsOfGroupReferencesDropped

    /// True when a drift report's "changed" rule is explained by this divergence.
    func explainsChangedRule(peer: String, liveDescription: String?) -> Bool {
        switch self {
        case .ruleDescriptionsOfGroupReferencesDropped:
            return liveDescription == nil && (peer.hasPrefix("tier ") || peer.hasPrefix("sg-"))
        }
    }
}
