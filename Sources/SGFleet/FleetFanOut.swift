import SGActionKit
import Synchronization
import SGModel
import SGReports

extension FanOut.Words {
    /// check-drift over a deployment's targets.
    static let fleetDrift = FanOut.Words(target: "target", passed: "in sync", changed: "drifted", failed: "failed", verdicts: [.passed, .changed, .failed])
    /// audit-security-groups over a deployment's targets.
    static let fleetAudit = FanOut.Words(target: "target", passed: "passed", changed: "changed", failed: "failed", verdicts: [.passed, .failed])
    /// The instances of a StackSet operation (create, update, delete) and the deletion check.
    static let stackInstances = FanOut.Words(target: "instance", passed: "succeeded", changed: "changed", failed: "failed", verdicts: [.passed, .failed])
}

/// A fleet action's work per target, run through `FanOut` (the one mechanism that decides how
/// many run at once, `--jobs`, the order results are printed in, the exit code and the summary,
/// exactly as for `-con DIR`), with what each target produced beyond its `UnitResult` (a drift
/// report to write, findings) kept for the action. Units run concurrently and touch nothing of
/// the run's context; `onEach` gets every result in target order, on the action's own task, and
/// is where files are written and the audit log is fed.
struct FleetFanOut<Payload: Sendable>: Sendable {
    let jobs: Int
    let words: FanOut.Words
    /// Prints a unit's line (text output: stdout unless `--quiet` and it passed; its details on stderr).
    let printLine: @Sendable (FanOut.UnitResult) -> Void

    init(context: ActionContext, words: FanOut.Words, jobs: Int? = nil) {
        self.jobs = jobs ?? context.request.jobs
        self.words = words
        let request = context.request, environment = context.environment
        printLine = { result in
            guard request.output == .text else { return }
            if !(request.quiet && result.verdict == .passed) { environment.writeOut(FanOut.line(result, words: words)) }
            if result.verdict != .passed, !result.details.isEmpty { environment.writeErr(result.details) }
        }
    }

    /// Runs `work` for every target and returns each target's result and payload, in target order.
    func run(
        _ targets: [DeploymentTarget], work: @escaping @Sendable (DeploymentTarget) async -> (FanOut.UnitResult, Payload),
        onEach: (DeploymentTarget, FanOut.UnitResult, Payload) -> Void
    ) async -> [(target: DeploymentTarget, result: FanOut.UnitResult, payload: Payload)] {
        let store = PayloadStore<Payload>()
        let byLabel = Dictionary(targets.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        var collected: [(target: DeploymentTarget, result: FanOut.UnitResult, payload: Payload)] = []
        _ = await FanOut(jobs: jobs).run(targets, work: { target in
            let (result, payload) = await work(target)
            store.put(payload, for: target.label)
            return result
        }, onResult: { result in
            guard let target = byLabel[result.label], let payload = store.take(result.label) else { return }
            printLine(result)
            onEach(target, result, payload)
            collected.append((target, result, payload))
        })
        return collected
    }

    /// The run's exit code (an error of the run itself fails it, whatever the targets did) and
    /// its summary line, over the units `run` returned.
    func ending(_ results: [FanOut.UnitResult], context: ActionContext) -> (code: ToolExitCode, summary: String) {
        let code: ToolExitCode = context.diagnostics.hasErrors ? .failure : FanOut.exitCode(results)
        return (code, FanOut.summaryLine(action: context.request.action.rawValue, results: results, words: words))
    }
}

/// Payloads units left for the action, by target label.
private final class PayloadStore<Payload: Sendable>: Sendable {
    private let storage = Mutex<[String: Payload]>([:])
    func put(_ payload: Payload, for label: String) { storage.withLock { $0[label] = payload } }
    func take(_ label: String) -> Payload? { storage.withLock { $0.removeValue(forKey: label) } }
}
