import SGDiagnostics
import SGYAML

/// Static evaluation of CloudFormation intrinsic functions over every deployment a template allows.
///
/// A value resolves to variants, one per deployment that gives it a different value, each with the
/// choices it holds under (`Assumptions`):
/// - a parameter is read at its `Default` and at every `AllowedValues` entry (a list-typed parameter
///   at its Default only; an `AWS::SSM::Parameter::Value<...>` parameter is read from SSM at deploy
///   time and stays unresolved);
/// - `Fn::If` yields both branches, each under the choices that make its condition true or false:
///   a condition over parameters with AllowedValues is evaluated for each value; a comparison with a
///   parameter without AllowedValues, or with a pseudo parameter (`AWS::Region`), can go either way;
/// - `Fn::FindInMap` yields every entry its keys can reach: a key from `AWS::Region` or from a
///   parameter without AllowedValues reaches every entry of that level (a deployment with any other
///   key fails);
/// - `Fn::Select`, `Fn::Sub`, `Fn::Join` and `Fn::Split` combine the variants of their arguments,
///   and `Fn::GetAtt VPC.CidrBlock` reads the template's own VPC.
/// Variants whose choices contradict each other are never combined. Whatever depends on the running
/// account (`Fn::ImportValue`, most `Fn::GetAtt`, pseudo parameters used as values) is `unresolved`
/// with the reason, never guessed.
struct TemplateResolver {
    /// One resolved value.
    indirect enum Value {
        case scalar(String, SourceLocation)
        case list([Value])
        /// A plain mapping, left for the caller to read (a rule entry).
        case node(YAMLNode)
        /// `!Ref AWS::NoValue`: the property is absent.
        case noValue
        /// `!Ref` of a resource, or `!GetAtt X.GroupId`: an id known only after deployment.
        case groupRef(String, SourceLocation)
        case unresolved(String, SourceLocation)
    }

    /// At most this many variants of one value; beyond it, `truncated` is set and the rest is not judged.
    static let variantLimit = 256

    private struct Parameter {
        var type: String
        var defaultValue: String?
        var allowedValues: [String]

        var isList: Bool { type == "CommaDelimitedList" || type.hasPrefix("List<") || type.hasPrefix("AWS::SSM::Parameter::Value<List<") }
        var isFromSSM: Bool { type.hasPrefix("AWS::SSM::Parameter::Value<") }
        /// Any value may be passed: no AllowedValues to enumerate.
        var isOpen: Bool { allowedValues.isEmpty && !isList && !isFromSSM }
        /// Default first, then AllowedValues, each once.
        var values: [String] {
            var seen = Set<String>()
            return ([defaultValue].compactMap { $0 } + allowedValues).filter { seen.insert($0).inserted }
        }
    }

    private let parameters: [String: Parameter]
    private let mappings: YAMLNode?
    private let conditions: [String: YAMLNode]
    /// Resources by logical id.
    let resources: [String: YAMLNode]
    private var conditionCache: [String: [Variant<Bool>]] = [:]
    private var conditionsInProgress: Set<String> = []
    private var depth = 0
    /// True once some value had more than `variantLimit` variants since the last `resetTruncation()`.
    private(set) var truncated = false

    init(root: YAMLNode) {
        var parameters: [String: Parameter] = [:]
        for entry in root["Parameters"]?.mapping ?? [] {
            guard let name = entry.key.string else { continue }
            parameters[name] = Parameter(
                type: entry.value["Type"]?.string ?? "String", defaultValue: entry.value["Default"]?.string,
                allowedValues: (entry.value["AllowedValues"]?.sequence ?? []).compactMap(\.string))
        }
        var conditions: [String: YAMLNode] = [:]
        for entry in root["Conditions"]?.mapping ?? [] { if let key = entry.key.string { conditions[key] = entry.value } }
        var resources: [String: YAMLNode] = [:]
        for entry in root["Resources"]?.mapping ?? [] { if let key = entry.key.string { resources[key] = entry.value } }
        self.parameters = parameters
        self.conditions = conditions
        self.resources = resources
        mappings = root["Mappings"]
    }

    mutating func resetTruncation() { truncated = false }

    /// Records that a caller combining variants left some out.
    mutating func markTruncated() { truncated = true }

    // MARK: - Values

    /// The intrinsic function a node calls, in long form (`Ref`, `Fn::If`, `Condition`), and its argument.
    static func intrinsic(_ node: YAMLNode) -> (name: String, argument: YAMLNode)? {
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

    /// Every value `node` takes over the deployments the template allows.
    mutating func resolve(_ node: YAMLNode) -> [Variant<Value>] {
        // Templates can nest intrinsics deeply or (through conditions) loop: bound the work.
        guard depth < 64 else { return [Variant(.unresolved("nesting deeper than 64 levels", node.location))] }
        depth += 1
        defer { depth -= 1 }
        guard let (name, argument) = Self.intrinsic(node) else {
            switch node.content {
            case .scalar(let scalar): return [Variant(.scalar(scalar.value, node.location))]
            case .sequence(let items):
                return VariantProduct.all(items.map { resolve($0) }, limit: Self.variantLimit, truncated: &truncated)
                    .map { Variant(.list($0.value), $0.assumptions) }
            case .mapping: return [Variant(.node(node))]
            }
        }
        let at = node.location
        switch name {
        case "Ref":
            guard let target = argument.string else { return [Variant(.unresolved("Ref needs a name", at))] }
            return reference(target, at: at)
        case "Fn::GetAtt": return attribute(argument, at: at)
        case "Fn::If": return conditional(argument, at: at)
        case "Fn::Select": return select(argument, at: at)
        case "Fn::FindInMap": return findInMap(argument, at: at)
        case "Fn::Sub": return substitute(argument, at: at)
        case "Fn::Join": return join(argument, at: at)
        case "Fn::Split": return split(argument, at: at)
        default: return [Variant(.unresolved("\(name) cannot be evaluated without deploying", at))]
        }
    }

    private mutating func reference(_ target: String, at: SourceLocation) -> [Variant<Value>] {
        if target == "AWS::NoValue" { return [Variant(.noValue)] }
        if let parameter = parameters[target] {
            let choice = "parameter \(target)"
            if parameter.isFromSSM {
                return [Variant(.unresolved("parameter \(target) is read from SSM Parameter Store at deploy time", at))]
            }
            if parameter.isList {
                guard let text = parameter.defaultValue else { return [Variant(.unresolved("parameter \(target) has no Default", at))] }
                let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
                    Value.scalar(String($0.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()), at)
                }
                return [Variant(.list(items), Assumptions(choice, .equals(text)))]
            }
            let values = parameter.values
            guard !values.isEmpty else { return [Variant(.unresolved("parameter \(target) has no Default or AllowedValues", at))] }
            // The value comes from the parameter, but a finding belongs where it is used.
            return values.map { Variant(.scalar($0, at), Assumptions(choice, .equals($0))) }
        }
        if target.hasPrefix("AWS::") { return [Variant(.unresolved("\(target) is known only at deploy time", at))] }
        if resources[target] != nil { return [Variant(.groupRef(target, at))] }
        return [Variant(.unresolved("Ref \(target) is neither a parameter nor a resource of this template", at))]
    }

    private mutating func attribute(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        let parts: [String]
        if let text = argument.string { parts = text.split(separator: ".", maxSplits: 1).map(String.init) } else {
            parts = (argument.sequence ?? []).compactMap(\.string)
        }
        guard parts.count == 2, let resource = resources[parts[0]] else {
            return [Variant(.unresolved("GetAtt \(parts.joined(separator: ".")) is not a resource attribute", at))]
        }
        if parts[1] == "GroupId" { return [Variant(.groupRef(parts[0], at))] }
        if resource["Type"]?.string == "AWS::EC2::VPC", parts[1] == "CidrBlock" {
            guard let block = resource["Properties"]?["CidrBlock"] else {
                return [Variant(.unresolved("VPC \(parts[0]) takes its CIDR from an IPAM pool at deploy time", at))]
            }
            return relocated(resolve(block), to: at)
        }
        return [Variant(.unresolved("GetAtt \(parts[0]).\(parts[1]) is only known after deployment", at))]
    }

    private mutating func conditional(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        guard let items = argument.sequence, items.count == 3, let name = items[0].string else {
            return [Variant(.unresolved("Fn::If needs [condition, value if true, value if false]", at))]
        }
        var out: [Variant<Value>] = []
        for truth in condition(name) {
            let branch = resolve(truth.value ? items[1] : items[2])
            out += VariantProduct.combine([Variant((), truth.assumptions)], branch, limit: Self.variantLimit - out.count, truncated: &truncated) { $1 }
        }
        return out
    }

    private mutating func select(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        guard let items = argument.sequence, items.count == 2 else { return [Variant(.unresolved("Fn::Select needs [index, list]", at))] }
        let indexes = resolve(items[0]), lists = resolve(items[1])
        return VariantProduct.combine(indexes, lists, limit: Self.variantLimit, truncated: &truncated) { index, list -> Value in
            guard case .scalar(let text, _) = index, let position = Int(text) else {
                if case .unresolved(let reason, let location) = index { return .unresolved(reason, location) }
                return .unresolved("Fn::Select index cannot be resolved", at)
            }
            switch list {
            case .list(let values):
                guard values.indices.contains(position) else { return .unresolved("Fn::Select index \(position) is out of range", at) }
                if case .scalar(let text, _) = values[position] { return .scalar(text, at) }
                return values[position]
            case .unresolved(let reason, let location): return .unresolved(reason, location)
            default: return .unresolved("Fn::Select needs a list", at)
            }
        }
    }

    private mutating func findInMap(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        guard let items = argument.sequence, items.count >= 3 else { return [Variant(.unresolved("Fn::FindInMap needs [map, key, key]", at))] }
        var out: [Variant<Value>] = []
        var missing: [String] = []
        for map in keyVariants(items[0], keys: (mappings?.mapping ?? []).compactMap(\.key.string)) {
            guard let mapNode = mappings?[map.value] else { missing.append(map.value); continue }
            for first in keyVariants(items[1], keys: (mapNode.mapping ?? []).compactMap(\.key.string)) {
                guard let firstNode = mapNode[first.value], let firstBoth = map.assumptions.merged(with: first.assumptions) else {
                    missing.append("\(map.value)/\(first.value)")
                    continue
                }
                for second in keyVariants(items[2], keys: (firstNode.mapping ?? []).compactMap(\.key.string)) {
                    guard let valueNode = firstNode[second.value], let all = firstBoth.merged(with: second.assumptions) else {
                        missing.append("\(map.value)/\(first.value)/\(second.value)")
                        continue
                    }
                    out += VariantProduct.combine(
                        [Variant((), all)], relocated(resolve(valueNode), to: at), limit: Self.variantLimit - out.count, truncated: &truncated
                    ) { $1 }
                }
            }
        }
        // A key outside the map fails that deployment; only when every key does is nothing known.
        if out.isEmpty {
            if let key = keyUnresolved(items) { return [Variant(.unresolved(key, at))] }
            return [Variant(.unresolved("Mappings has no \(missing.first ?? "such entry")", at))]
        }
        return out
    }

    private mutating func keyUnresolved(_ items: [YAMLNode]) -> String? {
        for item in items.prefix(3) {
            for variant in resolve(item) {
                if case .unresolved(let reason, _) = variant.value { return reason }
            }
        }
        return nil
    }

    /// The keys a FindInMap key expression can take: every key of the level when the expression is
    /// a free reference (a pseudo parameter or a parameter without AllowedValues: only keys of the map
    /// deploy), else what it resolves to (every key when it cannot be resolved).
    private mutating func keyVariants(_ node: YAMLNode, keys: [String]) -> [Variant<String>] {
        if let choice = freeReference(node) {
            return keys.map { Variant($0, Assumptions(choice, .equals($0))) }
        }
        var out: [Variant<String>] = []
        for variant in resolve(node) {
            switch variant.value {
            case .scalar(let text, _): out.append(Variant(text, variant.assumptions))
            default: out += keys.map { Variant($0, variant.assumptions) }
            }
        }
        return out
    }

    private mutating func substitute(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        let template: String
        var variables: [String: [Variant<Value>]] = [:]
        if let text = argument.string {
            template = text
        } else if let items = argument.sequence, items.count == 2, let text = items[0].string {
            template = text
            for entry in items[1].mapping ?? [] {
                if let key = entry.key.string { variables[key] = resolve(entry.value) }
            }
        } else {
            return [Variant(.unresolved("Fn::Sub needs a string or [string, variables]", at))]
        }
        var parts: [[Variant<Value>]] = []
        var rest = Substring(template)
        while let open = rest.range(of: "${") {
            parts.append([Variant(.scalar(String(rest[..<open.lowerBound]), at))])
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else { return [Variant(.unresolved("unterminated ${ in Fn::Sub", at))] }
            if afterOpen.hasPrefix("!") {  // `${!Literal}` is the literal `${Literal}`
                parts.append([Variant(.scalar("${" + afterOpen[afterOpen.index(after: afterOpen.startIndex)..<close] + "}", at))])
            } else {
                let name = String(afterOpen[..<close])
                if let given = variables[name] {
                    parts.append(given)
                } else {
                    let reference = YAMLNode(.scalar(YAMLScalar(name)), location: at, tag: name.contains(".") ? "!GetAtt" : "!Ref")
                    parts.append(resolve(reference))
                }
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        parts.append([Variant(.scalar(String(rest), at))])
        return VariantProduct.all(parts, limit: Self.variantLimit, truncated: &truncated).map { combination in
            var text = ""
            for value in combination.value {
                switch value {
                case .scalar(let piece, _): text += piece
                case .groupRef(let id, _): return Variant(.unresolved("Fn::Sub uses the id of \(id), known only after deployment", at), combination.assumptions)
                case .unresolved(let reason, _): return Variant(.unresolved(reason, at), combination.assumptions)
                default: return Variant(.unresolved("a Fn::Sub variable is not a string", at), combination.assumptions)
                }
            }
            return Variant(.scalar(text, at), combination.assumptions)
        }
    }

    private mutating func join(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        guard let items = argument.sequence, items.count == 2, let separator = items[0].string else {
            return [Variant(.unresolved("Fn::Join needs [separator, list]", at))]
        }
        return resolve(items[1]).map { variant in
            guard case .list(let values) = variant.value else {
                if case .unresolved(let reason, let location) = variant.value { return Variant(.unresolved(reason, location), variant.assumptions) }
                return Variant(.unresolved("Fn::Join needs a list", at), variant.assumptions)
            }
            var pieces: [String] = []
            for value in values {
                switch value {
                case .scalar(let text, _): pieces.append(text)
                case .noValue: continue
                case .unresolved(let reason, let location): return Variant(.unresolved(reason, location), variant.assumptions)
                default: return Variant(.unresolved("Fn::Join over a non-string value", at), variant.assumptions)
                }
            }
            return Variant(.scalar(pieces.joined(separator: separator), at), variant.assumptions)
        }
    }

    private mutating func split(_ argument: YAMLNode, at: SourceLocation) -> [Variant<Value>] {
        guard let items = argument.sequence, items.count == 2, let separator = items[0].string, !separator.isEmpty else {
            return [Variant(.unresolved("Fn::Split needs [separator, string]", at))]
        }
        return resolve(items[1]).map { variant in
            guard case .scalar(let text, _) = variant.value else {
                if case .unresolved(let reason, let location) = variant.value { return Variant(.unresolved(reason, location), variant.assumptions) }
                return Variant(.unresolved("Fn::Split source cannot be resolved", at), variant.assumptions)
            }
            return Variant(.list(Self.split(text, separator: separator).map { .scalar($0, at) }), variant.assumptions)
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

    /// Scalars from elsewhere in the template (a parameter, Mappings, the VPC) are reported where they are used.
    private func relocated(_ variants: [Variant<Value>], to location: SourceLocation) -> [Variant<Value>] {
        variants.map { variant in
            if case .scalar(let text, _) = variant.value { return Variant(.scalar(text, location), variant.assumptions) }
            return variant
        }
    }

    // MARK: - Conditions

    /// The truth of a named condition in every deployment, with the choices each holds under.
    mutating func condition(_ name: String) -> [Variant<Bool>] {
        if let cached = conditionCache[name] { return cached }
        let choice = "condition \(name)"
        // A missing condition, or one that refers to itself, can go either way.
        guard let expression = conditions[name], !conditionsInProgress.contains(name) else { return Self.either(choice) }
        conditionsInProgress.insert(name)
        let result = Self.unique(evaluate(expression, choice: choice))
        conditionsInProgress.remove(name)
        conditionCache[name] = result
        return result
    }

    /// True and false, under the two values of one free choice.
    private static func either(_ choice: String) -> [Variant<Bool>] {
        [Variant(true, Assumptions(choice, .equals("true"))), Variant(false, Assumptions(choice, .equals("false")))]
    }

    private struct TruthKey: Hashable {
        var truth: Bool
        var assumptions: Assumptions
    }

    private static func unique(_ variants: [Variant<Bool>]) -> [Variant<Bool>] {
        var seen = Set<TruthKey>()
        return variants.filter { seen.insert(TruthKey(truth: $0.value, assumptions: $0.assumptions)).inserted }
    }

    private mutating func evaluate(_ node: YAMLNode, choice: String) -> [Variant<Bool>] {
        guard depth < 64 else { return Self.either(choice) }
        depth += 1
        defer { depth -= 1 }
        guard let (name, argument) = Self.intrinsic(node) else {
            switch node.string?.lowercased() {
            case "true": return [Variant(true)]
            case "false": return [Variant(false)]
            default: return Self.either(choice)
            }
        }
        let local = "\(choice) at \(node.location)"
        switch name {
        case "Condition":
            guard let other = argument.string else { return Self.either(local) }
            return condition(other)
        case "Fn::Not":
            guard let operand = argument.sequence?.first else { return Self.either(local) }
            return evaluate(operand, choice: local).map { Variant(!$0.value, $0.assumptions) }
        case "Fn::And", "Fn::Or":
            guard let items = argument.sequence, !items.isEmpty else { return Self.either(local) }
            var result = evaluate(items[0], choice: "\(local) #0")
            for (index, item) in items.enumerated().dropFirst() {
                let next = evaluate(item, choice: "\(local) #\(index)")
                result = VariantProduct.combine(result, next, limit: Self.variantLimit, truncated: &truncated) {
                    name == "Fn::And" ? $0 && $1 : $0 || $1
                }
            }
            return Self.unique(result)
        case "Fn::Equals":
            guard let items = argument.sequence, items.count == 2 else { return Self.either(local) }
            if let free = freeReference(items[0]) { return compare(free, with: items[1], choice: local) }
            if let free = freeReference(items[1]) { return compare(free, with: items[0], choice: local) }
            var result: [Variant<Bool>] = []
            for pair in VariantProduct.combine(resolve(items[0]), resolve(items[1]), limit: Self.variantLimit, truncated: &truncated, { ($0, $1) }) {
                guard case .scalar(let left, _) = pair.value.0, case .scalar(let right, _) = pair.value.1 else {
                    result += VariantProduct.combine([Variant((), pair.assumptions)], Self.either(local), limit: Self.variantLimit, truncated: &truncated) { $1 }
                    continue
                }
                result.append(Variant(left == right, pair.assumptions))
            }
            return result
        default:
            return Self.either(local)
        }
    }

    /// `Fn::Equals` with a free reference on one side: equal under "the reference is that value",
    /// unequal under "it is not".
    private mutating func compare(_ free: String, with other: YAMLNode, choice: String) -> [Variant<Bool>] {
        var result: [Variant<Bool>] = []
        for variant in resolve(other) {
            guard case .scalar(let text, _) = variant.value else {
                result += VariantProduct.combine([Variant((), variant.assumptions)], Self.either(choice), limit: Self.variantLimit, truncated: &truncated) { $1 }
                continue
            }
            // The deployment with the parameter's Default first, so the first form of a value is the
            // one a deployment without overrides gets.
            var outcomes: [(Bool, Assumptions.Constraint)] = [(true, .equals(text)), (false, .notIn([text]))]
            if let name = free.hasPrefix("parameter ") ? String(free.dropFirst("parameter ".count)) : nil,
               let defaultValue = parameters[name]?.defaultValue, defaultValue != text {
                outcomes.reverse()
            }
            for (truth, constraint) in outcomes {
                if let both = variant.assumptions.merged(with: Assumptions(free, constraint)) { result.append(Variant(truth, both)) }
            }
        }
        return result
    }

    /// The choice a `Ref` stands for when any value may be passed: a pseudo parameter (`AWS::Region`)
    /// or a parameter without AllowedValues. Nil for everything else.
    private func freeReference(_ node: YAMLNode) -> String? {
        guard let (name, argument) = Self.intrinsic(node), name == "Ref", let target = argument.string else { return nil }
        if let parameter = parameters[target] { return parameter.isOpen ? "parameter \(target)" : nil }
        return target.hasPrefix("AWS::") && target != "AWS::NoValue" ? target : nil
    }

    // MARK: - Explanations

    /// The choices in words, e.g. `SSHLocation = 0.0.0.0/0 (its Default), condition IsProd true`.
    func explain(_ assumptions: Assumptions) -> String {
        assumptions.sorted.map { key, constraint -> String in
            let name = key.hasPrefix("parameter ") ? String(key.dropFirst("parameter ".count)) : key
            switch constraint {
            case .equals(let value):
                if key.hasPrefix("condition ") { return "\(key) \(value)" }
                var text = "\(name) = \(Self.quoted(value))"
                if let parameter = parameters[name] {
                    if parameter.defaultValue == value {
                        text += " (its Default)"
                    } else if parameter.allowedValues.contains(value) {
                        text += " (an AllowedValue)"
                    }
                }
                return text
            case .notIn(let values):
                let named = values.sorted().map(Self.quoted)
                return named.count == 1 ? "\(name) != \(named[0])" : "\(name) is none of \(named.joined(separator: ", "))"
            }
        }.joined(separator: ", ")
    }

    private static func quoted(_ value: String) -> String { value.isEmpty ? "''" : value }

    /// A name for a value known only after deployment, e.g. `SharedServicesSg`, `ALB.SourceSecurityGroup.GroupId`
    /// or `import:Shared-SG`: what a group or prefix list reference is called when its id is not in the template.
    static func symbolicName(_ node: YAMLNode) -> String {
        guard let (name, argument) = intrinsic(node) else { return node.string ?? "value at \(node.location)" }
        switch name {
        case "Ref": return argument.string ?? "Ref at \(node.location)"
        case "Fn::GetAtt":
            if let text = argument.string { return text }
            return (argument.sequence ?? []).compactMap(\.string).joined(separator: ".")
        case "Fn::ImportValue":
            if let text = argument.string { return "import:\(text)" }
            if let inner = intrinsic(argument), inner.name == "Fn::Sub", let text = inner.argument.string ?? inner.argument.sequence?.first?.string {
                return "import:\(text)"
            }
            return "import at \(node.location)"
        default:
            return "\(name) at \(node.location)"
        }
    }
}
