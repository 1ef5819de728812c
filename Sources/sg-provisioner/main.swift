import ArgumentParser
import CMalloc
import Foundation
import SGActionKit
import SGActions
import SGAWSCredentials
import SGAWSServices
import SGConfig
import SGFindings
import SGIO
import SGModel
import SGValidation

/// The command line. It only parses arguments and maps results to exit codes; everything else
/// happens in `SGActions`.
struct SGProvisionerCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sg-provisioner",
        abstract: "Compile, validate, review, deploy and drift-check AWS security groups described as network tiers in YAML.",
        discussion: """
            Actions (-act):
            \(ActionName.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

            Exit codes: 0 ok (in sync, no changes); 1 invalid input, findings at/above --fail-on, \
            or an AWS/IO error; 2 usage error; 3 drift found (check-drift) or changes pending (show-changes).
            Every action writes an audit log in the reports directory.
            """,
        version: version)

    @Option(name: [.customLong("con", withSingleDash: true), .customLong("con"), .customLong("config")],
            help: ArgumentHelp(
                "Config: a path, or a name looked up in the configs directory; for validate-prov-template and check-drift also a directory or a quoted glob of configs.",
                valueName: "CONFIG"),
            completion: .file(extensions: ["yaml", "yml"]))
    var config: String?

    @Option(name: [.customLong("act", withSingleDash: true), .customLong("act"), .customLong("action")],
            help: ArgumentHelp("Action to run (see -act list-actions).", valueName: "ACTION"),
            completion: .list(ActionName.allCases.map(\.rawValue)))
    var action: String?

    @Flag(name: .customLong("force"), help: "Allow touching an existing stack (update, delete, revert).")
    var force = false

    @Option(name: .customLong("fail-on"), help: "Lowest finding severity that fails validation: critical, high, medium, low.",
            completion: .list(["critical", "high", "medium", "low"]))
    var failOn: String = "high"

    @Option(name: .customLong("output"), help: "Format of findings and errors on stdout: text, json or sarif (SARIF 2.1.0).",
            completion: .list(ActionRequest.OutputFormat.allCases.map(\.rawValue)))
    var output: String = "text"

    @Option(name: .customLong("format"), help: "Template format: yaml or json.", completion: .list(["yaml", "json"]))
    var format: String = "yaml"

    @Flag(name: .customLong("quiet"), help: "Print nothing on success (for cron); with many configs, only what drifted or failed.")
    var quiet = false

    @Flag(name: .customLong("debug"), help: "Print AWS request names and status codes (never secrets).")
    var debug = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    @Option(name: .customLong("today"), help: ArgumentHelp("Judge accepted-risk expiry as of this date (YYYY-MM-DD).", valueName: "DATE"))
    var today: String?

    @Option(name: .customLong("configs-dir"), help: ArgumentHelp("Where bare config names are looked up.", valueName: "DIR"),
            completion: .directory)
    var configsDirectory = "configs"

    @Option(name: .customLong("scenarios-dir"), help: ArgumentHelp(
        "Where scenario names are looked up (default: scenarios/ in the config's project, the directory above its configs/).",
        valueName: "DIR"), completion: .directory)
    var scenariosDirectory: String?

    @Option(name: .customLong("reports-dir"), help: ArgumentHelp(
        "Where every output and audit log is written (default: reports/ in the config's project).", valueName: "DIR"),
        completion: .directory)
    var reportsDirectory: String?

    @Option(name: .customLong("jobs"), help: ArgumentHelp(
        "With many configs: how many deployments are checked at once (1-64).", valueName: "N"))
    var jobs: Int = 4

    @Option(name: .customLong("profile"), help: "AWS profile (else AWS_PROFILE).",
            completion: .custom { _, _, prefix in
                SharedConfigFiles.load(system: .live).profileNames.filter { $0.hasPrefix(prefix) }
            })
    var profile: String?

    @Option(name: .customLong("region"), help: "AWS region (overrides the config's region).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "AWS endpoint URL (else AWS_ENDPOINT_URL), e.g. a local emulator.")
    var endpointURL: String?

    @Option(name: .customLong("snapshot"), parsing: .upToNextOption,
            help: ArgumentHelp("Saved `aws ec2 describe-security-groups` JSON: one file for check-drift; files, directories or quoted globs for audit.", valueName: "FILE"),
            completion: .file(extensions: ["json"]))
    var snapshot: [String] = []

    @Option(name: .customLong("template"), parsing: .upToNextOption,
            help: ArgumentHelp("audit: CloudFormation templates: files, directories (*.yaml, *.yml, *.json, *.template) or quoted globs; repeatable.", valueName: "PATH"),
            completion: .file(extensions: ["yaml", "yml", "json", "template"]))
    var template: [String] = []

    @Flag(name: .customLong("allow-unresolved"), help: "audit: template values that cannot be resolved (counted in the summary) do not fail the audit.")
    var allowUnresolved = false

    @Flag(name: .customLong("keep"), help: "test-deploy: keep the test stack.")
    var keep = false

    @Flag(name: .customLong("remote"), help: "validate: also call CloudFormation ValidateTemplate.")
    var remote = false

    @Option(name: .customLong("approved-report"), help: ArgumentHelp("create-security-groups: deploy only the template this review report approved.", valueName: "FILE"),
            completion: .file(extensions: ["json"]))
    var approvedReport: String?

    @Flag(name: .customLong("adopt"), help: "create-security-groups: take the config's adopted groups (adopted_groups) into the stack by CloudFormation resource import, without replacing them.")
    var adopt = false

    @Flag(name: .customLong("disable-termination-protection"), help: "delete-security-groups (with --force): turn termination protection off first.")
    var disableTerminationProtection = false

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Minutes to wait for a stack operation (deploying actions); fractions allowed, e.g. 0.5.", valueName: "MINUTES"))
    var timeout: Double = 30

    @Option(name: .customLong("accept"), parsing: .upToNextOption,
            help: ArgumentHelp("check-drift: write these drifted items (fingerprints as check-drift prints them) into the config.", valueName: "FINGERPRINT"))
    var accept: [String] = []

    @Flag(name: .customLong("accept-all"), help: "check-drift: write every drifted item that can be accepted into the config.")
    var acceptAll = false

    @Option(name: .customLong("reason"), help: ArgumentHelp("check-drift --accept: why (a ticket); written into the config.", valueName: "TEXT"))
    var reason: String?

    @Option(name: .customLong("expires"), help: ArgumentHelp("check-drift --accept: expiry of the accepted risks written for findings at/above --fail-on.", valueName: "DATE"))
    var expires: String?

    @Flag(name: .customLong("no-cloudtrail"), help: "check-drift: do not look up who changed the drift in CloudTrail.")
    var noCloudTrail = false

    @Option(name: .customLong("lookback-days"), help: ArgumentHelp("check-drift: days of CloudTrail event history to search (1-90).", valueName: "DAYS"))
    var lookbackDays: Int = 90

    @Option(name: .customLong("vpc-id"), help: ArgumentHelp("import: the VPC whose security groups are imported; audit (live, without -con): the VPC audited.", valueName: "VPC"))
    var vpcID: String?

    @Option(name: .customLong("tag-filter"), help: ArgumentHelp("import: only groups with this tag (KEY=VALUE, or KEY for any value); repeatable.", valueName: "TAG"))
    var tagFilters: [String] = []

    @Option(name: .customLong("company-prefix"), help: ArgumentHelp("import: company_prefix of the config written (else from its name).", valueName: "NAME"))
    var companyPrefix: String?

    @Option(name: .customLong("environment"), help: ArgumentHelp("import: environment of the config written (else from its name).", valueName: "NAME"))
    var environmentName: String?

    @Option(name: .customLong("deployment-id"), help: ArgumentHelp("import: deployment_id of the config written (else from its name).", valueName: "NAME"))
    var deploymentID: String?

    @Option(name: .customLong("max-concurrent"), help: ArgumentHelp(
        "Deployments with targets: accounts a StackSet operation acts on at once per region (MaxConcurrentCount, default 1).", valueName: "N"))
    var maxConcurrent: Int = 1

    @Option(name: .customLong("failure-tolerance"), help: ArgumentHelp(
        "Deployments with targets: accounts that may fail per region before a StackSet operation stops (FailureToleranceCount, default 0).", valueName: "N"))
    var failureTolerance: Int = 0

    @Option(name: .customLong("account-rate"), help: ArgumentHelp(
        "Deployments with targets: AWS requests per second per target account (default 10).", valueName: "N"))
    var accountRate: Double = 10

    /// The "did you mean" of an unknown action: a typo (`valdate-prov-template`) by edit distance;
    /// else the actions of which the name is a shorthand, each of its words starting a word of the
    /// action in order (`validate`, `drift`, `audit`, `import`, `validate-template`): one is
    /// suggested, up to four are listed (`create`); more, or none, leave the full list to the caller.
    static func actionHint(_ action: String, in known: [String]) -> String {
        let typo = Spelling.didYouMean(action, in: known)
        if !typo.isEmpty { return typo }
        let words = action.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
        guard !words.isEmpty else { return "" }
        let matches = known.filter { candidate in
            var rest = candidate.split(separator: "-")[...]
            for word in words {
                guard let index = rest.firstIndex(where: { $0.hasPrefix(word) }) else { return false }
                rest = rest[(index + 1)...]
            }
            return true
        }
        switch matches.count {
        case 1: return "; did you mean '\(matches[0])'?"
        case 2...4: return "; did you mean one of " + matches.map { "'\($0)'" }.joined(separator: ", ") + "?"
        default: return ""
        }
    }

    /// Checks what ArgumentParser cannot. Run after parsing (not as `validate()`, which runs
    /// before unknown options are reported, so `--otput json` would be blamed on a missing -con).
    func check() throws {
        guard let action else {
            throw ValidationError("missing -act ACTION; the actions are: \(ActionName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let name = ActionName(rawValue: action) else {
            let known = ActionName.allCases.map(\.rawValue)
            let hint = Self.actionHint(action, in: known)
            throw ValidationError("unknown action '\(action)'\(hint.isEmpty ? "; the actions are: \(known.joined(separator: ", "))" : hint)")
        }
        if name.needsConfig, config == nil {
            throw ValidationError(
                "\(action) needs -con CONFIG (a config file or a name in configs/"
                    + (name.checksManyConfigs ? "; or a directory or a quoted glob of configs)" : ")"))
        }
        guard (1...64).contains(jobs) else {
            throw ValidationError("--jobs must be between 1 and 64")
        }
        guard RiskLevel(rawValue: failOn) != nil, failOn != "info" else {
            throw ValidationError("--fail-on must be one of critical, high, medium, low")
        }
        guard ActionRequest.OutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be one of \(ActionRequest.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if output == ActionRequest.OutputFormat.sarif.rawValue, !name.supportsSARIF {
            throw ValidationError("--output sarif is available for validate-prov-template, audit-security-groups and check-drift")
        }
        guard ActionRequest.TemplateFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be yaml or json")
        }
        guard timeout.isFinite, timeout > 0, timeout <= 1440 else {
            throw ValidationError("--timeout must be more than 0 and at most 1440 minutes")
        }
        guard (1...1000).contains(maxConcurrent) else {
            throw ValidationError("--max-concurrent must be between 1 and 1000")
        }
        guard (0...1000).contains(failureTolerance) else {
            throw ValidationError("--failure-tolerance must be between 0 and 1000")
        }
        guard accountRate.isFinite, accountRate > 0, accountRate <= 1000 else {
            throw ValidationError("--account-rate must be more than 0 and at most 1000 requests per second")
        }
        if snapshot.count > 1, action != ActionName.auditSecurityGroups.rawValue {
            throw ValidationError("--snapshot takes one file except for audit-security-groups")
        }
        if let today, CalendarDate.parse(today) == nil {
            throw ValidationError("--today must be a date YYYY-MM-DD")
        }
        if let bad = tagFilters.first(where: { $0.isEmpty || $0.hasPrefix("=") }) {
            throw ValidationError("--tag-filter must be KEY=VALUE or KEY, found '\(bad)'")
        }
        try checkOptionsApply(name)
        try checkDriftOptions(name)
    }

    /// Options of some actions only: given to another, the run stops with a usage error instead of
    /// ignoring it, so `--approved-report` on test-deploy or `--vpc-id` on validate cannot look as if
    /// they had narrowed or guarded something. (check-drift's own options: `checkDriftOptions`.)
    func checkOptionsApply(_ name: ActionName) throws {
        let stackOperations: [ActionName] = [.testDeploy, .createSecurityGroups, .deleteSecurityGroups]
        let scoped: [(used: Bool, option: String, actions: [ActionName])] = [
            (!snapshot.isEmpty, "--snapshot", [.checkDrift, .auditSecurityGroups, .importSecurityGroups]),
            (!template.isEmpty, "--template", [.auditSecurityGroups, .importSecurityGroups]),
            (allowUnresolved, "--allow-unresolved", [.auditSecurityGroups]),
            (keep, "--keep", [.testDeploy]),
            (remote, "--remote", [.validateProvTemplate]),
            (approvedReport != nil, "--approved-report", [.createSecurityGroups]),
            (adopt, "--adopt", [.createSecurityGroups]),
            (disableTerminationProtection, "--disable-termination-protection", [.deleteSecurityGroups]),
            (timeout != 30, "--timeout", stackOperations),
            (vpcID != nil, "--vpc-id", [.importSecurityGroups, .auditSecurityGroups]),
            (!tagFilters.isEmpty, "--tag-filter", [.importSecurityGroups]),
            (companyPrefix != nil, "--company-prefix", [.importSecurityGroups]),
            (environmentName != nil, "--environment", [.importSecurityGroups]),
            (deploymentID != nil, "--deployment-id", [.importSecurityGroups]),
            (format != ActionRequest.TemplateFormat.yaml.rawValue, "--format", [.createProvTemplate]),
            (maxConcurrent != 1, "--max-concurrent", [.createSecurityGroups, .deleteSecurityGroups]),
            (failureTolerance != 0, "--failure-tolerance", [.createSecurityGroups, .deleteSecurityGroups]),
            (accountRate != 10, "--account-rate", [.checkDrift, .auditSecurityGroups, .verifyVPC, .deleteSecurityGroups]),
        ]
        if let misplaced = scoped.first(where: { $0.used && !$0.actions.contains(name) }) {
            let actions = misplaced.actions.map(\.rawValue)
            let list = actions.count == 1 ? actions[0] : actions.dropLast().joined(separator: ", ") + " and " + actions.last!
            throw ValidationError("\(misplaced.option) is an option of \(list), not of \(name.rawValue)")
        }
        // A live audit reads one VPC with --vpc-id; a config names its own, and files are what they hold.
        if name == .auditSecurityGroups, vpcID != nil, config != nil || !snapshot.isEmpty || !template.isEmpty {
            throw ValidationError("--vpc-id chooses the VPC of a live audit without -con, --snapshot or --template (a config audits its own vpc_id)")
        }
    }

    /// check-drift's accept and CloudTrail options: only with check-drift, and consistent.
    func checkDriftOptions(_ name: ActionName) throws {
        let used = [(!accept.isEmpty, "--accept"), (acceptAll, "--accept-all"), (reason != nil, "--reason"), (expires != nil, "--expires"),
                    (noCloudTrail, "--no-cloudtrail"), (lookbackDays != 90, "--lookback-days")].filter(\.0).map(\.1)
        if let first = used.first, name != .checkDrift {
            throw ValidationError("\(first) is an option of check-drift")
        }
        if !accept.isEmpty && acceptAll { throw ValidationError("give --accept FINGERPRINT... or --accept-all, not both") }
        if !accept.isEmpty || acceptAll {
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("--accept needs --reason TEXT: why the drift is wanted (a ticket), written into the config")
            }
            if force { throw ValidationError("--accept writes the drift into the config and --force reverts it: give one of them") }
            for fingerprint in accept where !FindingFingerprint.isWellFormed(fingerprint) {
                throw ValidationError("--accept takes fingerprints as check-drift prints them (32 lowercase hex digits), not '\(fingerprint)'")
            }
        } else if reason != nil || expires != nil {
            throw ValidationError("\(reason != nil ? "--reason" : "--expires") is used with --accept or --accept-all")
        }
        if let expires, CalendarDate.parse(expires) == nil { throw ValidationError("--expires must be a date YYYY-MM-DD") }
        guard (1...90).contains(lookbackDays) else { throw ValidationError("--lookback-days must be between 1 and 90 (CloudTrail keeps 90 days of event history)") }
    }

    func makeRequest() -> ActionRequest {
        var request = ActionRequest(action: action.flatMap(ActionName.init(rawValue:)) ?? .listActions)
        request.config = config
        request.force = force
        request.failOn = RiskLevel(rawValue: failOn) ?? .high
        request.output = ActionRequest.OutputFormat(rawValue: output) ?? .text
        request.templateFormat = ActionRequest.TemplateFormat(rawValue: format) ?? .yaml
        request.quiet = quiet
        request.debug = debug
        request.noColor = noColor
        request.today = today.flatMap(CalendarDate.parse)
        request.configsDirectory = configsDirectory
        request.scenariosDirectory = scenariosDirectory
        request.reportsDirectory = reportsDirectory
        request.jobs = jobs
        request.profile = profile
        request.region = region
        request.endpointURL = endpointURL
        request.snapshots = snapshot
        request.templates = template
        request.allowUnresolved = allowUnresolved
        request.keep = keep
        request.remote = remote
        request.approvedReport = approvedReport
        request.adopt = adopt
        request.disableTerminationProtection = disableTerminationProtection
        request.timeoutMinutes = timeout
        request.accept = accept
        request.acceptAll = acceptAll
        request.reason = reason
        request.expires = expires.flatMap(CalendarDate.parse)
        request.noCloudTrail = noCloudTrail
        request.lookbackDays = lookbackDays
        request.vpcID = vpcID
        request.tagFilters = tagFilters
        request.companyPrefix = companyPrefix
        request.environmentName = environmentName
        request.deploymentID = deploymentID
        request.maxConcurrent = maxConcurrent
        request.failureTolerance = failureTolerance
        request.accountRate = accountRate
        return request
    }
}

/// One malloc arena for the whole process. glibc gives each thread that allocates concurrently an
/// arena of its own, and memory freed into one is not reused by the other, so the compile stages
/// on two threads would hold more memory for no speed (threads keep their per-thread caches; the
/// figures are in bench/ANALYSIS.md). Other C libraries have no such setting.
func limitMallocArenas() {
    #if canImport(Glibc)
    _ = mallopt(M_ARENA_MAX, 1)
    #endif
}

/// FoundationNetworking on Linux creates `~/.cache/org.swift.foundation.URLCache/...` and
/// `~/.local/share/...` the first time URLSession is used, even with no cache and no cookie store
/// configured (the AWS transport sets neither). A cron run must leave nothing in `$HOME`, its
/// working directory: those lookups are pointed at a private temporary directory, removed at exit.
func keepFoundationOutOfHome() {
    var template = Array((NSTemporaryDirectory() + "sg-provisioner-foundation-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { return }
    let directory = String(cString: made)
    setenv("XDG_CACHE_HOME", directory + "/cache", 1)
    setenv("XDG_DATA_HOME", directory + "/data", 1)
    scratchDirectory = directory
    atexit { if let scratchDirectory { try? FileManager.default.removeItem(atPath: scratchDirectory) } }
}

nonisolated(unsafe) var scratchDirectory: String?

/// How a command line that cannot run is reported: one `error:` line (ArgumentParser's own
/// "Error: " prefix dropped) and a one-line usage reminder; exit 2.
func usageMessage(for error: any Error) -> String {
    var message = SGProvisionerCommand.message(for: error)
    for prefix in ["Error: ", "error: "] where message.hasPrefix(prefix) { message.removeFirst(prefix.count) }
    if let first = message.first, first.isUppercase, !message.hasPrefix("--") {
        message = first.lowercased() + message.dropFirst()
    }
    // One spelling of the hint everywhere: "unknown action 'x'; did you mean 'y'?".
    message = message.replacingOccurrences(of: ". Did you mean", with: "; did you mean")
    return "sg-provisioner: error: \(message)\n"
        + "usage: sg-provisioner -con CONFIG -act ACTION [options]   (sg-provisioner --help lists every option)\n"
}

@main
enum Main {
    static func main() async {
        limitMallocArenas()
        // A closed stdout (`| head -1`) must not kill the run before its audit log is written.
        StandardStream.ignoreBrokenPipeSignal()
        keepFoundationOutOfHome()
        let command: SGProvisionerCommand
        do {
            command = try SGProvisionerCommand.parse(Array(CommandLine.arguments.dropFirst()))
            try command.check()
        } catch {
            if SGProvisionerCommand.exitCode(for: error) == .success {
                StandardStream.output.write(SGProvisionerCommand.fullMessage(for: error) + "\n")
                Foundation.exit(0)
            }
            // Every parse failure is a usage error: exit 2 (ArgumentParser's own default is 64).
            StandardStream.error.write(usageMessage(for: error))
            Foundation.exit(2)
        }
        let environment = ActionEnvironment(
            fileSystem: LocalFileSystem(),
            now: { Date() },
            variables: ProcessInfo.processInfo.environment,
            writeOut: { StandardStream.output.write($0) },
            writeErr: { StandardStream.error.write($0) },
            isTerminal: isatty(STDOUT_FILENO) == 1,
            toolVersion: SGProvisionerCommand.version)
        let code = await ActionRunner(environment: environment).run(command.makeRequest())
        Foundation.exit(code)
    }
}
