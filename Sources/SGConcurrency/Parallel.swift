import Dispatch
import Foundation

/// Data-parallel helpers for the CPU-bound stages (compiling, sizing and checking stacks).
///
/// Synchronous on purpose: the stages are pure functions with synchronous APIs, and the work is
/// split into a few contiguous slices: the calling thread takes the first, a thread of its own
/// each of the others. Not `DispatchQueue.concurrentPerform`: called from a Swift-concurrency
/// thread (actions are `async`), it runs every slice on the calling thread, one after another.
/// Results always come back in input order, so whatever is built from them (templates,
/// diagnostics) is byte-identical to a sequential run; only the wall time changes.
public enum Parallel {
    /// The number of threads work is spread over: the processors this process may use, at most
    /// `maximumWorkers`. `SG_THREADS=1` runs everything on the
    /// calling thread, which profiles and the equivalence tests use.
    public static let workers: Int = {
        if let text = ProcessInfo.processInfo.environment["SG_THREADS"], let count = Int(text), count >= 1 {
            return min(count, maximumWorkers)
        }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumWorkers))
    }()

    /// More threads than this buys nothing for inputs of the sizes the tool meets.
    public static let maximumWorkers = 8

    /// `items.map(transform)`, with contiguous slices of `items` transformed on up to `workers`
    /// threads. A slice holds at least `minimumSlice` items, so small inputs stay on the calling
    /// thread (starting a thread costs more than transforming a few items).
    public static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], minimumSlice: Int = 1, _ transform: @escaping @Sendable (Element) -> Result
    ) -> [Result] {
        let slices = min(workers, items.count / max(1, minimumSlice))
        guard slices > 1 else { return items.map(transform) }
        let count = items.count
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let output = SlotPointer(base)
            items.withUnsafeBufferPointer { buffer in
                guard let start = buffer.baseAddress else { return }
                let input = SlotPointer(UnsafeMutablePointer(mutating: start))
                perform(slices) { slice in
                    // Each slice writes only its own range of the output buffer.
                    for index in (count * slice / slices)..<(count * (slice + 1) / slices) {
                        (output.pointer + index).initialize(to: transform(input.pointer[index]))
                    }
                }
            }
            initialized = count
        }
    }

    /// Runs two independent computations, on two threads when there are two, and returns both
    /// results. `first` runs on the calling thread when only one worker is allowed.
    public static func both<First: Sendable, Second: Sendable>(
        _ first: @escaping @Sendable () -> First, _ second: @escaping @Sendable () -> Second
    ) -> (First, Second) {
        guard workers > 1 else { return (first(), second()) }
        var firstResult: First?
        var secondResult: Second?
        withUnsafeMutablePointer(to: &firstResult) { firstPointer in
            withUnsafeMutablePointer(to: &secondResult) { secondPointer in
                let firstSlot = SlotPointer(firstPointer), secondSlot = SlotPointer(secondPointer)
                perform(2) { index in
                    // Each iteration writes only its own slot; perform returns after both.
                    if index == 0 { firstSlot.pointer.pointee = first() } else { secondSlot.pointer.pointee = second() }
                }
            }
        }
        guard let firstResult, let secondResult else {
            preconditionFailure("perform returned before both computations ran")
        }
        return (firstResult, secondResult)
    }
}

extension Parallel {
    /// Calls `body` with every index in `0..<count` at once: index 0 on the calling thread, each
    /// other on a thread started for it; returns when all have returned. A thread costs tens of
    /// microseconds to start, which the callers' slices (thousands of rules) dwarf.
    /// `body` escapes because a started thread keeps its closure until it has exited, which can
    /// be after `perform` returns; what `body` captures lives that much longer, nothing more.
    static func perform(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let finished = DispatchSemaphore(value: 0)
        for index in 1..<count {
            Thread {
                body(index)
                finished.signal()
            }.start()
        }
        body(0)
        for _ in 1..<count { finished.wait() }
    }
}

/// A pointer handed to the threads of one `perform`. Unchecked because the type system
/// cannot see the discipline that makes it safe: every thread reads shared input it does not
/// change, or writes a slot no other thread touches, and the pointer never outlives the call.
private struct SlotPointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>

    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}
