import Foundation
import SGAWSServices
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGDeploy

/// A scripted CloudFormation: each poll returns the next status; events accumulate.
private final class ScriptedProgress: StackProgressSource, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [(StackStatus, String?)?]
    private var eventsByPoll: [[StackEventLine]]
    private var poll = 0

    init(_ script: [((String, String?)?, [StackEventLine])]) {
        statuses = script.map { $0.0.map { (StackStatus($0.0), $0.1) } }
        eventsByPoll = script.map(\.1)
    }

    func status(of stack: String) async throws -> (status: StackStatus, reason: String?)? {
        lock.withLock {
            let index = min(poll, statuses.count - 1)
            poll += 1
            return statuses[index]
        }
    }

    func events(of stack: String) async throws -> [StackEventLine] {
        // Newest first, everything up to the current poll, like DescribeStackEvents.
        lock.withLock { eventsByPoll.prefix(max(1, poll)).flatMap { $0 }.reversed() }
    }
}

private func event(_ id: String, _ second: Int, _ logicalID: String, _ status: String, _ reason: String? = nil) -> StackEventLine {
    StackEventLine(
        eventID: id, timestamp: Date(timeIntervalSince1970: 1_777_975_154 + Double(second)), logicalID: logicalID,
        resourceType: logicalID == "s" ? "AWS::CloudFormation::Stack" : "AWS::EC2::SecurityGroup", status: status, reason: reason)
}

private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ line: String) { lock.lock(); storage.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}

@Suite struct StackWatcherTests {
    private func watcher(_ source: ScriptedProgress, lines: Lines, interrupt: InterruptFlag = InterruptFlag(), clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 0) }) -> StackWatcher {
        StackWatcher(source: source, print: { lines.append($0) }, now: clock, sleep: { _ in }, interrupt: interrupt)
    }

    @Test func printsEachNewEventOnceInTimeOrderWithAWSTimestamps() async throws {
        let source = ScriptedProgress([
            (("CREATE_IN_PROGRESS", nil), [event("e1", 0, "s", "CREATE_IN_PROGRESS", "User Initiated")]),
            (("CREATE_IN_PROGRESS", nil), [event("e2", 3, "AppSecurityGroup", "CREATE_IN_PROGRESS")]),
            (("CREATE_COMPLETE", nil), [event("e3", 9, "AppSecurityGroup", "CREATE_COMPLETE"), event("e4", 10, "s", "CREATE_COMPLETE")]),
        ])
        let lines = Lines()
        let outcome = try await watcher(source, lines: lines).wait(for: "s", seen: ["old"], timeout: 60)
        #expect(outcome == .finished(StackStatus("CREATE_COMPLETE"), reason: nil, failures: []))
        #expect(lines.all == [
            "  2026-05-05T09:59:14Z  CREATE_IN_PROGRESS  AWS::CloudFormation::Stack  s  User Initiated\n",
            "  2026-05-05T09:59:17Z  CREATE_IN_PROGRESS  AWS::EC2::SecurityGroup  AppSecurityGroup\n",
            "  2026-05-05T09:59:23Z  CREATE_COMPLETE  AWS::EC2::SecurityGroup  AppSecurityGroup\n",
            "  2026-05-05T09:59:24Z  CREATE_COMPLETE  AWS::CloudFormation::Stack  s\n",
        ])
    }

    @Test func rollbackCarriesTheFailingResourceAndItsReason() async throws {
        let failed = event("e2", 2, "DbSecurityGroup", "CREATE_FAILED", "Resource handler returned message: \"The vpc ID 'vpc-1' does not exist\"")
        let source = ScriptedProgress([
            (("ROLLBACK_COMPLETE", "The following resource(s) failed to create: [DbSecurityGroup]."),
             [event("e1", 0, "s", "CREATE_IN_PROGRESS"), failed, event("e3", 5, "s", "ROLLBACK_COMPLETE")]),
        ])
        let outcome = try await watcher(source, lines: Lines()).wait(for: "s", seen: [], timeout: 60)
        #expect(outcome == .finished(StackStatus("ROLLBACK_COMPLETE"), reason: "The following resource(s) failed to create: [DbSecurityGroup].", failures: [failed]))
        #expect(StackStatus("ROLLBACK_COMPLETE").isFailure)
    }

    @Test func previousEventsOfAnUpdateAreNotPrinted() async throws {
        let source = ScriptedProgress([(("UPDATE_COMPLETE", nil), [event("old", 0, "s", "CREATE_COMPLETE"), event("new", 5, "s", "UPDATE_COMPLETE")])])
        let lines = Lines()
        _ = try await watcher(source, lines: lines).wait(for: "s", seen: ["old"], timeout: 60)
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("UPDATE_COMPLETE") == true)
    }

    @Test func aDeletedStackIsGone() async throws {
        let source = ScriptedProgress([(("DELETE_IN_PROGRESS", nil), []), (nil, [])])
        #expect(try await watcher(source, lines: Lines()).wait(for: "s", seen: [], timeout: 60) == .gone)
    }

    @Test func waitingIsBoundedByTheTimeLimit() async throws {
        let source = ScriptedProgress([(("UPDATE_IN_PROGRESS", nil), [])])
        let start = Date(timeIntervalSince1970: 0)
        let ticks = Lines()
        let clock: @Sendable () -> Date = {
            ticks.append("t")
            return start.addingTimeInterval(Double(ticks.all.count) * 60)
        }
        let outcome = try await watcher(source, lines: Lines(), clock: clock).wait(for: "s", seen: [], timeout: 300)
        #expect(outcome == .timedOut(StackStatus("UPDATE_IN_PROGRESS")))
    }

    @Test func ctrlCStopsWatchingNotTheStack() async throws {
        let source = ScriptedProgress([(("CREATE_IN_PROGRESS", nil), [])])
        let interrupt = InterruptFlag()
        interrupt.raise()
        let outcome = try await watcher(source, lines: Lines(), interrupt: interrupt).wait(for: "s", seen: [], timeout: 600)
        #expect(outcome == .interrupted(StackStatus("CREATE_IN_PROGRESS")))
    }
}
