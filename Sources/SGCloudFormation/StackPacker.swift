import SGConcurrency
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
        /// The upper bound packing compares with the limit: each entry's larger rendering.
        var bytes = 0
        var resources = 0
        var outputs = 0
        /// The exact bytes the unit's resources add under `Resources`, in YAML and in JSON
        /// (outputs excluded: they belong to the stack's skeleton), for the final size check.
        var resourceEntries = EntrySizes()

        static func + (lhs: Cost, rhs: Cost) -> Cost {
            Cost(
                bytes: lhs.bytes + rhs.bytes, resources: lhs.resources + rhs.resources, outputs: lhs.outputs + rhs.outputs,
                resourceEntries: lhs.resourceEntries + rhs.resourceEntries)
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

    /// Tiers whose resources one thread emits and sizes at a time: enough to pay for handing
    /// work to another thread, few enough that a batch's rules are a small part of the output.
    static let tiersPerBatch = 32

    /// The stacks in deployment order and, for split stacks, the exact rendered size each was
    /// checked against the limits with (by stack name; tests compare them with full renderings).
    func stacks(for plans: [TierPlan], diagnostics: inout Diagnostics) -> (stacks: [StackTemplate], measuredSizes: [String: Int]) {
        let plansByTier = Dictionary(plans.map { ($0.tier.name, $0) }, uniquingKeysWith: { first, _ in first })
        let resourceCount = plans.reduce(2 * plans.count) { $0 + $1.standaloneRuleCount }
        // Sizes decide only when the counts fit: with more resources or outputs than a stack
        // takes, measuring the one-stack candidate's bytes (a pass over the whole template) says
        // nothing the counts do not, and W401 states the counts.
        var overBy = "\(resourceCount) resources, \(plans.count) outputs; at most \(limits.maxResources) and \(limits.maxOutputs)"
        if resourceCount <= limits.maxResources, plans.count <= limits.maxOutputs {
            // The one-stack candidate is measured resource by resource and only built when it
            // fits, so a deployment that must be split never holds it beside its split stacks.
            let bytes = measureSingleStack(plans, plansByTier: plansByTier)
            if bytes <= limits.maxTemplateBytes {
                let template = singleStack(plans, plansByTier: plansByTier)
                return ([StackTemplate(stackName: compiler.stackName(deployment, role: .main), template: template, role: .main)], [:])
            }
            overBy = "\(resourceCount) resources, \(plans.count) outputs, \(bytes) bytes; at most \(limits.maxResources), \(limits.maxOutputs) and \(limits.maxTemplateBytes)"
        }
        let split = splitStacks(groupUnits(plans, diagnostics: &diagnostics), diagnostics: &diagnostics)
        diagnostics.warning(
            .cfnSplitIntoStacks,
            "the deployment does not fit one CloudFormation stack (\(overBy)); compiled into \(split.stacks.count) stacks, to be deployed in order",
            at: deployment.config.scenarioLocation)
        return split
    }

    /// The `renderedSize` of `singleStack`, from one resource at a time, tiers measured on every
    /// thread there is.
    func measureSingleStack(_ plans: [TierPlan], plansByTier: [String: TierPlan]) -> Int {
        let outputs = plans.map(emitter.output)
        var size = TemplateSizeAccumulator(skeleton: compiler.makeTemplate(deployment, role: .main, resources: [], outputs: outputs))
        let perTier = Parallel.map(plans, minimumSlice: Self.tiersPerBatch) { plan in
            let resources = [emitter.securityGroup(plan), emitter.parameter(plan)]
                + emitter.standaloneRules(plan, plans: plansByTier, reference: .sameStack)
            return (entries: resources.reduce(EntrySizes()) { $0 + entrySizes($1.logicalID, $1.value) }, resources: resources.count)
        }
        for tier in perTier { size.add(entries: tier.entries, resources: tier.resources) }
        return size.renderedSize
    }

    private func singleStack(_ plans: [TierPlan], plansByTier: [String: TierPlan]) -> Template {
        var resources: [TemplateResource] = []
        for plan in plans { resources += [emitter.securityGroup(plan), emitter.parameter(plan)] }
        for plan in plans { resources += emitter.standaloneRules(plan, plans: plansByTier, reference: .sameStack) }
        return compiler.makeTemplate(deployment, role: .main, resources: resources, outputs: plans.map(emitter.output))
    }

    /// Every tier's group unit for the split stacks, in tier order, measured on every thread
    /// there is. A group too big for a stack of its own has its inline rules moved out (demoted);
    /// one still too big then is an E4xx error.
    private func groupUnits(_ plans: [TierPlan], diagnostics: inout Diagnostics) -> [GroupUnit] {
        let emptyGroupStack = skeletonBytes(role: .groups(part: 1_000_000))
        let units = Parallel.map(plans, minimumSlice: Self.tiersPerBatch) { plan in
            let unit = groupUnit(plan)
            if fitsAlone(unit.cost, skeleton: emptyGroupStack) { return unit }
            var demoted = plan
            demoted.demoted = true
            return groupUnit(demoted)
        }
        for unit in units where unit.plan.demoted && !fitsAlone(unit.cost, skeleton: emptyGroupStack) {
            diagnostics.error(
                .cfnGroupTooLarge,
                "the security group of tier '\(unit.plan.tier.name)' needs \(unit.cost.bytes) bytes even with its rules moved to other stacks; a stack holds at most \(limits.maxTemplateBytes)",
                at: unit.plan.tier.location)
        }
        return units
    }

    /// The split stacks, each checked against the limits with its exact rendered size (worked
    /// out from the sizes packing measured).
    private func splitStacks(_ units: [GroupUnit], diagnostics: inout Diagnostics) -> (stacks: [StackTemplate], measuredSizes: [String: Int]) {
        let emptyGroupStack = skeletonBytes(role: .groups(part: 1_000_000))
        let groupChunks = pack(units.map { ($0, $0.cost) }, skeleton: emptyGroupStack)
        let finalPlans = Dictionary(units.map { ($0.plan.tier.name, $0.plan) }, uniquingKeysWith: { first, _ in first })

        // Standalone rules of every tier, in tier order, then file order, emitted and measured a
        // batch of tiers at a time on every thread there is and packed batch by batch, so the
        // rules of the whole deployment are never held at once beside the chunks.
        var rulePacking = FirstFitPacking<TemplateResource>(limits: limits, skeleton: skeletonBytes(role: .rules(part: 1_000_000)))
        let batchSize = Self.tiersPerBatch * Parallel.workers
        for batchStart in stride(from: 0, to: units.count, by: batchSize) {
            let batch = Array(units[batchStart..<min(units.count, batchStart + batchSize)])
            let emitted = Parallel.map(batch, minimumSlice: Self.tiersPerBatch) { unit in
                emitter.standaloneRules(unit.plan, plans: finalPlans, reference: .imported).map { resource in
                    let entries = entrySizes(resource.logicalID, resource.value)
                    return (resource: resource, cost: Cost(bytes: entries.packingBound, resources: 1, resourceEntries: entries))
                }
            }
            for tier in emitted {
                for rule in tier { rulePacking.add(rule.resource, cost: rule.cost) }
            }
        }
        let ruleChunks = rulePacking.finish()

        var roles: [StackRole] = [.main]
        roles += (0..<max(0, groupChunks.count - 1)).map { .groups(part: $0 + 2) }
        roles += (0..<ruleChunks.count).map { .rules(part: $0 + 1) }

        var stacks: [StackTemplate] = []
        var sizes: [String: Int] = [:]
        func add(_ measured: (stack: StackTemplate, size: Int)) {
            stacks.append(measured.stack)
            sizes[measured.stack.stackName] = measured.size
        }
        for (index, chunk) in groupChunks.enumerated() {
            let role = roles[index]
            let skeleton = compiler.makeTemplate(deployment, role: role, resources: [], outputs: chunk.units.map(\.output))
            add(stack(role: role, skeleton: skeleton, resources: chunk.units.flatMap(\.resources), used: chunk.used, diagnostics: &diagnostics))
        }
        for (index, chunk) in ruleChunks.enumerated() {
            let role = StackRole.rules(part: index + 1)
            let skeleton = compiler.makeTemplate(deployment, role: role, resources: [], outputs: [])
            add(stack(role: role, skeleton: skeleton, resources: chunk.units, used: chunk.used, diagnostics: &diagnostics))
        }
        return (stacks, sizes)
    }

    /// A split stack from its skeleton and resources, checked against the limits with its exact
    /// rendered size: the skeleton's renderings plus the entry sizes packing measured (the
    /// estimates packing compares are upper bounds, so this is a guard against a future change
    /// breaking them; `RenderingEquivalenceTests` checks the sum against full renderings).
    private func stack(
        role: StackRole, skeleton: Template, resources: [TemplateResource], used: Cost, diagnostics: inout Diagnostics
    ) -> (stack: StackTemplate, size: Int) {
        var size = TemplateSizeAccumulator(skeleton: skeleton)
        size.add(entries: used.resourceEntries, resources: used.resources)
        var template = skeleton
        template.resources = resources
        let name = compiler.stackName(deployment, role: role)
        if size.renderedSize > limits.maxTemplateBytes || resources.count > limits.maxResources
            || template.outputs.count > limits.maxOutputs {
            diagnostics.error(
                .cfnGroupTooLarge,
                "stack \(name) needs \(size.renderedSize) bytes, \(resources.count) resources and \(template.outputs.count) outputs; at most \(limits.maxTemplateBytes), \(limits.maxResources) and \(limits.maxOutputs)",
                at: deployment.config.scenarioLocation)
        }
        return (StackTemplate(stackName: name, template: template, role: role), size.renderedSize)
    }

    private func groupUnit(_ plan: TierPlan) -> GroupUnit {
        let resources = [emitter.securityGroup(plan), emitter.parameter(plan)]
        let output = emitter.output(plan)
        let measured = resources.map { entrySizes($0.logicalID, $0.value) }
        // Each entry's own bound: a sum's `packingBound` would count one separator for several.
        let bytes = measured.reduce(0) { $0 + $1.packingBound } + entrySizes(output.logicalID, output.templateValue).packingBound
        let entries = measured.reduce(EntrySizes(), +)
        return GroupUnit(plan: plan, resources: resources, output: output, cost: Cost(bytes: bytes, resources: 2, outputs: 1, resourceEntries: entries))
    }

    private func fitsAlone(_ cost: Cost, skeleton: Int) -> Bool {
        skeleton + cost.bytes <= limits.maxTemplateBytes && cost.resources <= limits.maxResources
            && cost.outputs <= limits.maxOutputs
    }

    /// First-fit in order: a stack is closed as soon as the next unit does not fit, so packing
    /// is stable (adding a rule at the end never moves earlier ones).
    private func pack<Unit>(_ units: [(Unit, Cost)], skeleton: Int) -> [FirstFitPacking<Unit>.Chunk] {
        var packing = FirstFitPacking<Unit>(limits: limits, skeleton: skeleton)
        for (unit, cost) in units { packing.add(unit, cost: cost) }
        return packing.finish()
    }

    /// What one entry adds under `Resources` (or `Outputs`) in each rendering.
    private func entrySizes(_ key: String, _ value: TemplateValue) -> EntrySizes {
        EntrySizes(
            yaml: TemplateYAMLWriter.entrySize(key: key, value: value, indent: 2),
            json: TemplateJSONWriter.entrySize(key: key, value: value, depth: 2))
    }

    /// The size of an empty stack of a role, with a margin for section headers. The part number
    /// given should be the widest one possible, so the estimate is an upper bound.
    private func skeletonBytes(role: StackRole) -> Int {
        compiler.makeTemplate(deployment, role: role, resources: [], outputs: []).renderedSize + Self.skeletonMargin
    }

}

/// `StackPacker.pack` one unit at a time, so units can be packed as they are made instead of
/// being listed first.
private struct FirstFitPacking<Unit> {
    let limits: StackLimits
    let skeleton: Int
    /// A closed stack's units and what they use, skeleton included.
    struct Chunk {
        var units: [Unit]
        var used: StackPacker.Cost
    }

    private var chunks: [Chunk] = []
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
            chunks.append(Chunk(units: current, used: used))
            current = []
            used = StackPacker.Cost(bytes: skeleton)
        }
        current.append(unit)
        used = used + cost
    }

    /// The stacks' units, in order.
    mutating func finish() -> [Chunk] {
        if !current.isEmpty { chunks.append(Chunk(units: current, used: used)) }
        current = []
        return chunks
    }
}
