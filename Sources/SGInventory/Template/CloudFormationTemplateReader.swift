import SGDiagnostics
import SGModel
import SGYAML

/// Reads the security groups of any CloudFormation template (YAML with short-form tags such as
/// `!Ref`/`!GetAtt`/`!Sub`/`!Select`/`!If`, or JSON) as AWS would create them, so the validator can
/// audit groups the tool did not create.
///
/// What it reads: `AWS::EC2::SecurityGroup` (inline `SecurityGroupIngress`/`SecurityGroupEgress`)
/// and standalone `AWS::EC2::SecurityGroupIngress`/`Egress` resources, each only if its `Condition`
/// can be true.
///
/// Judged as AWS would judge it:
/// - every deployment the template allows (`TemplateResolver`: parameters at their Default and every
///   AllowedValue, both branches of `Fn::If`, every Mappings entry a key can reach); a rule that takes
///   several forms becomes its worst form by `rank`, which `LiveRule.judgedAt` explains;
/// - a CIDR with host bits set is the network EC2 stores (W702 names it);
/// - egress follows `DefaultEgress`: a group that can be created with no egress (no list, an empty
///   one, or every item removed by a condition) and that no standalone egress resource always names
///   gets AWS's allow-all rule;
/// - a group or prefix-list reference whose id is known only after deployment (a parameter without
///   Default, `Fn::ImportValue`, `GetAtt`) is judged by what it is, a reference, under a name for the
///   expression: which group it names does not change the judgement.
///
/// What cannot be judged is a warning and the rule (or the deployments of it that need the value)
/// is left out, never a crash: W701 for values known only at deploy time (counted as unresolved),
/// W703 for values AWS would reject (that rule would fail to deploy).
public struct CloudFormationTemplateReader: Sendable {
    /// How bad a rule is, higher is worse; the reader keeps each rule's worst form. The audit passes
    /// the validator's judgement; the default keeps the first form (the Defaults' deployment).
    public typealias RuleRanking = @Sendable (RuleKey) -> Int

    private let parser: YAMLParser

    /// The description of the allow-all egress rule the reader adds for AWS's default (the rule
    /// itself has none in AWS; the importer writes it without this text).
    public static let defaultEgressDescription = "AWS default egress (the group is created without SecurityGroupEgress)"

    /// Creates a reader.
    public init(limits: YAMLLimits = .default) {
        parser = YAMLParser(limits: limits)
    }

    /// The groups keyed by logical id (references between template groups stay `.securityGroup(logicalID)`
    /// so `asTier(tiersByGroupID:)` can turn them into tier references), and the diagnostics.
    public func read(_ source: SourceFile, rank: @escaping RuleRanking = { _ in 0 }) throws(DiagnosticError) -> (groups: [LiveSecurityGroup], diagnostics: Diagnostics) {
        let document = try parser.parse(source)
        guard let root = document.root, let resources = root["Resources"]?.mapping else {
            throw DiagnosticError(.error(
                .templateShape, "expected a CloudFormation template (a mapping with a Resources mapping)",
                at: document.root?.location ?? .file(source.path)))
        }
        var reading = Reading(resolver: TemplateResolver(root: root), rank: rank)
        var groups: [LiveSecurityGroup] = []
        var groupIndex: [String: Int] = [:]
        // The choices under which a template group is created with no egress of its own.
        var createdWithoutEgress: [String: Assumptions] = [:]

        // Groups first, so standalone rules can attach to them whatever the order in the file.
        for entry in resources {
            guard let logicalID = entry.key.string, entry.value["Type"]?.string == "AWS::EC2::SecurityGroup" else { continue }
            let existence = reading.existence(of: entry.value)
            guard !existence.when.isEmpty else { continue }
            guard let properties = entry.value["Properties"], properties.mapping != nil, properties["GroupDescription"] != nil else {
                reading.reject("security group \(logicalID) has no GroupDescription (a required property); AWS would not create it, so it is not judged", at: entry.key.location)
                continue
            }
            let name = properties["GroupName"].flatMap { reading.firstScalar($0) } ?? logicalID
            let description = properties["GroupDescription"].flatMap { reading.firstScalar($0) } ?? ""
            var group = LiveSecurityGroup(groupID: logicalID, name: name, description: description, location: entry.key.location)
            if let list = properties["SecurityGroupIngress"] {
                group.ingress = reading.rules(inList: list, direction: .ingress, owner: logicalID, when: existence.when).rules
            }
            if let list = properties["SecurityGroupEgress"] {
                let egress = reading.rules(inList: list, direction: .egress, owner: logicalID, when: existence.when)
                group.egress = egress.rules
                if let empty = egress.emptyWhen { createdWithoutEgress[logicalID] = empty }
            } else {
                createdWithoutEgress[logicalID] = existence.when[0]
            }
            groupIndex[logicalID] = groups.count
            groups.append(group)
        }
        let templateGroups = groupIndex

        var alwaysNamedByStandaloneEgress = Set<String>()
        for entry in resources {
            guard let logicalID = entry.key.string, let type = entry.value["Type"]?.string,
                  type == "AWS::EC2::SecurityGroupIngress" || type == "AWS::EC2::SecurityGroupEgress" else { continue }
            guard let properties = entry.value["Properties"], properties.mapping != nil else {
                reading.reject("\(logicalID) has no Properties; AWS would not create it, so it is not judged", at: entry.key.location)
                continue
            }
            let existence = reading.existence(of: entry.value)
            guard !existence.when.isEmpty else { continue }
            let direction: Direction = type.hasSuffix("Ingress") ? .ingress : .egress
            reading.resolver.resetTruncation()
            let targets = reading.targets(of: properties, owner: logicalID, fallback: entry.key.location)
            let found = reading.rules(inEntries: existence.when.map { Variant(properties, $0) }, direction: direction, owner: logicalID)
            for target in targets {
                if groupIndex[target] == nil {
                    groupIndex[target] = groups.count
                    groups.append(LiveSecurityGroup(groupID: target, name: target, location: entry.key.location))
                }
                if direction == .ingress { groups[groupIndex[target]!].ingress += found } else { groups[groupIndex[target]!].egress += found }
                if direction == .egress, existence.always, targets.count == 1 { alwaysNamedByStandaloneEgress.insert(target) }
            }
        }

        for (logicalID, index) in templateGroups.sorted(by: { $0.value < $1.value }) {
            guard let when = createdWithoutEgress[logicalID],
                  DefaultEgress.keepsDefault(inlineEgress: 0, standaloneEgress: alwaysNamedByStandaloneEgress.contains(logicalID) ? 1 : 0) else { continue }
            let judgedAt = when.isEmpty ? nil : "when \(reading.resolver.explain(when)) the group is created without egress"
            groups[index].egress.insert(LiveRule(
                key: DefaultEgress.ipv4Rule, description: Self.defaultEgressDescription,
                location: groups[index].location, judgedAt: judgedAt), at: 0)
        }
        return (groups, reading.diagnostics)
    }
}

/// The state of one template read: the resolver, the ranking and the diagnostics so far.
private struct Reading {
    var resolver: TemplateResolver
    let rank: CloudFormationTemplateReader.RuleRanking
    var diagnostics = Diagnostics()
    /// Warnings already given, so a value shared by many deployments is reported once.
    private var reported = Set<String>()

    init(resolver: TemplateResolver, rank: @escaping CloudFormationTemplateReader.RuleRanking) {
        self.resolver = resolver
        self.rank = rank
    }

    mutating func unresolved(_ message: String, at location: SourceLocation) {
        warn(.unresolvedTemplateValue, message, at: location)
    }

    mutating func reject(_ message: String, at location: SourceLocation) {
        warn(.templateValueRejectedByAWS, message, at: location)
    }

    mutating func warn(_ code: DiagnosticCode, _ message: String, at location: SourceLocation) {
        guard reported.insert("\(code)|\(location)|\(message)").inserted else { return }
        diagnostics.warning(code, message, at: location)
    }

    /// ` when ...` for a message about one deployment, or nothing when the value has one form.
    private func when(_ assumptions: Assumptions) -> String {
        assumptions.isEmpty ? "" : " when \(resolver.explain(assumptions))"
    }

    /// The first scalar a value takes (names and descriptions, which do not change a judgement).
    mutating func firstScalar(_ node: YAMLNode) -> String? {
        for variant in resolver.resolve(node) {
            if case .scalar(let text, _) = variant.value { return text }
        }
        return nil
    }

    /// The deployments a resource exists in (its `Condition` true), and whether it exists in all.
    mutating func existence(of resource: YAMLNode) -> (when: [Assumptions], always: Bool) {
        guard let name = resource["Condition"]?.string else { return ([.none], true) }
        let truths = resolver.condition(name)
        return (truths.filter(\.value).map(\.assumptions), truths.allSatisfy(\.value))
    }

    /// The groups a standalone rule is added to: a template group, an outside id or name, or a name
    /// for an id known only after deployment.
    mutating func targets(of properties: YAMLNode, owner: String, fallback: SourceLocation) -> [String] {
        guard let node = properties["GroupId"] ?? properties["GroupName"] else {
            reject("\(owner) names no GroupId or GroupName; AWS rejects the rule", at: fallback)
            return []
        }
        var targets: [String] = []
        for variant in resolver.resolve(node) {
            let target: String
            switch variant.value {
            case .groupRef(let id, _): target = id
            case .scalar(let text, _): target = text
            case .unresolved: target = TemplateResolver.symbolicName(node)
            default:
                reject("the target group of \(owner) is not a single value; AWS rejects the rule", at: node.location)
                continue
            }
            if !targets.contains(target) { targets.append(target) }
        }
        return targets
    }

    /// The rules of an inline `SecurityGroupIngress`/`SecurityGroupEgress` property, and the choices
    /// (if any) under which EC2 receives no rule from it at all.
    mutating func rules(inList list: YAMLNode, direction: Direction, owner: String, when existence: [Assumptions]) -> (rules: [LiveRule], emptyWhen: Assumptions?) {
        let field = direction == .ingress ? "SecurityGroupIngress" : "SecurityGroupEgress"
        var rules: [LiveRule] = []
        var empty: [Assumptions] = existence
        // A single rule written where the list belongs is judged as a one-rule list: the schema wants a
        // list, but a rule that might be live is not left unjudged on a technicality.
        let written = list.mapping != nil && TemplateResolver.intrinsic(list) == nil ? [list] : list.sequence
        if let items = written, TemplateResolver.intrinsic(list) == nil {
            // A written list: each item is a rule of its own, whatever the others become.
            for item in items {
                resolver.resetTruncation()
                var absent: [Assumptions] = []
                var entries: [Variant<YAMLNode>] = []
                for base in existence {
                    for variant in resolver.resolve(item) {
                        guard let assumptions = base.merged(with: variant.assumptions) else { continue }
                        switch variant.value {
                        case .noValue: absent.append(assumptions)
                        case .node(let node): entries.append(Variant(node, assumptions))
                        case .unresolved(let reason, let at):
                            unresolved("cannot resolve a rule of \(owner).\(field)\(when(assumptions)): \(reason); rule skipped", at: at)
                        default:
                            reject("a rule of \(owner).\(field) is not a mapping; AWS rejects the group", at: item.location)
                        }
                    }
                }
                rules += self.rules(inEntries: entries, direction: direction, owner: owner)
                empty = combine(empty, absent)
            }
            return (rules, empty.first)
        }
        // A list computed by a function (`!If [C, [...], [...]]`, `!Ref AWS::NoValue`): every form.
        empty = []
        resolver.resetTruncation()
        for base in existence {
            for variant in resolver.resolve(list) {
                guard let assumptions = base.merged(with: variant.assumptions) else { continue }
                switch variant.value {
                case .noValue: empty.append(assumptions)
                case .list(let items):
                    let present = items.filter { if case .noValue = $0 { return false } else { return true } }
                    if present.isEmpty { empty.append(assumptions) }
                    for item in present {
                        switch item {
                        case .node(let node):
                            for rule in self.rules(inEntries: [Variant(node, assumptions)], direction: direction, owner: owner)
                            where !rules.contains(where: { $0.key == rule.key && $0.location == rule.location }) {
                                rules.append(rule)
                            }
                        case .unresolved(let reason, let at):
                            unresolved("cannot resolve a rule of \(owner).\(field)\(when(assumptions)): \(reason); rule skipped", at: at)
                        default:
                            reject("a rule of \(owner).\(field) is not a mapping; AWS rejects the group", at: list.location)
                        }
                    }
                case .unresolved(let reason, let at):
                    unresolved("cannot resolve \(owner).\(field)\(when(assumptions)): \(reason); its rules are skipped", at: at)
                default:
                    reject("\(owner).\(field) is not a list; AWS rejects the group", at: list.location)
                }
            }
        }
        return (rules, empty.first)
    }

    /// Choices under which every item so far is absent, extended by one more item's.
    private func combine(_ sofar: [Assumptions], _ absent: [Assumptions]) -> [Assumptions] {
        var out: [Assumptions] = []
        for a in sofar {
            for b in absent {
                guard let both = a.merged(with: b), !out.contains(both) else { continue }
                out.append(both)
                if out.count == 64 { return out }
            }
        }
        return out
    }

    /// One rule (an inline entry, or a standalone resource's properties) in every form its
    /// deployments give it, judged at its worst form: zero rules or one.
    mutating func rules(inEntries entries: [Variant<YAMLNode>], direction: Direction, owner: String) -> [LiveRule] {
        var forms: [Form] = []
        var problems: [(code: DiagnosticCode, field: String, reason: String, at: SourceLocation, assumptions: Assumptions)] = []
        var description: String?
        for entry in entries {
            if description == nil, let node = entry.value["Description"] { description = firstScalar(node) }
            for outcome in outcomes(of: entry.value, direction: direction, owner: owner, base: entry.assumptions) {
                switch outcome {
                case .rule(let form): forms.append(form)
                case .unresolved(let field, let reason, let at, let assumptions):
                    problems.append((.unresolvedTemplateValue, field, reason, at, assumptions))
                case .rejected(let reason, let at, let assumptions):
                    problems.append((.templateValueRejectedByAWS, "", reason, at, assumptions))
                }
            }
        }
        let entryLocation = entries.first?.value.location ?? .file("")
        if resolver.truncated {
            resolver.resetTruncation()
            unresolved("a rule in \(owner) takes more than \(TemplateResolver.variantLimit) forms over the template's parameters and conditions; only the first are judged", at: entryLocation)
        }
        // One warning per problem, however many deployments share it; when the rule is judged in
        // other deployments, the message names one where it is not.
        let judged = !forms.isEmpty
        var seen = Set<String>()
        for problem in problems where seen.insert("\(problem.code)|\(problem.field)|\(problem.reason)|\(problem.at)").inserted {
            let context = judged ? when(problem.assumptions) : ""
            if problem.code == .unresolvedTemplateValue {
                let consequence = judged ? "that deployment of the rule is not judged" : "rule skipped"
                unresolved("cannot resolve \(problem.field) of a rule in \(owner)\(context): \(problem.reason); \(consequence)", at: problem.at)
            } else {
                let consequence = judged ? "AWS would not create that deployment of the rule, so it is not judged" : "AWS would not create it, so it is not judged"
                reject("rule in \(owner)\(context): \(problem.reason); \(consequence)", at: problem.at)
            }
        }
        for form in forms {
            guard let written = form.writtenWithHostBits, case .cidr(let block) = form.key.peer else { continue }
            warn(.hostBitsCanonicalised, "\(written) in \(owner)\(when(form.assumptions)) has host bits set; EC2 stores the network \(block), and that is what is judged", at: form.location)
        }
        guard var worst = forms.first else { return [] }
        let distinct = Set(forms.map(\.key))
        if distinct.count > 1 {
            // Ranked once per distinct rule; on a tie the earlier form (the Defaults' first) stays.
            var ranks: [RuleKey: Int] = [:]
            for key in distinct { ranks[key] = rank(key) }
            for form in forms.dropFirst() where ranks[form.key]! > ranks[worst.key]! { worst = form }
        }
        // Named only when the deployment matters: a value that is the same in every deployment needs
        // no explanation, one that comes from a parameter or differs between deployments does.
        var judgedAt: String?
        if !worst.assumptions.isEmpty, distinct.count > 1 || forms.count == 1 {
            judgedAt = "judged at \(resolver.explain(worst.assumptions))"
            if distinct.count > 1 { judgedAt! += ", the worst of \(distinct.count) forms" }
        }
        var rule = LiveRule(key: worst.key, description: description, location: worst.location, judgedAt: judgedAt)
        // The importer writes the network with the template's spelling beside it.
        rule.peerSpelling = worst.peerSpelling
        return [rule]
    }

    /// One form of a rule.
    struct Form {
        var key: RuleKey
        var location: SourceLocation
        var assumptions: Assumptions
        /// The CIDR as written, when EC2 will store it without its host bits.
        var writtenWithHostBits: String?
        /// The peer exactly as written, when that is not the block's canonical spelling.
        var peerSpelling: String?
    }

    enum Outcome {
        case rule(Form)
        case unresolved(field: String, reason: String, at: SourceLocation, assumptions: Assumptions)
        case rejected(reason: String, at: SourceLocation, assumptions: Assumptions)
    }

    /// Every form of one rule entry: its fields' variants combined where their choices agree.
    private mutating func outcomes(of entry: YAMLNode, direction: Direction, owner: String, base: Assumptions) -> [Outcome] {
        let peerKeys = direction == .ingress
            ? ["CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId"]
            : ["CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId"]
        let fields = ["IpProtocol", "FromPort", "ToPort"] + peerKeys
        var lists: [[Variant<TemplateResolver.Value>]] = []
        for field in fields {
            lists.append(entry[field].map { resolver.resolve($0) } ?? [Variant(.noValue)])
        }
        var truncated = false
        // The first list carries the entry's own choices (its item's branch, its resource's condition).
        let combinations = VariantProduct.all([[Variant(.noValue, base)]] + lists, limit: TemplateResolver.variantLimit, truncated: &truncated)
        if truncated { resolver.markTruncated() }
        return combinations.map { combination in
            let values = Array(combination.value.dropFirst())
            return form(Dictionary(uniqueKeysWithValues: zip(fields, values)), entry: entry, peerKeys: peerKeys, direction: direction,
                        assumptions: combination.assumptions)
        }
    }

    private func form(
        _ values: [String: TemplateResolver.Value], entry: YAMLNode, peerKeys: [String], direction: Direction, assumptions: Assumptions
    ) -> Outcome {
        var texts: [(String, SourceLocation)?] = []
        for field in ["IpProtocol", "FromPort", "ToPort"] {
            switch values[field] ?? .noValue {
            case .noValue: texts.append(nil)
            case .scalar(let text, let at): texts.append((text, at))
            case .unresolved(let reason, let at): return .unresolved(field: field, reason: reason, at: at, assumptions: assumptions)
            default: return .rejected(reason: "\(field) is not a single value", at: entry[field]?.location ?? entry.location, assumptions: assumptions)
            }
        }
        let (protocolText, fromText, toText) = (texts[0], texts[1], texts[2])
        guard let (protocolValue, protocolAt) = protocolText else {
            return .rejected(reason: "IpProtocol is required", at: entry.location, assumptions: assumptions)
        }
        var ports: [Int?] = []
        for port in [fromText, toText] {
            guard let (value, at) = port else { ports.append(nil); continue }
            guard let number = Int(value) else { return .rejected(reason: "port '\(value)' is not a number", at: at, assumptions: assumptions) }
            ports.append(number)
        }
        let decoded: (IPProtocol, PortSpec)
        switch EC2Permission.decode(ipProtocol: protocolValue, fromPort: ports[0], toPort: ports[1]) {
        case .success(let value): decoded = value
        case .failure(let problem): return .rejected(reason: problem.description, at: protocolAt, assumptions: assumptions)
        }
        var writtenWithHostBits: String?
        var peerSpelling: String?
        for key in peerKeys {
            let value = values[key] ?? .noValue
            if case .noValue = value { continue }
            let peer: Peer
            let at: SourceLocation
            switch value {
            case .scalar(let peerText, let location):
                at = location
                if key.hasPrefix("Cidr") {
                    switch EC2Permission.peerCIDR(peerText) {
                    case .success(let read):
                        guard (read.block.family == .ipv4) == (key == "CidrIp") else {
                            return .rejected(reason: "\(key) '\(peerText)' is an \(read.block.family == .ipv4 ? "IPv4" : "IPv6") block", at: at, assumptions: assumptions)
                        }
                        peer = .cidr(read.block)
                        if read.hadHostBits { writtenWithHostBits = "\(key) '\(peerText)'" }
                        if peerText != read.block.description { peerSpelling = peerText }
                    case .failure(.badCIDR(_, let why)):
                        return .rejected(reason: "\(key) '\(peerText)': \(why)", at: at, assumptions: assumptions)
                    case .failure(let problem):
                        return .rejected(reason: "\(key) '\(peerText)': \(problem)", at: at, assumptions: assumptions)
                    }
                } else {
                    peer = key.hasSuffix("PrefixListId") ? .prefixList(peerText) : .securityGroup(peerText)
                }
            case .groupRef(let id, let location):
                at = location
                guard !key.hasPrefix("Cidr") else { return .rejected(reason: "\(key) names the resource \(id), not a CIDR", at: at, assumptions: assumptions) }
                peer = key.hasSuffix("PrefixListId") ? .prefixList(id) : .securityGroup(id)
            case .unresolved(let reason, let location):
                guard !key.hasPrefix("Cidr") else { return .unresolved(field: key, reason: reason, at: location, assumptions: assumptions) }
                // Which group or prefix list it is does not change the judgement of a reference.
                at = location
                let name = TemplateResolver.symbolicName(entry[key]!)
                peer = key.hasSuffix("PrefixListId") ? .prefixList(name) : .securityGroup(name)
            default:
                return .rejected(reason: "\(key) is not a single value", at: entry[key]?.location ?? entry.location, assumptions: assumptions)
            }
            return .rule(Form(
                key: RuleKey(direction: direction, ipProtocol: decoded.0, ports: decoded.1, peer: peer), location: at,
                assumptions: assumptions, writtenWithHostBits: writtenWithHostBits, peerSpelling: peerSpelling))
        }
        return .rejected(reason: "the rule names no peer (CidrIp, CidrIpv6, group or prefix list)", at: entry.location, assumptions: assumptions)
    }
}
