import Foundation
import Synchronization
import Testing

@testable import SGConcurrency

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 3, 7, 64, 1_000, 10_001])
    func mapKeepsInputOrder(count: Int) {
        let items = Array(0..<count)
        #expect(Parallel.map(items) { $0 * 3 + 1 } == items.map { $0 * 3 + 1 })
        #expect(Parallel.map(items, minimumSlice: 100) { String($0) } == items.map { String($0) })
    }

    @Test func mapTransformsEveryElementExactlyOnce() {
        let calls = Mutex([Int](repeating: 0, count: 5_000))
        let items = Array(0..<5_000)
        _ = Parallel.map(items, minimumSlice: 10) { index in
            calls.withLock { $0[index] += 1 }
            return index
        }
        #expect(calls.withLock { $0 } == [Int](repeating: 1, count: 5_000))
    }

    /// Results that own heap storage (strings, arrays) come back intact, not torn or double-freed.
    @Test func mapReturnsOwnedResultsIntact() {
        let items = (0..<2_000).map { "tier-\($0)" }
        let results = Parallel.map(items, minimumSlice: 1) { name in (name, Array(repeating: name, count: 3)) }
        #expect(results.map(\.0) == items)
        #expect(results.allSatisfy { $0.1 == [$0.0, $0.0, $0.0] })
    }

    @Test func bothReturnsBothResults() {
        let (sum, text) = Parallel.both({ (1...10_000).reduce(0, +) }, { (0..<100).map(String.init).joined(separator: ",") })
        #expect(sum == 50_005_000)
        #expect(text.hasPrefix("0,1,2,") && text.hasSuffix(",98,99"))
    }

    /// Called from a Swift-concurrency thread, as actions call it: `DispatchQueue.concurrentPerform`
    /// ran every slice on the calling thread there, so the slices must be seen on distinct threads.
    @Test(.enabled(if: Parallel.workers > 1))
    func slicesRunOnThreadsOfTheirOwn() async {
        let threads = Parallel.map(Array(0..<Parallel.workers), minimumSlice: 1) { _ in pthread_self() }
        #expect(Set(threads).count == Parallel.workers)
        let (first, second) = Parallel.both({ pthread_self() }, { pthread_self() })
        #expect(first != second)
    }

    @Test func workersAreBounded() {
        #expect(Parallel.workers >= 1)
        #expect(Parallel.workers <= Parallel.maximumWorkers)
    }
}
