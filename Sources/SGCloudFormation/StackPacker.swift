import SGDiagnostics
import SGModel

/// Puts the emitted resources into stacks that respect `StackLimits`.
///
/// One stack when everything fits. Otherwise, deterministically: the main stack and, when
/// needed, `-groups-N` stacks hold the security groups with their inline rules, SSM parameters
/// and exported ids; `-rules-N` stacks hold the standalone rules, naming groups through
/// `Fn::ImportValue`. Both kinds are packed first-fit in tier order, rules in file order.
struct StackPacker {
    let compiler: TemplateCompiler
    let deployment: Deployment
    let emitter: ResourceEmitter

    private var limits: StackLimits { compiler.limits }

    /// Room for what an entry-by-entry estimate leaves out (section headers that appear once
    /// non-empty, JSON brackets); the final check renders every stack anyway.
    static let skeletonMargin = 64

    /// What one packable unit costs in a stack.
    struct Cost {
        var bytes = 0
        var resources = 0
        var outputs = 0

        static func + (lhs: Cost, rhs: Cost) -> Cost {
            Cost(bytes: lhs.bytes + rhs.bytes, resources: lhs.resources + rhs.resources, outputs: lhs.outputs + rhs.outputs)
        }
    }

    /// A tier's group, parameter and output: they travel together, as the output and the
    /// parameter read the group with `!GetAtt`.
    struct GroupUnit {
        var plan: TierPlan
        var resources: [TemplateResource]
        var output: TemplateOutput
        var cost: Cost
    }

    func stacks(for plans: [TierPlan], diagnostics: inout Diagnostics) -> [StackTemplate] {
        let plansByTier = Dictionary(plans.map { ($0.tier.name, $0) }, uniquingKeysWith: { first, _ in first })
        // The one-stack candidate is measured resource by resource and only built when it fits:
        // for a big deployment, holding it beside the split stacks doubled the peak memory.
        let single = measureSingleStack(plans, plansByTier: plansByTier)
        if single.resources <= limits.maxResources, single.outputs <= limits.maxOutputs, single.bytes <= limits.maxTemplateBytes {
            let template = singleStack(plans, plansByTier: plansByTier)
            return [StackTemplate(stackName: compiler.stackName(deployment, role: .main), template: template, role: .main)]
        }
        let split = splitStacks(plans, plansByTier: plansByTier, diagnostics: &diagnostics)
        diagnostics.warning(
            .cfnSplitIntoStacks,
            "the deployment does not fit one CloudFormation stack (\(single.resources) resources, \(single.outputs) outputs, \(single.bytes) bytes; at most \(limits.maxResources), \(limits.maxOutputs) and \(limits.maxTemplateBytes)); compiled into \(split.count) stacks, to be deployed in order",
            at: deployment.config.scenarioLocation)
        verify(split, diagnostics: &diagnostics)
        return split
    }

    /// What `singleStack` would hold and its `renderedSize`, from one resource at a time.
    func measureSingleStack(_ plans: [TierPlan], plansByTier: [String: TierPlan]) -> (resources: Int, outputs: Int, bytes: Int) {
        let outputs = plans.map(emitter.output)
        var size = TemplateSizeAccumulator(skeleton: compiler.makeTemplate(deployment, role: .main, resources: [], outputs: outputs))
        for plan in plans {
            size.add(emitter.securityGroup(plan))
            size.add(emitter.parameter(plan))
        }
        for plan in plans {
            for resource in emitter.standaloneRules(plan, plans: plansByTier, reference: .sameStack) { size.add(resource) }
        }
        return (size.resourceCount, outputs.count, size.renderedSize)
    }

    private func singleStack(_ plans: [TierPlan], plansByTier: [String: TierPlan]) -> Template {
        var resources: [TemplateResource] = []
        for plan in plans { resources += [emitter.securityGroup(plan), emitter.parameter(plan)] }
        for plan in plans { resources += emitter.standaloneRules(plan, plans: plansByTier, reference: .sameStack) }
        return compiler.makeTemplate(deployment, role: .main, resources: resources, outputs: plans.map(emitter.output))
    }

    private func splitStacks(
        _ plans: [TierPlan], plansByTier: [String: TierPlan], diagnostics: inout Diagnostics
    ) -> [StackTemplate] {
        // Groups, moving the inline rules of any group too big for a stack of its own out.
        var units: [GroupUnit] = []
        var finalPlans: [String: TierPlan] = [:]
        let emptyGroupStack = skeletonBytes(role: .groups(part: 1_000_000))
        for var plan in plans {
            var unit = groupUnit(plan)
            if !fitsAlone(unit.cost, skeleton: emptyGroupStack) {
                plan.demoted = true
                unit = groupUnit(plan)
                if !fitsAlone(unit.cost, skeleton: emptyGroupStack) {
                    diagnostics.error(
                        .cfnGroupTooLarge,
                        "the security group of tier '\(plan.tier.name)' needs \(unit.cost.bytes) bytes even with its rules moved to other stacks; a stack holds at most \(limits.maxTemplateBytes)",
                        at: plan.tier.location)
                }
            }
            finalPlans[plan.tier.name] = plan
            units.append(unit)
        }
        let groupChunks = pack(units.map { ($0, $0.cost) }, skeleton: emptyGroupStack)

        // Standalone rules of every tier, in tier order, then file order, packed as they are
        // emitted: a list of every rule with its cost beside the chunks was 1.6 MB at 20,000 rules.
        var rulePacking = FirstFitPacking<TemplateResource>(limits: limits, skeleton: skeletonBytes(role: .rules(part: 1_000_000)))
        for plan in plans {
            guard let plan = finalPlans[plan.tier.name] else { continue }
            for resource in emitter.standaloneRules(plan, plans: finalPlans, reference: .imported) {
                rulePacking.add(resource, cost: Cost(bytes: entryBytes(resource.logicalID, resource.value), resources: 1))
            }
        }
        let ruleChunks = rulePacking.finish()

        var roles: [StackRole] = [.main]
        roles += (0..<max(0, groupChunks.count - 1)).map { .groups(part: $0 + 2) }
        roles += (0..<ruleChunks.count).map { .rules(part: $0 + 1) }

        var stacks: [StackTemplate] = []
        for (index, chunk) in groupChunks.enumerated() {
            let role = roles[index]
            let template = compiler.makeTemplate(
                deployment, role: role, resources: chunk.flatMap(\.resources), outputs: chunk.map(\.output))
            stacks.append(StackTemplate(stackName: compiler.stackName(deployment, role: role), template: template, role: role))
        }
        for (index, chunk) in ruleChunks.enumerated() {
            let role = StackRole.rules(part: index + 1)
            let template = compiler.makeTemplate(deployment, role: role, resources: chunk, outputs: [])
            stacks.append(StackTemplate(stackName: compiler.stackName(deployment, role: role), template: template, role: role))
        }
        return stacks
    }

    private func groupUnit(_ plan: TierPlan) -> GroupUnit {
        let resources = [emitter.securityGroup(plan), emitter.parameter(plan)]
        let output = emitter.output(plan)
        let bytes = resources.reduce(0) { $0 + entryBytes($1.logicalID, $1.value) }
            + entryBytes(output.logicalID, output.templateValue)
        return GroupUnit(plan: plan, resources: resources, output: output, cost: Cost(bytes: bytes, resources: 2, outputs: 1))
    }

    private func fitsAlone(_ cost: Cost, skeleton: Int) -> Bool {
        skeleton + cost.bytes <= limits.maxTemplateBytes && cost.resources <= limits.maxResources
            && cost.outputs <= limits.maxOutputs
    }

    /// First-fit in order: a stack is closed as soon as the next unit does not fit, so packing
    /// is stable (adding a rule at the end never moves earlier ones).
    private func pack<Unit>(_ units: [(Unit, Cost)], skeleton: Int) -> [[Unit]] {
        var packing = FirstFitPacking<Unit>(limits: limits, skeleton: skeleton)
        for (unit, cost) in units { packing.add(unit, cost: cost) }
        return packing.finish()
    }

    /// An upper bound of what one entry adds to either rendering: its YAML fragment, or its
    /// JSON fragment plus the separating ",\n".
    private func entryBytes(_ key: String, _ value: TemplateValue) -> Int {
        max(
            TemplateYAMLWriter.entrySize(key: key, value: value, indent: 2),
            TemplateJSONWriter.entrySize(key: key, value: value, depth: 2) + 2)
    }

    /// The size of an empty stack of a role, with a margin for section headers. The part number
    /// given should be the widest one possible, so the estimate is an upper bound.
    private func skeletonBytes(role: StackRole) -> Int {
        compiler.makeTemplate(deployment, role: role, resources: [], outputs: []).renderedSize + Self.skeletonMargin
    }

    /// Renders every stack once and reports any that still breaks a limit; the estimates are
    /// upper bounds, so this is a guard against a future change breaking them.
    private func verify(_ stacks: [StackTemplate], diagnostics: inout Diagnostics) {
        for stack in stacks {
            let size = stack.template.renderedSize
            if size > limits.maxTemplateBytes || stack.template.resources.count > limits.maxResources
                || stack.template.outputs.count > limits.maxOutputs {
                diagnostics.error(
                    .cfnGroupTooLarge,
                    "stack \(stack.stackName) needs \(size) bytes, \(stack.template.resources.count) resources and \(stack.template.outputs.count) outputs; at most \(limits.maxTemplateBytes), \(limits.maxResources) and \(limits.maxOutputs)",
                    at: deployment.config.scenarioLocation)
            }
        }
    }
}

/// `StackPacker.pack` one unit at a time, so units can be packed as they are made instead of
/// being listed first.
private struct FirstFitPacking<Unit> {
    let limits: StackLimits
    let skeleton: Int
    private var chunks: [[Unit]] = []
    private var current: [Unit] = []
    private var used: StackPacker.Cost

    init(limits: StackLimits, skeleton: Int) {
        self.limits = limits
        self.skeleton = skeleton
        used = StackPacker.Cost(bytes: skeleton)
    }

    /// Adds a unit to the open stack, or closes it and opens a new one when the unit does not fit.
    mutating func add(_ unit: Unit, cost: StackPacker.Cost) {
        let next = used + cost
        if !current.isEmpty, next.bytes > limits.maxTemplateBytes || next.resources > limits.maxResources
            || next.outputs > limits.maxOutputs {
            chunks.append(current)
            current = []
            used = StackPacker.Cost(bytes: skeleton)
        }
        current.append(unit)
        used = used + cost
    }

    /// The stacks' units, in order.
    mutating func finish() -> [[Unit]] {
        if !current.isEmpty { chunks.append(current) }
        current = []
        return chunks
    }
}
