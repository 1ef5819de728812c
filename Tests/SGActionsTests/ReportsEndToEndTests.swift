import Foundation
import Testing

/// create-review-report, --output sarif, create-iam-policy and audit-security-groups, driven
/// through the built binary.
@Suite(.serialized) struct ReportsEndToEndTests {
    static let fixtures = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures")

    @Test(arguments: EndToEndTests.exampleConfigs)
    func reviewReportsMatchGoldenFilesAndAreByteIdentical(config: String) throws {
        let first = try ToolRunner(), second = try ToolRunner()
        defer { first.cleanUp(); second.cleanUp() }
        let arguments = ["-con", config, "-act", "create-review-report", "--today", "2027-01-01"]
        let a = try first.run(arguments), b = try second.run(arguments)
        #expect(a.exitCode == 0, "\(a.stdout)\n\(a.stderr)")
        #expect(b.exitCode == 0)
        for suffix in ["md", "html", "json"] {
            let name = "\(config)-review-report.\(suffix)"
            let text = try first.read("reports/\(name)")
            #expect(text == (try second.read("reports/\(name)")), "\(name) differs between two runs")
            if suffix != "html" { GoldenFiles.check(text, against: "reports/\(name)") }
        }
    }

    @Test func approvedHashesEqualTheTemplatesCreateProvTemplateWrites() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        for config in EndToEndTests.exampleConfigs {
            #expect(try tool.run(["-con", config, "-act", "create-review-report"]).exitCode == 0)
            #expect(try tool.run(["-con", config, "-act", "create-prov-template"]).exitCode == 0)
            let report = try JSONSerialization.jsonObject(with: Data(tool.read("reports/\(config)-review-report.json").utf8)) as? [String: Any]
            let templates = try #require(report?["templates"] as? [[String: String]])
            #expect(!templates.isEmpty)
            for entry in templates {
                let file = try #require(entry["file"])
                let hash = try Self.sha256(of: tool.directory.appendingPathComponent("reports/\(file)"))
                #expect(entry["sha256"] == hash, "\(file)")
            }
        }
    }

    @Test func htmlRendersInAHeadlessBrowserWithTheKeyFacts() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("chromium is not installed; `make test` installs it (scripts/ensure-deps.sh)")
            return
        }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let config = "acme-dev-d001-eu-west-1"
        #expect(try tool.run(["-con", config, "-act", "create-review-report", "--today", "2027-01-01"]).exitCode == 0)
        let html = tool.directory.appendingPathComponent("reports/\(config)-review-report.html")
        let png = tool.directory.appendingPathComponent("shot.png")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(tool.directory.path)/chromium-profile"]
        _ = try Self.run(chromium, common + ["--screenshot=\(png.path)", "--window-size=1400,2000", html.absoluteString])
        let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
        #expect(size > 30_000, "screenshot missing or blank (\(size) bytes)")
        let dom = try Self.run(chromium, common + ["--dump-dom", html.absoluteString])
        let json = try JSONSerialization.jsonObject(with: Data(tool.read("reports/\(config)-review-report.json").utf8)) as? [String: Any]
        let hash = try #require((json?["templates"] as? [[String: String]])?.first?["sha256"])
        for fact in ["acme-dev-d001-eu-west-1-sg-stack", hash, "SG-WORLD-ADMIN", "needs-human", "<svg"] {
            #expect(dom.contains(fact), "rendered page lacks \(fact)")
        }
    }

    /// The drawing as chromium lays it out, measured by a script in a copy of the report (the
    /// report itself forbids scripts): the labels' real boxes overlap nothing, fit the boxes drawn
    /// behind them and stay within the width bound the unit tests use; the approval block leaves
    /// room to write at a wide and a narrow window.
    @Test(arguments: [1400, 760])
    func drawingAndApprovalBlockMeasuredInAHeadlessBrowser(windowWidth: Int) throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            Issue.record("chromium is not installed; `make test` installs it (scripts/ensure-deps.sh)")
            return
        }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let fixture = Self.fixtures.appendingPathComponent("reports/drawing")
        let config = "drawing-dev-d001-eu-west-1"
        for file in ["configs/\(config).yaml", "scenarios/db-exposed.yaml"] {
            try tool.write(String(contentsOf: fixture.appendingPathComponent(file), encoding: .utf8), to: file)
        }
        #expect(try tool.run(["-con", config, "-act", "create-review-report", "--today", "2027-01-01"]).exitCode == 0)
        var page = try tool.read("reports/\(config)-review-report.html")
        let policy = try #require(page.range(of: "<meta http-equiv=\"Content-Security-Policy\"[^>]*>", options: .regularExpression))
        page.removeSubrange(policy)
        page = page.replacingOccurrences(of: "</body>", with: Self.measuringScript + "</body>")
        try tool.write(page, to: "measure.html")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(tool.directory.path)/chromium-profile"]
        let dom = try Self.run(chromium, common + [
            "--window-size=\(windowWidth),1200", "--virtual-time-budget=5000", "--dump-dom",
            tool.directory.appendingPathComponent("measure.html").absoluteString,
        ])
        let start = try #require(dom.range(of: "<pre id=\"measured\">")), end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let text = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        struct Box: Decodable {
            var text: String?
            var x, y, w, h: Double
            func overlaps(_ o: Box) -> Bool { x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h }
            func inside(_ o: Box) -> Bool { o.x <= x + 0.5 && x + w <= o.x + o.w + 0.5 && o.y <= y + 0.5 && y + h <= o.y + o.h + 0.5 }
        }
        struct Measured: Decodable {
            var approval: [Double]
            var labels: [Box]
            var labelBoxes: [Box]
            var nodes: [Box]
        }
        let measured = try JSONDecoder().decode(Measured.self, from: Data(text.utf8))
        #expect(measured.approval.count == 4)
        for width in measured.approval { #expect(width >= 200, "approval fill-in column is \(width) px at a \(windowWidth) px window") }
        #expect(measured.labels.contains { $0.text == "5000-6000" })
        #expect(measured.labels.count == measured.labelBoxes.count)
        for (index, label) in measured.labels.enumerated() {
            let bound = Double(label.text?.count ?? 0) * 12 * 0.62
            #expect(label.w <= bound, "'\(label.text ?? "")' renders \(label.w) px wide, above the bound \(bound)")
            #expect(label.inside(measured.labelBoxes[index]), "'\(label.text ?? "")' spills out of its box")
            for other in measured.labels[(index + 1)...] {
                #expect(!label.overlaps(other), "'\(label.text ?? "")' overlaps '\(other.text ?? "")'")
            }
            for node in measured.nodes { #expect(!label.overlaps(node), "'\(label.text ?? "")' overlaps a node") }
        }
    }

    static let measuringScript = """
        <script>
        const box = (e) => { const b = e.getBBox(); return { text: e.textContent, x: b.x, y: b.y, w: b.width, h: b.height }; };
        const measured = {
          approval: [...document.querySelectorAll('.approval td')].map((td) => td.getBoundingClientRect().width),
          labels: [...document.querySelectorAll('text.edge-label')].map(box),
          labelBoxes: [...document.querySelectorAll('rect.label-box')].map(box),
          nodes: [...document.querySelectorAll('rect.node')].map(box),
        };
        const pre = document.createElement('pre');
        pre.id = 'measured';
        pre.textContent = JSON.stringify(measured);
        document.body.appendChild(pre);
        </script>

        """

    @Test func hostileDescriptionsCannotInjectMarkup() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        // Tier and rule descriptions are limited to AWS's characters; scenario and override
        // descriptions are free text, so they are where markup could come in.
        var scenario = try tool.read("scenarios/three-tier-web.yaml")
        scenario = scenario.replacingOccurrences(
            of: "description: Public web tier, private app tier, isolated database tier",
            with: "description: \"<script>document.title='pwned'</script> | x\"")
        try tool.write(scenario, to: "scenarios/three-tier-web.yaml")
        var config = try tool.read("configs/globalbank-prod-c001-us-west-2.yaml")
        config = config.replacingOccurrences(of: "description: Move app listener to TLS", with: "description: \"<img src=x onerror=alert(1)> | *y*\"")
        try tool.write(config, to: "configs/globalbank-prod-c001-us-west-2.yaml")
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2", "-act", "create-review-report"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let html = try tool.read("reports/globalbank-prod-c001-us-west-2-review-report.html")
        #expect(!html.contains("<script") && !html.contains("<img"))
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; | x"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; | *y*"))
        let markdown = try tool.read("reports/globalbank-prod-c001-us-west-2-review-report.md")
        #expect(markdown.contains("| Scenario | three-tier-web — \\<script\\>document.title='pwned'\\</script\\> \\| x |"))
        #expect(markdown.contains("\\<img src=x onerror=alert(1)\\> \\| \\*y\\*"))
    }

    // MARK: - SARIF

    @Test func sarifValidatesAgainstTheSchemaAndPointsAtTheYAMLValue() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template", "--output", "sarif", "--today", "2027-01-01"])
        #expect(outcome.exitCode == 0)
        try Self.validateSARIF(outcome.stdout, in: tool)
        let results = try Self.results(outcome.stdout)
        let admin = try #require(results.first { $0["ruleId"] as? String == "SG-WORLD-ADMIN" })
        let physical = try #require(((admin["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "configs/acme-dev-d001-eu-west-1.yaml")
        let region = try #require(physical["region"] as? [String: Int])
        #expect(region == ["startLine": 18, "startColumn": 44, "endLine": 18, "endColumn": 53])
        let line = try tool.read("configs/acme-dev-d001-eu-west-1.yaml").split(separator: "\n", omittingEmptySubsequences: false)[17]
        #expect(Array(line)[43..<52].map(String.init).joined() == "0.0.0.0/0")
        let suppression = try #require((admin["suppressions"] as? [[String: String]])?.first)
        #expect(suppression["kind"] == "external")
        #expect(suppression["justification"]?.hasPrefix("Break-glass SSH, ticket SEC-1234") == true)
        #expect(results.allSatisfy { $0["level"] is String })
    }

    @Test func sarifCarriesInputErrorsAsErrorResults() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        var scenario = try tool.read("scenarios/three-tier-web.yaml")
        scenario = scenario.replacingOccurrences(of: "port: 5432, source_tier: app", with: "port: 70000, source_tier: app")
        try tool.write(scenario, to: "scenarios/three-tier-web.yaml")
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2", "-act", "validate-prov-template", "--output", "sarif"])
        #expect(outcome.exitCode == 1)
        try Self.validateSARIF(outcome.stdout, in: tool)
        let errors = try Self.results(outcome.stdout).filter { ($0["ruleId"] as? String)?.hasPrefix("E") == true }
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0["level"] as? String == "error" })
    }

    @Test func auditTemplateSARIFValidates() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", Self.fixtures.appendingPathComponent("audit/nested-if-mysql.yaml").path, "--output", "sarif"])
        #expect(outcome.exitCode == 1)
        try Self.validateSARIF(outcome.stdout, in: tool)
        let ids = try Self.results(outcome.stdout).compactMap { $0["ruleId"] as? String }
        #expect(ids.contains("SG-WORLD-DB"))
        // Its group references (a parameter without Default, an ImportValue) are judged as references.
        #expect(!ids.contains("W701"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        #expect(artifacts.count == 1)
        #expect((artifacts.first?["properties"] as? [String: Any])?["passed"] as? Bool == false)
    }

    // MARK: - IAM

    @Test func iamPoliciesAreWrittenScopedAndWithoutWildcardActions() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2", "-act", "create-iam-policy"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Resource \"*\" only where AWS requires it (4 statement(s))"))
        // check-drift's "who changed it": LookupEvents cannot be scoped, so the one more "*" statement says why.
        #expect(outcome.stdout.contains("globalbank-prod-c001-us-west-2-iam-readonly-policy: CloudTrailLookupEventsHasNoResourceLevelPermissionsSoResourceIsWildcard"), "\(outcome.stdout)")
        for kind in ["readonly", "deploy"] {
            let text = try tool.read("reports/globalbank-prod-c001-us-west-2-iam-\(kind)-policy.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(document["Version"] as? String == "2012-10-17")
            let statements = try #require(document["Statement"] as? [[String: Any]])
            for statement in statements {
                let actions = try #require(statement["Action"] as? [String])
                #expect(actions.allSatisfy { !$0.contains("*") })
                if kind == "deploy" {
                    let resources = (statement["Resource"] as? [String]) ?? [statement["Resource"] as? String ?? "*"]
                    #expect(resources.allSatisfy { $0.contains(":us-west-2:") && $0 != "*" })
                    let region = ((statement["Condition"] as? [String: Any])?["StringEquals"] as? [String: Any])?["aws:RequestedRegion"] as? String
                    #expect(region == "us-west-2")
                }
            }
        }
        #expect(try tool.reports().contains("globalbank-prod-c001-us-west-2-iam-policy-summary.txt"))
    }

    // MARK: - Audit

    @Test(arguments: [
        ("range-hides-postgres.yaml", ["SG-WORLD-DB@13:19"]),
        ("all-traffic-world.json", ["SG-WORLD-ALL@11:43", "SG-EGRESS-WORLD-ALL@14:43"]),
        ("mongodb-ipv6-only.yaml", ["SG-WORLD-DB@13:21"]),
        ("split-world-rdp.yaml", ["SG-WORLD-ADMIN@21:15", "SG-WORLD-ADMIN@29:15"]),  // each half is world-equivalent on its own
        ("ssh-location-parameter.yaml", ["SG-WORLD-ADMIN@23:19", "SG-EGRESS-WORLD-ALL@14:3", "SG-WORLD-WEB@27:19"]),
        ("nested-if-mysql.yaml", ["SG-WORLD-DB@37:47", "SG-WORLD-PORT@47:23", "SG-EGRESS-WORLD-ALL@24:3", "SG-BROAD-INTERNAL-DB@41:19"]),
        ("select-split-elasticsearch.yaml", ["SG-WORLD-DB@20:19", "SG-WORLD-APP@24:19", "SG-EGRESS-WORLD-ALL@11:3", "SG-BROAD-INTERNAL-DB@28:19"]),
        ("clean-tiers.yaml", []),
    ])
    func auditFindsTheDangerousRulesInThirdPartyTemplates(file: String, expected: [String]) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = Self.fixtures.appendingPathComponent("audit/\(file)").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", path, "--output", "json", "--today", "2027-01-01"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stderr)")
        let findings = try #require(document["findings"] as? [[String: Any]])
        let found = findings.map { finding -> String in
            let location = finding["location"] as? [String: Any]
            return "\(finding["id"] as? String ?? "?")@\(location?["line"] as? Int ?? 0):\(location?["column"] as? Int ?? 0)"
        }
        #expect(found == expected)
        #expect(findings.allSatisfy { ($0["location"] as? [String: Any])?["file"] as? String == path })
        #expect(outcome.exitCode == (expected.isEmpty || file == "clean-tiers.yaml" ? 0 : 1))
    }

    @Test func auditNamesUnresolvedValuesCountsThemAndFailsUnlessAllowed() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = Self.fixtures.appendingPathComponent("audit/unresolved-cidr.yaml").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", path, "--fail-on", "critical"])
        #expect(outcome.stderr.contains("\(path):17:68: warning: cannot resolve CidrIp of a rule in PartnerSecurityGroup: parameter PartnerCidr has no Default or AllowedValues; rule skipped [W701]"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("\(path):18:64: warning: cannot resolve CidrIp of a rule in PartnerSecurityGroup: parameter OfficeCidr is read from SSM Parameter Store at deploy time; rule skipped [W701]"))
        #expect(outcome.stderr.contains("\(path):19:66: warning: cannot resolve CidrIp of a rule in PartnerSecurityGroup: Fn::ImportValue cannot be evaluated without deploying; rule skipped [W701]"))
        #expect(outcome.stdout.hasSuffix("audit-security-groups: \(path): 0 errors, 3 warnings; findings: 0 critical, 0 high, 1 medium, 0 low, 0 info; unresolved: 3 (fails; --allow-unresolved to accept); --fail-on critical: FAILED\n"), "\(outcome.stdout)")
        #expect(outcome.exitCode == 1, "nothing at critical was found, but three rules were not judged")

        let allowed = try tool.run(["-act", "audit-security-groups", "--template", path, "--fail-on", "critical", "--allow-unresolved", "--output", "json"])
        #expect(allowed.exitCode == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(allowed.stdout.utf8)) as? [String: Any])
        #expect(document["passed"] as? Bool == true)
        #expect(document["allow_unresolved"] as? Bool == true)
        #expect((document["summary"] as? [String: Any])?["unresolved"] as? Int == 3)
        #expect(((document["files"] as? [[String: Any]])?.first)?["unresolved"] as? Int == 3)
    }

    @Test func auditOfASnapshotNamesTheGroups() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = Self.fixtures.appendingPathComponent("audit/snapshot.json").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--snapshot", path, "--output", "json"])
        #expect(outcome.exitCode == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        let found = Set(findings.map { "\($0["id"] as? String ?? "?") \($0["tier"] as? String ?? "?")" })
        #expect(found.isSuperset(of: [
            "SG-WORLD-DB legacy-reporting-db (sg-0aaaaaaaaaaaaaaa1)", "SG-WORLD-ADMIN legacy-reporting-db (sg-0aaaaaaaaaaaaaaa1)",
            "SG-WORLD-ALL debug (sg-0bbbbbbbbbbbbbbb2)", "SG-EGRESS-WORLD-ALL legacy-reporting-db (sg-0aaaaaaaaaaaaaaa1)",
        ]), "\(found.sorted())")
        let db = try #require(findings.first { $0["id"] as? String == "SG-WORLD-DB" })
        #expect((db["location"] as? [String: Any])?["line"] as? Int == 9)
    }

    @Test(arguments: [
        ([String](), "E604", "no AWS region: set it in the config, AWS_REGION or the profile"),
        (["--snapshot", "a.json", "--template", "b.yaml"], "E508", "give one source: --snapshot FILE or --template FILE, not both"),
        (["--template", "missing.yaml"], "E505", "error: cannot read missing.yaml: no such file"),
    ])
    func auditSourceErrors(arguments: [String], code: String, message: String) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        // No region from the machine running the tests: the live source must fail the same everywhere.
        let isolated = ["AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null",
                        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"]
        let outcome = try tool.run(["-act", "audit-security-groups"] + arguments, environment: isolated)
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("[\(code)]"))
    }

    // MARK: - Helpers

    static func sha256(of url: URL) throws -> String {
        try run("/usr/bin/env", ["sha256sum", url.path]).split(separator: " ").first.map(String.init) ?? ""
    }

    static func results(_ sarif: String) throws -> [[String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        return try #require(((root["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
    }

    /// Validates with the Python jsonschema package against the official OASIS schema.
    static func validateSARIF(_ text: String, in tool: ToolRunner) throws {
        try tool.write(text, to: "out.sarif")
        let schema = fixtures.appendingPathComponent("sarif/sarif-schema-2.1.0.json").path
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
            for e in errors[:10]: print(list(e.path), e.message)
            sys.exit(1 if errors else 0)
            """
        let output = try run("/usr/bin/env", ["python3", "-c", script, schema, tool.directory.appendingPathComponent("out.sarif").path], expectSuccess: true)
        #expect(output.isEmpty, "SARIF schema violations:\n\(output)")
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], expectSuccess: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if expectSuccess && process.terminationStatus != 0 && data.isEmpty {
            Issue.record("\(executable) \(arguments.first ?? "") exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
