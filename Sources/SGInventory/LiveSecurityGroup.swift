import SGDiagnostics
import SGModel

/// A security group as it exists in AWS (or in a saved snapshot), normalised to the model's
/// vocabulary so it can be compared with what a config compiles to and judged by the validator.
///
/// Normalisation: protocols by number (`"17"` is udp), port ranges as `PortSpec`, CIDRs in
/// canonical form (IPv6 spellings compare equal), one `LiveRule` per peer (AWS groups several peers
/// under one permission; we never do).
public struct LiveSecurityGroup: Hashable, Sendable {
    /// `sg-...`.
    public var groupID: String
    /// `GroupName`.
    public var name: String
    /// `Description` (GroupDescription).
    public var description: String
    /// `vpc-...`, if any.
    public var vpcID: String?
    /// The account that owns the group (`OwnerId`), when the source says.
    public var ownerID: String?
    /// Tags by key.
    public var tags: [String: String]
    /// Inbound rules.
    public var ingress: [LiveRule]
    /// Outbound rules.
    public var egress: [LiveRule]
    /// Where the group is described (snapshot file position; `.file(source)` for live data).
    public var location: SourceLocation

    /// Creates a group.
    public init(
        groupID: String, name: String, description: String = "", vpcID: String? = nil, tags: [String: String] = [:],
        ingress: [LiveRule] = [], egress: [LiveRule] = [], location: SourceLocation
    ) {
        self.groupID = groupID
        self.name = name
        self.description = description
        self.vpcID = vpcID
        self.tags = tags
        self.ingress = ingress
        self.egress = egress
        self.location = location
    }

    /// The `sg-provisioner:deployment` tag, if present.
    public var deploymentTag: String? { tags[DeploymentIdentity.deploymentTagKey] }
    /// The `sg-provisioner:tier` tag, if present.
    public var tierTag: String? { tags[DeploymentIdentity.tierTagKey] }

    /// All rules, ingress first.
    public var rules: [LiveRule] { ingress + egress }
}

/// One live rule: what it allows, its description, and AWS's rule id when known.
public struct LiveRule: Hashable, Sendable {
    /// What traffic the rule allows. Group references are `.securityGroup(id)` here; `tierKey`
    /// maps them to tiers.
    public var key: RuleKey
    /// The rule's description.
    public var description: String?
    /// The account owning a group peer (`UserId` of the group pair), when the source says; a
    /// group of another account is one whose owner differs from the rule's own group's owner.
    public var peerAccount: String?
    /// The peer as the source spelled it, when that differs from the canonical block in `key`
    /// (a CIDR with host bits: `10.1.2.3/8` is the network `10.0.0.0/8`).
    public var peerSpelling: String?
    /// `sgr-...` when read through DescribeSecurityGroupRules.
    public var ruleID: String?
    /// Where it is described.
    public var location: SourceLocation
    /// For a rule of an audited template whose values depend on the deployment (parameters,
    /// conditions, Mappings): the choices of the deployment it was judged in, e.g.
    /// `judged at SSHLocation = 0.0.0.0/0 (an AllowedValue), the worst of 3 forms`. Nil when the
    /// rule is the same in every deployment.
    public var judgedAt: String?

    /// Creates a rule.
    public init(key: RuleKey, description: String? = nil, ruleID: String? = nil, location: SourceLocation, judgedAt: String? = nil) {
        self.key = key
        self.description = description
        self.ruleID = ruleID
        self.location = location
        self.judgedAt = judgedAt
    }

    /// The key with group-id peers replaced by tier names where `tiersByGroupID` knows them, so a
    /// live rule can be compared with a compiled one.
    public func tierKey(_ tiersByGroupID: [String: String]) -> RuleKey {
        guard case .securityGroup(let id) = key.peer, let tier = tiersByGroupID[id] else { return key }
        var mapped = key
        mapped.peer = .tier(tier)
        return mapped
    }

    /// True for the no-op rule the compiler uses to close egress (icmp 252/86 to 255.255.255.255/32),
    /// so a closed group is in sync whether AWS shows it or shows no egress at all.
    public var isClosedEgressPlaceholder: Bool { key == DefaultEgress.closedPlaceholder }
}

extension LiveSecurityGroup {
    /// The group as a validator tier: the tier name (from tags or the group name), rules with their
    /// locations, and group-id peers mapped to tier names where known.
    public func asTier(named tierName: String? = nil, tiersByGroupID: [String: String] = [:]) -> Tier {
        func rule(_ live: LiveRule) -> Rule {
            let key = live.tierKey(tiersByGroupID)
            return Rule(
                direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer,
                description: live.description, locations: RuleLocations(rule: live.location))
        }
        let egress = egress.filter { !$0.isClosedEgressPlaceholder }
        return Tier(
            name: tierName ?? tierTag ?? "\(name) (\(groupID))",
            description: description, isPublic: false,
            ingress: ingress.map(rule), egress: egress.map(rule), usesDefaultEgress: false, location: location)
    }
}
