import Foundation
import SGTestSupport
import Testing

/// One entry of Tests/Fixtures/bad/expected.json.
struct BadInputCase: Decodable, CustomTestStringConvertible, Sendable {
    /// The fixture's file name.
    let file: String
    /// "config" (run as `-con configs/FILE`) or "scenario" (named by a valid probe config).
    let kind: String
    /// The error code the tool must report.
    let code: String
    /// 1-based line and column of that error.
    let line: Int
    let column: Int
    /// The rule the file breaks, for people reading a failure.
    let why: String

    enum CodingKeys: String, CodingKey {
        case file, kind = "as", code, line, column, why
    }

    var testDescription: String { "\(file) (\(code): \(why))" }

    /// The path the tool reports the error in.
    var reportedPath: String { kind == "config" ? "configs/\(file)" : "scenarios/\(file)" }

    static let directory = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures/bad")

    /// Every case of the manifest (empty, and recorded as an issue, if it cannot be read).
    static let all: [BadInputCase] = {
        struct Manifest: Decodable { let cases: [BadInputCase] }
        let url = directory.appendingPathComponent("expected.json")
        guard let data = try? Data(contentsOf: url), let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            return []
        }
        return manifest.cases
    }()
}

/// The bad-input corpus through the built binary: every file fails with its pinned code at its
/// pinned file:line:column, exit code 1, and nothing but the audit log lands in reports/.
@Suite struct BadInputCorpusTests {
    /// The config every scenario case is reached through (valid, so only the scenario is at fault).
    static let probeConfig = """
        company_prefix: globalbank
        environment: prod
        deployment_id: c001
        region: us-west-2
        vpc_id: vpc-0a1b2c3d4e5f67890
        vpc_cidr: 10.0.0.0/16
        scenario: SCENARIO
        tags:
          owner: fraud-team

        """

    @Test func theCorpusIsLargeAndEveryFileIsListed() throws {
        #expect(BadInputCase.all.count >= 80, "the manifest must list at least 80 bad inputs")
        let files = try FileManager.default.contentsOfDirectory(atPath: BadInputCase.directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == BadInputCase.all.map(\.file).sorted(), "every fixture needs a manifest entry and vice versa")
        #expect(Set(BadInputCase.all.map(\.code)).count >= 45, "the corpus should cover most input error codes")
    }

    @Test(arguments: BadInputCase.all)
    func badInputFailsWithItsCodeAtItsLocation(_ input: BadInputCase) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let bytes = try [UInt8](Data(contentsOf: BadInputCase.directory.appendingPathComponent(input.file)))
        let configPath: String
        if input.kind == "config" {
            configPath = "configs/\(input.file)"
            try tool.write(bytes: bytes, to: configPath)
        } else {
            let stem = String(input.file.dropLast(".yaml".count))
            try tool.write(bytes: bytes, to: "scenarios/\(input.file)")
            configPath = "configs/probe-\(stem).yaml"
            try tool.write(Self.probeConfig.replacingOccurrences(of: "SCENARIO", with: stem), to: configPath)
        }
        let outcome = try tool.run(["-con", configPath, "-act", "validate-prov-template", "--no-color"])

        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let header = "\(input.reportedPath):\(input.line):\(input.column): error: "
        let matching = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix(header) && $0.hasSuffix("[\(input.code)]") }
        #expect(matching.count >= 1, "wanted \(header)... [\(input.code)] in:\n\(outcome.stderr)")
        // A message is one line: no control character from the input reaches the terminal.
        #expect(!outcome.stderr.unicodeScalars.contains { $0.value == 0x1B || (0x80..<0xA0).contains($0.value) })

        let reports = try tool.reports()
        // Exactly the audit log: no template, no report, no temporary or hidden file left behind.
        #expect(reports.count == 1, "only the audit log may be written: \(reports)")
        #expect(reports.allSatisfy { $0.contains("-sg-validate-prov-template-") && $0.hasSuffix(".log") && !$0.hasPrefix(".") }, "\(reports)")
    }
}
