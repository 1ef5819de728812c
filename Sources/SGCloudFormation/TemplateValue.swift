/// One value of a CloudFormation template: scalars, lists, ordered maps and the intrinsic
/// functions this tool emits. Maps keep their key order, because the rendered template must be
/// byte-identical across runs and read in the order a person expects (Type before Properties).
///
/// Only the rare cases are boxed (`indirect`): `importValue`, `getAtt` and `join`. Lists and maps
/// already live in array storage, and boxing every string and number would cost a heap
/// allocation per leaf of every template. Boxing the two-payload cases keeps the largest inline payload at one
/// `String`, so a value takes 17 bytes instead of 33 and a map entry 40 bytes instead of 56.
public enum TemplateValue: Hashable, Sendable {
    /// A string; the renderers quote it whenever YAML could read it as something else.
    case string(String)
    /// An integer (ports, ICMP types).
    case int(Int)
    /// A boolean.
    case bool(Bool)
    /// A list.
    case list([TemplateValue])
    /// A map whose keys keep the order given.
    case map([(String, TemplateValue)])
    /// `!Ref name`.
    case ref(String)
    /// `!GetAtt resource.attribute`.
    indirect case getAtt(String, String)
    /// `!ImportValue name`: the value another stack exported.
    indirect case importValue(TemplateValue)
    /// `!Sub "text"`.
    case sub(String)
    /// `!Join [separator, [values]]`.
    indirect case join(String, [TemplateValue])

    /// The value for a key of a map (first match), or nil for anything else.
    public subscript(key: String) -> TemplateValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    /// The text of a `.string`, or nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number of an `.int`, or nil.
    public var intValue: Int? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// The items of a `.list`, or nil.
    public var listValue: [TemplateValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The entries of a `.map`, or nil.
    public var mapEntries: [(String, TemplateValue)]? {
        if case .map(let entries) = self { return entries }
        return nil
    }

    /// The keys of a `.map` in order (empty for anything else).
    public var keys: [String] { mapEntries?.map(\.0) ?? [] }

    // Tuples are not Hashable, so `.map` needs hand-written conformances; everything else
    // compares structurally, and map order matters (two orders render different bytes).
    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.ref(a), .ref(b)): return a == b
        case let (.getAtt(a1, a2), .getAtt(b1, b2)): return a1 == b1 && a2 == b2
        case let (.importValue(a), .importValue(b)): return a == b
        case let (.sub(a), .sub(b)): return a == b
        case let (.join(a1, a2), .join(b1, b2)): return a1 == b1 && a2 == b2
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let text): hasher.combine(0); hasher.combine(text)
        case .int(let number): hasher.combine(1); hasher.combine(number)
        case .bool(let flag): hasher.combine(2); hasher.combine(flag)
        case .list(let items): hasher.combine(3); hasher.combine(items)
        case .map(let entries):
            hasher.combine(4)
            hasher.combine(entries.count)
            for (key, value) in entries {
                hasher.combine(key)
                hasher.combine(value)
            }
        case .ref(let name): hasher.combine(5); hasher.combine(name)
        case .getAtt(let resource, let attribute): hasher.combine(6); hasher.combine(resource); hasher.combine(attribute)
        case .importValue(let name): hasher.combine(7); hasher.combine(name)
        case .sub(let text): hasher.combine(8); hasher.combine(text)
        case .join(let separator, let items): hasher.combine(9); hasher.combine(separator); hasher.combine(items)
        }
    }
}
