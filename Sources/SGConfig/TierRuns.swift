#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import SGDiagnostics
import SGModel
import SGYAML
import Synchronization

/// Consecutive tiers read together, with their own reader, so runs can be read on several
/// cores: once the YAML tree is built, a tier's reading depends on nothing outside the tier.
/// Runs are merged in tier order, which makes the model and every diagnostic the same as
/// reading all tiers on one thread.
struct TierRun: Sendable {
    /// The tiers read, in file order.
    var tiers: [Tier]
    /// The names of tiers with an error.
    var incompleteTiers: [String]
    /// What reading the tiers reported, in order.
    var diagnostics: Diagnostics
    /// Duplicate-rule errors of these tiers, reported after the tier-reference check.
    var duplicateRules: Diagnostics
    /// How many unknown keys of these tiers got a "did you mean" search.
    var suggestedKeys: Int

    /// Fewest tiers for which a concurrent reading pays for its threads (a tier of 20 rules
    /// reads in ~70 µs; starting the workers and merging costs about as much as 20 tiers).
    static let minimumTiersForConcurrency = 32

    /// Runs per core: more runs than cores evens out cores that another process slows down.
    static let runsPerCore = 4

    /// The run count for `tiers` tiers on this machine: 1 (no threads) below
    /// `minimumTiersForConcurrency` or on one core.
    static func automaticRunCount(tiers: Int) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard tiers >= minimumTiersForConcurrency, cores > 1 else { return 1 }
        return min(cores * runsPerCore, tiers / (minimumTiersForConcurrency / 2))
    }

    /// Reads `entries` (a scenario's tiers) in `runCount` runs of consecutive tiers, concurrently
    /// when there is more than one, and reports their diagnostics to `reader` in tier order.
    ///
    /// The one state a reading carries from tier to tier is how many unknown keys got a
    /// suggestion (`NodeReader` stops suggesting past a cap). Runs start from the count so far;
    /// if together they went past the cap, a run may have suggested where a reading in one
    /// pass would not have, so the tiers are read again in one pass (only inputs with dozens of
    /// unknown keys pay this).
    static func readAll(_ entries: [YAMLMappingEntry], runCount: Int, reader: inout NodeReader) -> [TierRun] {
        let runCount = max(1, min(runCount, entries.count))
        let suggestedBefore = reader.suggestedKeys
        if runCount > 1 {
            let runs = readConcurrently(entries, runCount: runCount, suggestedKeys: suggestedBefore)
            let suggested = runs.reduce(suggestedBefore) { $0 + $1.suggestedKeys }
            if suggested <= TextSupport.Suggester.maxDistinctNames {
                for run in runs { reader.diagnostics.report(contentsOf: run.diagnostics.all) }
                reader.addSuggestedKeys(suggested - suggestedBefore)
                return runs
            }
        }
        var duplicateRules = NodeReader()
        let (tiers, incomplete) = ScenarioReader.readTiers(entries[...], reader: &reader, duplicateRules: &duplicateRules)
        return [TierRun(
            tiers: tiers, incompleteTiers: incomplete, diagnostics: Diagnostics(), duplicateRules: duplicateRules.diagnostics,
            suggestedKeys: reader.suggestedKeys - suggestedBefore)]
    }

    /// Reads the runs on all cores; each run writes only its own slot.
    private static func readConcurrently(_ entries: [YAMLMappingEntry], runCount: Int, suggestedKeys: Int) -> [TierRun] {
        let slots = Mutex<[TierRun?]>(Array(repeating: nil, count: runCount))
        DispatchQueue.concurrentPerform(iterations: runCount) { index in
            // Contiguous runs of near-equal size: the first `count % runCount` runs take one more.
            let (base, extra) = entries.count.quotientAndRemainder(dividingBy: runCount)
            let start = index * base + min(index, extra)
            let end = start + base + (index < extra ? 1 : 0)
            var reader = NodeReader(suggestedKeys: suggestedKeys)
            var duplicateRules = NodeReader()
            let (tiers, incomplete) = ScenarioReader.readTiers(entries[start..<end], reader: &reader, duplicateRules: &duplicateRules)
            let run = TierRun(
                tiers: tiers, incompleteTiers: incomplete, diagnostics: reader.diagnostics,
                duplicateRules: duplicateRules.diagnostics, suggestedKeys: reader.suggestedKeys - suggestedKeys)
            slots.withLock { $0[index] = run }
        }
        return slots.withLock { $0.map { $0! } }
    }
}
