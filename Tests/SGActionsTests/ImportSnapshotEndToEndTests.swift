import Foundation
import SGTestSupport
import Testing

/// `import-security-groups --snapshot` through the built binary, and the round trip that proves it:
/// check-drift of the imported config against the very snapshot it came from is in sync, and a
/// later out-of-band change is drift. The snapshot (Tests/Fixtures/import/handmade-vpc.json) holds
/// what hand-made VPCs hold: names with spaces and a Name tag AWS tags allow but configs' tags do
/// not, a group of another account, a prefix list, IPv6, ICMP and ICMPv6, all protocols, ESP by
/// number, a self-reference, a CIDR with host bits, AWS's default egress (IPv4 and IPv6), a group
/// with no egress, descriptions with `* & ! # : { } [ ]`, the VPC's default group and a group a
/// CloudFormation stack owns.
@Suite(.serialized) struct ImportSnapshotEndToEndTests {
    static let name = "acme-prod-d001-us-east-1"
    /// 2026-01-01T00:00:00Z: the reproducible-builds clock the header takes its time from.
    static let clock = ["SOURCE_DATE_EPOCH": "1767225600"]
    static let importArguments = ["-con", name, "-act", "import-security-groups", "--snapshot", "snapshots/handmade-vpc.json"]

    private func tool() throws -> ToolRunner {
        let tool = try ToolRunner()
        let text = try String(contentsOf: FixturePaths.root.appendingPathComponent("import/handmade-vpc.json"), encoding: .utf8)
        try tool.write(text, to: "snapshots/handmade-vpc.json")
        return tool
    }

    @Test func importWritesBothFilesPrintsFindingsAndCheckDriftIsInSync() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let outcome = try tool.run(Self.importArguments, environment: Self.clock)
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "import-security-groups: acme-prod-d001-us-east-1: wrote configs/acme-prod-d001-us-east-1.yaml and scenarios/acme-prod-d001-us-east-1.yaml: 4 tiers (4 adopted groups), 20 rules, 2 groups not imported; findings: 0 critical, 0 high, 5 medium, 3 low, 2 info")
        // The findings of what already runs, located in the written scenario.
        #expect(lines.contains("scenarios/acme-prod-d001-us-east-1.yaml:34:45: medium: Web port open to the world on a non-public tier [SG-WORLD-WEB]"), "\(outcome.stdout)")
        #expect(lines.contains("scenarios/acme-prod-d001-us-east-1.yaml:39:39: medium: All outbound traffic to the world [SG-EGRESS-WORLD-ALL]"), "\(outcome.stdout)")
        #expect(outcome.stderr == """
            snapshots/handmade-vpc.json:3:5: warning: sg-0aa0000000000000d (default) is not imported: it is the VPC's default group: AWS creates it with the VPC and never deletes it, so CloudFormation cannot manage it; rules naming it keep its id [W540]
             3 |     {
               |     ^
            snapshots/handmade-vpc.json:361:5: warning: sg-0aa0000000000000c (other-stack-Sg-1ABC) is not imported: it belongs to CloudFormation stack 'other-stack' (tag aws:cloudformation:stack-name); importing it would put it under two stacks (--force imports it anyway); rules naming it keep its id [W540]
             361 |     {
                 |     ^

            """)
        GoldenFiles.check(try tool.read("configs/\(Self.name).yaml"), against: "import/handmade-vpc.config.yaml")
        GoldenFiles.check(try tool.read("scenarios/\(Self.name).yaml"), against: "import/handmade-vpc.scenario.yaml")
        #expect(try tool.reports().contains { $0.hasPrefix("\(Self.name)-sg-import-security-groups-") && $0.hasSuffix(".log") })

        let drift = try tool.run(["-con", Self.name, "-act", "check-drift", "--snapshot", "snapshots/handmade-vpc.json"])
        #expect(drift.exitCode == 0, "\(drift.stdout)\n\(drift.stderr)")
        #expect(drift.stdout == "check-drift: acme-prod-d001-us-east-1 (snapshot snapshots/handmade-vpc.json): in sync (4 groups, 20 live rules checked)\n")
        #expect(drift.stderr.isEmpty)

        // The imported deployment is an ordinary one: it validates (nothing at/above high) ...
        let validate = try tool.run(["-con", Self.name, "-act", "validate-prov-template"])
        #expect(validate.exitCode == 0, "\(validate.stdout)\n\(validate.stderr)")
        // ... and compiles to a template that keeps every adopted group as it is, passing cfn-lint.
        let create = try tool.run(["-con", Self.name, "-act", "create-prov-template"])
        #expect(create.exitCode == 0, "\(create.stderr)")
        let template = try tool.read("reports/\(Self.name)-sg-stack-template.yaml")
        #expect(template.contains("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      GroupName: launch-wizard-1\n      GroupDescription: launch-wizard-1 created 2021-03-04T10:11:12.000+01:00\n      VpcId: vpc-0a1b2c3d4e5f60001\n"))
        #expect(template.contains("          SourceSecurityGroupId: sg-0bb00000000000009\n          SourceSecurityGroupOwnerId: \"999988887777\"\n"))
        // W3687 (ports "ignored" for icmpv6) is cfn-lint's known false positive, accepted as in CfnLintTests.
        let lint = try CfnLint.run([tool.directory.appendingPathComponent("reports/\(Self.name)-sg-stack-template.yaml").path])
        #expect(lint.filter { $0.level != "Informational" && !($0.rule == "W3687" && $0.message.contains("icmpv6")) }.isEmpty, "\(lint)")
    }

    /// The snapshot with one rule added, two removed and one description edited, as a person at
    /// the console would.
    private func driftedSnapshot(_ tool: ToolRunner) throws {
        let url = tool.directory.appendingPathComponent("snapshots/handmade-vpc.json")
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var groups = try #require(root["SecurityGroups"] as? [[String: Any]])
        for index in groups.indices {
            var permissions = groups[index]["IpPermissions"] as? [[String: Any]] ?? []
            switch groups[index]["GroupId"] as? String {
            case "sg-0aa00000000000001":
                permissions.append(["IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [["CidrIp": "0.0.0.0/0", "Description": "vendor RDP"]]])
            case "sg-0aa00000000000003":
                permissions.removeAll()
            case "sg-0aa00000000000002":
                for (position, permission) in permissions.enumerated() where permission["IpProtocol"] as? String == "icmp" && permission["FromPort"] as? Int == 8 {
                    permissions[position]["IpRanges"] = [["CidrIp": "10.0.0.0/16", "Description": "Ping (edited)"]]
                }
                // The partner account's access revoked by hand.
                permissions.removeAll { $0["FromPort"] as? Int == 9443 }
            default: break
            }
            groups[index]["IpPermissions"] = permissions
        }
        root["SecurityGroups"] = groups
        try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    @Test func laterOutOfBandChangesAreDrift() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        #expect(try tool.run(Self.importArguments, environment: Self.clock).exitCode == 0)
        try driftedSnapshot(tool)
        let drift = try tool.run(["-con", Self.name, "-act", "check-drift", "--snapshot", "snapshots/handmade-vpc.json"])
        #expect(drift.exitCode == 3, "\(drift.stdout)\n\(drift.stderr)")
        let lines = drift.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "check-drift: acme-prod-d001-us-east-1 (snapshot snapshots/handmade-vpc.json): DRIFT: 1 added, 2 removed, 1 changed, 0 missing groups, 0 extra groups; worst added rule HIGH")
        #expect(lines.contains { $0.hasPrefix(#"    + ingress tcp/3389 from 0.0.0.0/0  "vendor RDP"  HIGH: "#) }, "\(drift.stdout)")
        #expect(lines.contains(
            "    - ingress tcp/5432 from tier app-servers  (no description)  removed out of band (configured at scenarios/acme-prod-d001-us-east-1.yaml:29:9)"),
            "\(drift.stdout)")
        #expect(lines.contains { $0.hasPrefix(#"    ~ ingress icmp type 8 code 0 from 10.0.0.0/16  description "Ping" -> "Ping (edited)""#) }, "\(drift.stdout)")
        #expect(drift.stdout.contains("RevokeSecurityGroupIngress on sg-0aa00000000000001"))
        // Restoring the other account's access names that account, as EC2 needs it to.
        #expect(drift.stdout.contains(#""UserIdGroupPairs": [{"Description": "Partner monitoring, other account", "GroupId": "sg-0bb00000000000009", "UserId": "999988887777"}]"#), "\(drift.stdout)")
    }

    @Test func theSameSourceGivesTheSameBytesAndNothingIsOverwrittenWithoutForce() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        #expect(try tool.run(Self.importArguments, environment: Self.clock).exitCode == 0)
        let config = try tool.read("configs/\(Self.name).yaml"), scenario = try tool.read("scenarios/\(Self.name).yaml")
        // Imported again from scratch: the same bytes.
        for file in ["configs/\(Self.name).yaml", "scenarios/\(Self.name).yaml"] {
            try FileManager.default.removeItem(at: tool.directory.appendingPathComponent(file))
        }
        #expect(try tool.run(Self.importArguments, environment: Self.clock).exitCode == 0)
        #expect(try tool.read("configs/\(Self.name).yaml") == config)
        #expect(try tool.read("scenarios/\(Self.name).yaml") == scenario)
        try tool.write("# edited by hand\n" + config, to: "configs/\(Self.name).yaml")

        let refused = try tool.run(Self.importArguments, environment: Self.clock)
        #expect(refused.exitCode == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "sg-provisioner: error: configs/\(Self.name).yaml and scenarios/\(Self.name).yaml already exist; give --force to replace, or another -con NAME [E542]\n")
        #expect(try tool.read("configs/\(Self.name).yaml") == "# edited by hand\n" + config)

        // --force replaces the files, and imports the stack's group too, saying so.
        let forced = try tool.run(Self.importArguments + ["--force"], environment: Self.clock)
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(try tool.read("configs/\(Self.name).yaml").hasPrefix("# Imported by sg-provisioner"))
        #expect(try tool.read("configs/\(Self.name).yaml").contains("  other-stack-sg-1-abc:\n    group_id: sg-0aa0000000000000c\n"))
        #expect(forced.stderr.contains("warning: sg-0aa0000000000000c (other-stack-Sg-1ABC) belongs to CloudFormation stack 'other-stack' and is imported because of --force"))
        #expect(try tool.read("scenarios/\(Self.name).yaml").contains("  other-stack-sg-1-abc:  # sg-0aa0000000000000c other-stack-Sg-1ABC\n    # owned by CloudFormation stack 'other-stack' (imported with --force)\n"))
        // No temporary file is left next to the written ones.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tool.directory.appendingPathComponent("configs").path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func theIdentityComesFromFlagsOrAnUnambiguousName() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let snapshot = ["--snapshot", "snapshots/handmade-vpc.json"]
        let unnamed = try tool.run(["-con", "legacy-vpc", "-act", "import-security-groups"] + snapshot)
        #expect(unnamed.exitCode == 1)
        #expect(unnamed.stderr == """
            sg-provisioner: error: give --company-prefix, --environment, --deployment-id, --region: the config name does not give them (it does not end with an AWS region) [E541]
            note: a config name reads as an identity when it is {company}-{environment}-{deployment_id}-{region}, e.g. acme-prod-d001-us-east-1

            """)
        let ambiguous = try tool.run(["-con", "big-bank-prod-d1-us-east-1", "-act", "import-security-groups"] + snapshot)
        #expect(ambiguous.exitCode == 1)
        #expect(ambiguous.stderr.hasPrefix("sg-provisioner: error: give --company-prefix, --environment, --deployment-id: the config name does not give them (4 words come before the region (big, bank, prod, d1), and company_prefix, environment and deployment_id are one word each) [E541]\n"), "\(ambiguous.stderr)")
        let flagged = try tool.run(
            ["-con", "legacy-vpc", "-act", "import-security-groups", "--company-prefix", "acme", "--environment", "prod",
             "--deployment-id", "legacy", "--region", "eu-west-1"] + snapshot)
        #expect(flagged.exitCode == 0, "\(flagged.stderr)")
        let config = try tool.read("configs/legacy-vpc.yaml")
        #expect(config.contains("company_prefix: acme\nenvironment: prod\ndeployment_id: legacy\nregion: eu-west-1\nvpc_id: vpc-0a1b2c3d4e5f60001\nscenario: legacy-vpc\n"))
        let path = try tool.run(["-con", "configs/x.yaml", "-act", "import-security-groups"] + snapshot)
        #expect(path.stderr.hasPrefix("sg-provisioner: error: -con 'configs/x' is a path; give the bare name of the config to write"))
        let badRegion = try tool.run(["-con", "legacy-vpc", "-act", "import-security-groups", "--company-prefix", "acme", "--environment", "prod",
                                      "--deployment-id", "Legacy", "--region", "mars-1"] + snapshot)
        #expect(badRegion.stderr == "sg-provisioner: error: invalid identity for legacy-vpc: deployment id 'Legacy': uppercase letter 'L' is not allowed; use lowercase; region 'mars-1' is not an AWS region [E541]\n")
        let hyphen = try tool.run(["-con", "legacy-vpc", "-act", "import-security-groups", "--company-prefix", "acme", "--environment", "prod-eu",
                                   "--deployment-id", "legacy", "--region", "eu-west-1"] + snapshot)
        #expect(hyphen.stderr == "sg-provisioner: error: invalid identity for legacy-vpc: environment 'prod-eu': '-' is not allowed in company_prefix, environment or deployment_id [E541]\n")
    }

    @Test func sourceAndVPCMustBeClear() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let live = try tool.run(["-con", Self.name, "-act", "import-security-groups"])
        #expect(live.exitCode == 1)
        #expect(live.stderr == "sg-provisioner: error: importing from live EC2 needs --vpc-id VPC or --tag-filter KEY=VALUE: one config describes the groups of one VPC [E540]\n")
        let both = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--snapshot", "a.json", "--template", "b.yaml"])
        #expect(both.stderr == "sg-provisioner: error: give one source: --snapshot FILE, --template FILE (one file: one config), or neither for live EC2 [E540]\n")
        // A second VPC in the snapshot: --vpc-id chooses.
        let url = tool.directory.appendingPathComponent("snapshots/handmade-vpc.json")
        try tool.write(try String(contentsOf: url, encoding: .utf8).replacingOccurrences(
            of: #""GroupId": "sg-0aa00000000000004",\#n      "GroupName": "web-front-copy",\#n      "Description": "Second group with the same Name tag",\#n      "OwnerId": "111122223333",\#n      "VpcId": "vpc-0a1b2c3d4e5f60001""#,
            with: #""GroupId": "sg-0aa00000000000004",\#n      "GroupName": "web-front-copy",\#n      "Description": "Second group with the same Name tag",\#n      "OwnerId": "111122223333",\#n      "VpcId": "vpc-0a1b2c3d4e5f60002""#),
            to: "snapshots/two-vpcs.json")
        let two = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--snapshot", "snapshots/two-vpcs.json"])
        #expect(two.exitCode == 1)
        #expect(two.stderr.hasSuffix("sg-provisioner: error: the groups to import are not in one VPC: vpc-0a1b2c3d4e5f60001 (5 groups), vpc-0a1b2c3d4e5f60002 (1 group); give --vpc-id (one config describes one VPC) [E544]\n"), "\(two.stderr)")
        let chosen = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--snapshot", "snapshots/two-vpcs.json", "--vpc-id", "vpc-0a1b2c3d4e5f60002"])
        #expect(chosen.exitCode == 0, "\(chosen.stderr)")
        #expect(try tool.read("configs/\(Self.name).yaml").contains("  web-front-prod:\n    group_id: sg-0aa00000000000004\n"))
        let tagged = try tool.run(["-con", "acme-prod-d002-us-east-1", "-act", "import-security-groups", "--snapshot", "snapshots/handmade-vpc.json", "--tag-filter", "team=web"])
        #expect(tagged.exitCode == 0, "\(tagged.stderr)")
        #expect(tagged.stdout.hasSuffix("wrote configs/acme-prod-d002-us-east-1.yaml and scenarios/acme-prod-d002-us-east-1.yaml: 1 tier (1 adopted group), 6 rules; findings: 0 critical, 0 high, 4 medium, 0 low, 0 info\n"), "\(tagged.stdout)")
        #expect(try tool.read("configs/acme-prod-d002-us-east-1.yaml").contains("# 1 of 1 security group(s) in vpc-0a1b2c3d4e5f60001 imported (tags team=web).\n"))
    }

    /// The in-memory check before writing: a group AWS holds but the tool could not deploy as it is
    /// (60 egress rules, all to another imported group, leave no room for the compiler's
    /// closed-egress rule) refuses the whole import with the compiler's own error, and writes nothing.
    @Test func filesThatWouldNotCompileAreNotWritten() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let egress = (1...60).map { port in
            #"{"IpProtocol": "tcp", "FromPort": \#(port), "ToPort": \#(port), "UserIdGroupPairs": [{"GroupId": "sg-0aa00000000000002", "UserId": "111122223333"}]}"#
        }.joined(separator: ", ")
        try tool.write("""
            {"SecurityGroups": [
              {"GroupId": "sg-0aa00000000000001", "GroupName": "busy", "Description": "d", "OwnerId": "111122223333", "VpcId": "vpc-0a1b2c3d4e5f60001",
               "IpPermissions": [], "IpPermissionsEgress": [\(egress)]},
              {"GroupId": "sg-0aa00000000000002", "GroupName": "peer", "Description": "d", "OwnerId": "111122223333", "VpcId": "vpc-0a1b2c3d4e5f60001",
               "IpPermissions": [], "IpPermissionsEgress": []}
            ]}
            """, to: "snapshots/busy.json")
        let outcome = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--snapshot", "snapshots/busy.json"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("error: tier 'busy' has 61 egress rules (including the placeholder that closes default egress); AWS allows at most 60 per direction on a security group [E401]"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("error: the imported deployment does not compile cleanly (errors above); nothing was written [E545]"))
        #expect(!FileManager.default.fileExists(atPath: tool.directory.appendingPathComponent("configs/\(Self.name).yaml").path))
        #expect(!FileManager.default.fileExists(atPath: tool.directory.appendingPathComponent("scenarios/\(Self.name).yaml").path))
    }

    @Test func jsonOutputIsOneDocument() throws {
        let tool = try tool()
        defer { tool.cleanUp() }
        let outcome = try tool.run(Self.importArguments + ["--output", "json"], environment: Self.clock)
        #expect(outcome.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["action"] as? String == "import-security-groups")
        #expect(object["config_file"] as? String == "configs/\(Self.name).yaml")
        let tiers = try #require(object["tiers"] as? [[String: Any]])
        #expect(tiers.map { $0["tier"] as? String } == ["app-servers", "db", "web-front-prod", "web-front-prod-2"])
        #expect(tiers.first?["source_id"] as? String == "sg-0aa00000000000002")
        #expect((object["not_imported"] as? [[String: Any]])?.map { $0["source_id"] as? String } == ["sg-0aa0000000000000c", "sg-0aa0000000000000d"])
        #expect((object["findings"] as? [Any])?.count == 10)
        #expect((object["warnings"] as? [[String: Any]])?.map { $0["code"] as? String } == ["W540", "W540"])
    }
}
