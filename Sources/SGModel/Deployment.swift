import SGDiagnostics

/// One network tier: a security group and the rules on it.
public struct Tier: Hashable, Sendable {
    /// The tier's name, a key of the scenario's `tiers` (same pattern as other names).
    public var name: String
    /// What runs in it.
    public var description: String?
    /// Whether the tier serves the internet (80/443 from the world is LOW rather than MEDIUM).
    public var isPublic: Bool
    /// Inbound rules, in file order.
    public var ingress: [Rule]
    /// Outbound rules, in file order. Empty with `usesDefaultEgress == false` means closed.
    public var egress: [Rule]
    /// True when the scenario omitted `egress`: AWS then allows all outbound traffic.
    public var usesDefaultEgress: Bool
    /// Where the tier's key is.
    public var location: SourceLocation

    /// Creates a tier.
    public init(
        name: String, description: String? = nil, isPublic: Bool = false, ingress: [Rule] = [], egress: [Rule] = [],
        usesDefaultEgress: Bool = false, location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.isPublic = isPublic
        self.ingress = ingress
        self.egress = egress
        self.usesDefaultEgress = usesDefaultEgress
        self.location = location
    }

    /// All rules, ingress first.
    public var rules: [Rule] { ingress + egress }

    /// True when the group must end up with no egress at all (`egress: []`).
    public var isEgressClosed: Bool { egress.isEmpty && !usesDefaultEgress }
}

/// A reusable set of tiers (`scenarios/NAME.yaml`).
public struct Scenario: Hashable, Sendable {
    /// The scenario's name (matches its file name).
    public var name: String
    /// What it is for.
    public var description: String?
    /// The tiers in file order.
    public var tiers: [Tier]
    /// The scenario file's path.
    public var file: String

    /// Creates a scenario.
    public init(name: String, description: String? = nil, tiers: [Tier], file: String) {
        self.name = name
        self.description = description
        self.tiers = tiers
        self.file = file
    }

    /// The tier with a name, if any.
    public func tier(named name: String) -> Tier? { tiers.first { $0.name == name } }
}

/// A resource tag with where it was written.
public struct Tag: Hashable, Sendable {
    /// The key, e.g. `cost_center`.
    public var key: String
    /// The value, e.g. `Fraud Operations`.
    public var value: String
    /// Where the key was written.
    public var location: SourceLocation

    /// Creates a tag.
    public init(key: String, value: String, location: SourceLocation) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// A deployment-specific change to one tier of the scenario. Its description is mandatory.
public struct Override: Hashable, Sendable {
    /// The tier changed.
    public var tier: String
    /// Rules added (origin `.override`).
    public var addIngress: [Rule]
    /// Rules removed, matched by `RuleKey` (protocol, ports, peer; not description).
    public var removeIngress: [Rule]
    /// Rules added.
    public var addEgress: [Rule]
    /// Rules removed.
    public var removeEgress: [Rule]
    /// Why: required, shown to approvers.
    public var description: String
    /// Where the override starts.
    public var location: SourceLocation

    /// Creates an override.
    public init(
        tier: String, addIngress: [Rule] = [], removeIngress: [Rule] = [], addEgress: [Rule] = [],
        removeEgress: [Rule] = [], description: String, location: SourceLocation
    ) {
        self.tier = tier
        self.addIngress = addIngress
        self.removeIngress = removeIngress
        self.addEgress = addEgress
        self.removeEgress = removeEgress
        self.description = description
        self.location = location
    }
}

/// A calendar date without time zone (`2027-03-31`).
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Year, e.g. 2027.
    public var year: Int
    /// Month 1-12.
    public var month: Int
    /// Day 1-31 (checked against the month).
    public var day: Int

    /// Creates a date; `parse` checks validity.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2027-02-30.
    public static func parse(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// What an accepted risk binds to. An acceptance covers exactly one finding: naming only a
/// kind and a tier would also accept every later finding of that kind on the tier (accepting
/// break-glass SSH would accept RDP and Telnet added next month).
public enum AcceptanceBinding: Hashable, Sendable, CustomStringConvertible {
    /// The finding kind and tier alone: enough only for tier-level findings (one per tier, such
    /// as SG-DEFAULT-EGRESS or SG-EXPOSURE-PATH); for a rule's finding it is an error that lists
    /// the findings it would match.
    case tierOnly
    /// The rule the finding is about: direction, protocol, ports and peer (`ingress:` or
    /// `egress:` in the config, written like a scenario rule).
    case rule(RuleKey)
    /// The finding's fingerprint (`FindingFingerprint`), as printed by validate, SARIF and drift.
    case fingerprint(String)

    /// `ingress tcp/22 from 0.0.0.0/0`, `fingerprint 3f...`, `tier only`.
    public var description: String {
        switch self {
        case .tierOnly: return "tier only"
        case .rule(let key): return key.description
        case .fingerprint(let value): return "fingerprint \(value)"
        }
    }
}

/// A finding an approver accepted until a date, bound to exactly one finding.
public struct AcceptedRisk: Hashable, Sendable {
    /// The finding kind id, e.g. `SG-WORLD-ADMIN`.
    public var findingID: String
    /// The tier it applies to.
    public var tier: String
    /// Which finding of that kind on that tier.
    public var binding: AcceptanceBinding
    /// Why it is accepted (ticket, reason).
    public var reason: String
    /// The last day the acceptance holds; after it the finding counts again.
    public var expires: CalendarDate
    /// Where it was written.
    public var location: SourceLocation
    /// Where `expires` was written (errors about the date point there); nil when built by hand.
    public var expiresLocation: SourceLocation?

    /// Creates an accepted risk.
    public init(
        findingID: String, tier: String, binding: AcceptanceBinding = .tierOnly, reason: String, expires: CalendarDate,
        location: SourceLocation, expiresLocation: SourceLocation? = nil
    ) {
        self.findingID = findingID
        self.tier = tier
        self.binding = binding
        self.reason = reason
        self.expires = expires
        self.location = location
        self.expiresLocation = expiresLocation
    }

    /// True when the acceptance still holds on `today` (the expiry day itself included).
    public func isActive(on today: CalendarDate) -> Bool { today <= expires }

    /// The latest `expires` an acceptance may have when judged on `today`: one year later (the
    /// same day of the same month; 29 February gives 28 February). Approvers re-decide at least
    /// yearly, as annual reviews (PCI DSS, SOC 2) expect; a longer date is an error, not a clamp.
    public static func latestExpiry(judgedOn today: CalendarDate) -> CalendarDate {
        let year = today.year + 1
        if today.month == 2, today.day == 29 { return CalendarDate(year: year, month: 2, day: 28) }
        return CalendarDate(year: year, month: today.month, day: today.day)
    }
}

/// A user-supplied addition to the port catalog (config key `port_catalog`).
public struct PortCatalogExtension: Hashable, Sendable {
    /// Ports covered.
    public var ports: PortRange
    /// Protocol (tcp or udp; `all` covers both).
    public var ipProtocol: IPProtocol
    /// Service name, e.g. `Kafka`.
    public var name: String
    /// Category: `database`, `admin`, `application`, `web` or `other`.
    public var category: String
    /// Where it was written.
    public var location: SourceLocation

    /// Creates an entry.
    public init(ports: PortRange, ipProtocol: IPProtocol, name: String, category: String, location: SourceLocation) {
        self.ports = ports
        self.ipProtocol = ipProtocol
        self.name = name
        self.category = category
        self.location = location
    }
}

/// The names every resource of a deployment derives from.
public struct DeploymentIdentity: Hashable, Sendable {
    /// `company_prefix`, e.g. `globalbank`.
    public var company: String
    /// `environment`, e.g. `prod`.
    public var environment: String
    /// `deployment_id`, e.g. `c001`.
    public var deploymentID: String
    /// `region`, e.g. `us-west-2`.
    public var region: String

    /// Creates an identity.
    public init(company: String, environment: String, deploymentID: String, region: String) {
        self.company = company
        self.environment = environment
        self.deploymentID = deploymentID
        self.region = region
    }

    /// `{company}-{env}-{deployment_id}-{region}`: the value of the `sg-provisioner:deployment` tag
    /// and the prefix of every report file.
    public var qualifiedName: String { "\(company)-\(environment)-\(deploymentID)-\(region)" }

    /// `{company}-{env}-{deployment_id}-{region}-sg-stack`.
    public var stackName: String { "\(qualifiedName)-sg-stack" }

    /// `{company}-{env}-{deployment_id}-{tier}`.
    public func groupName(tier: String) -> String { "\(company)-\(environment)-\(deploymentID)-\(tier)" }

    /// `/{company}/{env}/{deployment_id}/sg/{tier}`.
    public func ssmParameterName(tier: String) -> String { "/\(company)/\(environment)/\(deploymentID)/sg/\(tier)" }

    /// Tag key naming the deployment a group belongs to.
    public static let deploymentTagKey = "sg-provisioner:deployment"
    /// Tag key naming the tier a group implements.
    public static let tierTagKey = "sg-provisioner:tier"

    /// True for environments the seed treats as production (stack policy, termination protection).
    public var isProduction: Bool { ["prod", "production", "prd"].contains(environment) }
}

/// An existing security group that one tier of the deployment is (config key `adopted_groups`):
/// a group made by hand, by another stack or by another tool, brought under the config by
/// `import-security-groups`. The tool finds it by id instead of by its own naming and tags, and
/// compiles the tier so that CloudFormation would take the group over unchanged: the live
/// `GroupName`, `GroupDescription` (both replace the group when changed) and the config's
/// `vpc_id`, with `DeletionPolicy: Retain` so that deleting the stack never deletes a group the
/// tool did not create.
public struct AdoptedGroup: Hashable, Sendable {
    /// The tier that is this group.
    public var tier: String
    /// `sg-...`: the group's id, how drift and deploy find it.
    public var groupID: String
    /// The live `GroupName`, kept by the compiler (AWS cannot rename a group).
    public var groupName: String
    /// The live `GroupDescription`, kept by the compiler (AWS cannot change it).
    public var groupDescription: String
    /// The live `Name` tag, if the group had one; the compiler keeps it instead of naming the
    /// group `{company}-{env}-{deployment_id}-{tier}`.
    public var nameTag: String?
    /// Where the tier's key is written under `adopted_groups`.
    public var location: SourceLocation

    /// Creates an adopted group.
    public init(tier: String, groupID: String, groupName: String, groupDescription: String, nameTag: String? = nil, location: SourceLocation) {
        self.tier = tier
        self.groupID = groupID
        self.groupName = groupName
        self.groupDescription = groupDescription
        self.nameTag = nameTag
        self.location = location
    }
}

/// A parsed config file (`configs/NAME.yaml`).
public struct DeploymentConfig: Hashable, Sendable {
    /// Names.
    public var identity: DeploymentIdentity
    /// `vpc_id`, e.g. `vpc-0a1b2c3d4e5f67890`.
    public var vpcID: String
    /// `vpc_cidr`, if given (or read from AWS by verify-vpc).
    public var vpcCIDR: CIDRBlock?
    /// `scenario`: a name in `scenarios/` or a path.
    public var scenario: String
    /// Where the scenario value was written.
    public var scenarioLocation: SourceLocation
    /// Tags applied to every resource, in file order.
    public var tags: [Tag]
    /// Changes to the scenario.
    public var overrides: [Override]
    /// Findings accepted by an approver.
    public var acceptedRisks: [AcceptedRisk]
    /// Extra port catalog entries.
    public var portCatalog: [PortCatalogExtension]
    /// Existing groups that tiers are (`adopted_groups`), in file order; at most one per tier.
    public var adoptedGroups: [AdoptedGroup]
    /// The config file's path.
    public var file: String
    /// `targets`: the accounts and regions of a StackSet deployment, in config order (the rollout
    /// order); empty for a deployment of one stack in `region` and `vpc_id`.
    public var targets: [DeploymentTarget] = []
    /// `target_role`: the role the fleet actions assume in every target account
    /// (`DeploymentTarget.defaultRoleName` when the config names none).
    public var targetRole: String = DeploymentTarget.defaultRoleName
    /// `stackset_execution_role`: the role StackSets uses in the target accounts; nil leaves AWS's
    /// default (`AWSCloudFormationStackSetExecutionRole`).
    public var stackSetExecutionRole: String?

    /// Creates a config.
    public init(
        identity: DeploymentIdentity, vpcID: String, vpcCIDR: CIDRBlock? = nil, scenario: String,
        scenarioLocation: SourceLocation, tags: [Tag] = [], overrides: [Override] = [],
        acceptedRisks: [AcceptedRisk] = [], portCatalog: [PortCatalogExtension] = [], adoptedGroups: [AdoptedGroup] = [],
        file: String
    ) {
        self.identity = identity
        self.vpcID = vpcID
        self.vpcCIDR = vpcCIDR
        self.scenario = scenario
        self.scenarioLocation = scenarioLocation
        self.tags = tags
        self.overrides = overrides
        self.acceptedRisks = acceptedRisks
        self.portCatalog = portCatalog
        self.adoptedGroups = adoptedGroups
        self.file = file
    }

    /// The existing group a tier adopts, if any.
    public func adoptedGroup(tier: String) -> AdoptedGroup? {
        adoptedGroups.first { $0.tier == tier }
    }
}

/// A config with its scenario loaded and overrides applied: what validation and compilation see.
public struct Deployment: Hashable, Sendable {
    /// The config.
    public var config: DeploymentConfig
    /// The scenario as written (before overrides), for reports that show what overrides changed.
    public var scenario: Scenario
    /// The tiers after overrides, in scenario order.
    public var tiers: [Tier]

    /// Creates a deployment.
    public init(config: DeploymentConfig, scenario: Scenario, tiers: [Tier]) {
        self.config = config
        self.scenario = scenario
        self.tiers = tiers
    }

    /// Shortcut for `config.identity`.
    public var identity: DeploymentIdentity { config.identity }

    /// The tier with a name, if any.
    public func tier(named name: String) -> Tier? { tiers.first { $0.name == name } }

    /// The `GroupName` of a tier's security group: an adopted group's live name, else
    /// `{company}-{env}-{deployment_id}-{tier}`.
    public func groupName(ofTier tier: String) -> String {
        config.adoptedGroup(tier: tier)?.groupName ?? identity.groupName(tier: tier)
    }
}
