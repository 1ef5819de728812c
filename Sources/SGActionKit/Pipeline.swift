import SGCloudFormation
import SGConcurrency
import SGConfig
import SGCrypto
import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// The stages every config-driven action shares: load (parse + input validation), judge (the one
/// scenario validator), compile. Each stage reports into the context and returns a typed result,
/// or nil when its errors make the next stage pointless.
package struct Pipeline {
    let context: ActionContext

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(context: ActionContext) {
        self.context = context
    }

    /// Parses the config and its scenario and applies overrides.
    package func load() -> Deployment? {
        guard let reference = context.request.config else {
            context.report(.error(.missingConfigOption, "this action needs -con CONFIG", at: nil))
            return nil
        }
        let fileSystem = context.environment.fileSystem
        let loader = DeploymentLoader(
            readFile: { try fileSystem.read($0) },
            fileExists: { fileSystem.fileExists($0) },
            configsDirectory: context.request.configsDirectory,
            scenariosDirectory: context.layout.scenariosDirectory,
            listFiles: { (try? fileSystem.list($0)) ?? [] })
        let result = loader.load(config: reference)
        context.register(result.sources)
        context.report(result.diagnostics)
        if let identity = result.identity { context.identify(identity) }
        for source in result.sources {
            context.record("read \(source.path) (\(source.bytes.count) bytes) sha256=\(SHA256.hex(source.bytes))")
        }
        guard let deployment = result.deployment, !result.diagnostics.hasErrors else { return nil }
        return deployment
    }

    /// Runs the scenario validator (for a deployment with targets, once per target CIDR:
    /// `validateTargets`) and warns about accepted risks that no longer match anything.
    /// `assessingRules: false` leaves the result's per-rule `assessments` empty, for actions that
    /// use only the findings (validate, create): an assessment per rule is a run's largest
    /// allocation.
    package func judge(_ deployment: Deployment, assessingRules: Bool = true) -> ValidationResult {
        let result = ScenarioValidator().validateTargets(deployment, today: context.today, assessingRules: assessingRules)
        report(result, of: deployment)
        return result
    }

    /// Compiles the deployment into one or more stack templates and self-checks them against the
    /// model (every caller gets the same second look); nil when either stage reported an error.
    func compile(_ deployment: Deployment) -> CompilationResult? {
        report(Self.compileAndCheck(deployment, toolVersion: context.environment.toolVersion))
    }

    /// `judge` and `compile` at once: both only read the deployment, so they run on two threads
    /// when there are two. What they report, and in which order, is what `judge` followed by
    /// `compile` reports.
    package func judgeAndCompile(_ deployment: Deployment, assessingRules: Bool = true) -> (validation: ValidationResult, compiled: CompilationResult?) {
        let today = context.today, toolVersion = context.environment.toolVersion
        let (validation, compilation) = Parallel.both(
            { ScenarioValidator().validateTargets(deployment, today: today, assessingRules: assessingRules) },
            { Self.compileAndCheck(deployment, toolVersion: toolVersion) })
        report(validation, of: deployment)
        return (validation, report(compilation))
    }

    /// A compilation and its self-check, before anything is reported.
    private static func compileAndCheck(_ deployment: Deployment, toolVersion: String) -> (result: CompilationResult, check: Diagnostics?) {
        let result = TemplateCompiler(toolVersion: toolVersion).compile(deployment)
        if result.diagnostics.hasErrors { return (result, nil) }
        return (result, TemplateSelfCheck.check(result.stacks, deployment: deployment))
    }

    private func report(_ compilation: (result: CompilationResult, check: Diagnostics?)) -> CompilationResult? {
        context.report(compilation.result.diagnostics)
        guard let check = compilation.check else { return nil }
        context.report(check)
        return check.hasErrors ? nil : compilation.result
    }

    private func report(_ result: ValidationResult, of deployment: Deployment) {
        for risk in deployment.config.acceptedRisks where FindingKind.kind(id: risk.findingID) == nil {
            let known = FindingKind.all.map(\.id).joined(separator: ", ")
            context.report(.error(
                .unknownFindingID, "accepted risk names unknown finding '\(risk.findingID)'; known findings: \(known)",
                at: risk.location))
        }
        // Acceptances that could not be bound to exactly one finding, expiries past the bound,
        // port_catalog entries that would lower a built-in port: errors located in the config.
        for diagnostic in result.diagnostics { context.report(diagnostic) }
        for risk in result.unusedAcceptedRisks {
            let binding = risk.binding == .tierOnly ? "" : " (\(risk.binding))"
            context.report(.warning(
                .unusedAcceptedRisk,
                "accepted risk \(risk.findingID) for tier '\(risk.tier)'\(binding) matches no finding; remove it",
                at: risk.location))
        }
        let counts = RiskLevel.allCases.map { level in "\(level.rawValue)=\(result.findings.filter { $0.severity == level }.count)" }
        context.record("findings: \(counts.joined(separator: " ")) accepted=\(result.findings.filter(\.isAccepted).count)")
    }

    /// File name of a stack's template in reports/.
    package func templateFileName(_ stack: StackTemplate, format: ActionRequest.TemplateFormat) -> String {
        "\(stack.stackName)-template.\(format.rawValue)"
    }

    /// Renders a stack's template in a format.
    func render(_ stack: StackTemplate, format: ActionRequest.TemplateFormat) -> String {
        Self.render(stack, format: format)
    }

    static func render(_ stack: StackTemplate, format: ActionRequest.TemplateFormat) -> String {
        format == .json ? stack.template.renderJSON() : stack.template.renderYAML()
    }

    /// Stacks in batches, each batch rendered on every thread there is, handed over in stack
    /// order; a batch at a time so that a split deployment's text is never all in memory at once.
    package func forEachRendered(
        _ stacks: [StackTemplate], format: ActionRequest.TemplateFormat, _ body: (StackTemplate, String) throws -> Void
    ) rethrows {
        let batchSize = 8 * Parallel.workers
        for start in stride(from: 0, to: stacks.count, by: batchSize) {
            let batch = Array(stacks[start..<min(stacks.count, start + batchSize)])
            let texts = Parallel.map(batch) { Self.render($0, format: format) }
            for (stack, text) in zip(batch, texts) { try body(stack, text) }
        }
    }
}
