import SGDiagnostics
import SGModel
import SGYAML

/// Reads the security groups of any CloudFormation template (YAML with short-form tags such as
/// `!Ref`/`!GetAtt`/`!Sub`/`!Select`/`!If`, or JSON) so the validator can audit groups the tool did
/// not create.
///
/// What it reads: `AWS::EC2::SecurityGroup` (inline `SecurityGroupIngress`/`SecurityGroupEgress`)
/// and standalone `AWS::EC2::SecurityGroupIngress`/`Egress` resources. Values are resolved
/// statically the way CloudFormation would with no parameter overrides: parameters take their
/// `Default` (an `SSHLocation` defaulting to 0.0.0.0/0 is world-open), conditions are evaluated
/// (`Fn::Equals/Not/And/Or`, `Condition`), and `Fn::If`, `Fn::Select`, `Fn::FindInMap`, `Fn::Sub`,
/// `Fn::Join`, `Fn::Split` and `AWS::NoValue` are applied. Whatever cannot be resolved (a parameter
/// without default, `Fn::ImportValue`, most pseudo parameters) becomes a W701 warning naming the
/// logical id and location, and that rule is skipped — never a crash.
///
/// A group declared without inline egress gets AWS's default allow-all egress rule, because that
/// is what CloudFormation deploys.
public struct CloudFormationTemplateReader: Sendable {
    private let parser: YAMLParser

    /// Creates a reader.
    public init(limits: YAMLLimits = .default) {
        parser = YAMLParser(limits: limits)
    }

    /// The groups keyed by logical id (references between template groups stay `.securityGroup(logicalID)`
    /// so `asTier(tiersByGroupID:)` can turn them into tier references), and the diagnostics.
    public func read(_ source: SourceFile) throws(DiagnosticError) -> (groups: [LiveSecurityGroup], diagnostics: Diagnostics) {
        let document = try parser.parse(source)
        guard let root = document.root, let resources = root["Resources"]?.mapping else {
            throw DiagnosticError(.error(
                .templateShape, "expected a CloudFormation template (a mapping with a Resources mapping)",
                at: document.root?.location ?? .file(source.path)))
        }
        var resolver = Resolver(root: root)
        var groups: [LiveSecurityGroup] = []
        var groupIndex: [String: Int] = [:]
        var declaresInlineEgress: [String: Bool] = [:]

        // Groups first, so standalone rules can attach to them whatever the order in the file.
        for entry in resources {
            guard let logicalID = entry.key.string, entry.value["Type"]?.string == "AWS::EC2::SecurityGroup" else { continue }
            let properties = entry.value["Properties"]
            let name = properties?["GroupName"].flatMap { resolver.scalar($0, owner: logicalID, field: "GroupName", quiet: true) } ?? logicalID
            let description = properties?["GroupDescription"].flatMap { resolver.scalar($0, owner: logicalID, field: "GroupDescription", quiet: true) } ?? ""
            var group = LiveSecurityGroup(groupID: logicalID, name: name, description: description, location: entry.key.location)
            if let list = properties?["SecurityGroupIngress"] {
                group.ingress = rules(in: list, direction: .ingress, owner: logicalID, resolver: &resolver)
            }
            if let list = properties?["SecurityGroupEgress"] {
                group.egress = rules(in: list, direction: .egress, owner: logicalID, resolver: &resolver)
                declaresInlineEgress[logicalID] = true
            }
            groupIndex[logicalID] = groups.count
            groups.append(group)
        }
        for (logicalID, index) in groupIndex where declaresInlineEgress[logicalID] != true {
            groups[index].egress.insert(LiveRule(
                key: RuleKey(direction: .egress, ipProtocol: .all, ports: .all, peer: .cidr(.anyIPv4)),
                description: "AWS default egress (the group declares no SecurityGroupEgress)", location: groups[index].location), at: 0)
        }

        for entry in resources {
            guard let logicalID = entry.key.string, let type = entry.value["Type"]?.string,
                  type == "AWS::EC2::SecurityGroupIngress" || type == "AWS::EC2::SecurityGroupEgress",
                  let properties = entry.value["Properties"] else { continue }
            let direction: Direction = type.hasSuffix("Ingress") ? .ingress : .egress
            // The target group: a template group by Ref/GetAtt, else an outside id or name.
            var target: String?
            if let groupNode = properties["GroupId"] ?? properties["GroupName"] {
                switch resolver.resolve(groupNode, owner: logicalID, field: "GroupId") {
                case .groupRef(let id, _): target = id
                case .scalar(let text, _): target = text
                case .unresolved(let reason, let at):
                    resolver.warn("cannot resolve the target group of \(logicalID): \(reason); rule skipped", at: at)
                    continue
                default: break
                }
            }
            let target_ = target ?? logicalID
            if groupIndex[target_] == nil {
                groupIndex[target_] = groups.count
                groups.append(LiveSecurityGroup(groupID: target_, name: target_, location: entry.key.location))
            }
            let found = rules(inEntry: properties, direction: direction, owner: logicalID, resolver: &resolver)
            if direction == .ingress { groups[groupIndex[target_]!].ingress += found } else { groups[groupIndex[target_]!].egress += found }
        }
        return (groups, resolver.diagnostics)
    }

    private func rules(in list: YAMLNode, direction: Direction, owner: String, resolver: inout Resolver) -> [LiveRule] {
        let field = direction == .ingress ? "SecurityGroupIngress" : "SecurityGroupEgress"
        switch resolver.resolve(list, owner: owner, field: field) {
        case .list(let items):
            return items.flatMap { item -> [LiveRule] in
                switch item {
                case .node(let node): return rules(inEntry: node, direction: direction, owner: owner, resolver: &resolver)
                case .noValue: return []
                case .unresolved(let reason, let at):
                    resolver.warn("cannot resolve a rule of \(owner).\(field): \(reason); rule skipped", at: at)
                    return []
                default:
                    resolver.warn("a rule of \(owner).\(field) is not a mapping; rule skipped", at: list.location)
                    return []
                }
            }
        case .noValue: return []
        case .unresolved(let reason, let at):
            resolver.warn("cannot resolve \(owner).\(field): \(reason); its rules are skipped", at: at)
            return []
        default:
            resolver.warn("\(owner).\(field) is not a list; its rules are skipped", at: list.location)
            return []
        }
    }

    /// One rule mapping (inline entry or standalone resource properties) -> zero or one live rule.
    private func rules(inEntry entry: YAMLNode, direction: Direction, owner: String, resolver: inout Resolver) -> [LiveRule] {
        func value(_ key: String) -> Resolver.Value? { entry[key].map { resolver.resolve($0, owner: owner, field: key) } }
        func text(_ key: String) -> (String, SourceLocation)?? {
            guard let resolved = value(key) else { return .some(nil) }
            switch resolved {
            case .scalar(let text, let at): return .some((text, at))
            case .noValue: return .some(nil)
            case .groupRef(let id, let at): return .some((id, at))
            case .unresolved(let reason, let at):
                resolver.warn("cannot resolve \(key) of a rule in \(owner): \(reason); rule skipped", at: at)
                return nil
            default:
                resolver.warn("\(key) of a rule in \(owner) is not a single value; rule skipped", at: entry[key]!.location)
                return nil
            }
        }
        guard let protocolText = text("IpProtocol"), let fromText = text("FromPort"), let toText = text("ToPort") else { return [] }
        let decoded: (IPProtocol, PortSpec)
        let protocolValue = protocolText?.0 ?? "-1"
        switch PermissionDecoder.decode(ipProtocol: protocolValue, fromPort: fromText.flatMap { Int($0.0) }, toPort: toText.flatMap { Int($0.0) }) {
        case .success(let value): decoded = value
        case .failure(let problem):
            resolver.warn("rule in \(owner): \(problem); rule skipped", at: protocolText?.1 ?? entry.location)
            return []
        }
        let peerKeys = direction == .ingress
            ? ["CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId"]
            : ["CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId"]
        let description = text("Description").flatMap { $0?.0 }
        for key in peerKeys {
            guard let resolved = text(key) else { return [] }
            guard let (peerText, at) = resolved else { continue }
            let peer: Peer
            if key.hasPrefix("Cidr") {
                switch CIDRBlock.parse(peerText) {
                case .success(let block): peer = .cidr(block)
                case .failure(let problem):
                    resolver.warn("\(key) '\(peerText)' in \(owner): \(problem); rule skipped", at: at)
                    return []
                }
            } else if key.hasSuffix("PrefixListId") {
                peer = .prefixList(peerText)
            } else {
                peer = .securityGroup(peerText)
            }
            let ruleKey = RuleKey(direction: direction, ipProtocol: decoded.0, ports: decoded.1, peer: peer)
            return [LiveRule(key: ruleKey, description: description, location: at)]
        }
        resolver.warn("rule in \(owner) names no peer (CidrIp, CidrIpv6, group or prefix list); rule skipped", at: entry.location)
        return []
    }
}

/// Static evaluation of CloudFormation intrinsic functions over the YAML tree.
struct Resolver {
    /// A resolved value.
    enum Value {
        case scalar(String, SourceLocation)
        case list([Value])
        /// A plain mapping, left for the caller to read.
        case node(YAMLNode)
        /// `!Ref AWS::NoValue`: the property is absent.
        case noValue
        /// `!Ref` or `!GetAtt X.GroupId` of a resource in the template.
        case groupRef(String, SourceLocation)
        case unresolved(String, SourceLocation)
    }

    private let parameters: [String: YAMLNode]
    private let mappings: YAMLNode?
    private let conditions: [String: YAMLNode]
    private let resourceIDs: Set<String>
    private var conditionCache: [String: Bool?] = [:]
    private var depth = 0
    private(set) var diagnostics = Diagnostics()

    init(root: YAMLNode) {
        var parameters: [String: YAMLNode] = [:]
        for entry in root["Parameters"]?.mapping ?? [] { if let key = entry.key.string { parameters[key] = entry.value } }
        var conditions: [String: YAMLNode] = [:]
        for entry in root["Conditions"]?.mapping ?? [] { if let key = entry.key.string { conditions[key] = entry.value } }
        self.parameters = parameters
        self.conditions = conditions
        mappings = root["Mappings"]
        resourceIDs = Set((root["Resources"]?.mapping ?? []).compactMap(\.key.string))
    }

    mutating func warn(_ message: String, at location: SourceLocation) {
        diagnostics.warning(.unresolvedTemplateValue, message, at: location)
    }

    /// A scalar or nil (with a warning unless `quiet`).
    mutating func scalar(_ node: YAMLNode, owner: String, field: String, quiet: Bool = false) -> String? {
        switch resolve(node, owner: owner, field: field) {
        case .scalar(let text, _): return text
        case .unresolved(let reason, let at):
            if !quiet { warn("cannot resolve \(owner).\(field): \(reason)", at: at) }
            return nil
        default: return nil
        }
    }

    /// The intrinsic function a node calls, in long form (`Ref`, `Fn::If`, `Condition`), and its argument.
    private func intrinsic(_ node: YAMLNode) -> (name: String, argument: YAMLNode)? {
        if let tag = node.tag, tag.hasPrefix("!") {
            let short = String(tag.dropFirst())
            var bare = node
            bare.tag = nil
            return (short == "Ref" || short == "Condition" ? short : "Fn::" + short, bare)
        }
        if let entries = node.mapping, entries.count == 1, let key = entries[0].key.string,
           key == "Ref" || key == "Condition" || key.hasPrefix("Fn::") {
            return (key, entries[0].value)
        }
        return nil
    }

    mutating func resolve(_ node: YAMLNode, owner: String, field: String) -> Value {
        // Templates can nest intrinsics deeply or (through parameters) loop: bound the work.
        guard depth < 64 else { return .unresolved("nesting deeper than 64 levels", node.location) }
        depth += 1
        defer { depth -= 1 }
        guard let (name, argument) = intrinsic(node) else {
            switch node.content {
            case .scalar(let scalar): return .scalar(scalar.value, node.location)
            case .sequence(let items): return .list(items.map { resolve($0, owner: owner, field: field) })
            case .mapping: return .node(node)
            }
        }
        let at = node.location
        switch name {
        case "Ref":
            guard let target = argument.string else { return .unresolved("Ref needs a name", at) }
            if target == "AWS::NoValue" { return .noValue }
            if let parameter = parameters[target] {
                guard let defaultNode = parameter["Default"] else {
                    return .unresolved("parameter \(target) has no Default", at)
                }
                if parameter["Type"]?.string?.hasPrefix("List<") == true || parameter["Type"]?.string == "CommaDelimitedList",
                   let text = defaultNode.string {
                    return .list(text.split(separator: ",", omittingEmptySubsequences: false).map {
                        .scalar(String($0.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()), at)
                    })
                }
                // The value comes from the default, but the finding belongs where it is used.
                switch resolve(defaultNode, owner: owner, field: field) {
                case .scalar(let text, _): return .scalar(text, at)
                case let other: return other
                }
            }
            if resourceIDs.contains(target) { return .groupRef(target, at) }
            return .unresolved("Ref \(target) is neither a parameter nor a resource of this template", at)
        case "Fn::GetAtt":
            let parts: [String]
            if let text = argument.string { parts = text.split(separator: ".", maxSplits: 1).map(String.init) } else {
                parts = (argument.sequence ?? []).compactMap(\.string)
            }
            guard parts.count == 2, resourceIDs.contains(parts[0]) else { return .unresolved("GetAtt \(parts.joined(separator: ".")) is not a resource attribute", at) }
            guard parts[1] == "GroupId" else { return .unresolved("GetAtt \(parts[0]).\(parts[1]) is only known after deployment", at) }
            return .groupRef(parts[0], at)
        case "Fn::If":
            guard let items = argument.sequence, items.count == 3, let conditionName = items[0].string else {
                return .unresolved("Fn::If needs [condition, value if true, value if false]", at)
            }
            guard let truth = evaluate(condition: conditionName, at: at) else {
                return .unresolved("condition \(conditionName) cannot be evaluated", at)
            }
            return resolve(truth ? items[1] : items[2], owner: owner, field: field)
        case "Fn::Select":
            guard let items = argument.sequence, items.count == 2 else { return .unresolved("Fn::Select needs [index, list]", at) }
            guard case .scalar(let indexText, _) = resolve(items[0], owner: owner, field: field), let index = Int(indexText) else {
                return .unresolved("Fn::Select index cannot be resolved", at)
            }
            switch resolve(items[1], owner: owner, field: field) {
            case .list(let values):
                guard values.indices.contains(index) else { return .unresolved("Fn::Select index \(index) is out of range", at) }
                if case .scalar(let text, _) = values[index] { return .scalar(text, at) }
                return values[index]
            case .unresolved(let reason, let where_): return .unresolved(reason, where_)
            default: return .unresolved("Fn::Select needs a list", at)
            }
        case "Fn::FindInMap":
            guard let items = argument.sequence, items.count >= 3 else { return .unresolved("Fn::FindInMap needs [map, key, key]", at) }
            var keys: [String] = []
            for item in items.prefix(3) {
                guard case .scalar(let text, _) = resolve(item, owner: owner, field: field) else {
                    return .unresolved("Fn::FindInMap key cannot be resolved", at)
                }
                keys.append(text)
            }
            guard let value = mappings?[keys[0]]?[keys[1]]?[keys[2]] else {
                return .unresolved("Mappings has no \(keys.joined(separator: "/"))", at)
            }
            switch resolve(value, owner: owner, field: field) {
            case .scalar(let text, _): return .scalar(text, at)
            case let other: return other
            }
        case "Fn::Sub":
            let template: String
            var variables: [String: Value] = [:]
            if let text = argument.string {
                template = text
            } else if let items = argument.sequence, items.count == 2, let text = items[0].string {
                template = text
                for entry in items[1].mapping ?? [] {
                    if let key = entry.key.string { variables[key] = resolve(entry.value, owner: owner, field: field) }
                }
            } else {
                return .unresolved("Fn::Sub needs a string or [string, variables]", at)
            }
            return substitute(template, variables: variables, owner: owner, field: field, at: at)
        case "Fn::Join":
            guard let items = argument.sequence, items.count == 2, let separator = items[0].string else {
                return .unresolved("Fn::Join needs [separator, list]", at)
            }
            guard case .list(let values) = resolve(items[1], owner: owner, field: field) else { return .unresolved("Fn::Join needs a list", at) }
            var parts: [String] = []
            for value in values {
                switch value {
                case .scalar(let text, _): parts.append(text)
                case .noValue: continue
                case .unresolved(let reason, let where_): return .unresolved(reason, where_)
                default: return .unresolved("Fn::Join over a non-string value", at)
                }
            }
            return .scalar(parts.joined(separator: separator), at)
        case "Fn::Split":
            guard let items = argument.sequence, items.count == 2, let separator = items[0].string, !separator.isEmpty else {
                return .unresolved("Fn::Split needs [separator, string]", at)
            }
            guard case .scalar(let text, _) = resolve(items[1], owner: owner, field: field) else { return .unresolved("Fn::Split source cannot be resolved", at) }
            return .list(Self.split(text, separator: separator).map { .scalar($0, at) })
        default:
            return .unresolved("\(name) cannot be evaluated without deploying", at)
        }
    }

    /// Splits on every occurrence of a non-empty separator, keeping empty pieces (as Fn::Split does).
    static func split(_ text: String, separator: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: separator) {
            pieces.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        pieces.append(String(rest))
        return pieces
    }

    private mutating func substitute(_ template: String, variables: [String: Value], owner: String, field: String, at: SourceLocation) -> Value {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            if afterOpen.hasPrefix("!") {  // `${!Literal}` is the literal `${Literal}`
                guard let close = afterOpen.firstIndex(of: "}") else { return .unresolved("unterminated ${ in Fn::Sub", at) }
                out += "${" + afterOpen[afterOpen.index(after: afterOpen.startIndex)..<close] + "}"
                rest = afterOpen[afterOpen.index(after: close)...]
                continue
            }
            guard let close = afterOpen.firstIndex(of: "}") else { return .unresolved("unterminated ${ in Fn::Sub", at) }
            let name = String(afterOpen[..<close])
            let value: Value
            if let given = variables[name] {
                value = given
            } else {
                let reference = YAMLNode(.scalar(YAMLScalar(name)), location: at, tag: name.contains(".") ? "!GetAtt" : "!Ref")
                value = resolve(reference, owner: owner, field: field)
            }
            switch value {
            case .scalar(let text, _): out += text
            case .groupRef(let id, _): return .unresolved("Fn::Sub uses ${\(name)}, the id of \(id), known only after deployment", at)
            case .unresolved(let reason, _): return .unresolved(reason, at)
            default: return .unresolved("Fn::Sub variable \(name) is not a string", at)
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        out += rest
        return .scalar(out, at)
    }

    private mutating func evaluate(condition name: String, at: SourceLocation) -> Bool? {
        if let cached = conditionCache[name] { return cached }
        conditionCache[name] = .some(nil)  // a condition that refers to itself resolves to unknown
        let result = conditions[name].flatMap { evaluate(expression: $0) }
        conditionCache[name] = .some(result)
        return result
    }

    private mutating func evaluate(expression node: YAMLNode) -> Bool? {
        guard depth < 64 else { return nil }
        depth += 1
        defer { depth -= 1 }
        guard let (name, argument) = intrinsic(node) else {
            if let text = node.string?.lowercased() { return text == "true" ? true : text == "false" ? false : nil }
            return nil
        }
        switch name {
        case "Condition": return argument.string.flatMap { evaluate(condition: $0, at: node.location) }
        case "Fn::Not": return (argument.sequence?.first).flatMap { evaluate(expression: $0) }.map { !$0 }
        case "Fn::And", "Fn::Or":
            guard let items = argument.sequence, !items.isEmpty else { return nil }
            var values: [Bool] = []
            for item in items {
                guard let value = evaluate(expression: item) else { return nil }
                values.append(value)
            }
            return name == "Fn::And" ? values.allSatisfy { $0 } : values.contains(true)
        case "Fn::Equals":
            guard let items = argument.sequence, items.count == 2 else { return nil }
            guard case .scalar(let left, _) = resolve(items[0], owner: "Conditions", field: "Fn::Equals"),
                  case .scalar(let right, _) = resolve(items[1], owner: "Conditions", field: "Fn::Equals") else { return nil }
            return left == right
        default: return nil
        }
    }
}
