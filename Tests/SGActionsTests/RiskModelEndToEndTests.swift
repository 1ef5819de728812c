import Foundation
import SGTestSupport
import Testing

/// The risk model through the built binary: every class of peer (world-equivalent, wide public,
/// narrow public, internal) and every least-privilege judgement gets the same verdict from
/// validate, the review report and check-drift --snapshot (one validator), and a drifted rule's
/// finding carries the fingerprint the same rule has in the config.
@Suite(.serialized) struct RiskModelEndToEndTests {
    /// One rule of the class scenario: the tier it is on, how it is written in YAML, how the tool
    /// prints it, and the verdict every action must give it.
    struct Case: Sendable {
        var tier: String
        var direction: String
        var yaml: String
        var ruleText: String
        var id: String?
        var severity: String
    }

    static let cases: [Case] = [
        Case(tier: "half-world", direction: "ingress", yaml: "{ protocol: tcp, port: 8080, source: 0.0.0.0/1 }",
             ruleText: "ingress tcp/8080 from 0.0.0.0/1", id: "SG-WORLD-APP", severity: "high"),
        Case(tier: "global-v6", direction: "ingress", yaml: "{ protocol: tcp, port: 5432, source: \"2000::/3\" }",
             ruleText: "ingress tcp/5432 from 2000::/3", id: "SG-WORLD-DB", severity: "critical"),
        Case(tier: "nat64", direction: "ingress", yaml: "{ protocol: tcp, port: 3306, source: \"64:ff9b::/96\" }",
             ruleText: "ingress tcp/3306 from 64:ff9b::/96", id: "SG-WORLD-DB", severity: "critical"),
        Case(tier: "sixtofour", direction: "ingress", yaml: "{ protocol: tcp, port: 22, source: \"2002::/16\" }",
             ruleText: "ingress tcp/22 from 2002::/16", id: "SG-WORLD-ADMIN", severity: "high"),
        Case(tier: "wide", direction: "ingress", yaml: "{ protocol: tcp, port: 443, source: 198.51.0.0/16 }",
             ruleText: "ingress tcp/443 from 198.51.0.0/16", id: "SG-PUBLIC-WIDE-CIDR", severity: "medium"),
        Case(tier: "wide-ssh", direction: "ingress", yaml: "{ protocol: tcp, port: 22, source: 11.0.0.0/10 }",
             ruleText: "ingress tcp/22 from 11.0.0.0/10", id: "SG-PUBLIC-WIDE-CIDR", severity: "high"),
        Case(tier: "narrow", direction: "ingress", yaml: "{ protocol: tcp, port: 22, source: 8.8.8.8/32 }",
             ruleText: "ingress tcp/22 from 8.8.8.8/32", id: nil, severity: "low"),
        Case(tier: "egress-world", direction: "egress", yaml: "{ protocol: all, destination: \"2000::/3\" }",
             ruleText: "egress all traffic to 2000::/3", id: "SG-EGRESS-WORLD-ALL", severity: "medium"),
        Case(tier: "egress-wide", direction: "egress", yaml: "{ protocol: all, destination: 11.0.0.0/10 }",
             ruleText: "egress all traffic to 11.0.0.0/10", id: "SG-EGRESS-PUBLIC-WIDE", severity: "medium"),
        Case(tier: "ops", direction: "ingress", yaml: "{ protocol: tcp, port: 22, source: 10.0.0.0/8 }",
             ruleText: "ingress tcp/22 from 10.0.0.0/8", id: "SG-BROAD-INTERNAL-ADMIN", severity: "medium"),
        Case(tier: "mesh", direction: "ingress", yaml: "{ protocol: all, source_tier: ops }",
             ruleText: "ingress all traffic from tier ops", id: "SG-INTERNAL-ALL-TRAFFIC", severity: "medium"),
        Case(tier: "nodes", direction: "ingress", yaml: "{ protocol: all, source_tier: nodes }",
             ruleText: "ingress all traffic from tier nodes", id: "SG-SELF-ALL-TRAFFIC", severity: "low"),
        Case(tier: "node-ports", direction: "ingress", yaml: "{ protocol: tcp, port_range: 30000-32767, source_tier: mesh }",
             ruleText: "ingress tcp/30000-32767 from tier mesh", id: "SG-INTERNAL-PORT-RANGE", severity: "low"),
    ]

    static let tierNames: [String] = {
        var names: [String] = []
        for item in cases where !names.contains(item.tier) { names.append(item.tier) }
        return names
    }()

    /// The config: `vpc_cidr` 10.0.0.0/16, scenario NAME.
    static func config(scenario: String) -> String {
        """
        company_prefix: riskco
        environment: test
        deployment_id: r001
        region: eu-west-1
        vpc_id: vpc-0123456789abcdef0
        vpc_cidr: 10.0.0.0/16
        scenario: \(scenario)
        tags:
          owner: security

        """
    }

    /// Every tier; with `dangerous`, each holds its case's rule, else none (what drift compares with).
    static func scenario(name: String, dangerous: Bool) -> String {
        var lines = ["name: \(name)", "tiers:"]
        for tier in tierNames {
            lines.append("  \(tier):")
            let rules = dangerous ? cases.filter { $0.tier == tier } : []
            for direction in ["ingress", "egress"] {
                let written = rules.filter { $0.direction == direction }
                lines.append(written.isEmpty ? "    \(direction): []" : "    \(direction):")
                for rule in written { lines.append("      - \(rule.yaml)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A describe-security-groups snapshot of the dangerous deployment as it would run in AWS.
    static func snapshot() -> String {
        func groupID(_ tier: String) -> String {
            let index = tierNames.firstIndex(of: tier)!
            return "sg-" + String(format: "%017x", 0xA0 + index)
        }
        func permission(_ item: Case) -> [String: Any] {
            let fields = item.yaml.trimmingCharacters(in: CharacterSet(charactersIn: "{} ")).split(separator: ",").map {
                $0.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
            }
            var values: [String: String] = [:]
            for field in fields { values[field[0]] = field[1] }
            var permission: [String: Any] = [
                "IpRanges": [[String: Any]](), "Ipv6Ranges": [[String: Any]](), "PrefixListIds": [[String: Any]](), "UserIdGroupPairs": [[String: Any]](),
            ]
            if values["protocol"] == "all" {
                permission["IpProtocol"] = "-1"
            } else {
                permission["IpProtocol"] = values["protocol"]!
                let range = (values["port"] ?? values["port_range"]!).split(separator: "-").map { Int($0)! }
                permission["FromPort"] = range[0]
                permission["ToPort"] = range.last!
            }
            if let tier = values["source_tier"] ?? values["destination_tier"] {
                permission["UserIdGroupPairs"] = [["GroupId": groupID(tier), "UserId": "123456789012"]]
            } else {
                let cidr = values["source"] ?? values["destination"]!
                if cidr.contains(":") { permission["Ipv6Ranges"] = [["CidrIpv6": cidr]] } else { permission["IpRanges"] = [["CidrIp": cidr]] }
            }
            return permission
        }
        let groups: [[String: Any]] = tierNames.map { tier in
            let rules = cases.filter { $0.tier == tier }
            return [
                "Description": "tier \(tier)", "GroupName": "riskco-test-r001-\(tier)", "GroupId": groupID(tier),
                "OwnerId": "123456789012", "VpcId": "vpc-0123456789abcdef0",
                "IpPermissions": rules.filter { $0.direction == "ingress" }.map(permission),
                "IpPermissionsEgress": rules.filter { $0.direction == "egress" }.map(permission),
                "Tags": [
                    ["Key": "sg-provisioner:deployment", "Value": "riskco-test-r001-eu-west-1"],
                    ["Key": "sg-provisioner:tier", "Value": tier],
                ],
            ]
        }
        let data = try! JSONSerialization.data(withJSONObject: ["SecurityGroups": groups], options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private func project() throws -> ToolRunner {
        let tool = try ToolRunner()
        try tool.write(Self.config(scenario: "risk-classes"), to: "configs/risk.yaml")
        try tool.write(Self.scenario(name: "risk-classes", dangerous: true), to: "scenarios/risk-classes.yaml")
        try tool.write(Self.config(scenario: "risk-clean"), to: "configs/clean.yaml")
        try tool.write(Self.scenario(name: "risk-clean", dangerous: false), to: "scenarios/risk-clean.yaml")
        try tool.write(Self.snapshot(), to: "snapshots/live.json")
        return tool
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("validate: each class gets its verdict, and the run fails at --fail-on high")
    func validate() throws {
        let tool = try project()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "configs/risk.yaml", "-act", "validate-prov-template", "--output", "json", "--today", "2027-01-01"])
        #expect(outcome.exitCode == 1, "\(outcome.stderr)")
        let findings = try #require(try json(outcome.stdout)["findings"] as? [[String: Any]])
        for item in Self.cases {
            let about = findings.filter { $0["rule"] as? String == item.ruleText && $0["id"] as? String != "SG-EXPOSURE-PATH" }
            if let id = item.id {
                #expect(about.map { "\($0["id"] ?? "") \($0["severity"] ?? "")" } == ["\(id) \(item.severity)"], "\(item.ruleText)")
            } else {
                #expect(about.isEmpty, "\(item.ruleText): \(about)")
            }
        }
    }

    @Test("review report: every rule's risk is the validator's, and none with a finding is 'preferred'")
    func reviewReport() throws {
        let tool = try project()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "configs/risk.yaml", "-act", "create-review-report", "--today", "2027-01-01"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let report = try json(try tool.read("reports/riskco-test-r001-eu-west-1-review-report.json"))
        let rules = try #require(report["rules"] as? [[String: Any]])
        for item in Self.cases {
            let row = try #require(rules.first { $0["tier"] as? String == item.tier && "\($0["direction"] ?? "")" == item.direction })
            #expect(row["risk"] as? String == item.severity, "\(item.ruleText): \(row)")
            #expect((row["findings"] as? [String]) == (item.id.map { [$0] } ?? []), "\(item.ruleText)")
            if item.id != nil { #expect(row["risk_label"] as? String == item.severity.uppercased(), "\(item.ruleText)") }
        }
        let narrow = try #require(rules.first { $0["tier"] as? String == "narrow" })
        #expect(narrow["reason"] as? String == "public CIDR 8.8.8.8/32, 1 public IPv4 address: narrow (one site or less)")
    }

    @Test("check-drift --snapshot: added rules are rated by the same validator, with the fingerprints validate prints")
    func checkDrift() throws {
        let tool = try project()
        defer { tool.cleanUp() }
        let drift = try tool.run(["-con", "configs/clean.yaml", "-act", "check-drift", "--snapshot", "snapshots/live.json", "--today", "2027-01-01"])
        #expect(drift.exitCode == 3, "\(drift.stdout)\n\(drift.stderr)")
        #expect(drift.stdout.contains("worst added rule CRITICAL"), "\(drift.stdout)")
        #expect(drift.stdout.contains("+ egress all traffic to 2000::/3  (no description)  MEDIUM: all traffic (every protocol and port"), "\(drift.stdout)")
        let report = try json(try tool.read("reports/riskco-test-r001-eu-west-1-drift-report.json"))
        let groups = try #require(report["groups"] as? [[String: Any]])
        let added = groups.flatMap { ($0["added"] as? [[String: Any]]) ?? [] }
        #expect(added.count == Self.cases.count)

        let validate = try tool.run(["-con", "configs/risk.yaml", "-act", "validate-prov-template", "--output", "json", "--today", "2027-01-01"])
        let validated = try #require(try json(validate.stdout)["findings"] as? [[String: Any]])
        for item in Self.cases {
            let row = try #require(added.first { $0["rule"] as? String == item.ruleText }, "\(item.ruleText) not added")
            #expect(row["risk"] as? String == item.severity, "\(item.ruleText): \(row["reason"] ?? "")")
            let findings = (row["findings"] as? [[String: Any]]) ?? []
            #expect(findings.map { $0["id"] as? String } == (item.id.map { [$0] } ?? []), "\(item.ruleText)")
            // The drifted rule's finding is the configured rule's finding: same fingerprint.
            if let id = item.id {
                let configured = validated.first { $0["rule"] as? String == item.ruleText && $0["id"] as? String == id }
                #expect(findings.first?["fingerprint"] as? String == configured?["fingerprint"] as? String, "\(item.ruleText)")
                #expect((configured?["fingerprint"] as? String)?.count == 32)
            }
        }
    }

    @Test("audit --template: a third party's world-equivalent rules get the same verdicts")
    func auditTemplate() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let template = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Disguised:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: rules that look narrower than they are
                  VpcId: vpc-0123456789abcdef0
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 0.0.0.0/1 }
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIpv6: "2000::/3" }
                    - { IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIpv6: "64:ff9b::/96" }
                    - { IpProtocol: "47", CidrIp: 11.0.0.0/10 }
                    - { IpProtocol: "47", CidrIp: 11.64.0.0/10 }
                  SecurityGroupEgress:
                    - { IpProtocol: "-1", CidrIpv6: "2000::/3" }

            """
        try tool.write(template, to: "third-party.yaml")
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", "third-party.yaml", "--output", "json", "--today", "2027-01-01"])
        let findings = try #require(try json(outcome.stdout)["findings"] as? [[String: Any]], "\(outcome.stderr)")
        let verdicts = findings.map { "\($0["rule"] as? String ?? "") \($0["id"] as? String ?? "") \($0["severity"] as? String ?? "")" }.sorted()
        #expect(verdicts == [
            "egress all traffic to 2000::/3 SG-EGRESS-WORLD-ALL medium",
            "ingress 47 from 11.0.0.0/10 + 11.64.0.0/10 SG-WORLD-PORT high",
            "ingress tcp/3306 from 64:ff9b::/96 SG-WORLD-DB critical",
            "ingress tcp/5432 from 2000::/3 SG-WORLD-DB critical",
            "ingress tcp/8080 from 0.0.0.0/1 SG-WORLD-APP high",
        ])
        #expect(outcome.exitCode == 1)
    }

    @Test("the pre-binding accepted-risk form fails with E802 naming the binding to paste; a binding that matches nothing warns W501")
    func acceptedRiskMessagesThroughTheBinary() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let acme = try tool.read("configs/acme-dev-d001-eu-west-1.yaml")
        let selector = "    ingress: { protocol: tcp, port: 22, source: 0.0.0.0/0 }\n"
        #expect(acme.contains(selector))
        try tool.write(acme.replacingOccurrences(of: selector, with: ""), to: "configs/legacy.yaml")
        let legacy = try tool.run(["-con", "configs/legacy.yaml", "-act", "validate-prov-template", "--today", "2027-01-01"])
        #expect(legacy.exitCode == 1)
        #expect(legacy.stderr.hasPrefix("""
            configs/legacy.yaml:21:5: error: accepted risk SG-WORLD-ADMIN for tier 'bastion' names no rule, so it would accept every SG-WORLD-ADMIN finding on the tier, including ones added later (today it would accept 1 finding); bind it to one finding with ingress:, egress: or fingerprint: [E802]
             21 |   - finding: SG-WORLD-ADMIN
                |     ^
            configs/legacy.yaml:18:44: note: matches ingress tcp/22 from 0.0.0.0/0: fingerprint: b196f33105bead192cf8c05a8bc9a88a, or ingress: { protocol: tcp, port: 22, source: "0.0.0.0/0" }

            """), "\(legacy.stderr)")
        // The finding it did not bind is not accepted: the run fails on it.
        #expect(legacy.stdout.contains("high: Remote administration open to the world [SG-WORLD-ADMIN]"))

        try tool.write(acme.replacingOccurrences(of: "port: 22, source: 0.0.0.0/0 }", with: "port: 3389, source: 0.0.0.0/0 }"), to: "configs/stale.yaml")
        let stale = try tool.run(["-con", "configs/stale.yaml", "-act", "validate-prov-template", "--today", "2027-01-01"])
        #expect(stale.exitCode == 1)
        #expect(stale.stderr.hasPrefix("configs/stale.yaml:21:5: warning: accepted risk SG-WORLD-ADMIN for tier 'bastion' (ingress tcp/3389 from 0.0.0.0/0) matches no finding; remove it [W501]"), "\(stale.stderr)")

        let migrated = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--today", "2027-01-01"])
        #expect(migrated.exitCode == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("high (accepted until 2027-03-31): Remote administration open to the world [SG-WORLD-ADMIN]"))
    }
}
