import Foundation
import SGTestSupport
import Testing

/// Third-party corpora (Tests/Fixtures/corpora/security-groups, see its README) through the built
/// binary: every aws-cloudformation-templates template in one run, and checkov's and cfn_nag's own
/// security-group fixtures against the expectations their projects state. Where we differ on
/// purpose, docs/AUDIT.md says why; the cases here pin both the agreement and the difference.
@Suite(.serialized) struct CorpusAuditTests {
    static let corpora = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures/corpora/security-groups")
    static let awsTemplates = corpora.appendingPathComponent("aws-cloudformation-templates")
    static let checkov = corpora.appendingPathComponent("checkov/tests/cloudformation/checks/resource/aws")
    static let cfnNag = corpora.appendingPathComponent("cfn_nag/spec/test_templates")

    /// The eight templates that open SSH from 192.168.1.0/0 or 198.162.1.0/0 (0.0.0.0/0 to EC2).
    static let hostBitSSH = [
        "EC2/EC2InstanceWithSecurityGroupSample", "EC2/EC2_Instance_With_Ephemeral_Drives", "ECS/ECS_Schedule_Example",
        "ElasticLoadBalancing/ELBGuidedAutoScalingRollingUpgrade",
    ].flatMap { ["\($0).json", "\($0).yaml"] }

    static func audit(_ tool: ToolRunner, _ arguments: [String]) throws -> (document: [String: Any], outcome: ToolRunner.Outcome) {
        let outcome = try tool.run(["-act", "audit-security-groups", "--output", "json"] + arguments)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stderr.prefix(2000))")
        return (document, outcome)
    }

    static func relative(_ path: String, to root: URL) -> String {
        path.hasPrefix(root.path + "/") ? String(path.dropFirst(root.path.count + 1)) : path
    }

    // MARK: - aws-cloudformation-templates

    @Test func all128TemplatesInOneRunWithoutACrashAndTheHostBitSSHTemplatesFlagged() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let (document, outcome) = try Self.audit(tool, ["--template", Self.awsTemplates.path, "--allow-unresolved"])
        #expect(outcome.exitCode == 1, "findings at high exist; the exit code is over all files")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"))
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.count == 128)
        #expect(files.allSatisfy { $0["errors"] as? Int == 0 }, "every template parses: \(files.filter { $0["errors"] as? Int != 0 }.map { $0["path"] ?? "" })")
        #expect((document["errors"] as? [Any])?.isEmpty == true)

        let findings = try #require(document["findings"] as? [[String: Any]])
        let warnings = try #require(document["warnings"] as? [[String: Any]])
        func file(_ item: [String: Any]) -> String { Self.relative((item["location"] as? [String: Any])?["file"] as? String ?? "", to: Self.awsTemplates) }
        let sshFromWorld = Set(findings.filter { $0["id"] as? String == "SG-WORLD-ADMIN" && $0["rule"] as? String == "ingress tcp/22 from 0.0.0.0/0" }.map(file))
        let canonicalised = warnings.filter { $0["code"] as? String == "W702" }
        #expect(Set(canonicalised.map(file)) == Set(Self.hostBitSSH), "host bits are set only in the eight SSH templates")
        #expect(canonicalised.allSatisfy { ($0["message"] as? String)?.contains("EC2 stores the network 0.0.0.0/0") == true })
        #expect(Set(Self.hostBitSSH).isSubset(of: sshFromWorld), "each of the eight is SSH from the world: \(Set(Self.hostBitSSH).subtracting(sshFromWorld))")
        // The SSH finding sits where the warning names the canonical network (a parameter's use, or
        // the literal), and names the Default when a parameter produced it.
        func place(_ item: [String: Any]) -> String {
            let location = item["location"] as? [String: Any]
            return "\(file(item)):\(location?["line"] as? Int ?? 0):\(location?["column"] as? Int ?? 0)"
        }
        let warned = Set(canonicalised.map(place))
        let ssh = findings.filter { Self.hostBitSSH.contains(file($0)) && $0["id"] as? String == "SG-WORLD-ADMIN" }
        #expect(Set(ssh.filter { warned.contains(place($0)) }.map(file)) == Set(Self.hostBitSSH))
        #expect(ssh.filter { ($0["description"] as? String)?.contains("(judged at SSHLocation = ") == true }.count == 6, "six take it from SSHLocation's Default, two write it literally")

        // What stays unresolved is the six peering rules of each VPCPeering-Updates template (a CIDR
        // parameter without Default): counted, allowed here, failing without --allow-unresolved.
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["unresolved"] as? Int == 12)
        let strict = try Self.audit(tool, ["--template", Self.awsTemplates.appendingPathComponent("Solutions/VPCPeering/templates").path + "/VPCPeering-Updates.cfn.*", "--fail-on", "critical"])
        #expect(strict.outcome.exitCode == 1)
        let strictFiles = try #require(strict.document["files"] as? [[String: Any]])
        #expect(strictFiles.count == 2 && strictFiles.allSatisfy { $0["passed"] as? Bool == false && $0["unresolved"] as? Int == 6 })
    }

    // MARK: - checkov's fixtures

    /// checkov's checks, their fixture folders, the port each is about, and the summary its own test
    /// states (passed, failed). checkov counts a resource; each of these files holds one group.
    static let checkovChecks: [(folder: String, port: Int, passed: Int, failed: Int)] = [
        ("example_SecurityGroupUnrestrictedIngress22", 22, 2, 5),
        ("example_SecurityGroupUnrestrictedIngress3389", 3389, 1, 2),
        ("example_SecurityGroupUnrestrictedIngress80", 80, 1, 3),
    ]

    /// True when a finding opens `port` to the world (0.0.0.0/0, ::/0, or CIDRs covering either).
    static func opensToTheWorld(_ finding: [String: Any], port: Int) -> Bool {
        guard (finding["type"] as? String) == "world-exposure", let rule = finding["rule"] as? String, rule.hasPrefix("ingress ") else { return false }
        let traffic = rule.split(separator: " ")[1]
        if traffic == "all" { return true }
        guard let slash = traffic.firstIndex(of: "/") else { return false }
        let bounds = traffic[traffic.index(after: slash)...].split(separator: "-").compactMap { Int($0) }
        guard let low = bounds.first, let high = bounds.last else { return false }
        return low <= port && port <= high
    }

    @Test(arguments: checkovChecks)
    func checkovPortFixturesGetTheVerdictsCheckovStates(folder: String, port: Int, passed: Int, failed: Int) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let directory = Self.checkov.appendingPathComponent(folder)
        let (document, _) = try Self.audit(tool, ["--template", directory.path, "--fail-on", "low"])
        let files = try #require(document["files"] as? [[String: Any]]).map { Self.relative($0["path"] as? String ?? "", to: directory) }
        let findings = try #require(document["findings"] as? [[String: Any]])
        let warnings = try #require(document["warnings"] as? [[String: Any]])
        func file(_ item: [String: Any]) -> String { Self.relative((item["location"] as? [String: Any])?["file"] as? String ?? "", to: directory) }
        let flagged = Set(findings.filter { Self.opensToTheWorld($0, port: port) }.map(file))
        // A file whose only ingress AWS would not create (checkov's UNKNOWN, and an inverted range it
        // counts as PASSED) is not judged: W703.
        let notCreated = Set(warnings.filter { $0["code"] as? String == "W703" }.map(file))
        let judgedClean = Set(files).subtracting(flagged).subtracting(notCreated.filter { $0.contains("UNKNOWN") })
        #expect(flagged.count == failed, "flagged: \(flagged.sorted())")
        #expect(judgedClean.count == passed, "clean: \(judgedClean.sorted())")
        #expect(flagged == Set(files.filter { $0.contains("-FAILED") }), "we flag exactly the files checkov's fixtures call FAILED")
        #expect(files.filter { $0.contains("UNKNOWN") }.allSatisfy { notCreated.contains($0) })
    }

    @Test func checkovDescriptionFixturesAreAuditedForTrafficOnly() throws {
        // checkov's CKV_AWS_23 wants a description on every rule (4 passed, 3 failed); descriptions
        // do not change what traffic a group allows, so we judge the traffic and stay quiet on them.
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let directory = Self.checkov.appendingPathComponent("example_SecurityGroupRuleDescription")
        let (document, outcome) = try Self.audit(tool, ["--template", directory.path, "--fail-on", "low"])
        #expect((document["files"] as? [[String: Any]])?.count == 7)
        #expect((document["errors"] as? [Any])?.isEmpty == true)
        #expect(!outcome.stdout.lowercased().contains("description is missing"))
    }

    // MARK: - cfn_nag's integration spec

    /// The six contexts of cfn_nag_security_group_spec.rb: the violations cfn_nag states, and what we
    /// report instead (`ID tier`, or a warning code). Agreement: MissingEgress is our default egress
    /// (SG-EGRESS-WORLD-ALL on a group created without egress), OpenToWorld is a world-exposure
    /// finding, a fatal template error is a W703. Differences (docs/AUDIT.md): CidrNon32 and
    /// PortRange flag any non-/32 CIDR and any range; we rate breadth and ports by risk instead.
    static let cfnNagSpec: [(template: String, cfnNag: [String], ours: [String])] = [
        ("json/security_group/sg_missing_properties.json", ["FATAL Properties required"], ["W703"]),
        ("json/security_group/single_security_group_empty_ingress.json", ["MissingEgress sg"], ["SG-EGRESS-WORLD-ALL sg"]),
        ("json/security_group/two_security_group_two_cidr_ingress.json",
         ["CidrNon32 sg2", "OpenToWorld sg2", "PortRange sg sg2", "MissingEgress sg sg2"],
         ["SG-WORLD-ADMIN sg2", "SG-EGRESS-WORLD-ALL sg", "SG-EGRESS-WORLD-ALL sg2"]),
        ("json/security_group/multiple_inline_egress.json", [], []),
        ("json/security_group/non_32_cidr_standalone_ingress.json", ["CidrNon32 sg"], ["W701", "W702", "W703", "W703"]),
        ("json/security_group/non_32_cidr.json", ["CidrNon32 sg sg2"], ["W701", "W701", "W703"]),
    ]

    @Test(arguments: cfnNagSpec)
    func cfnNagSpecTemplatesAgreeWhereTheRulesMeanTheSameThing(template: String, cfnNag: [String], ours: [String]) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let (document, outcome) = try Self.audit(tool, ["--template", Self.cfnNag.appendingPathComponent(template).path, "--fail-on", "low"])
        let findings = (document["findings"] as? [[String: Any]] ?? []).map { "\($0["id"] as? String ?? "?") \($0["tier"] as? String ?? "?")" }
        let warnings = (document["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(findings.sorted() + warnings.sorted() == ours.filter { $0.hasPrefix("SG-") }.sorted() + ours.filter { !$0.hasPrefix("SG-") }.sorted(), "\(template)")
        // Where the rules mean the same thing, the groups are the same.
        for violation in cfnNag {
            let words = violation.split(separator: " ").map(String.init)
            let groups = Set(words.dropFirst())
            switch words[0] {
            case "MissingEgress":
                #expect(Set(findings.filter { $0.hasPrefix("SG-EGRESS-WORLD-ALL ") }.map { String($0.split(separator: " ")[1]) }) == groups)
            case "OpenToWorld":
                #expect(Set(findings.filter { $0.hasPrefix("SG-WORLD-") }.map { String($0.split(separator: " ")[1]) }) == groups)
            case "FATAL":
                #expect(warnings.contains("W703") && (document["errors"] as? [Any])?.isEmpty == true)
            default:
                continue  // CidrNon32, PortRange: rated differently on purpose (docs/AUDIT.md)
            }
        }
        #expect(outcome.exitCode == (findings.isEmpty && !warnings.contains("W701") ? 0 : 1))
    }

    @Test func everyCfnNagAndCheckovFixtureIsAuditedInOneRunWithoutACrash() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let (document, outcome) = try Self.audit(tool, ["--template", Self.cfnNag.path, Self.checkov.path, "--allow-unresolved"])
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.count == 58)
        // One cfn_nag fixture (yaml/security_group/bad_cidr.json) is deliberately not a template.
        let errors = (document["errors"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(errors == ["E703"])
        #expect(!outcome.stderr.contains("Fatal error"))
    }
}
