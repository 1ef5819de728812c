import Foundation
import SGActionKit
import SGTestSupport
import Testing

/// `-con DIR` / `-con 'GLOB'` through `FanOut`: one line per deployment plus a summary, exit
/// precedence failed > drifted > passed, `--quiet`, one JSON document, per-deployment reports and
/// audit logs, bounded concurrency with the same output whatever `--jobs`.
@Suite struct ManyConfigsTests {
    static let snapshot = "snapshots/globalbank-in-sync.json"

    /// A project whose configs/ holds: globalbank (in sync with the snapshot), a second
    /// deployment `c002` of the same company (all its groups missing: drift), and, when asked, a
    /// broken config (failed).
    static func project(broken: Bool) throws -> ToolRunner {
        let tool = try ToolRunner()
        let text = try String(contentsOf: FixturePaths.root.appendingPathComponent("drift/globalbank-in-sync.json"), encoding: .utf8)
        try tool.write(text, to: snapshot)
        for name in try FileManager.default.contentsOfDirectory(atPath: tool.directory.appendingPathComponent("configs").path)
        where name != "globalbank-prod-c001-us-west-2.yaml" {
            try FileManager.default.removeItem(at: tool.directory.appendingPathComponent("configs/\(name)"))
        }
        let globalbank = try tool.read("configs/globalbank-prod-c001-us-west-2.yaml")
        try tool.write(globalbank.replacingOccurrences(of: "deployment_id: c001", with: "deployment_id: c002"),
                       to: "configs/globalbank-prod-c002-us-west-2.yaml")
        if broken {
            try tool.write(globalbank.replacingOccurrences(of: "region: us-west-2", with: "region: us-west9"),
                           to: "configs/globalbank-prod-c003-us-west-2.yaml")
        }
        return tool
    }

    @Test func checkDriftOverADirectoryPrintsALinePerDeploymentAndFailedWinsOverDrifted() throws {
        let tool = try Self.project(broken: true)
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "configs", "-act", "check-drift", "--snapshot", Self.snapshot])
        #expect(outcome.exitCode == 1, "\(outcome.stdout)\n\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(outcome.stdout)")
        #expect(lines[0] == "in sync  globalbank-prod-c001-us-west-2 (configs/globalbank-prod-c001-us-west-2.yaml): 3 groups, 8 live rules checked; reports/globalbank-prod-c001-us-west-2-drift-report.md")
        #expect(lines[1].hasPrefix("drifted  globalbank-prod-c002-us-west-2 (configs/globalbank-prod-c002-us-west-2.yaml): 0 added, 0 removed, 0 changed, 3 missing groups"), "\(lines[1])")
        #expect(lines[2].hasPrefix("failed   configs/globalbank-prod-c003-us-west-2.yaml: configs/globalbank-prod-c003-us-west-2.yaml:5:9: unknown AWS region 'us-west9'"), "\(lines[2])")
        #expect(lines[2].hasSuffix("[E213]"), "the line names the first error: \(lines[2])")
        #expect(lines[3] == "check-drift: 3 deployments: 1 in sync, 1 drifted, 1 failed")
        // What a run on the failing and the drifted config alone prints, on stderr.
        #expect(outcome.stderr.contains("configs/globalbank-prod-c003-us-west-2.yaml:5:9: error: unknown AWS region 'us-west9'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("tier web: MISSING"), "\(outcome.stderr)")
        // Per-deployment reports and audit logs, as single runs write them.
        let reports = try tool.reports()
        #expect(reports.contains("globalbank-prod-c001-us-west-2-drift-report.json"))
        #expect(reports.contains("globalbank-prod-c002-us-west-2-drift-report.json"))
        #expect(reports.filter { $0.hasSuffix(".log") }.count == 3, "\(reports)")
    }

    @Test func driftedWithoutFailuresExitsThreeAndAllInSyncExitsZero() throws {
        let tool = try Self.project(broken: false)
        defer { tool.cleanUp() }
        let drifted = try tool.run(["-con", "configs/*.yaml", "-act", "check-drift", "--snapshot", Self.snapshot])
        #expect(drifted.exitCode == 3, "\(drifted.stdout)\n\(drifted.stderr)")
        #expect(drifted.stdout.hasSuffix("check-drift: 2 deployments: 1 in sync, 1 drifted\n"))
        let clean = try tool.run(["-con", "configs/globalbank-prod-c001*", "-act", "check-drift", "--snapshot", Self.snapshot])
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout.hasSuffix("check-drift: 1 deployment: 1 in sync\n"))
    }

    @Test func quietPrintsOnlyWhatDriftedOrFailedAndNothingWhenAllIsWell() throws {
        let tool = try Self.project(broken: true)
        defer { tool.cleanUp() }
        let noisy = try tool.run(["-con", "configs", "-act", "check-drift", "--snapshot", Self.snapshot, "--quiet"])
        #expect(noisy.exitCode == 1)
        let lines = noisy.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(noisy.stdout)")
        #expect(lines[0].hasPrefix("drifted  ") && lines[1].hasPrefix("failed   ") && lines[2].hasPrefix("check-drift: 3 deployments"))
        let quiet = try tool.run(["-con", "configs/globalbank-prod-c001*", "-act", "check-drift", "--snapshot", Self.snapshot, "--quiet"])
        #expect(quiet.exitCode == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
    }

    @Test func jsonOutputIsOneDocumentWithEveryDeploymentAndASummary() throws {
        let tool = try Self.project(broken: true)
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "configs", "-act", "check-drift", "--snapshot", Self.snapshot, "--output", "json"])
        #expect(outcome.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["action"] as? String == "check-drift")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["deployments": 3, "in_sync": 1, "drifted": 1, "failed": 1])
        let deployments = try #require(object["deployments"] as? [[String: Any]])
        #expect(deployments.map { $0["status"] as? String } == ["in_sync", "drifted", "failed"])
        #expect(deployments.map { $0["exit_code"] as? Int } == [0, 3, 1])
        #expect(deployments[0]["deployment"] as? String == "globalbank-prod-c001-us-west-2")
        #expect(deployments[0]["in_sync"] as? Bool == true)
        // The broken config's identity fields before the region read cleanly, but not the region:
        // no deployment name, the config path and the error instead.
        #expect(deployments[2]["config"] as? String == "configs/globalbank-prod-c003-us-west-2.yaml")
        let errors = try #require(deployments[2]["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? String == "E213")
        #expect(outcome.stderr.isEmpty, "with --output json the details are in the document: \(outcome.stderr)")
    }

    @Test func outputIsTheSameWhateverTheNumberOfJobs() throws {
        let tool = try Self.project(broken: true)
        defer { tool.cleanUp() }
        for name in ["d01", "d02", "d03", "d04", "d05", "d06"] {
            let text = try tool.read("configs/globalbank-prod-c001-us-west-2.yaml")
            try tool.write(text.replacingOccurrences(of: "deployment_id: c001", with: "deployment_id: \(name)"), to: "configs/x-\(name).yaml")
        }
        let one = try tool.run(["-con", "configs", "-act", "validate-prov-template", "--jobs", "1"])
        let many = try tool.run(["-con", "configs", "-act", "validate-prov-template", "--jobs", "8"])
        #expect(one.exitCode == 1 && many.exitCode == 1)
        #expect(one.stdout == many.stdout)
        #expect(one.stderr == many.stderr)
        #expect(one.stdout.hasSuffix("validate-prov-template: 9 deployments: 8 passed, 1 failed\n"), "\(one.stdout)")
    }

    @Test func validateOverAGlobIsTheCIGate() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "configs/*.yaml", "-act", "validate-prov-template", "--today", "2027-01-01"])
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("passed  acme-dev-d001-eu-west-1 (configs/acme-dev-d001-eu-west-1.yaml): 0 errors, 0 warnings; findings: "), "\(lines[0])")
        #expect(lines[4] == "validate-prov-template: 4 deployments: 4 passed")
        let json = try tool.run(["-con", "configs/*.yaml", "-act", "validate-prov-template", "--today", "2027-01-01", "--output", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["summary"] as? [String: Int] == ["deployments": 4, "passed": 4, "failed": 0])
        #expect(try tool.reports().filter { $0.hasSuffix(".log") }.count == 8, "two runs over four configs")
    }

    @Test(arguments: [
        ["-con", "configs", "-act", "create-prov-template"],
        ["-con", "configs/*.yaml", "-act", "create-review-report"],
        ["-con", "configs", "-act", "check-drift", "--force"],
    ])
    func otherActionsAndForceRefuseManyConfigsAsAUsageError(arguments: [String]) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(arguments)
        #expect(outcome.exitCode == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("sg-provisioner: error: "), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(try tool.reports().isEmpty, "a usage error writes no audit log")
    }

    @Test func aSelectionWithNoConfigIsAnError() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try FileManager.default.createDirectory(at: tool.directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let none = try tool.run(["-con", "configs/*.json", "-act", "validate-prov-template"])
        #expect(none.exitCode == 1)
        #expect(none.stderr.contains("error: -con: no file matches 'configs/*.json' [E530]"), "\(none.stderr)")
        #expect(none.stdout == "validate-prov-template: 0 deployments: 0 passed\n")
        let empty = try tool.run(["-con", "empty", "-act", "check-drift", "--output", "json"])
        #expect(empty.exitCode == 1)
        #expect(empty.stdout.contains("\"code\" : \"E530\"") || empty.stdout.contains("\"code\": \"E530\""), "\(empty.stdout)")
    }
}
