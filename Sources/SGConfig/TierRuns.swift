import Dispatch
import SGConcurrency
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

    /// Fewest tiers for which a concurrent reading pays for starting the workers and merging
    /// their results (the timing is in bench/ANALYSIS.md).
    static let minimumTiersForConcurrency = 32

    /// Runs per core: more runs than cores evens out cores that another process slows down.
    static let runsPerCore = 4

    /// The run count for `tiers` tiers on this machine: 1 (no threads) below
    /// `minimumTiersForConcurrency` or on one core.
    static func automaticRunCount(tiers: Int) -> Int {
        let cores = Parallel.workers
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
        if runCount > 1 {
            let runs = readConcurrently(entries[...], runCount: runCount, suggestedKeys: reader.suggestedKeys)
            if let merged = merge(runs, into: &reader) { return merged }
        }
        return readInOnePass(entries, reader: &reader)
    }

    /// Reports the runs' diagnostics to `reader` in order and returns the runs, or returns nil
    /// (reporting nothing) when together they went past the cap on suggestions and must be
    /// read again in one pass. A run read before `reader`'s count was known starts from 0:
    /// within the cap, every unknown key got its suggestion either way.
    static func merge(_ runs: [TierRun], into reader: inout NodeReader) -> [TierRun]? {
        let suggested = runs.reduce(reader.suggestedKeys) { $0 + $1.suggestedKeys }
        guard suggested <= TextSupport.Suggester.maxDistinctNames else { return nil }
        for run in runs { reader.diagnostics.report(contentsOf: run.diagnostics.all) }
        reader.addSuggestedKeys(suggested - reader.suggestedKeys)
        return runs
    }

    /// Reads every tier on this thread, straight into `reader`.
    static func readInOnePass(_ entries: [YAMLMappingEntry], reader: inout NodeReader) -> [TierRun] {
        let suggestedBefore = reader.suggestedKeys
        var duplicateRules = NodeReader()
        let (tiers, incomplete) = ScenarioReader.readTiers(entries[...], reader: &reader, duplicateRules: &duplicateRules)
        return [TierRun(
            tiers: tiers, incompleteTiers: incomplete, diagnostics: Diagnostics(), duplicateRules: duplicateRules.diagnostics,
            suggestedKeys: reader.suggestedKeys - suggestedBefore)]
    }

    /// Reads the runs on all cores (`Parallel`), results in run order.
    static func readConcurrently(_ entries: ArraySlice<YAMLMappingEntry>, runCount: Int, suggestedKeys: Int) -> [TierRun] {
        Parallel.map(Array(0..<runCount)) { index in
            // Contiguous runs of near-equal size: the first `count % runCount` runs take one more.
            let (base, extra) = entries.count.quotientAndRemainder(dividingBy: runCount)
            let start = entries.startIndex + index * base + min(index, extra)
            let end = start + base + (index < extra ? 1 : 0)
            return read(entries[start..<end], suggestedKeys: suggestedKeys)
        }
    }

    /// Reads one run with a reader of its own that starts from `suggestedKeys` suggestions.
    static func read(_ entries: ArraySlice<YAMLMappingEntry>, suggestedKeys: Int) -> TierRun {
        var reader = NodeReader(suggestedKeys: suggestedKeys)
        var duplicateRules = NodeReader()
        let (tiers, incomplete) = ScenarioReader.readTiers(entries, reader: &reader, duplicateRules: &duplicateRules)
        return TierRun(
            tiers: tiers, incompleteTiers: incomplete, diagnostics: reader.diagnostics,
            duplicateRules: duplicateRules.diagnostics, suggestedKeys: reader.suggestedKeys - suggestedKeys)
    }
}

/// Reads a scenario's tiers while its YAML is still being parsed: the parser hands over each
/// tier as soon as its mapping is complete (`YAMLParser.parse(_:observing:onEntry:)`), and every
/// `batchSize` tiers go to a worker. When the parse ends, the tiers not handed over yet are read
/// and everything is merged in tier order, as `TierRun.readAll` would.
///
/// Used on the parsing thread only; the workers share nothing with it but their result slots.
final class TierPrefetch {
    /// Tiers per worker task: enough to pay for a dispatch (a tier reads in ~50 µs), few enough
    /// that the last batch, read after the parse, is short. A scenario of fewer tiers starts no
    /// thread.
    static let batchSize = 24

    /// Where the workers leave their runs, by batch.
    private final class Results: Sendable {
        let runs = Mutex<[Int: TierRun]>([:])
    }

    private let results = Results()
    private let group = DispatchGroup()
    private let queue = DispatchQueue.global()
    /// The tiers handed over so far, in document order.
    private var handedOver: [YAMLMappingEntry] = []
    /// How many of `handedOver` went to workers (always whole batches).
    private var dispatched = 0

    /// Prefetching pays only where there is a second core (`SG_THREADS=1` turns it off too).
    static var isWorthwhile: Bool { Parallel.workers > 1 }

    /// Takes one tier from the parser; a full batch goes to a worker.
    func add(_ entry: YAMLMappingEntry) {
        handedOver.append(entry)
        guard handedOver.count - dispatched == Self.batchSize else { return }
        let batch = handedOver[dispatched...]
        let index = dispatched / Self.batchSize
        dispatched = handedOver.count
        let results = results
        queue.async(group: group) {
            // Suggestions counted from 0: the count before the tiers is known only later.
            let run = TierRun.read(batch, suggestedKeys: 0)
            results.runs.withLock { $0[index] = run }
        }
    }

    /// The runs for the scenario's `entries` (its tiers as parsed), with their diagnostics
    /// reported to `reader`; nil, reporting nothing, when what was handed over is not how the
    /// entries begin (aliases or merge keys in `tiers`) or the runs went past the suggestion
    /// cap: the caller then reads the tiers itself.
    func runs(for entries: [YAMLMappingEntry], reader: inout NodeReader) -> [TierRun]? {
        group.wait()
        guard dispatched > 0, dispatched <= entries.count,
              zip(handedOver[..<dispatched], entries).allSatisfy({ $0.key.location == $1.key.location && $0.key.string == $1.key.string })
        else { return nil }
        var runs = results.runs.withLock { collected in (0..<collected.count).map { collected[$0]! } }
        let rest = entries[dispatched...]
        if !rest.isEmpty { runs.append(TierRun.read(rest, suggestedKeys: 0)) }
        return TierRun.merge(runs, into: &reader)
    }
}
