import Foundation
import SGTestSupport
import Testing

/// `check-drift --snapshot` through the built binary: no AWS at all, a saved
/// describe-security-groups JSON against the bundled globalbank config.
@Suite(.serialized) struct DriftSnapshotEndToEndTests {
    static let config = "globalbank-prod-c001-us-west-2"

    /// A scratch project with one fixture snapshot copied to `snapshots/NAME`.
    private func tool(with snapshot: String) throws -> ToolRunner {
        let tool = try ToolRunner()
        let text = try String(contentsOf: FixturePaths.root.appendingPathComponent("drift/\(snapshot)"), encoding: .utf8)
        try tool.write(text, to: "snapshots/\(snapshot)")
        return tool
    }

    @Test func inSyncSnapshotExitsZeroAndWritesBothReports() throws {
        let tool = try tool(with: "globalbank-in-sync.json")
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-in-sync.json"])
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stdout == "check-drift: globalbank-prod-c001-us-west-2 (snapshot snapshots/globalbank-in-sync.json): in sync (3 groups, 8 live rules checked)\n")
        #expect(outcome.stderr.isEmpty)
        let reports = try tool.reports()
        #expect(reports.contains("globalbank-prod-c001-us-west-2-drift-report.md"))
        #expect(reports.contains("globalbank-prod-c001-us-west-2-drift-report.json"))
        #expect(reports.contains { $0.hasPrefix("globalbank-prod-c001-us-west-2-sg-check-drift-") && $0.hasSuffix(".log") })
        let json = try tool.read("reports/globalbank-prod-c001-us-west-2-drift-report.json")
        #expect(json.contains(#""in_sync": true"#))
    }

    @Test func quietPrintsNothingWhenInSync() throws {
        let tool = try tool(with: "globalbank-in-sync.json")
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-in-sync.json", "--quiet"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.isEmpty)
    }

    @Test func driftedSnapshotExitsThreeNamingTheSSHRuleAsHigh() throws {
        let tool = try tool(with: "globalbank-drifted.json")
        defer { tool.cleanUp() }
        // --quiet must not hide drift: cron mails exactly when something is printed.
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-drifted.json", "--quiet"])
        #expect(outcome.exitCode == 3, "\(outcome.stdout)\n\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "check-drift: globalbank-prod-c001-us-west-2 (snapshot snapshots/globalbank-drifted.json): DRIFT: 1 added, 1 removed, 1 changed, 0 missing groups, 0 extra groups; worst added rule HIGH")
        #expect(lines.contains(
            #"    + ingress tcp/22 from 0.0.0.0/0  "temporary debug access"  HIGH: tcp port 22 (SSH) is open to 0.0.0.0/0 (every IPv4 address); remote administration from the internet invites brute force and exploits [SG-WORLD-ADMIN] (snapshots/globalbank-drifted.json:84:25)"#),
            "\(outcome.stdout)")
        #expect(lines.contains(
            #"    - ingress tcp/443 from ::/0  "HTTPS from internet IPv6"  removed out of band (configured at scenarios/three-tier-web.yaml:10:9)"#),
            "\(outcome.stdout)")
        #expect(lines.contains(
            #"    ~ ingress tcp/5432 from tier app  description "PostgreSQL from app tier only" -> "PostgreSQL from app" (snapshots/globalbank-drifted.json:155:25)"#),
            "\(outcome.stdout)")
        #expect(outcome.stdout.contains("not executed: review it, then run again with --force to apply it"))
        #expect(outcome.stdout.contains("1. RevokeSecurityGroupIngress on sg-0a00000000000app1"))
        #expect(outcome.stdout.contains("2. AuthorizeSecurityGroupIngress on sg-0a00000000000web1"))
    }

    @Test func jsonOutputIsOneDocument() throws {
        let tool = try tool(with: "globalbank-drifted.json")
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-drifted.json", "--output", "json"])
        #expect(outcome.exitCode == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["in_sync"] as? Bool == false)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["added"] as? Int == 1)
        #expect(summary["removed"] as? Int == 1)
        #expect(summary["changed"] as? Int == 1)
        #expect(summary["worst_added_risk"] as? String == "high")
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.map { $0["tier"] as? String } == ["web", "app", "db"])
        let added = try #require((groups[1]["added"] as? [[String: Any]])?.first)
        #expect(added["rule"] as? String == "ingress tcp/22 from 0.0.0.0/0")
        #expect(added["risk"] as? String == "high")
        #expect((added["findings"] as? [[String: Any]])?.first?["id"] as? String == "SG-WORLD-ADMIN")
        let plan = try #require(object["revert_plan"] as? [String: Any])
        #expect((plan["commands"] as? [Any])?.count == 2)
        #expect((object["errors"] as? [Any])?.isEmpty == true)
        // The file in reports/ is the same document without the run's diagnostics.
        let file = try tool.read("reports/globalbank-prod-c001-us-west-2-drift-report.json")
        let saved = try #require(try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any])
        #expect(saved["errors"] == nil)
        #expect((saved["summary"] as? [String: Any])?["added"] as? Int == 1)
    }

    @Test func reportsAreByteIdenticalAcrossRunsAndMatchGoldenFiles() throws {
        var texts: [[String]] = []
        for _ in 0..<2 {
            let tool = try tool(with: "globalbank-drifted.json")
            defer { tool.cleanUp() }
            _ = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-drifted.json"])
            texts.append(try ["md", "json"].map { try tool.read("reports/globalbank-prod-c001-us-west-2-drift-report.\($0)") })
        }
        #expect(texts[0] == texts[1])
        GoldenFiles.check(texts[0][0], against: "../drift/golden/globalbank-drifted-report.md")
        GoldenFiles.check(texts[0][1], against: "../drift/golden/globalbank-drifted-report.json")
    }

    @Test func forceWithSnapshotIsRefused() throws {
        let tool = try tool(with: "globalbank-drifted.json")
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/globalbank-drifted.json", "--force"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(
            "error: --force reverts live groups and cannot be used with --snapshot snapshots/globalbank-drifted.json; run check-drift without --snapshot to revert [E521]"),
            "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func unreadableSnapshotsAreErrorsWithLocations() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let missing = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/none.json"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("error: --snapshot: cannot read snapshots/none.json: no such file [E505]"), "\(missing.stderr)")

        try tool.write(#"{"Groups": []}"# + "\n", to: "snapshots/wrong.json")
        let wrong = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/wrong.json"])
        #expect(wrong.exitCode == 1)
        #expect(wrong.stderr.contains(
            "snapshots/wrong.json:1:1: error: expected the output of `aws ec2 describe-security-groups` (an object with a SecurityGroups list) [E701]"),
            "\(wrong.stderr)")

        // A permission the tool cannot read could hide drift: an error (exit 1), with the report still written.
        let text = try String(contentsOf: FixturePaths.root.appendingPathComponent("drift/globalbank-in-sync.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"FromPort\": 8443,\n                    \"ToPort\": 8443,\n                    \"IpRanges\": [],\n                    \"Ipv6Ranges\": [],\n                    \"PrefixListIds\": [],\n                    \"UserIdGroupPairs\": [\n                        {\n                            \"GroupId\": \"sg-0a00000000000web1\"",
                                  with: "\"FromPort\": 9443,\n                    \"ToPort\": 8443,\n                    \"IpRanges\": [],\n                    \"Ipv6Ranges\": [],\n                    \"PrefixListIds\": [],\n                    \"UserIdGroupPairs\": [\n                        {\n                            \"GroupId\": \"sg-0a00000000000web1\"")
        try tool.write(text, to: "snapshots/bad-ports.json")
        let bad = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "snapshots/bad-ports.json"])
        #expect(bad.exitCode == 1, "\(bad.stdout)\n\(bad.stderr)")
        #expect(bad.stderr.contains("error: invalid FromPort/ToPort 9443/8443 [E702]"), "\(bad.stderr)")
        #expect(try tool.reports().contains("globalbank-prod-c001-us-west-2-drift-report.md"))
    }
}
