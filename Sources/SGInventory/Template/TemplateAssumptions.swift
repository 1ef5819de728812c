/// The choices one deployment of a template makes that a value depends on: a parameter's value,
/// the region, a condition the tool cannot decide. Values resolved under different choices are
/// only combined when the choices agree, so a rule is never judged with ports from one deployment
/// and a CIDR from another.
struct Assumptions: Hashable, Sendable {
    /// What one choice is known to be.
    enum Constraint: Hashable, Sendable {
        /// Exactly this value (a Default, an AllowedValue, a Mappings key, a compared literal).
        case equals(String)
        /// None of these values: a parameter without AllowedValues on the side of a comparison
        /// that is false.
        case notIn(Set<String>)
    }

    /// Constraints by choice: `parameter NAME`, `AWS::Region`, `condition NAME`.
    private(set) var constraints: [String: Constraint] = [:]

    /// No choice made.
    static let none = Assumptions()

    /// One choice.
    init(_ key: String, _ constraint: Constraint) {
        constraints[key] = constraint
    }

    init() {}

    var isEmpty: Bool { constraints.isEmpty }

    /// Both sets of choices at once, or nil when they contradict each other.
    func merged(with other: Assumptions) -> Assumptions? {
        if other.constraints.isEmpty { return self }
        if constraints.isEmpty { return other }
        var result = self
        for (key, constraint) in other.constraints {
            guard let mine = result.constraints[key] else {
                result.constraints[key] = constraint
                continue
            }
            switch (mine, constraint) {
            case (.equals(let a), .equals(let b)):
                guard a == b else { return nil }
            case (.equals(let a), .notIn(let excluded)), (.notIn(let excluded), .equals(let a)):
                guard !excluded.contains(a) else { return nil }
                result.constraints[key] = .equals(a)
            case (.notIn(let a), .notIn(let b)):
                result.constraints[key] = .notIn(a.union(b))
            }
        }
        return result
    }

    /// The choices in key order, for explanations and stable output.
    var sorted: [(key: String, constraint: Constraint)] {
        constraints.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// A value with the choices it holds under.
struct Variant<Value> {
    var value: Value
    var assumptions: Assumptions

    init(_ value: Value, _ assumptions: Assumptions = .none) {
        self.value = value
        self.assumptions = assumptions
    }
}

/// Combinations of variants, keeping only those whose choices agree, and never more than `limit`
/// (the caller learns whether any were left out).
enum VariantProduct {
    static func combine<A, B, C>(
        _ left: [Variant<A>], _ right: [Variant<B>], limit: Int, truncated: inout Bool, _ join: (A, B) -> C
    ) -> [Variant<C>] {
        var out: [Variant<C>] = []
        for a in left {
            for b in right {
                guard let both = a.assumptions.merged(with: b.assumptions) else { continue }
                if out.count == limit {
                    truncated = true
                    return out
                }
                out.append(Variant(join(a.value, b.value), both))
            }
        }
        return out
    }

    /// Every agreeing combination of one variant per list, in order.
    static func all<A>(_ lists: [[Variant<A>]], limit: Int, truncated: inout Bool) -> [Variant<[A]>] {
        var result: [Variant<[A]>] = [Variant([])]
        for list in lists {
            result = combine(result, list, limit: limit, truncated: &truncated) { $0 + [$1] }
        }
        return result
    }
}
