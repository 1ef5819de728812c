import SGDiagnostics
import SGModel
import SGYAML

/// One rule read back from a template: what it allows, its description, and where it was emitted
/// (inline on the group, or as its own `AWS::EC2::SecurityGroupIngress/Egress` resource).
public struct TemplateRule: Hashable, Sendable {
    /// What traffic the rule allows; peers that are groups of the deployment are `.tier(name)`.
    public var key: RuleKey
    /// The `Description` property, if any.
    public var description: String?
    /// The logical id of the standalone resource, nil for an inline rule.
    public var logicalID: String?

    /// Creates a rule.
    public init(key: RuleKey, description: String?, logicalID: String? = nil) {
        self.key = key
        self.description = description
        self.logicalID = logicalID
    }
}

/// One tier's security group as a template declares it.
public struct TemplateTier: Hashable, Sendable {
    /// The tier name (the group's `sg-provisioner:tier` tag).
    public var name: String
    /// The logical id of its `AWS::EC2::SecurityGroup`.
    public var groupLogicalID: String
    /// The stack that holds the group, when the reader was told.
    public var stackName: String?
    /// `GroupName`: changing it replaces the group.
    public var groupName: String?
    /// `GroupDescription`: changing it replaces the group.
    public var groupDescription: String?
    /// `VpcId`: changing it replaces the group.
    public var vpcID: String?
    /// Every rule of the group, sorted by key; the closed-egress placeholder is not a rule.
    public var rules: [TemplateRule]
    /// True when the group declares `SecurityGroupEgress` (so AWS's allow-all default is gone).
    public var declaresEgress: Bool
    /// True when the group's only inline egress is the placeholder that matches nothing.
    public var hasEgressPlaceholder: Bool

    /// Creates a tier.
    public init(
        name: String, groupLogicalID: String, stackName: String? = nil, groupName: String? = nil,
        groupDescription: String? = nil, vpcID: String? = nil, rules: [TemplateRule] = [],
        declaresEgress: Bool = false, hasEgressPlaceholder: Bool = false
    ) {
        self.name = name
        self.groupLogicalID = groupLogicalID
        self.stackName = stackName
        self.groupName = groupName
        self.groupDescription = groupDescription
        self.vpcID = vpcID
        self.rules = rules
        self.declaresEgress = declaresEgress
        self.hasEgressPlaceholder = hasEgressPlaceholder
    }

    /// The rule keys, sorted.
    public var ruleKeys: [RuleKey] { rules.map(\.key) }

    /// True when the group must end up with no egress at all.
    public var isEgressClosed: Bool { declaresEgress && !rules.contains { $0.key.direction == .egress } }
}

/// What a deployment's templates declare, per tier, plus anything the reader could not place.
public struct TemplateRules: Hashable, Sendable {
    /// Tiers by name.
    public var tiers: [String: TemplateTier]
    /// Things the reader did not understand (a rule naming a group it cannot find, a property it
    /// cannot decode). Never silently dropped: show-changes and verification print them.
    public var problems: [String]

    /// Creates a result.
    public init(tiers: [String: TemplateTier] = [:], problems: [String] = []) {
        self.tiers = tiers
        self.problems = problems
    }

    /// Tier names, sorted.
    public var tierNames: [String] { tiers.keys.sorted() }

    /// The rule keys of one tier (empty for an unknown tier).
    public func ruleKeys(tier: String) -> [RuleKey] { tiers[tier]?.ruleKeys ?? [] }
}

/// Reads rules back from the templates `TemplateCompiler` emits — from the `Template` model or from
/// template text as CloudFormation's GetTemplate returns it (YAML with short-form tags, or JSON).
///
/// It knows exactly how the compiler emits: groups carry the `sg-provisioner:tier` tag; rules are
/// inline (`SecurityGroupIngress`/`SecurityGroupEgress`) or standalone resources naming their group
/// with `!GetAtt X.GroupId` (same stack) or `!ImportValue {export}` (split stacks, where the export
/// is an output of another stack); a declared-but-empty egress list holds one placeholder rule.
/// All stacks of a deployment must be read together so imports resolve.
public enum TemplateRuleReader {
    /// Reads the stacks of one deployment.
    public static func read(_ stacks: [(stackName: String?, template: Template)]) -> TemplateRules {
        var tiers: [String: TemplateTier] = [:]
        var tierByLogicalID: [Int: [String: String]] = [:]  // per stack index: logical id -> tier
        var tierByExport: [String: String] = [:]
        var problems: [String] = []

        // Groups first, in every stack, so references in any stack resolve.
        for (index, stack) in stacks.enumerated() {
            var local: [String: String] = [:]
            for resource in stack.template.resources(ofType: "AWS::EC2::SecurityGroup") {
                guard let tier = tierTag(resource) else {
                    problems.append("\(place(stack.stackName, resource.logicalID)): security group without a \(DeploymentIdentity.tierTagKey) tag; not a group of this tool")
                    continue
                }
                local[resource.logicalID] = tier
                if tiers[tier] != nil {
                    problems.append("\(place(stack.stackName, resource.logicalID)): a second group for tier '\(tier)'")
                    continue
                }
                tiers[tier] = TemplateTier(
                    name: tier, groupLogicalID: resource.logicalID, stackName: stack.stackName,
                    groupName: resource["GroupName"]?.stringValue, groupDescription: resource["GroupDescription"]?.comparableText,
                    vpcID: resource["VpcId"]?.comparableText)
            }
            tierByLogicalID[index] = local
            for output in stack.template.outputs {
                guard let export = output.exportName, let logicalID = groupLogicalID(output.value), let tier = local[logicalID] else { continue }
                tierByExport[export] = tier
            }
        }

        func resolveGroup(_ value: TemplateValue, stackIndex: Int) -> String? {
            if let logicalID = groupLogicalID(value) { return tierByLogicalID[stackIndex]?[logicalID] }
            if case .importValue(let name) = value, let export = name.stringValue { return tierByExport[export] }
            return nil
        }

        for (index, stack) in stacks.enumerated() {
            // Inline rules.
            for resource in stack.template.resources(ofType: "AWS::EC2::SecurityGroup") {
                guard let tier = tierByLogicalID[index]?[resource.logicalID], tiers[tier]?.groupLogicalID == resource.logicalID else { continue }
                for (property, direction) in [("SecurityGroupIngress", Direction.ingress), ("SecurityGroupEgress", .egress)] {
                    guard let value = resource[property] else { continue }
                    if direction == .egress { tiers[tier]?.declaresEgress = true }
                    guard let items = value.listValue else {
                        problems.append("\(place(stack.stackName, resource.logicalID)): \(property) is not a list")
                        continue
                    }
                    for item in items {
                        if direction == .egress, isEgressPlaceholder(item) {
                            tiers[tier]?.hasEgressPlaceholder = true
                            continue
                        }
                        switch rule(item, direction: direction, logicalID: nil, resolve: { resolveGroup($0, stackIndex: index) }) {
                        case .success(let rule): tiers[tier]?.rules.append(rule)
                        case .failure(let problem): problems.append("\(place(stack.stackName, resource.logicalID)) \(property): \(problem.text)")
                        }
                    }
                }
            }
            // Standalone rules.
            for resource in stack.template.resources {
                let direction: Direction
                switch resource.type {
                case "AWS::EC2::SecurityGroupIngress": direction = .ingress
                case "AWS::EC2::SecurityGroupEgress": direction = .egress
                default: continue
                }
                guard let groupValue = resource["GroupId"], let tier = resolveGroup(groupValue, stackIndex: index), tiers[tier] != nil else {
                    problems.append("\(place(stack.stackName, resource.logicalID)): rule on a group that is not part of the deployment")
                    continue
                }
                switch rule(resource.properties, direction: direction, logicalID: resource.logicalID, resolve: { resolveGroup($0, stackIndex: index) }) {
                case .success(let rule): tiers[tier]?.rules.append(rule)
                case .failure(let problem): problems.append("\(place(stack.stackName, resource.logicalID)): \(problem.text)")
                }
            }
        }
        for name in tiers.keys { tiers[name]?.rules.sort { $0.key < $1.key } }
        return TemplateRules(tiers: tiers, problems: problems)
    }

    /// Reads a compiled deployment (every stack of a `CompilationResult`).
    public static func read(_ stacks: [StackTemplate]) -> TemplateRules {
        read(stacks.map { (stackName: Optional($0.stackName), template: $0.template) })
    }

    /// Parses template text (YAML, short-form tags or long-form `Fn::` maps, or JSON) into the
    /// template model: resources and outputs, enough for `read`. Throws the YAML diagnostics, or
    /// one diagnostic when the document is not a template.
    public static func parse(text: String, path: String) throws(DiagnosticError) -> Template {
        let document = try YAMLParser().parse(text, path: path)
        guard let root = document.root, root.mapping != nil else {
            throw DiagnosticError([.error(.cfnTemplateText, "\(path) is not a CloudFormation template (no top-level mapping)", at: nil)])
        }
        var template = Template(description: root["Description"]?.string ?? "")
        if let metadata = root["Metadata"] { template.metadata = value(metadata) }
        for entry in root["Resources"]?.mapping ?? [] {
            guard let logicalID = entry.key.string else { continue }
            let type = entry.value["Type"]?.string ?? ""
            let properties = value(entry.value["Properties"] ?? YAMLNode(.mapping([]), location: entry.value.location))
            template.resources.append(TemplateResource(
                logicalID: logicalID, type: type, properties: properties.mapEntries ?? [],
                deletionPolicy: entry.value["DeletionPolicy"]?.string, updateReplacePolicy: entry.value["UpdateReplacePolicy"]?.string))
        }
        for entry in root["Outputs"]?.mapping ?? [] {
            guard let logicalID = entry.key.string else { continue }
            let outputValue = entry.value["Value"].map(value) ?? .string("")
            template.outputs.append(TemplateOutput(
                logicalID: logicalID, description: entry.value["Description"]?.string, value: outputValue,
                exportName: entry.value["Export"]?["Name"]?.string))
        }
        return template
    }

    // MARK: Decoding

    private struct Problem: Error {
        var text: String
    }

    private static func place(_ stackName: String?, _ logicalID: String) -> String {
        stackName.map { "\($0): \(logicalID)" } ?? logicalID
    }

    private static func tierTag(_ resource: TemplateResource) -> String? {
        for tag in resource["Tags"]?.listValue ?? [] where tag["Key"]?.stringValue == DeploymentIdentity.tierTagKey {
            return tag["Value"]?.stringValue
        }
        return nil
    }

    /// The logical id in `!GetAtt X.GroupId` or `!Ref X` (a group's Ref is its id in a VPC).
    private static func groupLogicalID(_ value: TemplateValue) -> String? {
        switch value {
        case .getAtt(let resource, "GroupId"): return resource
        case .ref(let resource): return resource
        default: return nil
        }
    }

    private static func integer(_ value: TemplateValue?) -> Int? {
        switch value {
        case .int(let number): return number
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    /// True for the inline egress rule that matches no traffic (`DefaultEgress.closedPlaceholder`).
    static func isEgressPlaceholder(_ item: TemplateValue) -> Bool {
        guard case .success(let rule) = rule(item, direction: .egress, logicalID: nil, resolve: { _ in nil }) else { return false }
        return rule.key == DefaultEgress.closedPlaceholder
    }

    private static func rule(
        _ fields: TemplateValue, direction: Direction, logicalID: String?, resolve: (TemplateValue) -> String?
    ) -> Result<TemplateRule, Problem> {
        guard let protocolText = fields["IpProtocol"].flatMap({ $0.stringValue ?? integer($0).map(String.init) }) else {
            return .failure(Problem(text: "missing IpProtocol"))
        }
        let ipProtocol: IPProtocol, ports: PortSpec
        switch EC2Permission.decode(ipProtocol: protocolText, fromPort: integer(fields["FromPort"]), toPort: integer(fields["ToPort"])) {
        case .success(let decoded): (ipProtocol, ports) = decoded
        case .failure(let problem): return .failure(Problem(text: problem.description))
        }
        let names = direction == .ingress
            ? (group: "SourceSecurityGroupId", prefixList: "SourcePrefixListId")
            : (group: "DestinationSecurityGroupId", prefixList: "DestinationPrefixListId")
        let peer: Peer
        if let text = fields["CidrIp"]?.stringValue ?? fields["CidrIpv6"]?.stringValue {
            switch EC2Permission.peerCIDR(text) {
            case .success(let read): peer = .cidr(read.block)
            case .failure(let problem): return .failure(Problem(text: problem.description))
            }
        } else if let id = fields[names.prefixList]?.stringValue {
            peer = .prefixList(id)
        } else if let group = fields[names.group] {
            if let id = group.stringValue {
                peer = .securityGroup(id)
            } else if let tier = resolve(group) {
                peer = .tier(tier)
            } else {
                return .failure(Problem(text: "\(names.group) names a group that is not part of the deployment"))
            }
        } else {
            return .failure(Problem(text: EC2Permission.Problem.noPeer.description))
        }
        let key = RuleKey(direction: direction, ipProtocol: ipProtocol, ports: ports, peer: peer)
        return .success(TemplateRule(key: key, description: fields["Description"]?.stringValue, logicalID: logicalID))
    }

    /// A YAML node as a template value. Scalars stay strings (the reader of a field decides);
    /// short-form tags and long-form `Fn::` maps become the intrinsic cases.
    private static func value(_ node: YAMLNode) -> TemplateValue {
        if let tag = node.tag {
            switch (tag, node.content) {
            case ("!Ref", .scalar(let scalar)): return .ref(scalar.value)
            case ("!GetAtt", .scalar(let scalar)): return getAtt(scalar.value)
            case ("!GetAtt", .sequence(let items)) where items.count == 2:
                return .getAtt(items[0].string ?? "", items[1].string ?? "")
            case ("!ImportValue", _): return .importValue(value(untagged(node)))
            case ("!Sub", .scalar(let scalar)): return .sub(scalar.value)
            case ("!Join", .sequence(let items)) where items.count == 2:
                return .join(items[0].string ?? "", (items[1].sequence ?? []).map(value))
            default: break
            }
        }
        switch node.content {
        case .scalar(let scalar): return .string(scalar.value)
        case .sequence(let items): return .list(items.map(value))
        case .mapping(let entries):
            if entries.count == 1, let key = entries[0].key.string {
                let inner = entries[0].value
                switch key {
                case "Ref": if let name = inner.string { return .ref(name) }
                case "Fn::GetAtt":
                    if let text = inner.string { return getAtt(text) }
                    if let items = inner.sequence, items.count == 2 { return .getAtt(items[0].string ?? "", items[1].string ?? "") }
                case "Fn::ImportValue": return .importValue(value(inner))
                case "Fn::Sub": if let text = inner.string { return .sub(text) }
                case "Fn::Join":
                    if let items = inner.sequence, items.count == 2 {
                        return .join(items[0].string ?? "", (items[1].sequence ?? []).map(value))
                    }
                default: break
                }
            }
            return .map(entries.map { ($0.key.string ?? "", value($0.value)) })
        }
    }

    private static func untagged(_ node: YAMLNode) -> YAMLNode {
        YAMLNode(node.content, location: node.location, endLocation: node.endLocation, tag: nil)
    }

    private static func getAtt(_ text: String) -> TemplateValue {
        guard let dot = text.firstIndex(of: ".") else { return .getAtt(text, "") }
        return .getAtt(String(text[..<dot]), String(text[text.index(after: dot)...]))
    }
}
