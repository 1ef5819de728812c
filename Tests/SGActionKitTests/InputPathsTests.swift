import Foundation
import Testing

@testable import SGActionKit

/// `--template`/`--snapshot` inputs: files, directories, globs and repeats, on a real directory tree.
@Suite struct InputPathsTests {
    /// A scratch tree:
    ///   a.yaml, b.json, notes.txt, .hidden.yaml
    ///   sub/c.yml, sub/d.template, sub/deeper/e.YAML, sub/.git/f.yaml
    ///   empty/
    static func tree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sg-inputs-\(UUID().uuidString)")
        for file in ["a.yaml", "b.json", "notes.txt", ".hidden.yaml", "sub/c.yml", "sub/d.template", "sub/deeper/e.YAML", "sub/.git/f.yaml"] {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        return root
    }

    static let templates = InputPaths(fileSystem: LocalFileSystem(), extensions: ["yaml", "yml", "json", "template"])

    static func relative(_ paths: [String], to root: URL) -> [String] {
        paths.map { $0.hasPrefix(root.path + "/") ? String($0.dropFirst(root.path.count + 1)) : $0 }
    }

    @Test func aDirectoryIsWalkedForTemplatesInPathOrderSkippingHiddenEntries() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let (files, problems) = Self.templates.expand([root.path])
        #expect(Self.relative(files, to: root) == ["a.yaml", "b.json", "sub/c.yml", "sub/d.template", "sub/deeper/e.YAML"])
        #expect(problems.isEmpty)
    }

    @Test func globsMatchPerComponentAndDoubleStarCrossesDirectories() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Self.relative(Self.templates.expand([root.path + "/*.yaml"]).files, to: root) == ["a.yaml"])
        #expect(Self.relative(Self.templates.expand([root.path + "/**/*.y*ml"]).files, to: root) == ["a.yaml", "sub/c.yml"])
        #expect(Self.relative(Self.templates.expand([root.path + "/s?b"]).files, to: root) == ["sub/c.yml", "sub/d.template", "sub/deeper/e.YAML"])
        #expect(Self.relative(Self.templates.expand([root.path + "/[ab].*"]).files, to: root) == ["a.yaml", "b.json"])
    }

    @Test func repeatsKeepTheFirstMentionAndFilesAreTakenWhateverTheirName() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let (files, problems) = Self.templates.expand([root.path + "/notes.txt", root.path + "/sub", root.path + "/sub/c.yml", root.path + "/a.yaml"])
        #expect(Self.relative(files, to: root) == ["notes.txt", "sub/c.yml", "sub/d.template", "sub/deeper/e.YAML", "a.yaml"])
        #expect(problems.isEmpty)
    }

    @Test func whatNamesNoFileIsAProblemAndAMissingPathIsLeftForTheRead() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let (files, problems) = Self.templates.expand([root.path + "/*.xml", root.path + "/empty", root.path + "/missing.yaml"])
        #expect(Self.relative(files, to: root) == ["missing.yaml"])
        #expect(problems.map(\.description) == [
            "no file matches '\(root.path)/*.xml'",
            "directory \(root.path)/empty holds no *.yaml, *.yml, *.json, *.template file",
        ])
    }
}
