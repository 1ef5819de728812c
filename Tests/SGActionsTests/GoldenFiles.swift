import Foundation
import SGTestSupport
import Testing

/// Golden-file comparison: `RECORD_GOLDENS=1 make test` rewrites the expected files and the test
/// still fails once, so a person reviews `git diff` before the new output is accepted.
enum GoldenFiles {
    static let directory = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures/golden")

    static func check(_ actual: String, against relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(relativePath)
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: url)
            Issue.record("recorded golden file \(relativePath); review `git diff` and run the tests again", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(relativePath); run RECORD_GOLDENS=1 make test", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expectedLines.count, actualLines.count)
            let expectedLine = firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end of file>"
            let actualLine = firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end of file>"
            Issue.record(
                "\(relativePath) differs at line \(firstDifference + 1):\n  expected: \(expectedLine)\n  actual:   \(actualLine)",
                sourceLocation: sourceLocation)
        }
    }
}

/// Runs cfn-lint once over many templates and returns its error-level matches.
enum CfnLint {
    struct Match: CustomStringConvertible {
        var file: String
        var rule: String
        var level: String
        var message: String
        var description: String { "\(file): \(level) \(rule): \(message)" }
    }

    static func run(_ paths: [String]) throws -> [Match] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cfn-lint", "-f", "json", "--"] + paths
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            Issue.record("cfn-lint is not installed; `make test` installs it")
            return []
        }
        guard let list = try JSONSerialization.jsonObject(with: data.isEmpty ? Data("[]".utf8) : data) as? [[String: Any]] else {
            Issue.record("cfn-lint printed something that is not its JSON report")
            return []
        }
        return list.map { entry in
            let rule = (entry["Rule"] as? [String: Any])?["Id"] as? String ?? "?"
            let location = entry["Location"] as? [String: Any]
            return Match(
                file: location?["Filename"] as? String ?? "?", rule: rule,
                level: entry["Level"] as? String ?? "?", message: entry["Message"] as? String ?? "")
        }
    }
}
