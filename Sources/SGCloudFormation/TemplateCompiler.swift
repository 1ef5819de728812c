import SGConcurrency
import SGDiagnostics
import SGModel

/// Compiles a `Deployment` into deployable CloudFormation stacks.
///
/// Pure: no clock, no randomness, no file system. The same deployment and tool version give
/// byte-identical templates.
public struct TemplateCompiler: Sendable {
    /// The tool version written into each template's Metadata.
    public let toolVersion: String
    /// The quotas stacks are packed against.
    public let limits: StackLimits

    /// A compiler for templates passed inline to CloudFormation (the 51,200-byte body limit).
    public init(toolVersion: String) {
        self.init(toolVersion: toolVersion, limits: .inlineTemplateBody)
    }

    /// A compiler with explicit limits (e.g. `.templateURL` when templates are uploaded to S3).
    public init(toolVersion: String, limits: StackLimits) {
        self.toolVersion = toolVersion
        self.limits = limits
    }

    /// The description of the rule that keeps a declared-but-empty egress list closed.
    public static let egressPlaceholderDescription = "no egress: placeholder that matches no traffic"
    /// Compiles the deployment. Never traps: what cannot be emitted is an E4xx diagnostic, and
    /// the stacks then hold everything else.
    public func compile(_ deployment: Deployment) -> CompilationResult {
        var diagnostics = Diagnostics()
        let accepted = InputChecks.run(deployment, limits: limits, diagnostics: &diagnostics)
        let emitter = ResourceEmitter(deployment: deployment, tags: accepted.tags)
        let plans = planTiers(deployment, accepted: accepted)
        let packer = StackPacker(compiler: self, deployment: deployment, emitter: emitter)
        let packed = packer.stacks(for: plans, diagnostics: &diagnostics)
        if deployment.isFleet { refuseSplitStackSet(packed.stacks, deployment: deployment, diagnostics: &diagnostics) }
        var result = CompilationResult(stacks: packed.stacks, diagnostics: diagnostics)
        result.measuredSizes = packed.measuredSizes
        return result
    }

    /// Allocates logical ids in a fixed order (all groups first, then parameters and outputs,
    /// then rules) so that a tier's ids do not depend on which rules other tiers have. The rules'
    /// candidate ids are built on every thread there is; making them unique stays in order.
    private func planTiers(_ deployment: Deployment, accepted: InputChecks.Accepted) -> [TierPlan] {
        var taken = Set<String>()
        taken.reserveCapacity(3 * accepted.tiers.count + accepted.ruleCount)
        if deployment.isFleet { taken.formUnion(StackSetForm.reservedLogicalIDs) }
        let groupIDs = accepted.tiers.map { LogicalID.forTier($0.name, taken: &taken) }
        var plans: [TierPlan] = []
        let adopted = Dictionary(
            deployment.config.adoptedGroups.map { ($0.tier, $0) }, uniquingKeysWith: { first, _ in first })
        for (tier, groupID) in zip(accepted.tiers, groupIDs) {
            let parameterID = LogicalID.unique(
                LogicalID.camelCase(tier.name) + "GroupIdParameter", taken: &taken, disambiguator: "parameter " + tier.name)
            let outputID = LogicalID.unique(groupID + "Id", taken: &taken, disambiguator: "output " + tier.name)
            let rules = accepted.rules[tier.name] ?? ([], [])
            plans.append(TierPlan(
                tier: tier, groupID: groupID, parameterID: parameterID, outputID: outputID,
                exportName: "\(deployment.identity.qualifiedName)-\(tier.name)-sg-id",
                ingress: rules.ingress, egress: rules.egress,
                egressDeclared: InputChecks.egressIsDeclared(tier), adopted: adopted[tier.name]))
        }
        let candidates = Parallel.map(plans, minimumSlice: StackPacker.tiersPerBatch) { plan in
            let tierPart = LogicalID.camelCase(plan.tier.name)
            return (ingress: plan.ingress.map { LogicalID.ruleCandidate($0, tierPart: tierPart) },
                    egress: plan.egress.map { LogicalID.ruleCandidate($0, tierPart: tierPart) })
        }
        for index in plans.indices {
            let tier = plans[index].tier.name
            plans[index].ingressIDs = zip(plans[index].ingress, candidates[index].ingress).map { rule, candidate in
                LogicalID.unique(candidate, taken: &taken, disambiguator: "\(tier) \(rule.key)")
            }
            plans[index].egressIDs = zip(plans[index].egress, candidates[index].egress).map { rule, candidate in
                LogicalID.unique(candidate, taken: &taken, disambiguator: "\(tier) \(rule.key)")
            }
        }
        return plans
    }

    /// The Description of a stack: `sg-provisioner {qualifiedName} ({scenario})`, plus the part
    /// for split stacks, cut to CloudFormation's 1024 bytes.
    func stackDescription(_ deployment: Deployment, role: StackRole) -> String {
        // A StackSet's template is the same in every region: its description names none.
        var text = deployment.isFleet
            ? "sg-provisioner \(deployment.identity.fleetName) (\(deployment.scenario.name)), one StackSet instance per target"
            : "sg-provisioner \(deployment.identity.qualifiedName) (\(deployment.scenario.name))"
        switch role {
        case .main: break
        case .groups(let part): text += " security groups part \(part)"
        case .rules(let part): text += " tier rules part \(part)"
        }
        while text.utf8.count > StackLimits.maxDescriptionBytes { text.removeLast() }
        return text
    }

    /// The stack name of a role.
    func stackName(_ deployment: Deployment, role: StackRole) -> String {
        switch role {
        case .main: return deployment.isFleet ? deployment.identity.stackSetName : deployment.identity.stackName
        case .groups(let part): return "\(deployment.identity.stackName)-groups-\(part)"
        case .rules(let part): return "\(deployment.identity.stackName)-rules-\(part)"
        }
    }

    /// A template with the common header: description and Metadata naming the tool version,
    /// deployment, scenario and the stack's role. No timestamps, so output is reproducible.
    func makeTemplate(
        _ deployment: Deployment, role: StackRole, resources: [TemplateResource], outputs: [TemplateOutput]
    ) -> Template {
        let roleName: String
        switch role {
        case .main: roleName = "main"
        case .groups(let part): roleName = "groups-\(part)"
        case .rules(let part): roleName = "rules-\(part)"
        }
        let fields: [(String, TemplateValue)] = [
            ("ToolVersion", .string(toolVersion)),
            ("Deployment", .string(deployment.isFleet ? deployment.identity.fleetName : deployment.identity.qualifiedName)),
            ("Scenario", .string(deployment.scenario.name)),
            ("StackRole", .string(roleName)),
        ]
        var template = Template(
            description: stackDescription(deployment, role: role),
            metadata: .map([("sg-provisioner", .map(fields))]),
            resources: resources, outputs: outputs)
        if deployment.isFleet, role == .main {
            template.parameters = StackSetForm.parameters
            template.outputs += StackSetForm.outputs
        }
        return template
    }

    /// A StackSet has one template per instance: a deployment that needed several stacks is an
    /// error at the scenario's tiers (`StackSetForm` says why split StackSets are not made).
    private func refuseSplitStackSet(_ stacks: [StackTemplate], deployment: Deployment, diagnostics: inout Diagnostics) {
        let outputs = stacks.first?.template.outputs.count ?? 0
        guard stacks.count > 1 || outputs > limits.maxOutputs else { return }
        diagnostics.error(
            .cfnStackSetTooLarge,
            "a deployment with targets is one StackSet template, and this one needs \(stacks.count) stacks (\(outputs) outputs, at most \(limits.maxOutputs)); split StackSets are not deployed",
            at: deployment.config.scenarioLocation,
            notes: [.init("split the scenario into several deployments (configs), each its own StackSet, or deploy it per account without targets")])
    }
}
