/// Codes of the config and scenario reader: E2xx for config files and file access, E24x for
/// targets, E3xx for scenarios and rules, W2xx/W3xx for warnings.
public extension DiagnosticCode {
    // MARK: - Files and generic field checks (E2xx)

    /// `-con NAME` names no file in the configs directory (or a given path does not exist).
    static let configNotFound = DiagnosticCode("E201", .config, "The config named by `-con` does not exist (the message lists the configs there are).")
    /// A file exists but could not be read.
    static let fileUnreadable = DiagnosticCode("E202", .config, "A config or scenario file exists but cannot be read.")
    /// A file is empty or holds only comments.
    static let fileEmpty = DiagnosticCode("E203", .config, "A config or scenario file is empty or holds only comments.")
    /// The top of a config or scenario file is not a mapping.
    static let rootNotMapping = DiagnosticCode("E204", .config, "The top of a config or scenario file is not a mapping.")
    /// A key that is not part of the format at that level.
    static let unknownKey = DiagnosticCode("E205", .config, "A key the format does not have at that level (with a \"did you mean\").")
    /// A required key is absent (reported at the enclosing mapping).
    static let missingKey = DiagnosticCode("E206", .config, "A required key is missing (reported at the mapping that lacks it).")
    /// A value of the wrong YAML kind ("expected a mapping, found a sequence").
    static let wrongKind = DiagnosticCode("E207", .config, "A value of the wrong kind: a list where a mapping belongs, a mapping where text belongs.")
    /// An explicit YAML tag (`!!str`, `!Ref`) on a value: types are decided by the field, never by tags.
    static let explicitTag = DiagnosticCode("E208", .config, "An explicit YAML tag (`!!str`, `!Ref`) on a value; the field decides the type.")
    /// A value that must be a plain decimal integer is not one (`0x16`, `22:80`, `022`, `+22`).
    static let invalidInteger = DiagnosticCode("E209", .config, "A value that must be a plain decimal integer is not one (`0x16`, `22:80`, `022`, `+22`).")
    /// A boolean that is not exactly `true` or `false`.
    static let invalidBoolean = DiagnosticCode("E210", .config, "A boolean that is not exactly `true` or `false`.")
    /// A date that is not a real `YYYY-MM-DD` date.
    static let invalidDate = DiagnosticCode("E211", .config, "A date that is not a real `YYYY-MM-DD` date.")
    /// `company_prefix`, `environment` or `deployment_id` breaks the name pattern.
    static let invalidName = DiagnosticCode("E212", .config, "`company_prefix`, `environment` or `deployment_id` breaks the name pattern.")
    /// `region` is not an AWS region.
    static let invalidRegion = DiagnosticCode("E213", .config, "`region` is not an AWS region.")
    /// `vpc_id` is not `vpc-` followed by 8 or 17 lowercase hex digits.
    static let invalidVPCID = DiagnosticCode("E214", .config, "`vpc_id` is not `vpc-` followed by 8 or 17 lowercase hex digits.")
    /// `vpc_cidr` is not a valid IPv4 network, or not a VPC's size (/16 to /28).
    static let invalidVPCCIDR = DiagnosticCode("E215", .config, "`vpc_cidr` is not an IPv4 network of a VPC's size (/16 to /28).")
    /// `scenario` is not a valid scenario name (paths are not accepted).
    static let invalidScenarioReference = DiagnosticCode("E216", .config, "`scenario` is not a scenario name (paths are not accepted).")
    /// A tag key or value breaks AWS's length or character rules.
    static let invalidTag = DiagnosticCode("E217", .config, "A tag key or value breaks AWS's length or character rules.")
    /// A tag key AWS or the tool reserves: the prefixes `aws:` and `sg-provisioner:`, and `Name`,
    /// which the tool sets on every group.
    static let reservedTagKey = DiagnosticCode("E218", .config, "A tag key AWS or the tool reserves: `Name`, or the prefix `aws:` or `sg-provisioner:`.")
    /// More tags than `ModelLimits.maxTags`.
    static let tooManyTags = DiagnosticCode("E219", .config, "More tags than AWS allows beside the tool's own (47).")
    /// A required text (override description, accepted-risk reason, catalog name) is empty.
    static let emptyValue = DiagnosticCode("E220", .config, "A required text is empty (an override's description, an accepted risk's reason, a catalog name).")
    /// An override names a tier the scenario does not have.
    static let overrideUnknownTier = DiagnosticCode("E221", .config, "An override names a tier the scenario does not have.")
    /// An override removes a rule the tier does not have (stale override).
    static let staleOverride = DiagnosticCode("E222", .config, "An override removes a rule the tier does not have (a stale override).")
    /// An override that neither adds nor removes anything.
    static let emptyOverride = DiagnosticCode("E223", .config, "An override that neither adds nor removes anything.")
    /// An accepted risk's `finding` is not a finding id (`SG-...`).
    static let invalidFindingID = DiagnosticCode("E224", .config, "An accepted risk's `finding` is not a finding id (`SG-...`).")
    /// An accepted risk names a tier the scenario does not have.
    static let acceptedRiskUnknownTier = DiagnosticCode("E225", .config, "An accepted risk names a tier the scenario does not have.")
    /// A port catalog entry has an invalid protocol or category.
    static let invalidPortCatalogEntry = DiagnosticCode("E226", .config, "A `port_catalog` entry has an invalid protocol or category.")
    /// The scenario named by the config does not exist.
    static let scenarioNotFound = DiagnosticCode("E227", .config, "The scenario the config names does not exist.")
    /// More overrides, accepted risks or port catalog entries than `ModelLimits` allows.
    static let configLimitExceeded = DiagnosticCode("E228", .config, "More overrides, accepted risks or port catalog entries than the tool allows.")
    /// An accepted risk gives more than one of `ingress`, `egress` and `fingerprint`.
    static let conflictingAcceptanceBinding = DiagnosticCode("E229", .config, "An accepted risk gives more than one of `ingress`, `egress` and `fingerprint`.")
    /// An accepted risk's `fingerprint` is not 32 lowercase hexadecimal digits.
    static let invalidFingerprint = DiagnosticCode("E230", .config, "An accepted risk's `fingerprint` is not 32 lowercase hexadecimal digits.")
    /// `adopted_groups` names a tier the scenario does not have.
    static let adoptedGroupUnknownTier = DiagnosticCode("E231", .config, "`adopted_groups` names a tier the scenario does not have.")
    /// Two tiers of `adopted_groups` name the same group id.
    static let adoptedGroupTwice = DiagnosticCode("E232", .config, "Two tiers of `adopted_groups` name the same group id.")
    /// An adopted group's `group_name` or `group_description` is one CloudFormation could not keep
    /// unchanged (AWS's characters and length, `sg-` prefix, the VPC's `default` group).
    static let invalidAdoptedGroup = DiagnosticCode(
        "E233", .config, "An adopted group's name, description or Name tag is one CloudFormation could not keep unchanged.")

    // MARK: - Targets (E24x)

    /// `targets` is empty, too long, or a target's region is in another partition than `region`.
    static let invalidTargets = DiagnosticCode("E240", .config, "`targets` is empty, too long, or names a region in another partition than `region`.")
    /// A target's `account` is not a 12-digit AWS account id.
    static let invalidAccount = DiagnosticCode("E241", .config, "A target's `account` is not a 12-digit AWS account id.")
    /// The same account and region twice, or the same VPC for two targets.
    static let duplicateTarget = DiagnosticCode("E242", .config, "The same account and region twice in `targets`, or one VPC for two targets.")
    /// A key that belongs to the other kind of deployment: `vpc_id`/`vpc_cidr` with `targets`, or
    /// `target_role`/`stackset_execution_role` without.
    static let keyNotForThisDeployment = DiagnosticCode(
        "E243", .config, "A key of the other kind of deployment: `vpc_id` with `targets`, `target_role` without them, and the like.")
    /// `target_role` or `stackset_execution_role` is not an IAM role name.
    static let invalidRoleName = DiagnosticCode("E244", .config, "`target_role` or `stackset_execution_role` is not an IAM role name.")
    /// The StackSet name the identity gives breaks CloudFormation's StackSet name rules.
    static let invalidStackSetName = DiagnosticCode("E245", .config, "The StackSet name the identity gives breaks CloudFormation's StackSet name rules.")

    // MARK: - Scenarios and rules (E3xx)

    /// An unknown `protocol`.
    static let invalidProtocol = DiagnosticCode("E301", .config, "An unknown `protocol`.")
    /// A tcp/udp rule without `port` or `port_range`.
    static let missingPorts = DiagnosticCode("E302", .config, "A tcp or udp rule without `port` or `port_range`.")
    /// `port`/`port_range` on a protocol that has no ports (`all`, `icmp`, numbered protocols).
    static let portsNotAllowed = DiagnosticCode("E303", .config, "`port` or `port_range` on a protocol that has no ports (`all`, `icmp`, numbered protocols).")
    /// Both `port` and `port_range` given.
    static let conflictingPorts = DiagnosticCode("E304", .config, "Both `port` and `port_range` in one rule.")
    /// A port outside 0-65535.
    static let portOutOfRange = DiagnosticCode("E305", .config, "A port outside 0-65535.")
    /// A `port_range` that is not `A-B` with A <= B.
    static let invalidPortRange = DiagnosticCode("E306", .config, "A `port_range` that is not `A-B` with A <= B.")
    /// A problem with `icmp_type`/`icmp_code`.
    static let invalidICMP = DiagnosticCode("E307", .config, "An `icmp_type` or `icmp_code` that is out of range, missing its type, or on a protocol that is not ICMP.")
    /// A rule with no peer or more than one.
    static let peerCount = DiagnosticCode("E308", .config, "A rule with no peer, or more than one.")
    /// A `source_*` key on an egress rule or a `destination_*` key on an ingress rule.
    static let peerWrongDirection = DiagnosticCode("E309", .config, "A `source_*` key on an egress rule, or a `destination_*` key on an ingress rule.")
    /// A `source`/`destination` that is not a valid CIDR block.
    static let invalidPeerCIDR = DiagnosticCode("E310", .config, "A `source` or `destination` that is not a valid CIDR block.")
    /// A security group id that is not `sg-` followed by 8 or 17 lowercase hex digits.
    static let invalidSecurityGroupID = DiagnosticCode("E311", .config, "A security group id that is not `sg-` followed by 8 or 17 lowercase hex digits.")
    /// A prefix list id that is not `pl-` followed by 8 or 17 lowercase hex digits.
    static let invalidPrefixListID = DiagnosticCode("E312", .config, "A prefix list id that is not `pl-` followed by 8 or 17 lowercase hex digits.")
    /// A `*_tier` peer naming a tier the scenario does not have.
    static let unknownTierReference = DiagnosticCode("E313", .config, "A `source_tier` or `destination_tier` names a tier the deployment does not have.")
    /// A rule or tier description breaks AWS's length or character rules.
    static let invalidDescription = DiagnosticCode("E314", .config, "A rule or tier description breaks AWS's length or character rules.")
    /// The same rule (protocol, ports, peer) twice in one tier and direction.
    static let duplicateRule = DiagnosticCode("E315", .config, "The same rule (protocol, ports, peer) twice in one tier and direction; AWS would refuse it.")
    /// More rules in one direction of a tier than the AWS quota allows.
    static let tooManyRules = DiagnosticCode("E316", .config, "More rules in one direction of a tier than AWS's quota of 60 per group.")
    /// `tiers` is empty.
    static let noTiers = DiagnosticCode("E317", .config, "`tiers` is empty.")
    /// A tier name breaks the name pattern, or makes a group name that is too long.
    static let invalidTierName = DiagnosticCode("E318", .config, "A tier name breaks the name pattern, or makes a group name longer than AWS allows.")
    /// `egress:` or `ingress:` with no value (ambiguous between "none" and "default").
    static let nullRuleList = DiagnosticCode("E319", .config, "`egress:` or `ingress:` with no value, which could mean none or AWS's default; write `[]` or leave the key out.")
    /// The scenario's `name` breaks the name pattern.
    static let invalidScenarioName = DiagnosticCode("E320", .config, "The scenario's `name` breaks the name pattern.")
    /// More tiers or rules in total than `ModelLimits` allows.
    static let scenarioLimitExceeded = DiagnosticCode("E321", .config, "More tiers, or more rules in total, than the tool allows.")
    /// `source_security_group_owner` is not an AWS account id (12 digits).
    static let invalidAccountID = DiagnosticCode("E322", .config, "`source_security_group_owner` is not a 12-digit AWS account id.")
    /// An owner account where it cannot apply: without `source_security_group`, or on an egress
    /// rule (CloudFormation's egress rules have no owner field).
    static let misplacedOwnerAccount = DiagnosticCode(
        "E323", .config, "`source_security_group_owner` without `source_security_group`, or on an egress rule (which has no owner).")

    // MARK: - Warnings

    /// An override adds egress rules to a tier that used AWS's default egress; the listed rules
    /// replace the default allow-all.
    static let egressDefaultReplaced = DiagnosticCode(
        "W201", .config, "An override adds egress to a tier that had AWS's default allow-all egress; the added rules replace it.")
    /// `vpc_cidr` is public address space: internet addresses inside it are judged internal.
    static let publicVPCCIDR = DiagnosticCode("W202", .config, "`vpc_cidr` is public address space: internet addresses inside it are judged internal.")
    /// The scenario's `name` differs from its file's base name.
    static let scenarioNameMismatch = DiagnosticCode("W301", .config, "The scenario's `name` differs from its file name.")

    /// The codes of this stage, in the catalog's order.
    static let configCodes: [DiagnosticCode] = [
        .configNotFound, .fileUnreadable, .fileEmpty, .rootNotMapping, .unknownKey, .missingKey, .wrongKind,
        .explicitTag, .invalidInteger, .invalidBoolean, .invalidDate, .invalidName, .invalidRegion, .invalidVPCID,
        .invalidVPCCIDR, .invalidScenarioReference, .invalidTag, .reservedTagKey, .tooManyTags, .emptyValue,
        .overrideUnknownTier, .staleOverride, .emptyOverride, .invalidFindingID, .acceptedRiskUnknownTier,
        .invalidPortCatalogEntry, .scenarioNotFound, .configLimitExceeded, .conflictingAcceptanceBinding, .invalidFingerprint,
        .adoptedGroupUnknownTier, .adoptedGroupTwice, .invalidAdoptedGroup,
        .invalidTargets, .invalidAccount, .duplicateTarget, .keyNotForThisDeployment, .invalidRoleName, .invalidStackSetName,
        .invalidProtocol, .missingPorts, .portsNotAllowed, .conflictingPorts, .portOutOfRange, .invalidPortRange,
        .invalidICMP, .peerCount, .peerWrongDirection, .invalidPeerCIDR, .invalidSecurityGroupID,
        .invalidPrefixListID, .unknownTierReference, .invalidDescription, .duplicateRule, .tooManyRules, .noTiers,
        .invalidTierName, .nullRuleList, .invalidScenarioName, .scenarioLimitExceeded, .invalidAccountID, .misplacedOwnerAccount,
        .egressDefaultReplaced, .publicVPCCIDR, .scenarioNameMismatch,
    ]
}
