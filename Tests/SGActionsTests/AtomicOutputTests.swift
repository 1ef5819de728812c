import Foundation
import SGActionKit
import SGActions
import SGTestSupport
import Testing

/// Outputs are replaced atomically (temporary file in the same directory, then rename) and only
/// inside the reports directory: a failed run leaves the previous file byte-identical and no
/// temporary file behind, and no name a config or command line can produce escapes reports/.
@Suite(.serialized) struct AtomicOutputTests {
    static let config = "globalbank-prod-c001-us-west-2"
    static let template = "reports/globalbank-prod-c001-us-west-2-sg-stack-template.yaml"

    /// Runs the binary through `/bin/sh` with a file-size limit of `blocks` × 1024 bytes and
    /// SIGXFSZ ignored, so a write past it fails with EFBIG, as on a full disk: a fault even
    /// root cannot wave through (root ignores permissions, not rlimits).
    private func runWithFileSizeLimit(_ tool: ToolRunner, blocks: Int, _ arguments: [String]) throws -> ToolRunner.Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let quoted = ([ToolRunner.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(blocks); exec " + quoted.joined(separator: " ")]
        process.currentDirectoryURL = tool.directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRunner.Outcome(exitCode: process.terminationStatus, stdout: "", stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Names in reports/ that only an interrupted or failed write would leave.
    private func leftovers(_ tool: ToolRunner) throws -> [String] {
        try tool.reports().filter { $0.hasPrefix(".") || $0.contains(".tmp") }
    }

    private func bytes(_ tool: ToolRunner, _ path: String) throws -> Data {
        try Data(contentsOf: tool.directory.appendingPathComponent(path))
    }

    @Test func aBrokenConfigLeavesThePreviousTemplateByteIdentical() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let first = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let before = try bytes(tool, Self.template)

        let original = try tool.read("configs/\(Self.config).yaml")
        try tool.write(original.replacingOccurrences(of: "region: us-west-2", with: "region: us-west2"), to: "configs/\(Self.config).yaml")
        let broken = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(broken.exitCode == 1)
        #expect(broken.stderr.contains("[E213]"))
        #expect(try bytes(tool, Self.template) == before)
        #expect(try leftovers(tool).isEmpty)
    }

    @Test func aWriteThatFailsHalfwayLeavesThePreviousTemplateAndNoTemporaryFile() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let first = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let before = try bytes(tool, Self.template)
        #expect(before.count > 4 * 1024, "the template must be larger than the file-size limit below")

        // A changed tag makes the new template differ, so a partial write could not pass as the old one.
        let original = try tool.read("configs/\(Self.config).yaml")
        try tool.write(original.replacingOccurrences(of: "owner: fraud-team", with: "owner: fraud-team-two"), to: "configs/\(Self.config).yaml")
        let failed = try runWithFileSizeLimit(tool, blocks: 4, ["-con", Self.config, "-act", "create-prov-template"])
        #expect(failed.exitCode == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("[E502]"), "\(failed.stderr)")
        #expect(failed.stderr.contains("File too large"), "the operating system's reason is shown: \(failed.stderr)")
        #expect(try bytes(tool, Self.template) == before)
        #expect(try leftovers(tool).isEmpty)

        // Without the fault the same run replaces the file in one step.
        let retry = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(retry.exitCode == 0)
        #expect(try tool.read(Self.template).contains("fraud-team-two"))
        #expect(try leftovers(tool).isEmpty)
    }

    @Test func aSymlinkPlantedInReportsIsReplacedNotFollowed() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outside = tool.directory.appendingPathComponent("outside.txt")
        try Data("precious\n".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(
            atPath: tool.directory.appendingPathComponent(Self.template).path, withDestinationPath: outside.path)
        let outcome = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: tool.directory.appendingPathComponent(Self.template).path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    }

    static let hostileNames = [
        "", ".", "..", "../x.yaml", "../../etc/passwd", "/etc/passwd", "a/b.yaml", "a\\b.yaml", ".hidden",
        "x..y", "name\0.yaml", "name\n.yaml", "tëmplate.yaml", "a b.yaml", "a;rm -rf.yaml", "$(id).yaml",
        "`id`.yaml", "a|b", "~root", "*.yaml", String(repeating: "a", count: 256),
    ]

    @Test(arguments: hostileNames)
    func hostileFileNamesAreRefused(_ name: String) throws {
        #expect(!ReportsDirectory.isSafeFileName(name))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sg-confine-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let reports = ReportsDirectory(path: scratch.appendingPathComponent("reports").path, fileSystem: LocalFileSystem())
        #expect(throws: FileSystemError.self) { try reports.write("x", named: name) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path), "nothing may be created for a refused name")
    }

    @Test(arguments: ["template.yaml", "globalbank-prod-c001-us-west-2-sg-stack-template.json", "a_b-c.1.log", String(repeating: "a", count: 255)])
    func plainFileNamesAreAccepted(_ name: String) {
        #expect(ReportsDirectory.isSafeFileName(name))
    }

    @Test(arguments: ["../../../tmp/evil", "/etc/passwd", "configs/../../x;rm -rf ~", "$(reboot)"])
    func aHostileConfigReferenceCannotSteerTheAuditLog(_ reference: String) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", reference, "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 1)
        // Not found (E201), or /etc/passwd read and refused as a config (E204): either way, an error.
        #expect(outcome.stderr.contains("[E201]") || outcome.stderr.contains("[E204]"), "\(outcome.stderr)")
        let reports = try tool.reports()
        #expect(reports.count == 1, "\(reports)")
        #expect(reports.allSatisfy { ReportsDirectory.isSafeFileName($0) && $0.hasSuffix(".log") })
        // Nothing was created next to the scratch project either.
        let top = try FileManager.default.contentsOfDirectory(atPath: tool.directory.path).sorted()
        #expect(top == ["configs", "reports", "scenarios"])
    }

    @Test func configValuesThatWouldFormHostileNamesAreRejectedBeforeAnyWrite() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let original = try tool.read("configs/\(Self.config).yaml")
        try tool.write(original.replacingOccurrences(of: "company_prefix: globalbank", with: "company_prefix: \"../../x\""),
                       to: "configs/\(Self.config).yaml")
        let outcome = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("[E212]"))
        #expect(try tool.reports().allSatisfy { $0.hasSuffix(".log") && ReportsDirectory.isSafeFileName($0) })
    }
}
