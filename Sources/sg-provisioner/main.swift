import ArgumentParser
import CMalloc
import Foundation
import SGActions
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
            help: ArgumentHelp("Config: a path, or a name looked up in the configs directory.", valueName: "CONFIG"))
    var config: String?

    @Option(name: [.customLong("act", withSingleDash: true), .customLong("act"), .customLong("action")],
            help: ArgumentHelp("Action to run (see -act list-actions).", valueName: "ACTION"))
    var action: String

    @Flag(name: .customLong("force"), help: "Allow touching an existing stack (update, delete, revert).")
    var force = false

    @Option(name: .customLong("fail-on"), help: "Lowest finding severity that fails validation: critical, high, medium, low.")
    var failOn: String = "high"

    @Option(name: .customLong("output"), help: "Format of findings and errors on stdout: text, json or sarif (SARIF 2.1.0).")
    var output: String = "text"

    @Option(name: .customLong("format"), help: "Template format: yaml or json.")
    var format: String = "yaml"

    @Flag(name: .customLong("quiet"), help: "Print nothing on success (for cron).")
    var quiet = false

    @Flag(name: .customLong("debug"), help: "Print AWS request names and status codes (never secrets).")
    var debug = false

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    @Option(name: .customLong("today"), help: ArgumentHelp("Judge accepted-risk expiry as of this date (YYYY-MM-DD).", valueName: "DATE"))
    var today: String?

    @Option(name: .customLong("configs-dir"), help: "Where config names are looked up.")
    var configsDirectory = "configs"

    @Option(name: .customLong("scenarios-dir"), help: "Where scenario names are looked up.")
    var scenariosDirectory = "scenarios"

    @Option(name: .customLong("reports-dir"), help: "Where every output and audit log is written.")
    var reportsDirectory = "reports"

    @Option(name: .customLong("profile"), help: "AWS profile (else AWS_PROFILE).")
    var profile: String?

    @Option(name: .customLong("region"), help: "AWS region (overrides the config's region).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "AWS endpoint URL (else AWS_ENDPOINT_URL), e.g. a local emulator.")
    var endpointURL: String?

    @Option(name: .customLong("snapshot"), help: ArgumentHelp("Saved `aws ec2 describe-security-groups` JSON (check-drift, audit).", valueName: "FILE"))
    var snapshot: String?

    @Option(name: .customLong("template"), help: ArgumentHelp("CloudFormation template to audit.", valueName: "FILE"))
    var template: String?

    @Flag(name: .customLong("keep"), help: "test-deploy: keep the test stack.")
    var keep = false

    @Flag(name: .customLong("remote"), help: "validate: also call CloudFormation ValidateTemplate.")
    var remote = false

    @Option(name: .customLong("approved-report"), help: ArgumentHelp("create-security-groups: deploy only the template this review report approved.", valueName: "FILE"))
    var approvedReport: String?

    @Flag(name: .customLong("disable-termination-protection"), help: "delete-security-groups (with --force): turn termination protection off first.")
    var disableTerminationProtection = false

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Minutes to wait for a stack operation (deploying actions).", valueName: "MINUTES"))
    var timeout: Int = 30

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

    func validate() throws {
        guard ActionName(rawValue: action) != nil else {
            let known = ActionName.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown action '\(action)'; known actions: \(known)")
        }
        guard RiskLevel(rawValue: failOn) != nil, failOn != "info" else {
            throw ValidationError("--fail-on must be one of critical, high, medium, low")
        }
        guard ActionRequest.OutputFormat(rawValue: output) != nil else {
            throw ValidationError("--output must be one of \(ActionRequest.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if output == ActionRequest.OutputFormat.sarif.rawValue,
           let action = ActionName(rawValue: action), !action.supportsSARIF {
            throw ValidationError("--output sarif is available for validate-prov-template, audit-security-groups and check-drift")
        }
        guard ActionRequest.TemplateFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be yaml or json")
        }
        guard (1...1440).contains(timeout) else {
            throw ValidationError("--timeout must be between 1 and 1440 minutes")
        }
        if let today, CalendarDate.parse(today) == nil {
            throw ValidationError("--today must be a date YYYY-MM-DD")
        }
        try validateDriftOptions()
    }

    /// check-drift's accept and CloudTrail options: only with check-drift, and consistent.
    func validateDriftOptions() throws {
        let used = [(!accept.isEmpty, "--accept"), (acceptAll, "--accept-all"), (reason != nil, "--reason"), (expires != nil, "--expires"),
                    (noCloudTrail, "--no-cloudtrail"), (lookbackDays != 90, "--lookback-days")].filter(\.0).map(\.1)
        if let first = used.first, action != ActionName.checkDrift.rawValue {
            throw ValidationError("\(first) is an option of check-drift")
        }
        if !accept.isEmpty && acceptAll { throw ValidationError("give --accept FINGERPRINT... or --accept-all, not both") }
        let accepting = !accept.isEmpty || acceptAll
        if accepting {
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
        var request = ActionRequest(action: ActionName(rawValue: action)!)
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
        request.profile = profile
        request.region = region
        request.endpointURL = endpointURL
        request.snapshot = snapshot
        request.template = template
        request.keep = keep
        request.remote = remote
        request.approvedReport = approvedReport
        request.disableTerminationProtection = disableTerminationProtection
        request.timeoutMinutes = timeout
        request.accept = accept
        request.acceptAll = acceptAll
        request.reason = reason
        request.expires = expires.flatMap(CalendarDate.parse)
        request.noCloudTrail = noCloudTrail
        request.lookbackDays = lookbackDays
        return request
    }
}

/// Writes to a file descriptor without buffering surprises between stdout and stderr.
@Sendable func writeAll(_ text: String, to handle: FileHandle) {
    handle.write(Data(text.utf8))
}

/// One malloc arena for the whole process. glibc gives each thread that allocates concurrently an
/// arena of its own, and memory freed into one is not reused by the other: with the compile
/// stages on two threads, a 1,000-tier validate peaked at 74 MiB instead of 59 MiB, at the same
/// speed (threads keep their per-thread caches). Other C libraries have no such setting.
func limitMallocArenas() {
    #if canImport(Glibc)
    _ = mallopt(M_ARENA_MAX, 1)
    #endif
}

@main
enum Main {
    static func main() async {
        limitMallocArenas()
        let command: SGProvisionerCommand
        do {
            command = try SGProvisionerCommand.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            let exit = SGProvisionerCommand.exitCode(for: error)
            let message = SGProvisionerCommand.fullMessage(for: error)
            if exit == .success {
                writeAll(message + "\n", to: .standardOutput)
                Foundation.exit(0)
            }
            // Every parse failure is a usage error: exit 2 (ArgumentParser's own default is 64).
            writeAll("sg-provisioner: error: \(message)\n", to: .standardError)
            Foundation.exit(2)
        }
        let environment = ActionEnvironment(
            fileSystem: LocalFileSystem(),
            now: { Date() },
            variables: ProcessInfo.processInfo.environment,
            writeOut: { writeAll($0, to: .standardOutput) },
            writeErr: { writeAll($0, to: .standardError) },
            isTerminal: isatty(STDOUT_FILENO) == 1,
            toolVersion: SGProvisionerCommand.version)
        let code = await ActionRunner(environment: environment).run(command.makeRequest())
        Foundation.exit(code)
    }
}
