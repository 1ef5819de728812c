import Foundation
import SGTestSupport
import Testing

/// The built binary, driven like a user drives it: arguments in; stdout, stderr, exit code and
/// files in reports/ out.
@Suite(.serialized) struct EndToEndTests {
    static let exampleConfigs = [
        "globalbank-prod-c001-us-west-2", "acme-dev-d001-eu-west-1",
        "initech-staging-k01-eu-central-1", "hooli-prod-m01-us-east-1",
    ]

    @Test func validateTheBundledExamplePasses() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2.yaml", "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stdout.contains("validate-prov-template: globalbank-prod-c001-us-west-2: 0 errors"))
        #expect(outcome.stdout.contains("--fail-on high: PASSED"))
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 1)
        let pattern = #/^globalbank-prod-c001-us-west-2-sg-validate-prov-template-\d{8}_\d{6}_\d{3}\.log$/#
        #expect(logs.first.map { $0.wholeMatch(of: pattern) != nil } == true, "\(logs)")
    }

    @Test(arguments: exampleConfigs)
    func templatesMatchGoldenFilesAndAreByteIdenticalAcrossRuns(config: String) throws {
        for format in ["yaml", "json"] {
            let first = try ToolRunner(), second = try ToolRunner()
            defer { first.cleanUp(); second.cleanUp() }
            let a = try first.run(["-con", config, "-act", "create-prov-template", "--format", format])
            let b = try second.run(["-con", config, "-act", "create-prov-template", "--format", format])
            #expect(a.exitCode == 0, "\(a.stdout)\n\(a.stderr)")
            #expect(b.exitCode == 0)
            let templates = try first.reports().filter { $0.hasSuffix("-template.\(format)") }
            #expect(!templates.isEmpty)
            for name in templates {
                let text = try first.read("reports/\(name)")
                #expect(text == (try second.read("reports/\(name)")), "\(name) differs between two runs")
                GoldenFiles.check(text, against: "templates/\(name)")
            }
        }
    }

    @Test func everyGoldenTemplatePassesCfnLint() throws {
        let directory = GoldenFiles.directory.appendingPathComponent("templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
            .map { directory.appendingPathComponent($0).path }
        #expect(files.count >= Self.exampleConfigs.count * 2)
        let errors = try CfnLint.run(files).filter { $0.level == "Error" }
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func jsonOutputIsOneDocumentWithFindingsAndErrors() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--output", "json", "--today", "2027-01-01"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(object["errors"] as? [Any] != nil)
        let admin = try #require(findings.first { $0["id"] as? String == "SG-WORLD-ADMIN" })
        #expect(admin["severity"] as? String == "high")
        #expect(admin["accepted"] as? Bool == true)
        #expect(admin["tier"] as? String == "bastion")
        let location = try #require(admin["location"] as? [String: Any])
        #expect(location["file"] as? String == "configs/acme-dev-d001-eu-west-1.yaml")
        #expect(location["line"] as? Int == 18)
        #expect(outcome.exitCode == 0, "an active accepted risk must not fail validation")
    }

    @Test func expiredAcceptedRiskFailsAgain() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--today", "2027-04-01"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stdout.contains("accepted risk EXPIRED on 2027-03-31"))
        #expect(outcome.stdout.contains("[SG-WORLD-ADMIN]"))
    }

    @Test func anchorMissesAreCaught() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write("""
            name: anchor-misses
            description: The four cases checkov misses on CloudFormation
            tiers:
              db:
                ingress:
                  - { protocol: tcp, port_range: 5000-6000, source: 0.0.0.0/0, description: Range hiding 5432 }
                  - { protocol: tcp, port: 27017, source: "::/0", description: MongoDB over IPv6 only }
                egress: []
              legacy:
                ingress:
                  - { protocol: "-1", source: 0.0.0.0/0, description: Everything }
                egress: []
              halves:
                ingress:
                  - { protocol: tcp, port: 3306, source: 0.0.0.0/1, description: Lower half }
                  - { protocol: tcp, port: 3306, source: 128.0.0.0/1, description: Upper half }
                egress: []

            """, to: "scenarios/anchor-misses.yaml")
        try tool.write("""
            company_prefix: test
            environment: ci
            deployment_id: a001
            region: us-east-1
            vpc_id: vpc-0123456789abcdef0
            scenario: anchor-misses

            """, to: "configs/anchor.yaml")
        let outcome = try tool.run(["-con", "anchor", "-act", "validate-prov-template", "--output", "json"])
        #expect(outcome.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        func has(_ id: String, tier: String, mentioning text: String) -> Bool {
            findings.contains { $0["id"] as? String == id && $0["tier"] as? String == tier
                && (($0["description"] as? String) ?? "").contains(text) }
        }
        #expect(has("SG-WORLD-DB", tier: "db", mentioning: "5432"), "\(findings)")
        #expect(has("SG-WORLD-DB", tier: "db", mentioning: "27017"), "\(findings)")
        #expect(findings.contains { $0["id"] as? String == "SG-WORLD-ALL" && $0["tier"] as? String == "legacy" })
        #expect(findings.contains { $0["tier"] as? String == "halves" && $0["severity"] as? String == "critical" }, "\(findings)")
    }

    @Test func failOnThresholdDecidesTheExitCode() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        // acme after expiry: the SSH-from-world finding is HIGH, nothing is CRITICAL.
        let high = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--today", "2028-01-01"])
        let critical = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--today", "2028-01-01", "--fail-on", "critical"])
        #expect(high.exitCode == 1)
        #expect(critical.exitCode == 0)
        #expect(critical.stdout.contains("--fail-on critical: PASSED"))
    }

    @Test func invalidInputGivesLocatedErrorsAndWritesOnlyTheAuditLog() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write("""
            company_prefix: ../../etc
            environment: prod
            deployment_id: c001
            region: us-west-2
            vpc_id: vpc-0a1b2c3d4e5f67890
            scenario: three-tier-web

            """, to: "configs/bad.yaml")
        let outcome = try tool.run(["-con", "bad", "-act", "create-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("configs/bad.yaml:1:17: error:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(" 1 | company_prefix: ../../etc"))
        #expect(outcome.stderr.contains("|                 ^"))
        let reports = try tool.reports()
        #expect(reports.count == 1 && reports[0].hasPrefix("bad-sg-create-prov-template-") && reports[0].hasSuffix(".log"), "\(reports)")
    }

    @Test func usageErrorsExitTwo() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let unknown = try tool.run(["-con", "x", "-act", "make-coffee"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("unknown action 'make-coffee'"))
        let missing = try tool.run(["-con", "x"])
        #expect(missing.exitCode == 2)
        let badFailOn = try tool.run(["-con", "x", "-act", "validate-prov-template", "--fail-on", "severe"])
        #expect(badFailOn.exitCode == 2)
        #expect(try tool.reports().isEmpty, "usage errors run no action and write nothing")
    }

    @Test func listActionsAndHelpDescribeEveryAction() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let list = try tool.run(["-act", "list-actions"])
        let help = try tool.run(["--help"])
        #expect(list.exitCode == 0)
        #expect(help.exitCode == 0)
        for action in ["create-prov-template", "validate-prov-template", "create-review-report", "create-iam-policy",
                       "verify-vpc", "show-changes", "test-deploy", "create-security-groups", "check-drift",
                       "delete-security-groups", "audit-security-groups"] {
            #expect(list.stdout.contains(action), "list-actions lacks \(action)")
            #expect(help.stdout.contains(action), "--help lacks \(action)")
        }
    }

    @Test func missingConfigIsAClearError() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "globalbank-prod", "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("globalbank-prod-c001-us-west-2"), "a did-you-mean names the close config: \(outcome.stderr)")
    }
}

/// A deployment too big for one stack (more tiers than one stack may have outputs), so its
/// groups spread over the main and `-groups-N` stacks and its rules over `-rules-N` stacks.
@Suite(.serialized) struct SplitDeploymentTests {
    static let tierCount = 230

    static func write(into tool: ToolRunner) throws {
        try tool.write("""
            company_prefix: bigco
            environment: prod
            deployment_id: b001
            region: us-east-1
            vpc_id: vpc-0a1b2c3d4e5f67890
            vpc_cidr: 10.0.0.0/16
            scenario: many-tiers

            """, to: "configs/bigco-prod-b001-us-east-1.yaml")
        var scenario = "name: many-tiers\ntiers:\n"
        for index in 0..<tierCount {
            let peer = String(format: "t%03d", (index + 1) % tierCount)
            scenario += String(format: "  t%03d:\n", index)
            scenario += "    ingress:\n      - { protocol: tcp, port: 8080, source_tier: \(peer), description: From \(peer) }\n"
            scenario += "    egress:\n      - { protocol: tcp, port: 8080, destination_tier: \(peer) }\n"
        }
        try tool.write(scenario, to: "scenarios/many-tiers.yaml")
    }

    /// The self-check finds every tier's group whichever stack holds it: validate passes and
    /// create writes every stack.
    @Test func validateAndCreatePassWhenGroupsSpanSeveralStacks() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try Self.write(into: tool)
        let validate = try tool.run(["-con", "bigco-prod-b001-us-east-1", "-act", "validate-prov-template"])
        #expect(validate.exitCode == 0, "\(validate.stdout)\n\(validate.stderr)")
        #expect(!validate.stdout.contains("E504") && !validate.stderr.contains("E504"))
        #expect(validate.stdout.contains("bigco-prod-b001-us-east-1: 0 errors, 1 warning"), "\(validate.stdout)")
        let create = try tool.run(["-con", "bigco-prod-b001-us-east-1", "-act", "create-prov-template"])
        #expect(create.exitCode == 0, "\(create.stdout)\n\(create.stderr)")
        let templates = try tool.reports().filter { $0.hasSuffix("-template.yaml") }
        #expect(templates.contains("bigco-prod-b001-us-east-1-sg-stack-template.yaml"))
        #expect(templates.contains("bigco-prod-b001-us-east-1-sg-stack-groups-2-template.yaml"), "\(templates)")
        #expect(templates.contains { $0.contains("-rules-1-") }, "\(templates)")
    }
}
