import Foundation
import SGTestSupport
import Testing

/// Paths from anywhere: a config's project is the directory above its `configs/` (or its own
/// directory); scenarios are read and reports written there, whatever the working directory, and
/// nothing is created where the tool happens to run.
@Suite struct PathsFromAnywhereTests {
    static let config = "globalbank-prod-c001-us-west-2"

    /// An empty directory to run from (cron runs from `$HOME`, or `/`).
    static func elsewhere() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sg-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func contents(_ url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    @Test func anAbsoluteConfigFromAnotherDirectoryReadsItsProjectsScenariosAndWritesItsReports() throws {
        let tool = try ToolRunner(), cwd = try Self.elsewhere()
        defer { tool.cleanUp(); try? FileManager.default.removeItem(at: cwd) }
        let path = tool.directory.appendingPathComponent("configs/\(Self.config).yaml").path
        let outcome = try tool.run(["-con", path, "-act", "create-prov-template"], workingDirectory: cwd)
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(Self.contents(cwd).isEmpty, "nothing may be created in the working directory: \(Self.contents(cwd))")
        let reports = try tool.reports()
        #expect(reports.contains("\(Self.config)-sg-stack-template.yaml"), "\(reports)")
        #expect(reports.contains { $0.hasPrefix("\(Self.config)-sg-create-prov-template-") && $0.hasSuffix(".log") })
        let log = try tool.read("reports/" + reports.first { $0.hasSuffix(".log") }!)
        #expect(log.contains("config: \(path)"))
        #expect(log.contains("read \(tool.directory.path)/scenarios/three-tier-web.yaml"), "\(log)")
    }

    @Test func aConfigOutsideAConfigsDirectoryIsItsOwnProject() throws {
        let tool = try ToolRunner(), cwd = try Self.elsewhere()
        defer { tool.cleanUp(); try? FileManager.default.removeItem(at: cwd) }
        try tool.write(try tool.read("configs/\(Self.config).yaml"), to: "team/\(Self.config).yaml")
        try tool.write(try tool.read("scenarios/three-tier-web.yaml"), to: "team/scenarios/three-tier-web.yaml")
        let path = tool.directory.appendingPathComponent("team/\(Self.config).yaml").path
        let outcome = try tool.run(["-con", path, "-act", "validate-prov-template", "--quiet"], workingDirectory: cwd)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(Self.contents(tool.directory.appendingPathComponent("team/reports")).count == 1)
        #expect(Self.contents(cwd).isEmpty)
    }

    @Test func scenariosDirAndReportsDirOverrideTheProject() throws {
        let tool = try ToolRunner(), cwd = try Self.elsewhere()
        defer { tool.cleanUp(); try? FileManager.default.removeItem(at: cwd) }
        try tool.write(try tool.read("scenarios/three-tier-web.yaml"), to: "shared/three-tier-web.yaml")
        try FileManager.default.removeItem(at: tool.directory.appendingPathComponent("scenarios"))
        let config = tool.directory.appendingPathComponent("configs/\(Self.config).yaml").path
        let reports = cwd.appendingPathComponent("out/reports").path
        let outcome = try tool.run([
            "-con", config, "-act", "validate-prov-template", "--quiet",
            "--scenarios-dir", tool.directory.appendingPathComponent("shared").path, "--reports-dir", reports,
        ], workingDirectory: cwd)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(Self.contents(URL(fileURLWithPath: reports)).count == 1, "the audit log goes to --reports-dir")
        #expect(try tool.reports().isEmpty, "nothing in the project's reports/ when --reports-dir says otherwise")
    }

    @Test func aMissingScenarioIsLookedUpInTheProjectAndNamedWithItsPath() throws {
        let tool = try ToolRunner(), cwd = try Self.elsewhere()
        defer { tool.cleanUp(); try? FileManager.default.removeItem(at: cwd) }
        try FileManager.default.removeItem(at: tool.directory.appendingPathComponent("scenarios/three-tier-web.yaml"))
        let config = tool.directory.appendingPathComponent("configs/\(Self.config).yaml").path
        let outcome = try tool.run(["-con", config, "-act", "validate-prov-template"], workingDirectory: cwd)
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("\(tool.directory.path)/scenarios/three-tier-web.yaml does not exist [E227]"), "\(outcome.stderr)")
        #expect(Self.contents(cwd).isEmpty)
    }

    @Test func aConfigPathThatNamesNothingCreatesNothingAnywhere() throws {
        let cwd = try Self.elsewhere()
        defer { try? FileManager.default.removeItem(at: cwd) }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let ghost = cwd.appendingPathComponent("ghost/configs/x.yaml").path
        let outcome = try tool.run(["-con", ghost, "-act", "validate-prov-template"], workingDirectory: cwd)
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.hasPrefix("\(ghost):1:1: error: config file '"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("does not exist [E201]"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("warning: no audit log written"), "the run says where its log is not: \(outcome.stderr)")
        #expect(Self.contents(cwd).isEmpty, "\(Self.contents(cwd))")
        let bare = try tool.run(["-con", "nope", "-act", "validate-prov-template"], workingDirectory: cwd)
        #expect(bare.exitCode == 1)
        #expect(Self.contents(cwd).isEmpty, "a bare name with no configs/ here has no project: \(Self.contents(cwd))")
    }

    /// The README's cron line, run as cron runs it: from `$HOME`, with only `PATH` and `HOME` in
    /// the environment. Only the binary's path and the local AWS settings (moto's endpoint and
    /// test keys) are substituted; the config path is the README's own. When that project
    /// directory cannot be laid out here (not root, or it exists already), it is moved to a scratch
    /// directory, and that is the only other change.
    @Test func theReadmeCronLineWorksUnderCronsEnvironment() async throws {
        let readme = try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let cronLine = try #require(readme.split(separator: "\n").first { $0.contains("/usr/local/bin/sg-provisioner") && $0.contains("check-drift") })
        let fields = cronLine.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // Five schedule fields, then the command.
        #expect(fields.count > 6 && fields[5] == "/usr/local/bin/sg-provisioner", "\(cronLine)")
        var command = fields.dropFirst(5).joined(separator: " ")
        let configIndex = try #require(fields.firstIndex(of: "-con")) + 1
        let configPath = fields[configIndex]
        #expect(configPath.hasPrefix("/") && configPath.contains("/configs/"), "the cron line must use an absolute -con: \(configPath)")
        let readmeProject = String(configPath[..<configPath.range(of: "/configs/")!.lowerBound])

        var project = URL(fileURLWithPath: readmeProject)
        let fileManager = FileManager.default
        var madeReadmeProject = false
        if !fileManager.fileExists(atPath: readmeProject), (try? fileManager.createDirectory(atPath: readmeProject, withIntermediateDirectories: true)) != nil {
            madeReadmeProject = true
        } else {
            project = try Self.elsewhere()
            command = command.replacingOccurrences(of: readmeProject, with: project.path)
        }
        defer { if madeReadmeProject || !project.path.hasPrefix(readmeProject) { try? fileManager.removeItem(at: project) } }
        for folder in ["configs", "scenarios"] {
            try fileManager.copyItem(at: ToolRunner.packageRoot.appendingPathComponent(folder), to: project.appendingPathComponent(folder))
        }
        command = command.replacingOccurrences(of: "/usr/local/bin/sg-provisioner", with: ToolRunner.binary.path)

        let home = try Self.elsewhere()
        defer { try? fileManager.removeItem(at: home) }
        let moto = try await MotoServer.shared()
        let outcome = try ToolRunner.shell(command, environment: [
            "PATH": "/usr/bin:/bin", "HOME": home.path,
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        ], in: home)
        // Whatever moto holds for this deployment, the run must get as far as comparing: in sync
        // (0) or drift (3), never an input or path error (1).
        #expect(outcome.exitCode == 0 || outcome.exitCode == 3, "\(command)\n\(outcome.stdout)\n\(outcome.stderr)")
        #expect(!outcome.stderr.contains("does not exist"), "\(outcome.stderr)")
        #expect(Self.contents(home).isEmpty, "cron's working directory stays empty: \(Self.contents(home))")
        let reports = Self.contents(project.appendingPathComponent("reports"))
        #expect(reports.contains("globalbank-prod-c001-us-west-2-drift-report.md"), "\(reports)")
        #expect(reports.contains { $0.hasPrefix("globalbank-prod-c001-us-west-2-sg-check-drift-") && $0.hasSuffix(".log") }, "\(reports)")
    }
}
