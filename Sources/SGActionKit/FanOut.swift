import SGDiagnostics
import SGFindings
import SGReports
import SGValidation

/// One action over many targets in one run: every config of a directory today (`-con DIR`), the
/// accounts x regions of a StackSet deployment or many audited accounts later. This is the only
/// place that decides how many targets run at once (`--jobs`), the order results are printed in,
/// what the run's exit code is, and how the summary reads, so every fan-out behaves the same.
///
/// A unit of work is a labelled target that produces a `FanOut.UnitResult`; how it is produced
/// (a whole action run with its own audit log, one AssumeRole session, ...) is the caller's.
package struct FanOut: Sendable {
    /// How a unit ended, in rising order of precedence for the run's exit code.
    package enum Verdict: Int, Comparable, Sendable {
        /// Nothing to report (validated, in sync).
        case passed = 0
        /// The target differs from what was approved (drift, pending changes): exit 3.
        case changed = 1
        /// An error or a failing finding: exit 1, whatever else drifted.
        case failed = 2

        package static func < (a: Verdict, b: Verdict) -> Bool { a.rawValue < b.rawValue }

        /// The verdict of a unit that ended with an exit code.
        package init(_ code: ToolExitCode) {
            switch code {
            case .success: self = .passed
            case .changes: self = .changed
            case .failure, .usage: self = .failed
            }
        }
    }

    /// The words a fan-out uses for its verdicts, in text (`in sync`) and as JSON keys (`in_sync`).
    package struct Words: Sendable {
        /// What a target is called: "deployment".
        var target: String
        /// Per verdict.
        var passed: String, changed: String, failed: String
        /// The verdicts this kind of run can reach (validation never "changes" anything).
        var verdicts: [Verdict]

        /// Creates the value from its parts (memberwise; other modules of the package call it).
        package init(target: String, passed: String, changed: String, failed: String, verdicts: [FanOut.Verdict]) {
            self.target = target
            self.passed = passed
            self.changed = changed
            self.failed = failed
            self.verdicts = verdicts
        }

        /// validate-prov-template.
        package static let validation = Words(target: "deployment", passed: "passed", changed: "changed", failed: "failed", verdicts: [.passed, .failed])
        /// check-drift.
        package static let drift = Words(target: "deployment", passed: "in sync", changed: "drifted", failed: "failed", verdicts: [.passed, .changed, .failed])

        func word(_ verdict: Verdict) -> String {
            switch verdict {
            case .passed: return passed
            case .changed: return changed
            case .failed: return failed
            }
        }

        /// `in sync` -> `in_sync`.
        package func key(_ verdict: Verdict) -> String { word(verdict).replacingOccurrences(of: " ", with: "_") }
    }

    /// What one unit produced.
    package struct UnitResult: Sendable {
        /// Who it is about in one word: a deployment's qualified name, `123456789012/eu-west-1`.
        package var label: String
        /// What was given to reach it (a config path), shown when it differs from the label.
        var target: String
        package var verdict: Verdict
        /// One line for people: counts and verdict, without the label.
        package var summary: String
        /// What a run on this target alone would have printed, shown when the verdict needs
        /// attention (on stderr, after the unit's line).
        package var details: String
        /// The unit's JSON document (with `--output json`).
        package var document: JSONValue
        /// Findings, diagnostics and source files for one SARIF log (with `--output sarif`).
        package var findings: [Finding] = []
        package var diagnostics: [Diagnostic] = []
        package var sources: [SourceFile] = []

        /// Creates the value from its parts (memberwise; other modules of the package call it).
        package init(label: String, target: String, verdict: FanOut.Verdict, summary: String, details: String, document: JSONValue, findings: [Finding] = [], diagnostics: [Diagnostic] = [], sources: [SourceFile] = []) {
            self.label = label
            self.target = target
            self.verdict = verdict
            self.summary = summary
            self.details = details
            self.document = document
            self.findings = findings
            self.diagnostics = diagnostics
            self.sources = sources
        }
    }

    /// `--jobs` when not given: enough to overlap AWS round trips, few enough that a 2-core
    /// machine is not swamped (each unit also uses every core for its CPU-bound stages).
    static let defaultJobs = 4
    /// Largest `--jobs`.
    package static let maxJobs = 64

    /// At most this many units at once.
    let jobs: Int

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(jobs: Int) {
        self.jobs = jobs
    }

    /// Runs `work` for every target, at most `jobs` at a time, and hands each result to `onResult`
    /// in target order as soon as every earlier one is in (so output is the same whatever the
    /// timing). Returns the results in target order.
    package func run<Target: Sendable>(
        _ targets: [Target], work: @escaping @Sendable (Target) async -> UnitResult,
        onResult: (UnitResult) -> Void
    ) async -> [UnitResult] {
        var results: [UnitResult] = []
        results.reserveCapacity(targets.count)
        await withTaskGroup(of: (Int, UnitResult).self) { group in
            var next = 0
            func start() {
                let index = next, target = targets[index]
                group.addTask { (index, await work(target)) }
                next += 1
            }
            while next < min(max(1, jobs), targets.count) { start() }
            var waiting: [Int: UnitResult] = [:]
            for await (index, result) in group {
                waiting[index] = result
                while let ready = waiting.removeValue(forKey: results.count) {
                    results.append(ready)
                    onResult(ready)
                }
                if next < targets.count { start() }
            }
        }
        return results
    }

    /// The run's exit code: 1 if any unit failed (even when others drifted), else 3 if any
    /// changed, else 0. No unit at all is a failure: the run checked nothing.
    package static func exitCode(_ results: [UnitResult]) -> ToolExitCode {
        switch results.map(\.verdict).max() {
        case nil, .failed?: return .failure
        case .changed?: return .changes
        case .passed?: return .success
        }
    }

    /// How many units ended each way.
    static func counts(_ results: [UnitResult]) -> [Verdict: Int] {
        results.reduce(into: [:]) { $0[$1.verdict, default: 0] += 1 }
    }

    /// `check-drift: 40 deployments: 37 in sync, 2 drifted, 1 failed`. Verdicts no unit had are
    /// left out, except the first (so a clean run still says `40 in sync`).
    package static func summaryLine(action: String, results: [UnitResult], words: Words) -> String {
        let counts = counts(results)
        var parts: [String] = []
        for verdict in [Verdict.passed, .changed, .failed] where verdict == .passed || counts[verdict, default: 0] > 0 {
            parts.append("\(counts[verdict, default: 0]) \(words.word(verdict))")
        }
        let noun = results.count == 1 ? words.target : words.target + "s"
        return "\(action): \(results.count) \(noun): \(parts.joined(separator: ", "))\n"
    }

    /// One unit's line: `drifted  hooli-prod-m01-us-east-1 (configs/hooli.yaml): DRIFT: 1 added`.
    package static func line(_ result: UnitResult, words: Words) -> String {
        let word = words.word(result.verdict)
        let widest = words.verdicts.map { words.word($0).count }.max() ?? 0
        let padded = word.padding(toLength: max(word.count, widest), withPad: " ", startingAt: 0)
        let target = result.target == result.label ? "" : " (\(result.target))"
        return "\(padded)  \(result.label)\(target): \(result.summary)\n"
    }

    /// The JSON summary: `{deployments: N, passed|in_sync: a, drifted: b, failed: c}`; every
    /// verdict the run can reach has its key, also at 0.
    package static func summaryJSON(_ results: [UnitResult], words: Words) -> JSONValue {
        let counts = counts(results)
        var object: [String: JSONValue] = [words.target + "s": .int(results.count)]
        for verdict in words.verdicts { object[words.key(verdict)] = .int(counts[verdict, default: 0]) }
        return .object(object)
    }
}
