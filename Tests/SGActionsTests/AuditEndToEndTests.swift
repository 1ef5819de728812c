import Foundation
import SGTestSupport
import Testing

/// audit-security-groups through the built binary: templates judged as AWS would create them, and
/// many templates in one run.
@Suite(.serialized) struct AuditEndToEndTests {
    static let fixtures = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures")
    static func audit(_ name: String) -> String { fixtures.appendingPathComponent("audit/\(name)").path }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text.prefix(300))")
    }

    /// `ID tier line:column rule`, one per finding.
    static func findings(_ document: [String: Any]) -> [String] {
        (document["findings"] as? [[String: Any]] ?? []).map { finding in
            let location = finding["location"] as? [String: Any]
            return "\(finding["id"] as? String ?? "?") \(finding["tier"] as? String ?? "?") \(location?["line"] as? Int ?? 0):\(location?["column"] as? Int ?? 0) \(finding["rule"] as? String ?? "-")"
        }
    }

    static func descriptions(_ document: [String: Any]) -> [String] {
        (document["findings"] as? [[String: Any]] ?? []).compactMap { $0["description"] as? String }
    }

    // MARK: - Judged as AWS would create it

    @Test func hostBitsAreClearedThenJudgedWithAWarningNamingTheNetwork() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = Self.audit("host-bits-ssh.yaml")
        let text = try tool.run(["-act", "audit-security-groups", "--template", path])
        #expect(text.exitCode == 1)
        #expect(text.stderr.contains("\(path):11:64: warning: CidrIp '203.0.113.7/0' in BastionSecurityGroup has host bits set; EC2 stores the network 0.0.0.0/0, and that is what is judged [W702]"), "\(text.stderr)")
        #expect(text.stderr.contains("\(path):12:39: warning: CidrIp '1.2.3.5/16' in BastionSecurityGroup has host bits set; EC2 stores the network 1.2.0.0/16, and that is what is judged [W702]"))
        let document = try Self.json(try tool.run(["-act", "audit-security-groups", "--template", path, "--output", "json"]).stdout)
        #expect(Self.findings(document) == [
            "SG-WORLD-ADMIN BastionSecurityGroup 11:64 ingress tcp/22 from 0.0.0.0/0",
            "SG-PUBLIC-WIDE-CIDR BastionSecurityGroup 12:39 ingress all traffic from 1.2.0.0/16",
        ])
    }

    @Test func groupsCreatedWithoutEgressGetAWSsAllowAllAndStandaloneEgressRemovesIt() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", Self.audit("default-egress.yaml"), "--output", "json"])
        let document = try Self.json(outcome.stdout)
        #expect(Self.findings(document) == [
            "SG-EGRESS-WORLD-ALL EmptyList 11:3 egress all traffic to 0.0.0.0/0",
            "SG-EGRESS-WORLD-ALL RemovedByCondition 16:3 egress all traffic to 0.0.0.0/0",
            "SG-EGRESS-WORLD-ALL NoEgressAtAll 34:3 egress all traffic to 0.0.0.0/0",
        ], "StandaloneOnly keeps no default: its standalone egress removes it (DefaultEgress)")
        #expect(Self.descriptions(document)[1].hasSuffix("(when Restricted = no (an AllowedValue) the group is created without egress)"))
        #expect(outcome.exitCode == 0, "medium findings pass --fail-on high")
    }

    @Test func everyDeploymentIsJudgedAndTheWorstIsReportedWithItsValue() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", Self.audit("every-deployment.yaml"), "--output", "json"])
        let document = try Self.json(outcome.stdout)
        #expect(Self.findings(document) == [
            "SG-WORLD-DB AppSecurityGroup 26:68 ingress tcp/5432 from 0.0.0.0/0",
            "SG-WORLD-DB AppSecurityGroup 28:68 ingress tcp/6379 from 0.0.0.0/0",
            "SG-WORLD-ADMIN AppSecurityGroup 25:83 ingress tcp/3389 from 0.0.0.0/0",
            "SG-WORLD-ADMIN AppSecurityGroup 27:64 ingress tcp/22 from 0.0.0.0/0",
        ])
        let described = Self.descriptions(document)
        #expect(described[0].hasSuffix("(judged at OnlyWorld = 0.0.0.0/0 (an AllowedValue))"))
        #expect(described[1].hasSuffix("(judged at AWS::Region = eu-west-1, the worst of 2 forms)"))
        #expect(!described[2].contains("judged at"), "!If [C, 0.0.0.0/0, 0.0.0.0/0] is world-open in every deployment")
        #expect(described[3].hasSuffix("(judged at AdminSource = 0.0.0.0/0 (an AllowedValue), the worst of 2 forms)"))
        #expect((document["warnings"] as? [Any])?.isEmpty == true, "nothing unresolved")
        #expect(outcome.exitCode == 1)
    }

    // MARK: - Many templates in one run

    @Test func aDirectoryAGlobAndRepeatsAreOneRunWithOneSummaryAndAResultPerFile() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let directory = Self.fixtures.appendingPathComponent("audit").path
        // A quoted glob, a repeat of a file it already matched, and a second --template.
        let outcome = try tool.run([
            "-act", "audit-security-groups", "--template", directory + "/*-world*", Self.audit("clean-tiers.yaml"),
            "--template", Self.audit("split-world-rdp.yaml"), "--output", "json",
        ])
        let document = try Self.json(outcome.stdout)
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.map { ($0["path"] as? String ?? "").replacingOccurrences(of: directory + "/", with: "") } == [
            "all-traffic-world.json", "split-world-rdp.yaml", "clean-tiers.yaml",
        ])
        #expect(files.map { $0["passed"] as? Bool } == [false, false, true])
        #expect(document["deployment"] as? String == "3 templates")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 3 && summary["files_failed"] as? Int == 2)
        #expect(outcome.exitCode == 1, "the exit code is over all files")
        #expect(try tool.reports().filter { $0.contains("audit-security-groups") }.count == 1, "one process, one audit log")

        let text = try tool.run(["-act", "audit-security-groups", "--template", directory, "--no-color"])
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let perFile = lines.filter { $0.hasPrefix("passed ") || $0.hasPrefix("FAILED ") }
        let audited = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
        #expect(perFile.count == audited.count, "one line per template in the directory")
        #expect(lines.last?.hasPrefix("audit-security-groups: \(audited.count) templates: ") == true, "\(lines.last ?? "")")
        #expect(text.exitCode == 1)
    }

    @Test func severalSnapshotsAreOneRunToo() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let drift = Self.fixtures.appendingPathComponent("drift").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--snapshot", Self.audit("snapshot.json"), drift + "/globalbank-*.json", "--output", "json"])
        let document = try Self.json(outcome.stdout)
        let files = try #require(document["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(files == [Self.audit("snapshot.json"), drift + "/globalbank-drifted.json", drift + "/globalbank-in-sync.json"])
        let tiers = Set((document["findings"] as? [[String: Any]] ?? []).compactMap { $0["tier"] as? String })
        #expect(tiers.contains("legacy-reporting-db (sg-0aaaaaaaaaaaaaaa1)") && tiers.contains { $0.hasPrefix("globalbank-prod-c001-") })
        #expect(outcome.exitCode == 1)
    }

    @Test func manyFilesGiveTheSameBytesWhateverTheThreadCount() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let corpus = Self.fixtures.appendingPathComponent("corpora/security-groups/aws-cloudformation-templates").path
        let arguments = ["-act", "audit-security-groups", "--template", corpus, "--allow-unresolved"]
        for format in ["json", "sarif", "text"] {
            let one = try tool.run(arguments + ["--output", format], environment: ["SG_THREADS": "1"])
            let many = try tool.run(arguments + ["--output", format], environment: ["SG_THREADS": "4"])
            #expect(one.stdout == many.stdout && one.stderr == many.stderr, "\(format) differs between 1 and 4 threads")
            #expect(one.stdout.count > 10_000)
        }
    }

    @Test func cleanFilesOnlyPassAndTheExitCodeSaysSo() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", Self.audit("clean-tiers.yaml"), Self.audit("clean-tiers.yaml"), "--quiet"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.isEmpty, "--quiet prints nothing when every file passes")
    }

    @Test func sarifHasOneArtifactPerFileAndValidates() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let directory = Self.fixtures.appendingPathComponent("audit").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", directory + "/*.yaml", "--output", "sarif"])
        try ReportsEndToEndTests.validateSARIF(outcome.stdout, in: tool)
        let document = try Self.json(outcome.stdout)
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        let yamlFiles = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }
        #expect(artifacts.count == yamlFiles.count)
        let clean = try #require(artifacts.first { (($0["location"] as? [String: Any])?["uri"] as? String)?.hasSuffix("clean-tiers.yaml") == true })
        #expect((clean["properties"] as? [String: Any])?["passed"] as? Bool == true, "a clean file is an artifact too")
        for result in run["results"] as? [[String: Any]] ?? [] {
            let artifact = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
            let index = try #require(artifact?["index"] as? Int)
            #expect((artifacts[index]["location"] as? [String: Any])?["uri"] as? String == artifact?["uri"] as? String)
        }
    }

    @Test(arguments: [
        (["--template", "nothing-here/*.yaml"], "E509", "--template: no file matches 'nothing-here/*.yaml'"),
        (["--template", "empty-dir"], "E509", "--template: directory empty-dir holds no *.yaml, *.yml, *.json, *.template file"),
        (["--snapshot", "empty-dir"], "E509", "--snapshot: directory empty-dir holds no *.json file"),
        (["--template", "missing.yaml", "configs/globalbank-prod-c001-us-west-2.yaml"], "E505", "error: cannot read missing.yaml: no such file"),
    ])
    func inputsThatNameNoFileAreErrorsAndTheRestIsStillAudited(arguments: [String], code: String, message: String) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try FileManager.default.createDirectory(at: tool.directory.appendingPathComponent("empty-dir"), withIntermediateDirectories: true)
        let outcome = try tool.run(["-act", "audit-security-groups"] + arguments)
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("[\(code)]"))
    }

    @Test func checkDriftTakesOneSnapshot() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2", "-act", "check-drift", "--snapshot", "a.json", "b.json"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr.contains("--snapshot takes one file except for audit-security-groups"))
    }
}
