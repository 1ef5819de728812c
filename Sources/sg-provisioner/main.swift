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

    @Option(name: .customLong("snapshot"), parsing: .upToNextOption,
            help: ArgumentHelp("Saved `aws ec2 describe-security-groups` JSON: one file for check-drift; files, directories or quoted globs for audit.", valueName: "FILE"))
    var snapshot: [String] = []

    @Option(name: .customLong("template"), parsing: .upToNextOption,
            help: ArgumentHelp("audit: CloudFormation templates: files, directories (*.yaml, *.yml, *.json, *.template) or quoted globs; repeatable.", valueName: "PATH"))
    var template: [String] = []

    @Flag(name: .customLong("allow-unresolved"), help: "audit: template values that cannot be resolved (counted in the summary) do not fail the audit.")
    var allowUnresolved = false

    @Flag(name: .customLong("keep"), help: "test-deploy: keep the test stack.")
    var keep = false

    @Flag(name: .customLong("remote"), help: "validate: also call CloudFormation ValidateTemplate.")
    var remote = false

    @Option(name: .customLong("approved-report"), help: ArgumentHelp("create-security-groups: deploy only the template this review report approved.", valueName: "FILE"))
    var approvedReport: String?

    @Flag(name: .customLong("disable-termination-protection"), help: "delete-security-groups (with --force): turn termination protection off first.")
    var disableTerminationProtection = false

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Minutes to wait for a stack operation (deploying actions); fractions allowed, e.g. 0.5.", valueName: "MINUTES"))
    var timeout: Double = 30

    @Option(name: .customLong("vpc-id"), help: ArgumentHelp("import: the VPC whose security groups are imported.", valueName: "VPC"))
    var vpcID: String?

    @Option(name: .customLong("tag-filter"), help: ArgumentHelp("import: only groups with this tag (KEY=VALUE, or KEY for any value); repeatable.", valueName: "TAG"))
    var tagFilters: [String] = []

    @Option(name: .customLong("company-prefix"), help: ArgumentHelp("import: company_prefix of the config written (else from its name).", valueName: "NAME"))
    var companyPrefix: String?

    @Option(name: .customLong("environment"), help: ArgumentHelp("import: environment of the config written (else from its name).", valueName: "NAME"))
    var environmentName: String?

    @Option(name: .customLong("deployment-id"), help: ArgumentHelp("import: deployment_id of the config written (else from its name).", valueName: "NAME"))
    var deploymentID: String?

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
        guard timeout.isFinite, timeout > 0, timeout <= 1440 else {
            throw ValidationError("--timeout must be more than 0 and at most 1440 minutes")
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
        request.snapshots = snapshot
        request.templates = template
        request.allowUnresolved = allowUnresolved
        request.keep = keep
        request.remote = remote
        request.approvedReport = approvedReport
        request.disableTerminationProtection = disableTerminationProtection
        request.timeoutMinutes = timeout
        request.vpcID = vpcID
        request.tagFilters = tagFilters
        request.companyPrefix = companyPrefix
        request.environmentName = environmentName
        request.deploymentID = deploymentID
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
