import SGDiagnostics

/// Diagnostic codes of the config and scenario reader: E2xx for config files and file access,
/// E3xx for scenarios and rules, W2xx/W3xx for warnings. Codes never change meaning.
public extension DiagnosticCode {
    // MARK: - Files and generic field checks (E2xx)

    /// `-con NAME` names no file in the configs directory (or a given path does not exist).
    static let configNotFound: DiagnosticCode = "E201"
    /// A file exists but could not be read.
    static let fileUnreadable: DiagnosticCode = "E202"
    /// A file is empty or holds only comments.
    static let fileEmpty: DiagnosticCode = "E203"
    /// The top of a config or scenario file is not a mapping.
    static let rootNotMapping: DiagnosticCode = "E204"
    /// A key that is not part of the format at that level.
    static let unknownKey: DiagnosticCode = "E205"
    /// A required key is absent (reported at the enclosing mapping).
    static let missingKey: DiagnosticCode = "E206"
    /// A value of the wrong YAML kind ("expected a mapping, found a sequence").
    static let wrongKind: DiagnosticCode = "E207"
    /// An explicit YAML tag (`!!str`, `!Ref`) on a value: types are decided by the field, never by tags.
    static let explicitTag: DiagnosticCode = "E208"
    /// A value that must be a plain decimal integer is not one (`0x16`, `22:80`, `022`, `+22`).
    static let invalidInteger: DiagnosticCode = "E209"
    /// A boolean that is not exactly `true` or `false`.
    static let invalidBoolean: DiagnosticCode = "E210"
    /// A date that is not a real `YYYY-MM-DD` date.
    static let invalidDate: DiagnosticCode = "E211"
    /// `company_prefix`, `environment` or `deployment_id` breaks the name pattern.
    static let invalidName: DiagnosticCode = "E212"
    /// `region` is not an AWS region.
    static let invalidRegion: DiagnosticCode = "E213"
    /// `vpc_id` is not `vpc-` followed by 8 or 17 lowercase hex digits.
    static let invalidVPCID: DiagnosticCode = "E214"
    /// `vpc_cidr` is not a valid IPv4 network, or not a VPC's size (/16 to /28).
    static let invalidVPCCIDR: DiagnosticCode = "E215"
    /// `scenario` is not a valid scenario name (paths are not accepted).
    static let invalidScenarioReference: DiagnosticCode = "E216"
    /// A tag key or value breaks AWS's length or character rules.
    static let invalidTag: DiagnosticCode = "E217"
    /// A tag key uses a reserved prefix (`aws:`, `sg-provisioner:`).
    static let reservedTagKey: DiagnosticCode = "E218"
    /// More tags than `ModelLimits.maxTags`.
    static let tooManyTags: DiagnosticCode = "E219"
    /// A required text (override description, accepted-risk reason, catalog name) is empty.
    static let emptyValue: DiagnosticCode = "E220"
    /// An override names a tier the scenario does not have.
    static let overrideUnknownTier: DiagnosticCode = "E221"
    /// An override removes a rule the tier does not have (stale override).
    static let staleOverride: DiagnosticCode = "E222"
    /// An override that neither adds nor removes anything.
    static let emptyOverride: DiagnosticCode = "E223"
    /// An accepted risk's `finding` is not a finding id (`SG-...`).
    static let invalidFindingID: DiagnosticCode = "E224"
    /// An accepted risk names a tier the scenario does not have.
    static let acceptedRiskUnknownTier: DiagnosticCode = "E225"
    /// A port catalog entry has an invalid protocol or category.
    static let invalidPortCatalogEntry: DiagnosticCode = "E226"
    /// The scenario named by the config does not exist.
    static let scenarioNotFound: DiagnosticCode = "E227"
    /// More overrides, accepted risks or port catalog entries than `ModelLimits` allows.
    static let configLimitExceeded: DiagnosticCode = "E228"
    /// An accepted risk gives more than one of `ingress`, `egress` and `fingerprint`.
    static let conflictingAcceptanceBinding: DiagnosticCode = "E229"
    /// An accepted risk's `fingerprint` is not 32 lowercase hexadecimal digits.
    static let invalidFingerprint: DiagnosticCode = "E230"
    /// `adopted_groups` names a tier the scenario does not have.
    static let adoptedGroupUnknownTier: DiagnosticCode = "E231"
    /// Two tiers of `adopted_groups` name the same group id.
    static let adoptedGroupTwice: DiagnosticCode = "E232"
    /// An adopted group's `group_name` or `group_description` is one CloudFormation could not keep
    /// unchanged (AWS's characters and length, `sg-` prefix, the VPC's `default` group).
    static let invalidAdoptedGroup: DiagnosticCode = "E233"

    // MARK: - Scenarios and rules (E3xx)

    /// An unknown `protocol`.
    static let invalidProtocol: DiagnosticCode = "E301"
    /// A tcp/udp rule without `port` or `port_range`.
    static let missingPorts: DiagnosticCode = "E302"
    /// `port`/`port_range` on a protocol that has no ports (`all`, `icmp`, numbered protocols).
    static let portsNotAllowed: DiagnosticCode = "E303"
    /// Both `port` and `port_range` given.
    static let conflictingPorts: DiagnosticCode = "E304"
    /// A port outside 0-65535.
    static let portOutOfRange: DiagnosticCode = "E305"
    /// A `port_range` that is not `A-B` with A <= B.
    static let invalidPortRange: DiagnosticCode = "E306"
    /// A problem with `icmp_type`/`icmp_code`.
    static let invalidICMP: DiagnosticCode = "E307"
    /// A rule with no peer or more than one.
    static let peerCount: DiagnosticCode = "E308"
    /// A `source_*` key on an egress rule or a `destination_*` key on an ingress rule.
    static let peerWrongDirection: DiagnosticCode = "E309"
    /// A `source`/`destination` that is not a valid CIDR block.
    static let invalidPeerCIDR: DiagnosticCode = "E310"
    /// A security group id that is not `sg-` followed by 8 or 17 lowercase hex digits.
    static let invalidSecurityGroupID: DiagnosticCode = "E311"
    /// A prefix list id that is not `pl-` followed by 8 or 17 lowercase hex digits.
    static let invalidPrefixListID: DiagnosticCode = "E312"
    /// A `*_tier` peer naming a tier the scenario does not have.
    static let unknownTierReference: DiagnosticCode = "E313"
    /// A rule or tier description breaks AWS's length or character rules.
    static let invalidDescription: DiagnosticCode = "E314"
    /// The same rule (protocol, ports, peer) twice in one tier and direction.
    static let duplicateRule: DiagnosticCode = "E315"
    /// More rules in one direction of a tier than the AWS quota allows.
    static let tooManyRules: DiagnosticCode = "E316"
    /// `tiers` is empty.
    static let noTiers: DiagnosticCode = "E317"
    /// A tier name breaks the name pattern, or makes a group name that is too long.
    static let invalidTierName: DiagnosticCode = "E318"
    /// `egress:` or `ingress:` with no value (ambiguous between "none" and "default").
    static let nullRuleList: DiagnosticCode = "E319"
    /// The scenario's `name` breaks the name pattern.
    static let invalidScenarioName: DiagnosticCode = "E320"
    /// More tiers or rules in total than `ModelLimits` allows.
    static let scenarioLimitExceeded: DiagnosticCode = "E321"
    /// `source_security_group_owner` is not an AWS account id (12 digits).
    static let invalidAccountID: DiagnosticCode = "E322"
    /// An owner account where it cannot apply: without `source_security_group`, or on an egress
    /// rule (CloudFormation's egress rules have no owner field).
    static let misplacedOwnerAccount: DiagnosticCode = "E323"

    // MARK: - Warnings

    /// An override adds egress rules to a tier that used AWS's default egress; the listed rules
    /// replace the default allow-all.
    static let egressDefaultReplaced: DiagnosticCode = "W201"
    /// `vpc_cidr` is public address space: internet addresses inside it are judged internal.
    static let publicVPCCIDR: DiagnosticCode = "W202"
    /// The scenario's `name` differs from its file's base name.
    static let scenarioNameMismatch: DiagnosticCode = "W301"

    /// Every code of this module, for the catalog test.
    static let configCodes: [DiagnosticCode] = [
        .configNotFound, .fileUnreadable, .fileEmpty, .rootNotMapping, .unknownKey, .missingKey, .wrongKind,
        .explicitTag, .invalidInteger, .invalidBoolean, .invalidDate, .invalidName, .invalidRegion, .invalidVPCID,
        .invalidVPCCIDR, .invalidScenarioReference, .invalidTag, .reservedTagKey, .tooManyTags, .emptyValue,
        .overrideUnknownTier, .staleOverride, .emptyOverride, .invalidFindingID, .acceptedRiskUnknownTier,
        .invalidPortCatalogEntry, .scenarioNotFound, .configLimitExceeded, .conflictingAcceptanceBinding, .invalidFingerprint,
        .adoptedGroupUnknownTier, .adoptedGroupTwice, .invalidAdoptedGroup,
        .invalidProtocol, .missingPorts, .portsNotAllowed, .conflictingPorts, .portOutOfRange, .invalidPortRange,
        .invalidICMP, .peerCount, .peerWrongDirection, .invalidPeerCIDR, .invalidSecurityGroupID,
        .invalidPrefixListID, .unknownTierReference, .invalidDescription, .duplicateRule, .tooManyRules, .noTiers,
        .invalidTierName, .nullRuleList, .invalidScenarioName, .scenarioLimitExceeded, .invalidAccountID, .misplacedOwnerAccount,
        .egressDefaultReplaced, .publicVPCCIDR, .scenarioNameMismatch,
    ] + targetCodes
}
