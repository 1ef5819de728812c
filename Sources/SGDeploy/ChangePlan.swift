import SGCloudFormation
import SGModel
import SGReports

/// What deploying the compiled templates would change, rule by rule, compared with the deployed
/// templates; plus every resource CloudFormation would replace. Built from two `TemplateRules`
/// (both read by `TemplateRuleReader`, so both sides are understood the same way).
public struct ChangePlan: Equatable, Sendable {
    /// One rule-level change on one tier.
    public struct RuleChange: Equatable, Sendable {
        /// `+`, `-` or `~` (description only).
        public enum Kind: String, Sendable { case added = "+", removed = "-", description = "~" }
        /// Added, removed or description changed.
        public var kind: Kind
        /// The tier.
        public var tier: String
        /// The rule.
        public var key: RuleKey
        /// The description before (removed, changed).
        public var oldDescription: String?
        /// The description after (added, changed).
        public var newDescription: String?
    }

    /// A resource CloudFormation would delete and create again (a new group id: every ENI, every
    /// rule in other groups naming it, loses it).
    public struct Replacement: Equatable, Sendable {
        /// Where the replacement was found.
        public enum Source: String, Sendable { case template, changeSet = "change-set" }
        /// The stack holding the resource.
        public var stackName: String
        /// The resource's logical id.
        public var logicalID: String
        /// `AWS::EC2::SecurityGroup`, ...
        public var resourceType: String
        /// "True" or "Conditional" (from a change set); "True" for template comparison.
        public var replacement: String
        /// Why, e.g. `GroupDescription "a" -> "b"`.
        public var reason: String
        /// Template comparison or change set.
        public var source: Source
        /// The tier whose group it is (template comparison).
        public var tier: String? = nil
        /// The group properties whose change causes it (`GroupName`, `GroupDescription`, `VpcId`),
        /// with their values before and after; empty for other causes.
        public var changedProperties: [(name: String, before: String?, after: String?)] = []

        public static func == (lhs: Replacement, rhs: Replacement) -> Bool {
            lhs.stackName == rhs.stackName && lhs.logicalID == rhs.logicalID && lhs.resourceType == rhs.resourceType
                && lhs.replacement == rhs.replacement && lhs.reason == rhs.reason && lhs.source == rhs.source && lhs.tier == rhs.tier
                && lhs.changedProperties.map(\.name) == rhs.changedProperties.map(\.name)
                && lhs.changedProperties.map(\.before) == rhs.changedProperties.map(\.before)
                && lhs.changedProperties.map(\.after) == rhs.changedProperties.map(\.after)
        }
    }

    /// Tiers whose group would be created.
    public var addedTiers: [String] = []
    /// Adopted tiers no stack holds yet, by name: `sg-... (GroupName)`, the existing group that
    /// deploying would take into the stack (compared rule by rule with its live rules).
    public var adoptedTiers: [String: String] = [:]
    /// Tiers whose group would be deleted.
    public var removedTiers: [String] = []
    /// Rule changes, grouped by tier in name order, then by key order.
    public var ruleChanges: [RuleChange] = []
    /// Replacements found statically and in change sets.
    public var replacements: [Replacement] = []
    /// Other resource changes a change set reported (tags, parameters): `Modify X (type)`.
    public var otherChanges: [String] = []
    /// Stacks that would be created.
    public var newStacks: [String] = []
    /// Things the template reader did not understand, on either side.
    public var problems: [String] = []
    /// What `create-security-groups --adopt` would do with the adopted tiers no stack holds
    /// (planned when the deployment has adopted groups).
    public var adoption: AdoptionPlan?

    /// True when deploying would change anything.
    public var hasChanges: Bool {
        !addedTiers.isEmpty || !adoptedTiers.isEmpty || !removedTiers.isEmpty || !ruleChanges.isEmpty || !replacements.isEmpty
            || !otherChanges.isEmpty || !newStacks.isEmpty
    }

    /// Compares deployed and desired rules. Group properties whose change replaces the group
    /// (GroupName, GroupDescription, VpcId: CloudFormation's "Replacement: Yes" properties of
    /// AWS::EC2::SecurityGroup) are reported as replacements of the deployed group.
    public static func compare(deployed: TemplateRules, desired: TemplateRules) -> ChangePlan {
        var plan = ChangePlan()
        plan.problems = deployed.problems.map { "deployed: \($0)" } + desired.problems.map { "compiled: \($0)" }
        let names = Set(deployed.tiers.keys).union(desired.tiers.keys).sorted()
        for name in names {
            let old = deployed.tiers[name], new = desired.tiers[name]
            if old == nil { plan.addedTiers.append(name) }
            if new == nil { plan.removedTiers.append(name) }
            let oldRules = Dictionary((old?.rules ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            let newRules = Dictionary((new?.rules ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            for key in Set(oldRules.keys).union(newRules.keys).sorted() {
                switch (oldRules[key], newRules[key]) {
                case (nil, let added?):
                    plan.ruleChanges.append(RuleChange(kind: .added, tier: name, key: key, newDescription: added.description))
                case (let removed?, nil):
                    plan.ruleChanges.append(RuleChange(kind: .removed, tier: name, key: key, oldDescription: removed.description))
                case (let before?, let after?) where before.description != after.description:
                    plan.ruleChanges.append(RuleChange(
                        kind: .description, tier: name, key: key, oldDescription: before.description, newDescription: after.description))
                default: break
                }
            }
            if let old, let new {
                if old.groupLogicalID != new.groupLogicalID {
                    plan.replacements.append(Replacement(
                        stackName: old.stackName ?? "", logicalID: old.groupLogicalID, resourceType: "AWS::EC2::SecurityGroup",
                        replacement: "True", reason: "the group's logical id changes to \(new.groupLogicalID)", source: .template))
                } else if old.stackName != new.stackName, old.stackName != nil, new.stackName != nil {
                    plan.replacements.append(Replacement(
                        stackName: old.stackName ?? "", logicalID: old.groupLogicalID, resourceType: "AWS::EC2::SecurityGroup",
                        replacement: "True", reason: "the group moves to stack \(new.stackName ?? "")", source: .template))
                } else {
                    var reasons: [String] = []
                    var changed: [(name: String, before: String?, after: String?)] = []
                    for (property, before, after) in [
                        ("GroupName", old.groupName, new.groupName),
                        ("GroupDescription", old.groupDescription, new.groupDescription),
                        ("VpcId", old.vpcID, new.vpcID),
                    ] where before != after {
                        reasons.append("\(property) \(quoted(before)) -> \(quoted(after))")
                        changed.append((property, before, after))
                    }
                    if !reasons.isEmpty {
                        plan.replacements.append(Replacement(
                            stackName: old.stackName ?? "", logicalID: old.groupLogicalID, resourceType: "AWS::EC2::SecurityGroup",
                            replacement: "True", reason: reasons.joined(separator: ", "), source: .template, tier: name,
                            changedProperties: changed))
                    }
                }
            }
        }
        return plan
    }

    /// Adds what a change set reported: replacements (True or Conditional) not already found
    /// statically, and other changes.
    public mutating func add(changeSet changes: [(action: String, logicalID: String, resourceType: String, replacement: String?)], stackName: String) {
        for change in changes {
            if change.action == "Modify", let replacement = change.replacement, replacement == "True" || replacement == "Conditional" {
                if let index = replacements.firstIndex(where: { $0.stackName == stackName && $0.logicalID == change.logicalID }) {
                    if replacements[index].source == .template { replacements[index].reason += " (confirmed by the change set)" }
                    continue
                }
                replacements.append(Replacement(
                    stackName: stackName, logicalID: change.logicalID, resourceType: change.resourceType,
                    replacement: replacement, reason: "reported by the change set", source: .changeSet))
            } else if !Self.isRuleResource(change.resourceType) {
                otherChanges.append("\(stackName): \(change.action) \(change.logicalID) (\(change.resourceType))")
            }
        }
    }

    /// Rule resources are already described rule by rule; groups too (through their rules and
    /// the replacement check), so a change set's Modify of them adds nothing new.
    private static func isRuleResource(_ type: String) -> Bool {
        ["AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroup"].contains(type)
    }

    private static func quoted(_ text: String?) -> String {
        text.map { "\"\($0)\"" } ?? "(none)"
    }

    // MARK: Rendering

    /// The diff for people: tiers in name order, one line per change.
    public func renderText() -> String {
        var out = ""
        for stack in newStacks { out += "+ stack \(stack) (new)\n" }
        let tiers = Set(ruleChanges.map(\.tier)).union(addedTiers).union(removedTiers).union(adoptedTiers.keys).sorted()
        for tier in tiers {
            if let group = adoptedTiers[tier] {
                out += "~ tier \(tier) (adopts existing group \(group): taken into the stack, not created)\n"
            } else if addedTiers.contains(tier) {
                out += "+ tier \(tier) (new security group)\n"
            } else if removedTiers.contains(tier) {
                out += "- tier \(tier) (security group deleted)\n"
            } else {
                out += "tier \(tier):\n"
            }
            for change in ruleChanges where change.tier == tier {
                out += "  " + Self.line(change) + "\n"
            }
        }
        for change in otherChanges { out += "* \(change)\n" }
        for problem in problems { out += "? \(problem)\n" }
        if let adoption { out += adoption.renderText() }
        return out
    }

    /// `+ ingress tcp/5432 from tier app (PostgreSQL)`, `~ egress ...: description "a" -> "b"`.
    public static func line(_ change: RuleChange) -> String {
        switch change.kind {
        case .added: return "+ \(change.key)" + (change.newDescription.map { " (\($0))" } ?? "")
        case .removed: return "- \(change.key)" + (change.oldDescription.map { " (\($0))" } ?? "")
        case .description: return "~ \(change.key): description \(quoted(change.oldDescription)) -> \(quoted(change.newDescription))"
        }
    }

    /// The loud banner for replacements (stderr).
    public func replacementBanner() -> String {
        guard !replacements.isEmpty else { return "" }
        let rule = String(repeating: "!", count: 78)
        var out = "\(rule)\n!! REPLACEMENT: CloudFormation would DELETE and RECREATE \(replacements.count) resource(s).\n"
        out += "!! A replaced security group gets a new id: it is detached from every network interface\n"
        out += "!! that uses it, and rules in other groups that name it stop matching.\n"
        for replacement in replacements {
            out += "!!   \(replacement.stackName) \(replacement.logicalID) (\(replacement.resourceType)), replacement=\(replacement.replacement): \(replacement.reason) [\(replacement.source.rawValue)]\n"
        }
        return out + "\(rule)\n"
    }

    /// The plan as JSON (sorted keys, via JSONValue).
    public func json() -> JSONValue {
        .object([
            "has_changes": .bool(hasChanges),
            "new_stacks": .array(newStacks.map(JSONValue.string)),
            "added_tiers": .array(addedTiers.map(JSONValue.string)),
            "adopted_tiers": .object(adoptedTiers.mapValues(JSONValue.string)),
            "removed_tiers": .array(removedTiers.map(JSONValue.string)),
            "rule_changes": .array(ruleChanges.map { change in
                .object([
                    "change": .string(change.kind.rawValue),
                    "tier": .string(change.tier),
                    "rule": .string(change.key.description),
                    "old_description": .optional(change.oldDescription),
                    "new_description": .optional(change.newDescription),
                ])
            }),
            "replacements": .array(replacements.map { replacement in
                .object([
                    "stack": .string(replacement.stackName),
                    "logical_id": .string(replacement.logicalID),
                    "resource_type": .string(replacement.resourceType),
                    "replacement": .string(replacement.replacement),
                    "reason": .string(replacement.reason),
                    "source": .string(replacement.source.rawValue),
                ])
            }),
            "other_changes": .array(otherChanges.map(JSONValue.string)),
            "problems": .array(problems.map(JSONValue.string)),
            "adoption": adoption?.json() ?? .null,
        ])
    }
}
