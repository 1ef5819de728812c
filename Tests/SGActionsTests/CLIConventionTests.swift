import Foundation
import SGTestSupport
import Testing

/// What a CI author relies on: usage errors exit 2 with one `error:` and a "did you mean";
/// file-system errors in plain words naming the path; a summary that does not count findings it
/// never judged; one JSON document per run naming the deployment whenever the config was read.
@Suite struct CLIConventionTests {
    static let config = "globalbank-prod-c001-us-west-2"
    static let usageLine = "usage: sg-provisioner -con CONFIG -act ACTION [options]   (sg-provisioner --help lists every option)\n"

    @Test(arguments: [
        (["-con", "x", "-act", "valdate-prov-template"],
         "sg-provisioner: error: unknown action 'valdate-prov-template'; did you mean 'validate-prov-template'?\n"),
        // A shorthand for an action: each word starts a word of the action, in order.
        (["-con", "x", "-act", "validate"], "sg-provisioner: error: unknown action 'validate'; did you mean 'validate-prov-template'?\n"),
        (["-con", "x", "-act", "drift"], "sg-provisioner: error: unknown action 'drift'; did you mean 'check-drift'?\n"),
        (["-con", "x", "-act", "audit"], "sg-provisioner: error: unknown action 'audit'; did you mean 'audit-security-groups'?\n"),
        (["-con", "x", "-act", "import"], "sg-provisioner: error: unknown action 'import'; did you mean 'import-security-groups'?\n"),
        (["-con", "x", "-act", "validate-template"],
         "sg-provisioner: error: unknown action 'validate-template'; did you mean 'validate-prov-template'?\n"),
        (["-con", "x", "-act", "create"],
         "sg-provisioner: error: unknown action 'create'; did you mean one of 'create-prov-template', 'create-review-report', 'create-iam-policy', 'create-security-groups'?\n"),
        (["-con", "x", "-act", "deploy-everything"], "sg-provisioner: error: unknown action 'deploy-everything'; the actions are: "
            + "create-prov-template, validate-prov-template, create-review-report, create-iam-policy, verify-vpc, show-changes, test-deploy, "
            + "create-security-groups, check-drift, delete-security-groups, audit-security-groups, import-security-groups, list-actions\n"),
        (["-con", "x", "-act", "validate-prov-template", "--otput", "json"],
         "sg-provisioner: error: unknown option '--otput'; did you mean '--output'?\n"),
        (["-conn", "x", "-act", "check-drift"], "sg-provisioner: error: unknown option '-conn'; did you mean '-con'?\n"),
        (["-act", "validate-prov-template"],
         "sg-provisioner: error: validate-prov-template needs -con CONFIG (a config file or a name in configs/; or a directory or a quoted glob of configs)\n"),
        (["-act", "create-security-groups"], "sg-provisioner: error: create-security-groups needs -con CONFIG (a config file or a name in configs/)\n"),
        (["-con", "x", "-act", "check-drift", "--jobs", "0"], "sg-provisioner: error: --jobs must be between 1 and 64\n"),
        (["-con", "x", "-act", "check-drift", "--output"], "sg-provisioner: error: missing value for '--output <output>'\n"),
        // An option of other actions is refused, not ignored: it would look as if it guarded or narrowed the run.
        (["-con", "x", "-act", "test-deploy", "--approved-report", "r.json"],
         "sg-provisioner: error: --approved-report is an option of create-security-groups, not of test-deploy\n"),
        (["-con", "x", "-act", "validate-prov-template", "--vpc-id", "vpc-1"],
         "sg-provisioner: error: --vpc-id is an option of import-security-groups and audit-security-groups, not of validate-prov-template\n"),
        (["-con", "x", "-act", "show-changes", "--adopt"], "sg-provisioner: error: --adopt is an option of create-security-groups, not of show-changes\n"),
        (["-con", "x", "-act", "check-drift", "--timeout", "5"],
         "sg-provisioner: error: --timeout is an option of test-deploy, create-security-groups and delete-security-groups, not of check-drift\n"),
        (["-con", "x", "-act", "create-review-report", "--template", "t.yaml"],
         "sg-provisioner: error: --template is an option of audit-security-groups and import-security-groups, not of create-review-report\n"),
        (["-con", "x", "-act", "validate-prov-template", "--format", "json"],
         "sg-provisioner: error: --format is an option of create-prov-template, not of validate-prov-template\n"),
        (["-con", "x", "-act", "create-security-groups", "--keep"], "sg-provisioner: error: --keep is an option of test-deploy, not of create-security-groups\n"),
        (["-act", "audit-security-groups", "--snapshot", "s.json", "--vpc-id", "vpc-1"],
         "sg-provisioner: error: --vpc-id chooses the VPC of a live audit without -con, --snapshot or --template (a config audits its own vpc_id)\n"),
    ])
    func usageErrorsExitTwoWithOneErrorPrefixAndWriteNothing(arguments: [String], message: String) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(arguments)
        #expect(outcome.exitCode == 2)
        #expect(outcome.stderr == message + Self.usageLine)
        #expect(outcome.stdout.isEmpty)
        #expect(try tool.reports().isEmpty, "a usage error writes no audit log")
    }

    @Test func aReportsPathThatIsAFileIsNamedInPlainWords() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try FileManager.default.removeItem(at: tool.directory.appendingPathComponent("reports"))
        try tool.write("not a directory\n", to: "reports")
        let outcome = try tool.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(
            "cannot create directory reports: a file with that name is in the way"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("NSCocoaErrorDomain") && !outcome.stderr.contains("Code="), "\(outcome.stderr)")
    }

    @Test func anUnreadableOrOversizedConfigIsALocatedErrorInPlainWords() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let directory = try tool.run(["-con", "configs/", "-act", "create-prov-template"])
        #expect(directory.exitCode == 2, "a directory is many configs, which create-prov-template refuses: \(directory.stderr)")
        let started = Date()
        let zero = try tool.run(["-con", "/dev/zero", "-act", "validate-prov-template"])
        #expect(Date().timeIntervalSince(started) < 60, "reading stops at the limit")
        #expect(zero.exitCode == 1)
        #expect(zero.stderr.hasPrefix(
            "/dev/zero:1:1: error: config file is larger than 16 MiB, the limit for this input (16777216 bytes); reading stopped after one byte more [E107]\n"),
            "\(zero.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/reports"), "nothing is written next to a device")
    }

    @Test func withInputErrorsTheSummarySaysTheRulesWereNotJudgedAndJSONNamesTheDeployment() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = "scenarios/three-tier-web.yaml"
        try tool.write(try tool.read(path).replacingOccurrences(of: "port: 443", with: "port: 70000"), to: path)
        let text = try tool.run(["-con", Self.config, "-act", "validate-prov-template"])
        #expect(text.exitCode == 1)
        #expect(text.stdout.hasSuffix(
            "validate-prov-template: \(Self.config): 3 errors, 0 warnings; rules not judged (fix the input errors first); --fail-on high: FAILED\n"),
            "\(text.stdout)")
        let json = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--output", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["deployment"] as? String == Self.config, "the config was read: the deployment is named")
        #expect(object["config"] as? String == "configs/\(Self.config).yaml")
        #expect(object["judged"] as? Bool == false)
        #expect(object["summary"] is NSNull)
        #expect((object["errors"] as? [Any])?.count == 3)
        // The audit log is named after the deployment too.
        #expect(try tool.reports().contains { $0.hasPrefix("\(Self.config)-sg-validate-prov-template-") })
    }

    /// Every action prints exactly one JSON document with the same common keys, also actions that
    /// only write files; what they say for people goes to stderr.
    @Test(arguments: ["create-prov-template", "create-review-report", "create-iam-policy", "validate-prov-template"])
    func everyJSONDocumentHasTheCommonKeys(action: String) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", action, "--output", "json"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stdout)")
        for key in ["action", "tool_version", "deployment", "config", "errors", "warnings", "written"] {
            #expect(object[key] != nil, "\(action): \(key) missing")
        }
        #expect(object["action"] as? String == action)
        #expect(object["deployment"] as? String == Self.config)
        let files = try #require(object["written"] as? [[String: String]])
        #expect(files.allSatisfy { $0["path"]?.hasPrefix("reports/") == true && $0["sha256"]?.count == 64 })
        #expect(action == "validate-prov-template" ? files.isEmpty : !files.isEmpty)
    }

    @Test func checkDriftSARIFPrintsALogAlsoWhenItFails() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "check-drift", "--snapshot", "none.json", "--output", "sarif"])
        #expect(outcome.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.contains { $0["ruleId"] as? String == "E505" }, "\(results)")
    }

    @Test func aByteOrderMarkBeforeTheFirstKeyIsNotContent() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = "configs/\(Self.config).yaml"
        let body = try tool.read(path).split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        try tool.write(bytes: [0xEF, 0xBB, 0xBF] + Array(body.replacingOccurrences(of: "company_prefix: globalbank", with: "company_prefix: Globalbank").utf8), to: path)
        let outcome = try tool.run(["-con", Self.config, "-act", "validate-prov-template"])
        #expect(outcome.stderr.hasPrefix("\(path):1:17: error: invalid company_prefix 'Globalbank'"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(" 1 | company_prefix: Globalbank\n   |                 ^\n"), "\(outcome.stderr)")
        try tool.write(bytes: [0xEF, 0xBB, 0xBF] + Array(body.utf8), to: path)
        #expect(try tool.run(["-con", Self.config, "-act", "validate-prov-template"]).exitCode == 0)
    }

    @Test func aHyphenatedIdentityIsRefusedWhereItIsWritten() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = "configs/\(Self.config).yaml"
        try tool.write(try tool.read(path).replacingOccurrences(of: "environment: prod", with: "environment: prod-eu"), to: path)
        let outcome = try tool.run(["-con", Self.config, "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(
            "\(path):3:14: error: invalid environment 'prod-eu': '-' is not allowed in company_prefix, environment or deployment_id [E212]"),
            "\(outcome.stderr)")
    }
}
