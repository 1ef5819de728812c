import SGActionKit
import SGFindings
import Synchronization
import SGDiagnostics
import SGReports
import SGValidation

/// Runs one action: the only entry point the executable calls.
public struct ActionRunner: Sendable {
    private let environment: ActionEnvironment

    /// Creates a runner over an environment (live or injected).
    public init(environment: ActionEnvironment) {
        self.environment = environment
    }

    /// Runs the request and returns the process exit code. Never throws, never crashes on bad input:
    /// every failure becomes a diagnostic with a code and an exit status. The action only decides
    /// its outcome; printing it and writing the audit log happen here, once, for every action.
    /// A `-con` naming a directory or a glob runs the action once per config (`runMany`).
    public func run(_ request: ActionRequest) async -> Int32 {
        if let problem = Self.usageProblem(request) { return usageError(problem) }
        if let reference = request.config, ConfigSelection.isSelection(reference, fileSystem: environment.fileSystem) {
            guard request.action.checksManyConfigs else {
                return usageError(
                    "-con \(reference) names \(InputPaths.isPattern(reference) ? "a pattern" : "a directory"); "
                        + "only \(ActionName.allCases.filter(\.checksManyConfigs).map(\.rawValue).joined(separator: " and ")) "
                        + "check many configs in one run: give \(request.action.rawValue) one config file")
            }
            if request.force {
                return usageError("--force acts on one deployment at a time: give check-drift --force one config file, not \(reference)")
            }
            if request.accepts {
                return usageError("--accept writes into one config: give check-drift --accept one config file, not \(reference)")
            }
            return await runMany(request, selection: reference)
        }
        let (context, outcome) = await execute(request, environment: environment)
        context.emit(outcome)
        return context.finish(outcome.code)
    }

    /// What makes a request unusable before anything runs (exit 2, no audit log).
    static func usageProblem(_ request: ActionRequest) -> String? {
        if request.action.needsConfig, request.config == nil {
            return "\(request.action.rawValue) needs -con CONFIG (a config file, a name in configs/, or for "
                + "\(ActionName.allCases.filter(\.checksManyConfigs).map(\.rawValue).joined(separator: " and ")) a directory or a quoted glob)"
        }
        if !(1...FanOut.maxJobs).contains(request.jobs) {
            return "--jobs must be between 1 and \(FanOut.maxJobs)"
        }
        return nil
    }

    private func usageError(_ message: String) -> Int32 {
        environment.writeErr("sg-provisioner: error: \(message)\n")
        return ToolExitCode.usage.rawValue
    }

    /// One run of one action on at most one config, not yet printed or logged.
    private func execute(_ request: ActionRequest, environment: ActionEnvironment) async -> (ActionContext, ActionOutcome) {
        let layout = ProjectLayout.resolve(request, fileSystem: environment.fileSystem)
        let context = ActionContext(request: request, environment: environment, layout: layout)
        context.record("action \(request.action.rawValue) config=\(layout.configPath ?? request.config ?? "-") fail_on=\(request.failOn.rawValue)")
        if let project = layout.project { context.record("project \(project) scenarios=\(layout.scenariosDirectory) reports=\(layout.reportsDirectory ?? "-")") }
        let outcome = await Self.outcome(of: request.action, context: context)
        return (context, outcome)
    }

    private static func outcome(of action: ActionName, context: ActionContext) async -> ActionOutcome {
        switch action {
        case .listActions: return ListActionsAction(context: context).run()
        case .validateProvTemplate: return await ValidateAction(context: context).run()
        case .createProvTemplate: return await CreateTemplateAction(context: context).run()
        case .createReviewReport: return await ReviewReportAction(context: context).run()
        case .createIAMPolicy: return await IAMPolicyAction(context: context).run()
        case .verifyVPC: return await VerifyVPCAction(context: context).run()
        case .showChanges: return await ShowChangesAction(context: context).run()
        case .testDeploy: return await TestDeployAction(context: context).run()
        case .createSecurityGroups: return await CreateSecurityGroupsAction(context: context).run()
        case .checkDrift: return await CheckDriftAction(context: context).run()
        case .deleteSecurityGroups: return await DeleteSecurityGroupsAction(context: context).run()
        case .auditSecurityGroups: return await AuditAction(context: context).run()
        case .importSecurityGroups: return await ImportSecurityGroupsAction(context: context).run()
        }
    }

    // MARK: Many configs

    /// Every config `selection` names, each run as `-con FILE` would run it (own project, reports
    /// and audit log), through `FanOut`: one line per deployment, details of those that failed or
    /// drifted on stderr, one summary; or one JSON document / SARIF log for all of them.
    private func runMany(_ request: ActionRequest, selection: String) async -> Int32 {
        let words: FanOut.Words = request.action == .checkDrift ? .drift : .validation
        let (configs, problems) = ConfigSelection.configs(in: selection, fileSystem: environment.fileSystem)
        let problemDiagnostics = problems.map { Diagnostic.error(.noConfigSelected, "-con: \($0)", at: nil) }
        let environment = self.environment
        let output = request.output, quiet = request.quiet
        let results = await FanOut(jobs: request.jobs).run(configs, work: { path in
            await Self.unit(path, request: request, environment: environment)
        }, onResult: { result in
            guard output == .text else { return }
            if !(quiet && result.verdict == .passed) { environment.writeOut(FanOut.line(result, words: words)) }
            if result.verdict != .passed, !result.details.isEmpty { environment.writeErr(result.details) }
        })
        let code: ToolExitCode = problemDiagnostics.isEmpty ? FanOut.exitCode(results) : .failure
        let action = request.action.rawValue
        switch output {
        case .text:
            if !problemDiagnostics.isEmpty {
                environment.writeErr(DiagnosticRenderer(useColor: false, sourceLine: { _, _ in nil }).render(problemDiagnostics))
            }
            if !(quiet && code == .success) { environment.writeOut(FanOut.summaryLine(action: action, results: results, words: words)) }
        case .json:
            let document: JSONValue = .object([
                "action": .string(action),
                "tool_version": .string(environment.toolVersion),
                "selection": .string(selection),
                "deployments": .array(results.map(\.document)),
                "summary": FanOut.summaryJSON(results, words: words),
                "errors": .array(problemDiagnostics.map(FindingJSON.diagnostic)),
                "warnings": .array([]),
            ])
            environment.writeOut(document.rendered())
        case .sarif:
            let sources = SourceFileRegistry()
            results.flatMap(\.sources).forEach(sources.add)
            let log = SARIFLog(toolVersion: environment.toolVersion, lineText: { sources.file($0)?.line($1) })
            environment.writeOut(log.document(
                findings: results.flatMap(\.findings), diagnostics: problemDiagnostics + results.flatMap(\.diagnostics),
                passed: code == .success).rendered())
        }
        return code.rawValue
    }

    /// One config of a fan-out: the whole action with its own context, its output captured.
    private static func unit(_ path: String, request: ActionRequest, environment: ActionEnvironment) async -> FanOut.UnitResult {
        var unitRequest = request
        unitRequest.config = path
        let captured = CapturedText()
        var unitEnvironment = environment
        unitEnvironment.writeOut = { captured.append($0) }
        unitEnvironment.writeErr = { captured.append($0) }
        let runner = ActionRunner(environment: unitEnvironment)
        let (context, outcome) = await runner.execute(unitRequest, environment: unitEnvironment)
        let words: FanOut.Words = request.action == .checkDrift ? .drift : .validation
        var document: JSONValue = .null
        var findings: [Finding] = []
        switch request.output {
        case .text: context.emit(outcome)
        case .json:
            var fields: [String: JSONValue] = [:]
            for case .json(let object) in outcome.outputs { fields.merge(object) { _, new in new } }
            document = context.document(fields)
        case .sarif:
            for case .sarif(let found, _, _, _) in outcome.outputs { findings += found }
        }
        let code = ToolExitCode(rawValue: context.finish(outcome.code)) ?? .failure
        let verdict = FanOut.Verdict(code)
        if case .object(var object) = document {
            object["status"] = .string(words.key(verdict))
            object["exit_code"] = .int(Int(code.rawValue))
            document = .object(object)
        }
        return FanOut.UnitResult(
            label: context.identity?.qualifiedName ?? path, target: path, verdict: verdict,
            summary: outcome.summary ?? Self.firstError(context.diagnostics) ?? "exit \(code.rawValue)",
            details: captured.text, document: document, findings: findings,
            diagnostics: request.output == .sarif ? context.diagnostics.sorted : [],
            sources: request.output == .sarif ? context.sources.all : [])
    }
}

extension ActionRunner {
    /// `configs/x.yaml:5:9: unknown AWS region 'us-west2' [E213] (and 2 more errors)`: why a
    /// unit failed, in its one line.
    static func firstError(_ diagnostics: Diagnostics) -> String? {
        let errors = diagnostics.sorted.filter { $0.severity == .error }
        guard let first = errors.first else { return nil }
        var text = (first.location.map { "\($0): " } ?? "") + "\(first.message) [\(first.code)]"
        if errors.count > 1 { text += " (and \(errors.count - 1) more error\(errors.count == 2 ? "" : "s"))" }
        return text
    }
}

/// Text a unit of a fan-out printed, kept for later (units run concurrently).
private final class CapturedText: Sendable {
    private let storage = Mutex<String>("")
    func append(_ text: String) { storage.withLock { $0 += text } }
    var text: String { storage.withLock { $0 } }
}
