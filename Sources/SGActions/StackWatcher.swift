import Foundation
import SGAWS

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
final class InterruptFlag: @unchecked Sendable {
    // @unchecked: `raised` is only touched under `lock`.
    private let lock = NSLock()
    private var raised = false
    private var source: DispatchSourceSignal?

    var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Routes SIGINT to this flag until `uninstall()`; the default action (exit) is restored then.
    func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.raise() }
        source.resume()
        lock.lock()
        self.source = source
        lock.unlock()
    }

    func uninstall() {
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
    func wait(for stack: String, seen initial: Set<String>, timeout: TimeInterval) async throws -> StackWaitOutcome {
        let deadline = now().addingTimeInterval(timeout)
        var seen = initial
        var failures: [StackEventLine] = []
        var lastStatus: StackStatus?
        while true {
            let state = try await source.status(of: stack)
            // Events after the status: an event that appears between the two calls is printed on
            // the next round rather than lost.
            let fresh = try await newEvents(of: stack, seen: &seen)
            for event in fresh {
                print(event.rendered + "\n")
                if event.isFailure, event.reason != nil { failures.append(event) }
            }
            guard let state else { return .gone }
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

    /// The ids of all current events (taken before an update, so only its own events print).
    func currentEventIDs(of stack: String) async throws -> Set<String> {
        Set(try await source.events(of: stack).map(\.eventID))
    }

    private func newEvents(of stack: String, seen: inout Set<String>) async throws -> [StackEventLine] {
        let events: [StackEventLine]
        do {
            events = try await source.events(of: stack)
        } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("does not exist") {
            return []
        }
        var fresh: [StackEventLine] = []
        for event in events.reversed() where !seen.contains(event.eventID) {
            seen.insert(event.eventID)
            fresh.append(event)
        }
        return fresh
    }
}
