import Foundation
import SGActionKit
import SGTestSupport
import Synchronization
import Testing

@testable import SGActions

/// Audit logs are never lost: a name taken in the same millisecond gets a suffix (created with
/// O_EXCL semantics, never overwritten), and a run whose stdout is closed still writes its
/// complete log and exits with its verdict's code.
@Suite struct AuditLogDeliveryTests {
    static let config = "globalbank-prod-c001-us-west-2"

    @Test func twentyRunsInTheSameMillisecondLeaveTwentyLogs() async throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let instant = Date(timeIntervalSince1970: 1_780_000_000.057)
        let environment = ActionEnvironment(
            fileSystem: LocalFileSystem(), now: { instant }, variables: [:], writeOut: { _ in }, writeErr: { _ in },
            isTerminal: false, toolVersion: "test")
        var template = ActionRequest(action: .validateProvTemplate)
        template.config = tool.directory.appendingPathComponent("configs/\(Self.config).yaml").path
        let request = template
        let codes = await withTaskGroup(of: Int32.self) { group in
            for _ in 0..<20 { group.addTask { await ActionRunner(environment: environment).run(request) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(codes == Array(repeating: 0, count: 20))
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        let base = "\(Self.config)-sg-validate-prov-template-\(AuditLog.timestamp(instant))"
        #expect(logs.count == 20, "\(logs)")
        #expect(Set(logs) == Set([base + ".log"] + (2...20).map { "\(base)-\($0).log" }), "\(logs)")
        for log in logs { #expect(try tool.read("reports/\(log)").hasSuffix("exit 0\n"), "\(log) is complete") }
    }

    @Test func twentyParallelProcessesLeaveTwentyLogs() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            do {
                let outcome = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--quiet"])
                if outcome.exitCode != 0 { failures.withLock { $0.append(outcome.stderr) } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 20, "\(logs)")
        let pattern = #/^globalbank-prod-c001-us-west-2-sg-validate-prov-template-\d{8}_\d{6}_\d{3}(-\d+)?\.log$/#
        #expect(logs.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(logs)")
    }

    /// `| head -1` closes the pipe after one line while the tool still has hundreds of KB to
    /// print: the run must neither die of SIGPIPE (exit 141) nor lose its log.
    @Test func aClosedStdoutStillGetsTheLogAndTheVerdictsExitCode() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(BoundedWorkTests.manyFindingsScenario(tiers: 60, rulesPerTier: 20), to: "scenarios/many.yaml")
        try tool.write(BoundedWorkTests.config(scenario: "many"), to: "configs/many.yaml")
        let script = "\"$0\" -con many -act validate-prov-template | head -1; echo \"tool=${PIPESTATUS[0]} head=${PIPESTATUS[1]}\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, ToolRunner.binary.path]
        process.currentDirectoryURL = tool.directory
        process.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "\(text.prefix(2000))")
        #expect(lines.last == "tool=1 head=0", "the verdict's code (high findings fail), not 141: \(text.suffix(200))")
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 1)
        let log = try tool.read("reports/\(try #require(logs.first))")
        #expect(log.contains("result: failed"))
        #expect(log.hasSuffix("exit 1\n"), "the log is complete")
    }
}
