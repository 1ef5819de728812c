import Foundation
import SGAWS
import SGAWSServices

/// One stack event as the watcher prints it (a copy of what DescribeStackEvents returns).
struct StackEventLine: Equatable, Sendable {
    var eventID: String
    var timestamp: Date?
    var logicalID: String
    var resourceType: String
    var status: String
    var reason: String?

    /// `2026-05-05T10:19:14Z  CREATE_FAILED  AWS::EC2::SecurityGroup  AppSecurityGroup  reason`,
    /// with AWS's own timestamp (UTC), never the local clock.
    var rendered: String {
        let time = timestamp.map(Self.format) ?? "-"
        return "  \(time)  \(status)  \(resourceType)  \(logicalID)" + (reason.map { "  \($0)" } ?? "")
    }

    var isFailure: Bool { status.hasSuffix("_FAILED") }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Where the watcher reads a stack's progress. The live source is CloudFormation; tests script one.
protocol StackProgressSource: Sendable {
    /// The stack's status and reason, or nil when it does not exist (any more).
    func status(of stack: String) async throws -> (status: StackStatus, reason: String?)?
    /// Every event of the stack, newest first (CloudFormation's order).
    func events(of stack: String) async throws -> [StackEventLine]
}

/// CloudFormation as a progress source.
struct CloudFormationProgress: StackProgressSource {
    let cloudFormation: CloudFormationClient

    func status(of stack: String) async throws -> (status: StackStatus, reason: String?)? {
        guard let description = try await cloudFormation.describeStack(stack) else { return nil }
        return (description.status, description.statusReason)
    }

    func events(of stack: String) async throws -> [StackEventLine] {
        try await cloudFormation.describeStackEvents(stackName: stack).map {
            StackEventLine(
                eventID: $0.eventID, timestamp: $0.timestamp, logicalID: $0.logicalResourceID,
                resourceType: $0.resourceType, status: $0.resourceStatus, reason: $0.resourceStatusReason)
        }
    }
}

/// How a wait ended.
enum StackWaitOutcome: Equatable, Sendable {
    /// The stack reached a terminal status; `failures` are the failed resources' events.
    case finished(StackStatus, reason: String?, failures: [StackEventLine])
    /// The stack no longer exists (a finished delete; a create that rolled back and was deleted).
    case gone
    /// The time limit passed while the stack was still changing.
    case timedOut(StackStatus?)
    /// The operator pressed Ctrl-C; the stack keeps changing in AWS.
    case interrupted(StackStatus?)
}

/// Set from a SIGINT handler, read by the wait loop: Ctrl-C stops watching, never the stack.
public final class InterruptFlag: @unchecked Sendable {
    // @unchecked: `raised` is only touched under `lock`.
    private let lock = NSLock()
    private var raised = false
    private var source: DispatchSourceSignal?

    /// Creates a flag that is not raised.
    public init() {}

    /// True once Ctrl-C was pressed (or `raise()` called).
    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    /// Raises the flag.
    public func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Routes SIGINT to this flag until `uninstall()`; the default action (exit) is restored then.
    public func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.raise() }
        source.resume()
        lock.lock()
        self.source = source
        lock.unlock()
    }

    /// Restores SIGINT's default action.
    public func uninstall() {
        lock.lock()
        let source = self.source
        self.source = nil
        lock.unlock()
        source?.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// Waits for a stack operation to finish, printing every new event once, in time order.
struct StackWatcher: Sendable {
    let source: any StackProgressSource
    /// Prints one line (stdout).
    let print: @Sendable (String) -> Void
    /// The clock, for the time limit.
    let now: @Sendable () -> Date
    /// Suspends; the loop sleeps in short slices so Ctrl-C is noticed quickly.
    let sleep: @Sendable (Double) async throws -> Void
    let interrupt: InterruptFlag
    /// Seconds between polls (CloudFormation updates events every few seconds).
    var pollInterval: Double = 5

    /// Polls until the stack is terminal, gone, the time limit passes, or Ctrl-C. `seen` holds the
    /// ids of events that existed before the operation (an update's history), never printed.
    /// `lastKnown` is the status the operation's own call left the stack in (CreateStack leaves
    /// CREATE_IN_PROGRESS), reported when Ctrl-C or a failure comes before the first poll answers.
    /// A failure to read the stack throws `StackWatchError`, which carries the last status seen.
    func wait(for stack: String, seen initial: Set<String>, timeout: TimeInterval, lastKnown: StackStatus? = nil)
        async throws -> StackWaitOutcome
    {
        let deadline = now().addingTimeInterval(timeout)
        var seen = initial
        var failures: [StackEventLine] = []
        var lastStatus = lastKnown
        while true {
            let polled: Poll?
            do {
                polled = try await unlessInterrupted { [seen] in try await poll(stack, seen: seen) }
            } catch {
                throw StackWatchError(lastStatus: lastStatus, underlying: error)
            }
            guard let polled else { return .interrupted(lastStatus) }
            for event in polled.fresh {
                seen.insert(event.eventID)
                print(event.rendered + "\n")
                if event.isFailure, event.reason != nil { failures.append(event) }
            }
            guard let state = polled.state else { return .gone }
            lastStatus = state.status
            if state.status.isTerminal {
                return .finished(state.status, reason: state.reason, failures: failures)
            }
            if interrupt.isRaised { return .interrupted(lastStatus) }
            if now() >= deadline { return .timedOut(lastStatus) }
            var slept = 0.0
            while slept < pollInterval {
                if interrupt.isRaised { return .interrupted(lastStatus) }
                let slice = min(0.25, pollInterval - slept)
                try await sleep(slice)
                slept += slice
            }
        }
    }

    /// What one poll read: the stack's status (nil: it no longer exists) and its events not seen yet.
    private struct Poll: Sendable {
        var state: (status: StackStatus, reason: String?)?
        var fresh: [StackEventLine]
    }

    private func poll(_ stack: String, seen: Set<String>) async throws -> Poll {
        let state = try await source.status(of: stack)
        // Events after the status: an event that appears between the two calls is printed on
        // the next round rather than lost.
        return Poll(state: state, fresh: try await newEvents(of: stack, seen: seen))
    }

    /// Runs one poll, but abandons it as soon as Ctrl-C is pressed while it is in flight: a slow or
    /// retrying AWS call (up to the per-attempt timeout times the attempts) must not keep the
    /// operator waiting after Ctrl-C. Returns nil when abandoned. A flag already raised before the
    /// poll starts lets it finish, so the status it reads is the one reported.
    private func unlessInterrupted<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value)
        async throws -> Value?
    {
        if interrupt.isRaised { return try await operation() }
        let race = FirstResult<Value?>()
        let interrupt = self.interrupt
        return try await withCheckedThrowingContinuation { continuation in
            race.deliver(to: continuation)
            let work = Task {
                do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
            }
            Task {
                while !race.isFinished {
                    if interrupt.isRaised {
                        race.finish(.success(nil))
                        // The abandoned call ends at its next suspension; its result is ignored.
                        work.cancel()
                        return
                    }
                    try? await Task.sleep(nanoseconds: 50_000_000)
                }
            }
        }
    }

    /// The ids of all current events (taken before an update, so only its own events print).
    func currentEventIDs(of stack: String) async throws -> Set<String> {
        Set(try await source.events(of: stack).map(\.eventID))
    }

    private func newEvents(of stack: String, seen: Set<String>) async throws -> [StackEventLine] {
        let events: [StackEventLine]
        do {
            events = try await source.events(of: stack)
        } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("does not exist") {
            return []
        }
        var fresh: [StackEventLine] = []
        var printed = seen
        for event in events.reversed() where !printed.contains(event.eventID) {
            printed.insert(event.eventID)
            fresh.append(event)
        }
        return fresh
    }
}

/// Reading the stack's progress failed (after the AWS client's own retries). The stack itself is
/// unaffected: `lastStatus` is where it stood when last seen, so the caller can say so.
struct StackWatchError: Error {
    /// The last status read, or the one the operation's own call left the stack in.
    var lastStatus: StackStatus?
    /// What failed (an `AWSError` or `AWSClientError`, reported with its E6xx code).
    var underlying: any Error
}

/// The first of several racing results, handed once to a continuation.
private final class FirstResult<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every field is only touched under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var result: Result<Value, any Error>?

    var isFinished: Bool { lock.withLock { result != nil } }

    /// Where the result goes; delivered at once if it is already known.
    func deliver(to continuation: CheckedContinuation<Value, any Error>) {
        let ready: Result<Value, any Error>? = lock.withLock {
            if let result { return result }
            self.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    /// Records `result` unless another came first, and resumes the waiting continuation.
    func finish(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = lock.withLock {
            guard self.result == nil else { return nil }
            self.result = result
            defer { self.continuation = nil }
            return self.continuation
        }
        waiting?.resume(with: result)
    }
}
