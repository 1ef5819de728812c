import SGDiagnostics
import SGModel
import SGYAML

/// A config as read: every field that read cleanly, plus the positions later checks point at.
struct ConfigDraft {
    var company: String?
    var environment: String?
    var deploymentID: String?
    var region: String?
    var vpcID: String?
    var vpcCIDR: CIDRBlock?
    var scenario: String?
    var scenarioLocation: SourceLocation?
    var tags: [Tag] = []
    var overrides: [OverrideDraft] = []
    var acceptedRisks: [AcceptedRiskDraft] = []
    var portCatalog: [PortCatalogExtension] = []
    var adoptedGroups: [AdoptedGroup] = []
    /// `targets`, `target_role`, `stackset_execution_role` (`TargetReader`).
    var fleet = TargetsDraft()
    /// The `company_prefix` value, where StackSet name errors point.
    var companyNode: YAMLNode?
}

/// An override with the position of its `tier` value, and whether its removals all read cleanly.
struct OverrideDraft {
    var override: Override
    var tierLocation: SourceLocation
    /// False when a rule of the override failed to read: stale checks would then be noise.
    var isComplete: Bool
}

/// An accepted risk with the position of its `tier` value, and the rule it names, if any (so
/// tier references in it are checked like a scenario's).
struct AcceptedRiskDraft {
    var risk: AcceptedRisk
    var tierLocation: SourceLocation
    var selector: Rule?
}

/// Reads a config file's root mapping.
enum ConfigReader {
    static let rootKeys = [
        "company_prefix", "environment", "deployment_id", "region", "vpc_id", "vpc_cidr", "scenario", "tags",
        "overrides", "accepted_risks", "port_catalog", "adopted_groups",
    ] + TargetReader.rootKeys
    /// `vpc_id` is required too, unless the config lists `targets` (each target names its VPC).
    static let requiredKeys = ["company_prefix", "environment", "deployment_id", "region", "scenario"]
    static let overrideKeys = ["tier", "add_ingress", "remove_ingress", "add_egress", "remove_egress", "description"]
    static let acceptedRiskKeys = ["finding", "tier", "ingress", "egress", "fingerprint", "reason", "expires"]
    static let acceptedRiskRequiredKeys = ["finding", "tier", "reason", "expires"]
    /// The keys that bind an accepted risk to one finding; at most one may be given.
    static let acceptedRiskBindingKeys = ["ingress", "egress", "fingerprint"]
    static let portCatalogKeys = ["port", "port_range", "protocol", "name", "category"]
    static let portCategories = ["database", "admin", "application", "web", "other"]
    static let adoptedGroupKeys = ["group_id", "group_name", "group_description", "name_tag"]
    static let adoptedGroupRequiredKeys = ["group_id", "group_name", "group_description"]

    static func read(_ root: YAMLNode, limits: ModelLimits, reader: inout NodeReader) -> ConfigDraft? {
        guard let fields = reader.fields(root, of: "config", label: "the config", allowed: rootKeys, required: requiredKeys)
        else { return nil }
        var draft = ConfigDraft()
        draft.company = fields["company_prefix"].flatMap { identityPart($0, for: "company_prefix", reader: &reader) }
        draft.environment = fields["environment"].flatMap { identityPart($0, for: "environment", reader: &reader) }
        draft.deploymentID = fields["deployment_id"].flatMap { identityPart($0, for: "deployment_id", reader: &reader) }
        draft.region = fields["region"].flatMap { readRegion($0, reader: &reader) }
        draft.vpcID = fields["vpc_id"].flatMap { readVPCID($0, reader: &reader) }
        draft.vpcCIDR = fields["vpc_cidr"].flatMap { readVPCCIDR($0, reader: &reader) }
        draft.companyNode = fields["company_prefix"]
        if !fields.has("vpc_id") && !fields.has("targets") {
            reader.diagnostics.error(.missingKey, "config is missing required key 'vpc_id'", at: root.location)
        }
        draft.fleet = TargetReader.read(fields, region: draft.region, reader: &reader)
        if let scenarioNode = fields["scenario"] {
            draft.scenario = reader.name(scenarioNode, for: "scenario", code: .invalidScenarioReference)
            draft.scenarioLocation = scenarioNode.location
        }
        if let tagsNode = fields["tags"] { draft.tags = readTags(tagsNode, limits: limits, reader: &reader) }
        if let node = fields["overrides"], let items = list(node, key: "overrides", limit: limits.maxOverrides, reader: &reader) {
            for (index, item) in items.enumerated() {
                if let override = readOverride(item, index: index, reader: &reader) { draft.overrides.append(override) }
            }
        }
        if let node = fields["accepted_risks"], let items = list(node, key: "accepted_risks", limit: limits.maxAcceptedRisks, reader: &reader) {
            for item in items {
                if let risk = readAcceptedRisk(item, reader: &reader) { draft.acceptedRisks.append(risk) }
            }
        }
        if let node = fields["port_catalog"], let items = list(node, key: "port_catalog", limit: limits.maxPortCatalogEntries, reader: &reader) {
            for item in items {
                if let entry = readPortCatalogEntry(item, reader: &reader) { draft.portCatalog.append(entry) }
            }
        }
        if let node = fields["adopted_groups"] {
            draft.adoptedGroups = readAdoptedGroups(node, limit: limits.maxTiers, reader: &reader)
        }
        return draft
    }

    /// A sequence within a model limit; `key:` with no value reads as an empty list.
    private static func list(_ node: YAMLNode, key: String, limit: Int, reader: inout NodeReader) -> [YAMLNode]? {
        if node.isNull { return [] }
        guard let items = reader.sequence(node, for: key) else { return nil }
        guard items.count <= limit else {
            reader.diagnostics.error(.configLimitExceeded, "\(key) has \(items.count) entries; the limit is \(limit)", at: node.location)
            return nil
        }
        return items
    }

    // MARK: - Identity and VPC

    /// One deployment, one identity: `company_prefix`, `environment` and `deployment_id` are
    /// joined with `-` into the stack name, group names, the deployment tag and export names, so a
    /// `-` inside one of them would let two deployments share every name (`acme`/`prod-eu` and
    /// `acme-prod`/`eu` both give `acme-prod-eu-...`), and the IAM policies' `stack/{company}-*`
    /// scope of `acme` would cover company `acme-prod`. With the three hyphen-free, a name splits
    /// back into its parts at the first three hyphens; the region (which has hyphens) comes last,
    /// and no AWS region is another region followed by `-...`. Tier names keep their hyphens:
    /// they come after the three fixed parts.
    private static func identityPart(_ node: YAMLNode, for label: String, reader: inout NodeReader) -> String? {
        guard let name = reader.name(node, for: label, code: .invalidName) else { return nil }
        guard !name.contains("-") else {
            reader.diagnostics.error(
                .invalidName,
                "invalid \(label) \(TextSupport.quoted(name)): '-' is not allowed in company_prefix, environment or deployment_id",
                at: node.location,
                notes: [.init(identityNote)])
            return nil
        }
        return name
    }

    /// Why the three identity fields have no hyphen; attached to the error.
    static let identityNote = "they are joined with '-' into stack, group, export and tag names, so a '-' inside one lets two "
        + "deployments share a name ('acme'/'prod-eu' and 'acme-prod'/'eu' both give 'acme-prod-eu-...'); "
        + "use lowercase letters and digits only (e.g. 'prodeu')"

    static func readRegion(_ node: YAMLNode, reader: inout NodeReader) -> String? {
        guard let text = reader.string(node, for: "region") else { return nil }
        guard AWSRegions.set.contains(text) else {
            reader.diagnostics.error(
                .invalidRegion, "unknown AWS region \(TextSupport.quoted(text))\(TextSupport.didYouMean(text, in: AWSRegions.all))",
                at: node.location)
            return nil
        }
        return text
    }

    static func readVPCID(_ node: YAMLNode, reader: inout NodeReader) -> String? {
        guard let text = reader.string(node, for: "vpc_id") else { return nil }
        guard ResourceID.isValid(text, prefix: "vpc") else {
            reader.diagnostics.error(
                .invalidVPCID, "invalid vpc_id \(TextSupport.quoted(text)): expected 'vpc-' followed by 8 or 17 lowercase hex digits",
                at: node.location)
            return nil
        }
        return text
    }

    /// The prefix lengths AWS accepts for a VPC's IPv4 block.
    /// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
    static let vpcPrefixLengths = 16...28

    static func readVPCCIDR(_ node: YAMLNode, reader: inout NodeReader) -> CIDRBlock? {
        guard let text = reader.string(node, for: "vpc_cidr") else { return nil }
        switch CIDRBlock.parse(text) {
        case .success(let block) where block.family == .ipv4:
            guard vpcPrefixLengths.contains(block.prefixLength) else {
                reader.diagnostics.error(
                    .invalidVPCCIDR,
                    "invalid vpc_cidr \(TextSupport.quoted(text)): a VPC's block is /\(vpcPrefixLengths.lowerBound) to /\(vpcPrefixLengths.upperBound), found /\(block.prefixLength)",
                    at: node.location, notes: [.init("addresses inside vpc_cidr are judged internal, so it cannot be wider than a real VPC")])
                return nil
            }
            let reach = PublicAddressSpace.standard.reach(of: block)
            if !reach.ipv4.isZero {
                reader.diagnostics.warning(
                    .publicVPCCIDR,
                    "vpc_cidr \(block) is public address space (\(reach.ipv4) internet addresses); sources inside it are judged internal, so make sure the VPC really owns it",
                    at: node.location, notes: [.init("AWS recommends the private ranges of RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)")])
            }
            return block
        case .success:
            reader.diagnostics.error(.invalidVPCCIDR, "invalid vpc_cidr \(TextSupport.quoted(text)): a VPC's primary CIDR is IPv4", at: node.location)
        case .failure(let error):
            if case .malformed = error {
                reader.diagnostics.error(.invalidVPCCIDR, "invalid vpc_cidr: \(error)", at: node.location)
            } else {
                reader.diagnostics.error(.invalidVPCCIDR, "invalid vpc_cidr \(TextSupport.quoted(text)): \(error)", at: node.location)
            }
        }
        return nil
    }

    // MARK: - Tags

    private static func readTags(_ node: YAMLNode, limits: ModelLimits, reader: inout NodeReader) -> [Tag] {
        if node.isNull { return [] }
        guard let entries = reader.mapping(node, for: "tags") else { return [] }
        if entries.count > limits.maxTags {
            reader.diagnostics.error(
                .tooManyTags,
                "tags has \(entries.count) entries; the limit is \(limits.maxTags) (AWS allows 50 per resource and sg-provisioner adds 3)",
                at: node.location)
        }
        var tags: [Tag] = []
        for entry in entries {
            guard let key = entry.key.string, reader.rejectTag(entry.key) else { continue }
            let keyOK = checkTagKey(key, at: entry.key.location, reader: &reader)
            guard let value = reader.string(entry.value, for: "tag \(TextSupport.quoted(key))") else { continue }
            let valueOK = checkTagValue(value, key: key, at: entry.value.location, reader: &reader)
            if keyOK, valueOK { tags.append(Tag(key: key, value: value, location: entry.key.location)) }
        }
        return tags
    }

    private static func checkTagKey(_ key: String, at location: SourceLocation, reader: inout NodeReader) -> Bool {
        let lowered = key.lowercased()
        for prefix in ["aws:", "sg-provisioner:"] where lowered.hasPrefix(prefix) {
            let why = prefix == "aws:" ? "AWS reserves it" : "sg-provisioner adds these tags itself"
            reader.diagnostics.error(.reservedTagKey, "tag key \(TextSupport.quoted(key)) uses the reserved prefix '\(prefix)'; \(why)", at: location)
            return false
        }
        // The compiler sets `Name` on every group (the group's name, or an adopted group's own).
        if key == "Name" {
            reader.diagnostics.error(.reservedTagKey, "tag key 'Name' is set by sg-provisioner itself (each group's name)", at: location)
            return false
        }
        if key.isEmpty {
            reader.diagnostics.error(.invalidTag, "tag key must not be empty", at: location)
            return false
        }
        if key.count > AWSTextRules.maxTagKeyLength {
            reader.diagnostics.error(
                .invalidTag, "tag key is \(key.count) characters; AWS allows at most \(AWSTextRules.maxTagKeyLength)", at: location)
            return false
        }
        if let bad = AWSTextRules.firstInvalidTagCharacter(key) {
            reader.diagnostics.error(
                .invalidTag, "tag key \(TextSupport.quoted(key)) contains \(TextSupport.describe(bad)), which AWS does not allow",
                at: location, notes: [.init("tags may hold letters, digits, spaces and _ . : / = + - @")])
            return false
        }
        return true
    }

    private static func checkTagValue(_ value: String, key: String, at location: SourceLocation, reader: inout NodeReader) -> Bool {
        if value.count > AWSTextRules.maxTagValueLength {
            reader.diagnostics.error(
                .invalidTag, "value of tag \(TextSupport.quoted(key)) is \(value.count) characters; AWS allows at most \(AWSTextRules.maxTagValueLength)",
                at: location)
            return false
        }
        if let bad = AWSTextRules.firstInvalidTagCharacter(value) {
            reader.diagnostics.error(
                .invalidTag, "value of tag \(TextSupport.quoted(key)) contains \(TextSupport.describe(bad)), which AWS does not allow",
                at: location, notes: [.init("tags may hold letters, digits, spaces and _ . : / = + - @")])
            return false
        }
        return true
    }

    // MARK: - Overrides, accepted risks, port catalog

    private static func readOverride(_ node: YAMLNode, index: Int, reader: inout NodeReader) -> OverrideDraft? {
        let errorsBefore = reader.mark
        guard let fields = reader.fields(
            node, of: "override", label: "each item of overrides", allowed: overrideKeys, required: ["tier", "description"])
        else { return nil }
        let tier = fields["tier"].flatMap { reader.nonEmptyString($0, for: "tier") }
        let description = fields["description"].flatMap { reader.nonEmptyString($0, for: "override description") }
        let origin = RuleOrigin.override(index: index)
        let addIngress = ScenarioReader.readRules(fields, key: "add_ingress", direction: .ingress, origin: origin, reader: &reader)
        let removeIngress = ScenarioReader.readRules(
            fields, key: "remove_ingress", direction: .ingress, origin: origin, isRemoval: true, reader: &reader)
        let addEgress = ScenarioReader.readRules(fields, key: "add_egress", direction: .egress, origin: origin, reader: &reader)
        let removeEgress = ScenarioReader.readRules(
            fields, key: "remove_egress", direction: .egress, origin: origin, isRemoval: true, reader: &reader)
        let changeKeys = ["add_ingress", "remove_ingress", "add_egress", "remove_egress"]
        let changeCount = changeKeys.reduce(0) { count, key in count + (fields[key]?.sequence?.count ?? 0) }
        if changeCount == 0, !changeKeys.contains(where: { fields[$0]?.isNull ?? false }) {
            reader.diagnostics.error(
                .emptyOverride, "override changes nothing; give at least one rule in add_ingress, remove_ingress, add_egress or remove_egress",
                at: node.location)
        }
        guard let tier, let description, let tierNode = fields["tier"] else { return nil }
        let override = Override(
            tier: tier, addIngress: addIngress ?? [], removeIngress: removeIngress ?? [], addEgress: addEgress ?? [],
            removeEgress: removeEgress ?? [], description: description, location: node.location)
        return OverrideDraft(override: override, tierLocation: tierNode.location, isComplete: !reader.hasErrors(since: errorsBefore))
    }

    private static func readAcceptedRisk(_ node: YAMLNode, reader: inout NodeReader) -> AcceptedRiskDraft? {
        let errorsBefore = reader.mark
        guard let fields = reader.fields(
            node, of: "accepted risk", label: "each item of accepted_risks", allowed: acceptedRiskKeys, required: acceptedRiskRequiredKeys)
        else { return nil }
        var finding: String?
        if let findingNode = fields["finding"], let text = reader.string(findingNode, for: "finding") {
            if isFindingID(text) {
                finding = text
            } else {
                reader.diagnostics.error(
                    .invalidFindingID, "invalid finding id \(TextSupport.quoted(text)); finding ids look like SG-WORLD-ADMIN",
                    at: findingNode.location)
            }
        }
        let tier = fields["tier"].flatMap { reader.nonEmptyString($0, for: "tier") }
        let reason = fields["reason"].flatMap { reader.nonEmptyString($0, for: "reason") }
        let expires = fields["expires"].flatMap { reader.date($0, for: "expires") }
        let binding = readAcceptanceBinding(fields, reader: &reader)
        guard !reader.hasErrors(since: errorsBefore), let finding, let tier, let reason, let expires, let binding,
              let tierNode = fields["tier"] else { return nil }
        return AcceptedRiskDraft(
            risk: AcceptedRisk(
                findingID: finding, tier: tier, binding: binding.binding, reason: reason, expires: expires, location: node.location,
                expiresLocation: fields["expires"]?.location),
            tierLocation: tierNode.location, selector: binding.selector)
    }

    /// `ingress:`/`egress:` (one rule, written as in a scenario; its description is ignored) or
    /// `fingerprint:`; none means kind and tier only, which the validator allows for tier-level
    /// findings alone.
    private static func readAcceptanceBinding(_ fields: Fields, reader: inout NodeReader) -> (binding: AcceptanceBinding, selector: Rule?)? {
        let given = acceptedRiskBindingKeys.filter { fields.has($0) }
        if given.count > 1 {
            reader.diagnostics.error(
                .conflictingAcceptanceBinding,
                "accepted risk gives \(given.joined(separator: " and ")); bind it with exactly one of ingress, egress or fingerprint",
                at: fields.keyNode(given[1])!.location)
            return nil
        }
        guard let key = given.first, let node = fields[key] else { return (.tierOnly, nil) }
        if key == "fingerprint" {
            guard let text = reader.string(node, for: "fingerprint") else { return nil }
            guard FindingFingerprint.isWellFormed(text) else {
                reader.diagnostics.error(
                    .invalidFingerprint,
                    "invalid fingerprint \(TextSupport.quoted(text)): expected \(FindingFingerprint.length) lowercase hexadecimal digits, as validate prints them",
                    at: node.location)
                return nil
            }
            return (.fingerprint(text), nil)
        }
        let direction: Direction = key == "ingress" ? .ingress : .egress
        guard let rule = RuleReader.read(
            node, direction: direction, listKey: "accepted risk \(key)", origin: .scenario, isRemoval: true, reader: &reader)
        else { return nil }
        return (.rule(rule.key), rule)
    }

    // MARK: - Adopted groups

    /// `adopted_groups`: tier name -> the existing group it is. Whether each tier exists is
    /// checked once the scenario is read (`ModelChecks.checkAdoptedGroups`).
    private static func readAdoptedGroups(_ node: YAMLNode, limit: Int, reader: inout NodeReader) -> [AdoptedGroup] {
        if node.isNull { return [] }
        guard let entries = reader.mapping(node, for: "adopted_groups") else { return [] }
        guard entries.count <= limit else {
            reader.diagnostics.error(.configLimitExceeded, "adopted_groups has \(entries.count) entries; the limit is \(limit)", at: node.location)
            return []
        }
        var groups: [AdoptedGroup] = []
        var tierByGroupID: [String: AdoptedGroup] = [:]
        for entry in entries {
            guard let tier = entry.key.string, reader.rejectTag(entry.key),
                  reader.checkName(tier, for: "tier name", code: .invalidTierName, at: entry.key.location) != nil,
                  let group = readAdoptedGroup(entry.value, tier: tier, at: entry.key.location, reader: &reader) else { continue }
            if let first = tierByGroupID[group.groupID] {
                reader.diagnostics.error(
                    .adoptedGroupTwice,
                    "tiers \(TextSupport.quoted(first.tier)) and \(TextSupport.quoted(tier)) both adopt \(group.groupID); a group can be one tier only",
                    at: entry.key.location, notes: [.init("first adopted here", at: first.location)])
                continue
            }
            tierByGroupID[group.groupID] = group
            groups.append(group)
        }
        return groups
    }

    private static func readAdoptedGroup(_ node: YAMLNode, tier: String, at location: SourceLocation, reader: inout NodeReader) -> AdoptedGroup? {
        let errorsBefore = reader.mark
        let label = "adopted group of tier \(TextSupport.quoted(tier))"
        guard let fields = reader.fields(node, of: label, label: label, allowed: adoptedGroupKeys, required: adoptedGroupRequiredKeys)
        else { return nil }
        var groupID: String?
        if let idNode = fields["group_id"], let text = reader.string(idNode, for: "group_id") {
            if ResourceID.isValid(text, prefix: "sg") {
                groupID = text
            } else {
                reader.diagnostics.error(
                    .invalidSecurityGroupID, "invalid group_id \(TextSupport.quoted(text)): expected 'sg-' followed by 8 or 17 lowercase hex digits",
                    at: idNode.location)
            }
        }
        var groupName: String?
        if let nameNode = fields["group_name"], let text = reader.string(nameNode, for: "group_name") {
            if let problem = AdoptionRules.groupNameProblem(text) {
                reader.diagnostics.error(.invalidAdoptedGroup, "group_name \(TextSupport.quoted(text)) \(problem)", at: nameNode.location)
            } else {
                groupName = text
            }
        }
        var groupDescription: String?
        if let descriptionNode = fields["group_description"], let text = reader.string(descriptionNode, for: "group_description") {
            if let problem = AdoptionRules.groupDescriptionProblem(text) {
                reader.diagnostics.error(.invalidAdoptedGroup, "group_description \(problem)", at: descriptionNode.location)
            } else {
                groupDescription = text
            }
        }
        var nameTag: String?
        if let tagNode = fields["name_tag"], let text = reader.string(tagNode, for: "name_tag") {
            if let problem = ConfigRules.nameTagProblem(text) {
                reader.diagnostics.error(.invalidAdoptedGroup, "name_tag \(problem)", at: tagNode.location)
            } else {
                nameTag = text
            }
        }
        guard !reader.hasErrors(since: errorsBefore), let groupID, let groupName, let groupDescription else { return nil }
        return AdoptedGroup(
            tier: tier, groupID: groupID, groupName: groupName, groupDescription: groupDescription, nameTag: nameTag, location: location)
    }

    /// `^SG-[A-Z0-9-]+$`.
    static func isFindingID(_ text: String) -> Bool {
        text.hasPrefix("SG-") && text.count > 3
            && text.dropFirst(3).allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func readPortCatalogEntry(_ node: YAMLNode, reader: inout NodeReader) -> PortCatalogExtension? {
        let errorsBefore = reader.mark
        guard let fields = reader.fields(
            node, of: "port_catalog entry", label: "each item of port_catalog", allowed: portCatalogKeys, required: ["name", "category"])
        else { return nil }
        var ports: PortRange?
        switch (fields["port"], fields["port_range"]) {
        case (let portNode?, nil):
            ports = reader.integer(portNode, for: "port", in: 0...65535, rangeCode: .portOutOfRange).map { PortRange(port: $0) }
        case (nil, let rangeNode?):
            ports = RuleReader.readPortRange(rangeNode, reader: &reader)
        case (_?, _?):
            reader.diagnostics.error(.conflictingPorts, "give either port or port_range, not both", at: fields.keyNode("port_range")!.location)
        case (nil, nil):
            reader.diagnostics.error(.missingPorts, "port_catalog entry needs port or port_range", at: node.location)
        }
        var ipProtocol: IPProtocol? = .tcp
        if let protocolNode = fields["protocol"], let text = reader.string(protocolNode, for: "protocol") {
            let allowed = ["tcp", "udp", "all"]
            if allowed.contains(text) {
                ipProtocol = IPProtocol(text: text)
            } else {
                ipProtocol = nil
                reader.diagnostics.error(
                    .invalidPortCatalogEntry,
                    "port_catalog protocol must be tcp, udp or all, found \(TextSupport.quoted(text))\(TextSupport.didYouMean(text, in: allowed))",
                    at: protocolNode.location)
            }
        }
        let name = fields["name"].flatMap { reader.nonEmptyString($0, for: "name") }
        var category: String?
        if let categoryNode = fields["category"], let text = reader.string(categoryNode, for: "category") {
            if portCategories.contains(text) {
                category = text
            } else {
                reader.diagnostics.error(
                    .invalidPortCatalogEntry,
                    "unknown port category \(TextSupport.quoted(text))\(TextSupport.didYouMean(text, in: portCategories))",
                    at: categoryNode.location, notes: [.init("categories: \(portCategories.joined(separator: ", "))")])
            }
        }
        guard !reader.hasErrors(since: errorsBefore), let ports, let ipProtocol, let name, let category else { return nil }
        return PortCatalogExtension(ports: ports, ipProtocol: ipProtocol, name: name, category: category, location: node.location)
    }
}
