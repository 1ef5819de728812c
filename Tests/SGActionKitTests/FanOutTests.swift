import Foundation
import Synchronization
import Testing

@testable import SGActionKit

/// `FanOut`, the one mechanism behind every many-target run: bounded concurrency, results in
/// target order whatever finishes first, exit precedence, and the summary.
@Suite struct FanOutTests {
    static func result(_ label: String, _ verdict: FanOut.Verdict) -> FanOut.UnitResult {
        FanOut.UnitResult(label: label, target: label, verdict: verdict, summary: "s", details: "", document: .null)
    }

    @Test func neverMoreThanJobsUnitsRunAtOnceAndResultsComeInTargetOrder() async {
        let running = Atomic<Int>(0), peak = Atomic<Int>(0)
        var seen: [String] = []
        let targets = (0..<12).map { "t\($0)" }
        let results = await FanOut(jobs: 3).run(targets, work: { target in
            let now = running.add(1, ordering: .sequentiallyConsistent).newValue
            _ = peak.max(now, ordering: .sequentiallyConsistent)
            // Later targets finish first, so order must come from the fan-out, not from timing.
            let index = Int(target.dropFirst())!
            try? await Task.sleep(nanoseconds: UInt64(12 - index) * 3_000_000)
            running.subtract(1, ordering: .sequentiallyConsistent)
            return Self.result(target, .passed)
        }, onResult: { seen.append($0.label) })
        #expect(results.map(\.label) == targets)
        #expect(seen == targets)
        #expect(peak.load(ordering: .sequentiallyConsistent) <= 3)
        #expect(peak.load(ordering: .sequentiallyConsistent) >= 2, "units do run concurrently")
    }

    @Test(arguments: [
        ([FanOut.Verdict.passed, .passed], ToolExitCode.success),
        ([.passed, .changed], .changes),
        ([.changed, .failed, .passed], .failure),
        ([.failed], .failure),
        ([], .failure),
    ])
    func failedWinsOverChangedWhichWinsOverPassed(verdicts: [FanOut.Verdict], code: ToolExitCode) {
        #expect(FanOut.exitCode(verdicts.enumerated().map { Self.result("t\($0.offset)", $0.element) }) == code)
    }

    @Test func theSummaryNamesOnlyVerdictsThatOccurAndJSONCountsEvery() {
        let results = [Self.result("a", .passed), Self.result("b", .changed), Self.result("c", .changed)]
        #expect(FanOut.summaryLine(action: "check-drift", results: results, words: .drift) == "check-drift: 3 deployments: 1 in sync, 2 drifted\n")
        #expect(FanOut.summaryJSON(results, words: .drift) == ["deployments": 3, "in_sync": 1, "drifted": 2, "failed": 0])
        #expect(FanOut.line(Self.result("a", .passed), words: .drift) == "in sync  a: s\n")
        #expect(FanOut.Verdict(.usage) == .failed)
    }
}
