import SGModel

/// Bounds on the size of a deployment model. Each is a named constant with an error just over it,
/// so a runaway generator or hostile input fails with a located message instead of a slow
/// deploy failure (or an out-of-memory crash).
public struct ModelLimits: Sendable, Hashable {
    /// Most tiers in one scenario.
    public var maxTiers: Int
    /// Most rules in one direction of one tier: AWS's default quota "inbound or outbound rules per
    /// security group" is 60.
    public var maxRulesPerDirection: Int
    /// Most entries in a config's `overrides`.
    public var maxOverrides: Int
    /// Most entries in a config's `accepted_risks`.
    public var maxAcceptedRisks: Int
    /// Most user tags: AWS allows 50 per resource and the tool adds 3 of its own.
    public var maxTags: Int
    /// Most rules across all tiers of a deployment.
    public var maxTotalRules: Int
    /// Most entries in a config's `port_catalog`.
    public var maxPortCatalogEntries: Int
    /// Longest security group name (`{company}-{env}-{deployment_id}-{tier}`): AWS allows 255
    /// (`AWSText.maxDescriptionLength`).
    public var maxGroupNameLength: Int

    /// Creates limits.
    public init(
        maxTiers: Int, maxRulesPerDirection: Int, maxOverrides: Int, maxAcceptedRisks: Int, maxTags: Int,
        maxTotalRules: Int, maxPortCatalogEntries: Int, maxGroupNameLength: Int
    ) {
        self.maxTiers = maxTiers
        self.maxRulesPerDirection = maxRulesPerDirection
        self.maxOverrides = maxOverrides
        self.maxAcceptedRisks = maxAcceptedRisks
        self.maxTags = maxTags
        self.maxTotalRules = maxTotalRules
        self.maxPortCatalogEntries = maxPortCatalogEntries
        self.maxGroupNameLength = maxGroupNameLength
    }

    /// AWS's own quotas where they exist, generous bounds elsewhere.
    public static let `default` = ModelLimits(
        maxTiers: 5_000,
        maxRulesPerDirection: 60,
        maxOverrides: 1_000,
        maxAcceptedRisks: 1_000,
        maxTags: 50 - 3,
        maxTotalRules: 100_000,
        maxPortCatalogEntries: 1_000,
        maxGroupNameLength: AWSText.maxDescriptionLength
    )
}

/// AWS's own limits on text (descriptions, tags), kept in the model with EC2's other conventions.
typealias AWSTextRules = AWSText
