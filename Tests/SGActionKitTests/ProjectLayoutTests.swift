import Foundation
import Testing

@testable import SGActionKit
import SGIO

/// Where a run reads scenarios and writes reports, from the config's path alone.
@Suite struct ProjectLayoutTests {
    /// A tree: p/configs/a.yaml, p/scenarios/, team/b.yaml, team/scenarios/, loose/c.yaml.
    static func tree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sg-layout-\(UUID().uuidString)")
        for file in ["p/configs/a.yaml", "team/b.yaml", "loose/c.yaml"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x: 1\n".utf8).write(to: url)
        }
        for directory in ["p/scenarios", "team/scenarios"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        return root
    }

    static func layout(_ config: String?, scenarios: String? = nil, reports: String? = nil) -> ProjectLayout {
        var request = ActionRequest(action: .validateProvTemplate)
        request.config = config
        request.scenariosDirectory = scenarios
        request.reportsDirectory = reports
        return ProjectLayout.resolve(request, fileSystem: LocalFileSystem())
    }

    @Test func theProjectIsAboveConfigsOrTheConfigsOwnDirectoryWhenItLooksLikeOne() throws {
        let root = try Self.tree().path
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(Self.layout("\(root)/p/configs/a.yaml") == ProjectLayout(
            configPath: "\(root)/p/configs/a.yaml", project: "\(root)/p",
            scenariosDirectory: "\(root)/p/scenarios", reportsDirectory: "\(root)/p/reports"))
        #expect(Self.layout("\(root)/team/b.yaml").project == "\(root)/team")
        #expect(Self.layout("\(root)/loose/c.yaml").project == nil, "no configs/, scenarios/ or reports/: no project")
        #expect(Self.layout("\(root)/p/configs/missing.yaml").project == "\(root)/p", "an existing configs/ still names the project")
        #expect(Self.layout("\(root)/ghost/configs/x.yaml").project == nil)
        #expect(Self.layout("/dev/zero").project == nil)
        #expect(Self.layout(nil).project == ".", "actions without a config work where they are run")
    }

    @Test func optionsWinAndRelativePathsStayRelative() throws {
        let root = try Self.tree().path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let given = Self.layout("\(root)/p/configs/a.yaml", scenarios: "/s", reports: "/r")
        #expect(given.scenariosDirectory == "/s" && given.reportsDirectory == "/r")
        #expect(ProjectLayout.projectDirectory(ofConfig: "configs/a.yaml", isRegularFile: true, fileSystem: InMemoryDirectories(["configs"])) == ".")
        #expect(ProjectLayout.join(".", "scenarios") == "scenarios")
        #expect(ProjectLayout.parent(of: "/a.yaml") == "/")
        #expect(ProjectLayout.parent(of: "a.yaml") == ".")
    }
}

/// Directories that exist, and nothing else.
private struct InMemoryDirectories: FileSystem {
    let directories: Set<String>
    init(_ directories: Set<String>) { self.directories = directories }
    func read(_ path: String, limit: Int) throws(BoundedRead.Failure) -> [UInt8] { throw .notFound(path: path) }
    func fileExists(_ path: String) -> Bool { false }
    func directoryExists(_ path: String) -> Bool { directories.contains(path) }
    func createDirectory(_ path: String) throws(FileSystemError) {}
    func list(_ directory: String) throws -> [String] { [] }
    func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {}
    func createNew(_ bytes: [UInt8], at path: String) throws(FileSystemError) {}
}
