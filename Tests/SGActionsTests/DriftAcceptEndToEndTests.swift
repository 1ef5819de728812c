import Foundation
import SGTestSupport
import Testing

/// `check-drift --accept` through the built binary, from a saved snapshot (no AWS): the config is
/// edited in place (every other byte kept), the run exits 3, the next run is in sync; refusals
/// write nothing and exit 1; misuse is a usage error (exit 2).
@Suite(.serialized) struct DriftAcceptEndToEndTests {
    static let config = "globalbank-prod-c001-us-west-2"
    static let configPath = "configs/globalbank-prod-c001-us-west-2.yaml"
    static let snapshot = "snapshots/globalbank-drifted.json"
    // The drifted snapshot's items (fingerprints from the one FindingFingerprint function).
    static let addedSSH = "615471b0da30a145bc029b572ba67bac"
    static let removedIPv6 = "55b79146a6c9796c8a0da579fc7c4b59"
    static let changedDB = "3b6adf82ff69b662b2a8473150da5d15"

    /// The bundled config rewritten with comments, a flow list and blank lines: what a person's
    /// config looks like, and what must survive the edit byte for byte.
    static let handWritten = """
        # GlobalBank fraud detection: owned by fraud-team, reviewed by SEC quarterly.
        company_prefix: globalbank
        environment: prod            # production: termination protection on
        deployment_id: c001
        region: us-west-2
        vpc_id: vpc-0a1b2c3d4e5f67890
        vpc_cidr: 10.0.0.0/16
        scenario: three-tier-web

        tags: { cost_center: Fraud Operations, project: Fraud Detection, owner: fraud-team, compliance: pci-dss, data_classification: confidential }

        overrides:
          # TLS everywhere (SEC-1001)
          - tier: app
            add_ingress: [ { protocol: tcp, port: 8443, source_tier: web, description: TLS from web tier } ]
            remove_ingress:
              - { protocol: tcp, port: 8080, source_tier: web }
            description: Move app listener to TLS
          - tier: web
            add_egress:
              - { protocol: tcp, port: 8443, destination_tier: app, description: TLS to app tier }
            remove_egress:
              - { protocol: tcp, port: 8080, destination_tier: app }
            description: Load balancers follow the app listener to TLS   # SEC-1001
        # end: accepted risks live in the risk register, not here

        """

    private func tool(config: String = handWritten, snapshot: String = "globalbank-drifted.json") throws -> ToolRunner {
        let tool = try ToolRunner()
        try tool.write(config, to: Self.configPath)
        try tool.write(try String(contentsOf: FixturePaths.root.appendingPathComponent("drift/\(snapshot)"), encoding: .utf8), to: "snapshots/\(snapshot)")
        return tool
    }

    private func check(_ extra: [String] = [], snapshot: String = snapshot) -> [String] {
        ["-con", Self.config, "-act", "check-drift", "--snapshot", snapshot, "--today", "2026-05-06"] + extra
    }

    @Test func acceptingEveryItemEditsOnlyTheListsExitsThreeAndTheNextRunIsInSync() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let accepted = try tool.run(check(["--accept-all", "--reason", "FRAUD-77 agreed with SEC", "--expires", "2026-08-31"]))
        #expect(accepted.exitCode == 3, "drift was found: \(accepted.stdout)\n\(accepted.stderr)")
        let edited = try tool.read(Self.configPath)
        // Every original line is still there in order; only the list entries were added, each list
        // at its own place: the override after the last one, accepted_risks after the root's last key.
        let expected = Self.handWritten.replacingOccurrences(of: """
                description: Load balancers follow the app listener to TLS   # SEC-1001

            """, with: """
                description: Load balancers follow the app listener to TLS   # SEC-1001
              - tier: web
                remove_ingress:
                  - { protocol: tcp, port: 443, source: "::/0" }
                description: "FRAUD-77 agreed with SEC (accepted drift on 2026-05-06: - ingress tcp/443 from ::/0)"
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 22, source: "0.0.0.0/0", description: "temporary debug access" }
                description: "FRAUD-77 agreed with SEC (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)"
              - tier: db
                add_ingress:
                  - { protocol: tcp, port: 5432, source_tier: app, description: "PostgreSQL from app" }
                remove_ingress:
                  - { protocol: tcp, port: 5432, source_tier: app }
                description: "FRAUD-77 agreed with SEC (accepted drift on 2026-05-06: ~ ingress tcp/5432 from tier app)"
            accepted_risks:
              - finding: SG-WORLD-ADMIN
                tier: app
                ingress: { protocol: tcp, port: 22, source: "0.0.0.0/0" }
                reason: "FRAUD-77 agreed with SEC (accepted drift)"
                expires: 2026-08-31

            """)
        #expect(edited == expected, "\(edited)")
        #expect(accepted.stdout.contains("accepted into \(Self.configPath): 3 changes, 1 accepted risk\n"), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("--- a/\(Self.configPath)\n+++ b/\(Self.configPath)\n@@ -22,4 +22,24 @@\n"), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("+  - tier: db\n"))
        #expect(accepted.stdout.contains("  accepted risk SG-WORLD-ADMIN on tier app (ingress tcp/22 from 0.0.0.0/0) until 2026-08-31\n"))
        let report = try tool.read("reports/\(Self.config)-drift-report.md")
        #expect(report.contains("## Accepted into the config\n\n`\(Self.configPath)` was updated: 3 change(s), 1 accepted risk(s).\n"), "\(report)")
        #expect(report.contains("```diff\n--- a/\(Self.configPath)"))
        let log = try tool.reports().filter { $0.hasSuffix(".log") }.map { try tool.read("reports/\($0)") }.joined()
        #expect(log.contains("accept: wrote \(Self.configPath) sha256="))
        #expect(log.contains("accept: \(Self.addedSSH) + ingress tcp/22 from 0.0.0.0/0 on tier app"))

        let next = try tool.run(check())
        #expect(next.exitCode == 0, "\(next.stdout)\n\(next.stderr)")
        #expect(next.stdout == "check-drift: \(Self.config) (snapshot \(Self.snapshot)): in sync (3 groups, 8 live rules checked)\n")
        let validated = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--today", "2026-05-06"])
        #expect(validated.exitCode == 0, "the accepted SSH is covered by its accepted risk: \(validated.stdout)\n\(validated.stderr)")
    }

    @Test func aRuleAtFailOnWithoutAnExpiryIsRefusedAndNothingIsWritten() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let refused = try tool.run(check(["--accept", Self.addedSSH, Self.changedDB, "--reason", "debug"]))
        #expect(refused.exitCode == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("error: refusing to accept: SG-WORLD-ADMIN (HIGH) on tier 'app' about ingress tcp/22 from 0.0.0.0/0 is at or above --fail-on high; give --expires YYYY-MM-DD (at most a year ahead) to write an accepted risk bound to it alongside, or revert it [E553]"), "\(refused.stderr)")
        #expect(try tool.read(Self.configPath) == Self.handWritten, "all or nothing: the description change was not written either")
        #expect(!refused.stdout.contains("accepted into"))

        let tooLate = try tool.run(check(["--accept", Self.addedSSH, "--reason", "debug", "--expires", "2027-06-01"]))
        #expect(tooLate.exitCode == 1)
        #expect(tooLate.stderr.contains("error: --expires 2027-06-01 is more than one year after 2026-05-06; the latest an accepted risk may run to is 2027-05-06 [E554]"), "\(tooLate.stderr)")
        #expect(try tool.read(Self.configPath) == Self.handWritten)
    }

    @Test func anUnknownFingerprintExitsOneAndAMissingGroupCanOnlyBeReverted() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let unknown = try tool.run(check(["--accept", String(repeating: "ab", count: 16), "--reason", "x"]))
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("error: no drifted rule or group has fingerprint abababababababababababababababab (the drift may have changed since it was printed; run check-drift again) [E551]"), "\(unknown.stderr)")
        #expect(try tool.read(Self.configPath) == Self.handWritten)

        // The in-sync snapshot without its db group: db is missing.
        let full = try JSONSerialization.jsonObject(with: Data(try String(contentsOf: FixturePaths.root.appendingPathComponent("drift/globalbank-in-sync.json"), encoding: .utf8).utf8)) as! [String: Any]
        var groups = full["SecurityGroups"] as! [[String: Any]]
        groups.removeAll { ($0["GroupName"] as? String)?.hasSuffix("-db") == true }
        try tool.write(String(decoding: try JSONSerialization.data(withJSONObject: ["SecurityGroups": groups], options: [.prettyPrinted, .sortedKeys]), as: UTF8.self), to: "snapshots/no-db.json")
        let json = try tool.run(check(["--output", "json"], snapshot: "snapshots/no-db.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let missing = try #require((document["missing_groups"] as? [[String: Any]])?.first?["fingerprint"] as? String)
        let remediation = try #require((document["remediation"] as? [[String: Any]])?.first { $0["fingerprint"] as? String == missing })
        #expect(remediation["accept"] is NSNull)
        #expect(remediation["revert"] as? String == "sg-provisioner -con \(Self.config) -act create-security-groups --force")
        let refused = try tool.run(check(["--accept", missing, "--reason", "x"], snapshot: "snapshots/no-db.json"))
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("error: cannot accept ! tier db: missing group on tier db: a missing group can only be reverted: run -act create-security-groups --force to recreate it, or remove the tier from the scenario [E552]"), "\(refused.stderr)")
        let all = try tool.run(check(["--accept-all", "--reason", "x"], snapshot: "snapshots/no-db.json"))
        #expect(all.exitCode == 3, "nothing acceptable: drift reported, nothing written: \(all.stderr)")
        #expect(all.stderr.contains("warning: not accepted: ! tier db: missing group on tier db: a missing group can only be reverted"), "\(all.stderr)")
        #expect(try tool.read(Self.configPath) == Self.handWritten)
    }

    @Test func theJSONDocumentSaysWhatWasAcceptedAndTheFileKeepsItsPermissions() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let path = tool.directory.appendingPathComponent(Self.configPath).path
        chmod(path, 0o640)
        let outcome = try tool.run(check(["--accept", Self.changedDB, "--reason", "DBA-3 new description", "--output", "json"]))
        #expect(outcome.exitCode == 3, "\(outcome.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let acceptance = try #require(document["acceptance"] as? [String: Any])
        #expect(acceptance["written"] as? Bool == true)
        #expect(acceptance["config"] as? String == Self.configPath)
        #expect((acceptance["accepted"] as? [[String: Any]])?.map { $0["fingerprint"] as? String } == [Self.changedDB])
        #expect((acceptance["diff"] as? String)?.contains("+      - { protocol: tcp, port: 5432, source_tier: app, description: \"PostgreSQL from app\" }") == true)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o640, "the replaced config keeps its mode")
        let next = try tool.run(check())
        #expect(next.exitCode == 3)
        #expect(!next.stdout.contains("~ ingress tcp/5432"), "the description change is accepted: \(next.stdout)")
        #expect(next.stdout.contains("DRIFT: 1 added, 1 removed, 0 changed"))
    }

    @Test(arguments: [
        (["--accept", addedSSH], "--accept needs --reason TEXT: why the drift is wanted (a ticket), written into the config"),
        (["--reason", "x"], "--reason is used with --accept or --accept-all"),
        (["--accept", addedSSH, "--reason", "x", "--force"], "--accept writes the drift into the config and --force reverts it: give one of them"),
        (["--accept", "615471B0", "--reason", "x"], "--accept takes fingerprints as check-drift prints them (32 lowercase hex digits), not '615471B0'"),
        (["--accept", addedSSH, "--accept-all", "--reason", "x"], "give --accept FINGERPRINT... or --accept-all, not both"),
        (["--lookback-days", "91"], "--lookback-days must be between 1 and 90 (CloudTrail keeps 90 days of event history)"),
    ])
    func misuseIsAUsageError(arguments: [String], message: String) throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let outcome = try tool.run(check(arguments))
        #expect(outcome.exitCode == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("sg-provisioner: error: \(message)\n"), "\(outcome.stderr)")
        #expect(try tool.read(Self.configPath) == Self.handWritten)
    }

    @Test func acceptBelongsToCheckDriftAndToOneConfig() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let validate = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--no-cloudtrail"])
        #expect(validate.exitCode == 2)
        #expect(validate.stderr.hasPrefix("sg-provisioner: error: --no-cloudtrail is an option of check-drift\n"), "\(validate.stderr)")
        let many = try tool.run(["-con", "configs", "-act", "check-drift", "--snapshot", Self.snapshot, "--accept-all", "--reason", "x"])
        #expect(many.exitCode == 2)
        #expect(many.stderr == "sg-provisioner: error: --accept writes into one config: give check-drift --accept one config file, not configs\n", "\(many.stderr)")
    }
}

/// Accepting drift into a config that adopts existing groups (import-security-groups): the
/// overrides go in beside `adopted_groups`, which stays byte for byte, and the next check is in sync.
@Suite(.serialized) struct DriftAcceptAdoptedEndToEndTests {
    static let name = "acme-prod-d001-us-east-1"
    static let snapshot = "snapshots/handmade-vpc.json"

    @Test func anImportedConfigTakesItsDriftBack() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(try String(contentsOf: FixturePaths.root.appendingPathComponent("import/handmade-vpc.json"), encoding: .utf8), to: Self.snapshot)
        let imported = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--snapshot", Self.snapshot], environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let original = try tool.read("configs/\(Self.name).yaml")
        #expect(original.contains("adopted_groups:"))

        // A person at the console adds vendor RDP and edits the ping rule's description.
        let url = tool.directory.appendingPathComponent(Self.snapshot)
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var groups = try #require(root["SecurityGroups"] as? [[String: Any]])
        for index in groups.indices {
            var permissions = groups[index]["IpPermissions"] as? [[String: Any]] ?? []
            switch groups[index]["GroupId"] as? String {
            case "sg-0aa00000000000001":
                permissions.append(["IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [["CidrIp": "10.0.44.0/24", "Description": "vendor RDP"]]])
            case "sg-0aa00000000000002":
                for (position, permission) in permissions.enumerated() where permission["IpProtocol"] as? String == "icmp" && permission["FromPort"] as? Int == 8 {
                    permissions[position]["IpRanges"] = [["CidrIp": "10.0.0.0/16", "Description": "Ping (edited)"]]
                }
            default: break
            }
            groups[index]["IpPermissions"] = permissions
        }
        root["SecurityGroups"] = groups
        try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]).write(to: url)

        let check = ["-con", Self.name, "-act", "check-drift", "--snapshot", Self.snapshot, "--today", "2026-05-06"]
        let accepted = try tool.run(check + ["--accept-all", "--reason", "VENDOR-4 RDP through the jump subnet"])
        #expect(accepted.exitCode == 3, "\(accepted.stdout)\n\(accepted.stderr)")
        #expect(accepted.stdout.contains("accepted into configs/\(Self.name).yaml: 2 changes"), "\(accepted.stdout)\n\(accepted.stderr)")
        let edited = try tool.read("configs/\(Self.name).yaml")
        #expect(edited.hasPrefix(original), "every byte of the imported config stays, adopted_groups included:\n\(edited)")
        #expect(edited.dropFirst(original.count).hasPrefix("overrides:\n  - tier: "), "\(edited.dropFirst(original.count))")
        let next = try tool.run(check)
        #expect(next.exitCode == 0, "\(next.stdout)\n\(next.stderr)")
    }
}
