import SGAWSServices
import SGCloudFormation
import SGDeploy
import SGModel

/// What exists of a deployment's StackSet: the StackSet itself, its instances, and the parameter
/// overrides of every instance the config still lists.
public struct StackSetState: Sendable {
    /// The StackSet, nil when there is none.
    public var stackSet: StackSetDescription?
    /// Every instance, in ListStackInstances order.
    public var instances: [StackInstanceSummary]
    /// The overrides of each instance the config lists, by `account/region`.
    public var overrides: [String: [StackParameter]]

    /// Creates a state.
    public init(stackSet: StackSetDescription?, instances: [StackInstanceSummary] = [], overrides: [String: [StackParameter]] = [:]) {
        self.stackSet = stackSet
        self.instances = instances
        self.overrides = overrides
    }

    /// Reads the state: DescribeStackSet, ListStackInstances, then DescribeStackInstance for each
    /// instance a target of the config has (a few calls per target, all reads).
    public static func read(name: String, targets: [DeploymentTarget], cloudFormation: CloudFormationClient) async throws -> StackSetState {
        guard let stackSet = try await cloudFormation.describeStackSet(name) else { return StackSetState(stackSet: nil) }
        let instances = try await cloudFormation.listStackInstances(stackSetName: name)
        let wanted = Set(targets.map(\.label))
        var overrides: [String: [StackParameter]] = [:]
        for instance in instances where wanted.contains(instance.label) {
            overrides[instance.label] = try await cloudFormation.describeStackInstanceOverrides(
                stackSetName: name, account: instance.account, region: instance.region)
        }
        return StackSetState(stackSet: stackSet, instances: instances, overrides: overrides)
    }
}

/// What deploying the compiled StackSet template to the config's targets would do, worked out
/// without AWS's help: StackSets have no change sets, so the template comparison (rule by rule,
/// replacements named statically) and the instance comparison are the whole plan.
public struct StackSetPlan: Sendable {
    /// How one target changes.
    public enum InstanceChange: String, Sendable {
        /// No instance yet: CreateStackInstances with the target's overrides.
        case create
        /// The instance's overrides differ from the target's VPC: UpdateStackInstances.
        case updateOverrides = "update-overrides"
        /// The instance is not current (an earlier operation failed or stopped there): brought up to
        /// the template with its overrides by UpdateStackInstances.
        case bringCurrent = "bring-current"
        /// Nothing to do for this target (beyond a template update, which reaches every instance).
        case none
    }

    /// One target with its change and why.
    public struct Instance: Sendable {
        /// The target.
        public var target: DeploymentTarget
        /// What happens.
        public var change: InstanceChange
        /// For people: `VpcId vpc-a -> vpc-b (REPLACES every group)`, `OUTDATED: reason`.
        public var detail: String?
    }

    /// The StackSet name.
    public var name: String
    /// True when there is no StackSet yet.
    public var createsStackSet: Bool
    /// True when the deployed template differs from the compiled one.
    public var templateChanged: Bool
    /// Rule-level and replacement comparison of the two templates (empty when new).
    public var templateChanges: ChangePlan
    /// Every target of the config, in config order.
    public var instances: [Instance]
    /// Instances of the StackSet no target of the config names: left in place, reported.
    public var obsolete: [StackInstanceSummary]

    /// True when deploying would change anything.
    public var hasChanges: Bool {
        createsStackSet || templateChanged || instances.contains { $0.change != .none }
    }

    /// Targets whose instance operation changes something (create, overrides, bring current).
    public var instanceWork: [Instance] { instances.filter { $0.change != .none } }

    /// The overrides a target's instance carries: its VPC and the VPC's block.
    public static func overrides(for target: DeploymentTarget) -> [StackParameter] {
        [
            StackParameter(key: StackSetForm.vpcIDParameter, value: target.vpcID),
            StackParameter(key: StackSetForm.vpcCIDRParameter, value: target.vpcCIDR.description),
        ]
    }

    /// StackSet-level values: none meaningful (every instance overrides both), empty so that an
    /// instance created without its overrides fails CloudFormation's VPC check instead of landing
    /// in some other VPC.
    public static let stackSetParameters: [StackParameter] = [
        StackParameter(key: StackSetForm.vpcIDParameter, value: ""),
        StackParameter(key: StackSetForm.vpcCIDRParameter, value: ""),
    ]

    /// Compares the state with the compiled StackSet template and the targets.
    public static func make(state: StackSetState, compiled: StackTemplate, targets: [DeploymentTarget]) -> StackSetPlan {
        let body = compiled.template.renderYAML()
        var templateChanges = ChangePlan()
        var templateChanged = false
        if let stackSet = state.stackSet {
            templateChanged = stackSet.templateBody != body
            if templateChanged {
                let desired = TemplateRuleReader.read([(compiled.stackName, compiled.template)])
                do {
                    let deployed = TemplateRuleReader.read([(compiled.stackName, try TemplateRuleReader.parse(text: stackSet.templateBody, path: "StackSet \(compiled.stackName)"))])
                    templateChanges = ChangePlan.compare(deployed: deployed, desired: desired)
                } catch {
                    templateChanges.problems.append("StackSet \(compiled.stackName): deployed template cannot be read: \(error.diagnostics.map(\.message).joined(separator: "; "))")
                }
            }
        } else {
            templateChanges.newStacks = [compiled.stackName]
        }
        let existing = Dictionary(state.instances.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        var instances: [Instance] = []
        for target in targets {
            guard let instance = existing[target.label] else {
                instances.append(Instance(target: target, change: .create, detail: "new instance in \(target.vpcID)"))
                continue
            }
            let wanted = overrides(for: target)
            let have = Dictionary((state.overrides[target.label] ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            var differences: [String] = []
            for parameter in wanted where have[parameter.key] != parameter.value {
                let replaces = parameter.key == StackSetForm.vpcIDParameter ? " (REPLACES every group of the instance)" : ""
                differences.append("\(parameter.key) \(have[parameter.key] ?? "(none)") -> \(parameter.value)\(replaces)")
            }
            if !differences.isEmpty {
                instances.append(Instance(target: target, change: .updateOverrides, detail: differences.joined(separator: ", ")))
            } else if instance.status != "CURRENT" {
                instances.append(Instance(
                    target: target, change: .bringCurrent,
                    detail: "\(instance.status)" + (instance.statusReason.map { ": \($0)" } ?? "")))
            } else {
                instances.append(Instance(target: target, change: .none, detail: nil))
            }
        }
        let wanted = Set(targets.map(\.label))
        let obsolete = state.instances.filter { !wanted.contains($0.label) }
        return StackSetPlan(
            name: compiled.stackName, createsStackSet: state.stackSet == nil, templateChanged: templateChanged,
            templateChanges: templateChanges, instances: instances, obsolete: obsolete)
    }

    /// Instance replacements (a new VPC id) as `ChangePlan.Replacement`s, for the banner.
    public var instanceReplacements: [ChangePlan.Replacement] {
        instances.compactMap { instance in
            guard instance.change == .updateOverrides, let detail = instance.detail, detail.contains(StackSetForm.vpcIDParameter + " ") else { return nil }
            return ChangePlan.Replacement(
                stackName: "\(name) instance \(instance.target.label)", logicalID: "every security group",
                resourceType: "AWS::EC2::SecurityGroup", replacement: "True", reason: detail, source: .template)
        }
    }

    /// Every replacement: of the template's groups (every instance's) and of instances given a new VPC.
    public var replacements: [ChangePlan.Replacement] { templateChanges.replacements + instanceReplacements }

    /// The loud banner for `replacements` (stderr), nil when nothing would be replaced.
    public var replacementBanner: String? {
        var changes = ChangePlan()
        changes.replacements = replacements
        return replacements.isEmpty ? nil : changes.replacementBanner()
    }

    /// The plan for people: the template's rule diff, then one line per target with a change and
    /// one per obsolete instance.
    public func renderText() -> String {
        var out = ""
        if createsStackSet { out += "+ StackSet \(name) (new)\n" }
        if templateChanged { out += "~ StackSet \(name): template changes reach every instance\n" }
        var template = templateChanges
        template.newStacks = []
        out += template.renderText()
        for instance in instances where instance.change != .none {
            let sign = instance.change == .create ? "+" : "~"
            out += "\(sign) instance \(instance.target.label) (\(instance.change.rawValue))" + (instance.detail.map { ": \($0)" } ?? "") + "\n"
        }
        for instance in obsolete {
            out += "! instance \(instance.label) is not a target of the config; it is left in place (delete-security-groups removes every instance)\n"
        }
        return out
    }
}
