import Foundation
import Testing

@testable import SGCloudFormation

/// The three-tier example against checked-in output. `RECORD_GOLDENS=1` rewrites the files and
/// still fails once, so a person reviews the `git diff`.
@Suite struct GoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/cloudformation")

    @Test(arguments: ["yaml", "json"])
    func threeTierMatchesGolden(format: String) throws {
        try Self.expectGolden(compiler.compile(SampleDeployments.threeTier), "three-tier-web", format: format)
    }

    /// The main stack of `compiled` rendered in `format` against `Fixtures/cloudformation/NAME.FORMAT`.
    static func expectGolden(_ compiled: CompilationResult, _ name: String, format: String) throws {
        let template = try #require(compiled.mainStack?.template)
        let actual = format == "yaml" ? template.renderYAML() : template.renderJSON()
        let file = fixtures.appendingPathComponent("\(name).\(format)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("recorded \(file.path); review the diff and run again")
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(file.path) differs; RECORD_GOLDENS=1 rewrites it")
    }
}
