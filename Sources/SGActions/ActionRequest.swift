import SGModel
import SGValidation

/// Everything the command line asked for, already parsed; no defaults are decided elsewhere.
public struct ActionRequest: Sendable {
    /// Output format for findings and errors on stdout: text for people, json for scripts,
    /// sarif (SARIF 2.1.0) for CI code-scanning annotations.
    public enum OutputFormat: String, Sendable, CaseIterable { case text, json, sarif }
    /// Template serialisation.
    public enum TemplateFormat: String, Sendable, CaseIterable { case yaml, json }

    /// The action.
    public var action: ActionName
    /// `-con`: a path or a bare name in the configs directory.
    public var config: String?
    /// `--force`.
    public var force = false
    /// `--fail-on` threshold.
    public var failOn: RiskLevel = .high
    /// `--output`.
    public var output: OutputFormat = .text
    /// `--format` for templates.
    public var templateFormat: TemplateFormat = .yaml
    /// `--quiet`: print nothing on success.
    public var quiet = false
    /// `--debug`: print request names and status codes (never secrets).
    public var debug = false
    /// `--no-color` (colour is also off when stdout is not a terminal).
    public var noColor = false
    /// `--today`: the date accepted risks are judged against (default: the clock's date, UTC).
    public var today: CalendarDate?
    /// `--configs-dir`: where bare config names are looked up (relative to the working directory).
    public var configsDirectory = "configs"
    /// `--scenarios-dir`: where scenario names are looked up; nil means the config's project's
    /// `scenarios/` (see `ProjectLayout`).
    public var scenariosDirectory: String?
    /// `--reports-dir`: where every output goes; nil means the config's project's `reports/`. No
    /// output is written outside it.
    public var reportsDirectory: String?
    /// `--jobs`: how many deployments a run over many configs checks at once.
    public var jobs = FanOut.defaultJobs
    /// AWS settings.
    public var profile: String?
    /// `--region` (wins over the config's region).
    public var region: String?
    /// `--endpoint-url`.
    public var endpointURL: String?
    /// `--snapshot` (audit: files, directories, globs; check-drift: one file).
    public var snapshots: [String] = []
    /// `--template` (audit: files, directories, globs).
    public var templates: [String] = []
    /// `--allow-unresolved` (audit): template values that stay unresolved do not fail the audit.
    public var allowUnresolved = false

    /// The one `--snapshot FILE` of check-drift.
    public var snapshot: String? {
        get { snapshots.first }
        set { snapshots = newValue.map { [$0] } ?? [] }
    }
    /// `--keep` (test-deploy).
    public var keep = false
    /// `--remote` (validate: call CloudFormation ValidateTemplate).
    public var remote = false
    /// `--approved-report FILE` (create-security-groups).
    public var approvedReport: String?
    /// `--adopt` (create-security-groups): take the config's adopted groups into the stacks by
    /// CloudFormation resource import.
    public var adopt = false
    /// `--disable-termination-protection` (delete-security-groups, with --force): lift it first.
    public var disableTerminationProtection = false
    /// `--timeout MINUTES`: how long deploying actions wait for a stack operation.
    public var timeoutMinutes: Double = 30
    /// `--vpc-id` (import-security-groups): the VPC whose groups are imported.
    public var vpcID: String?
    /// `--tag-filter KEY=VALUE` or `KEY`, repeatable (import-security-groups): groups must carry every one.
    public var tagFilters: [String] = []
    /// `--company-prefix`, `--environment`, `--deployment-id` (import-security-groups): the
    /// identity of the config written; the parts not given come from the config name.
    public var companyPrefix: String?
    /// See `companyPrefix`.
    public var environmentName: String?
    /// See `companyPrefix`.
    public var deploymentID: String?
    /// `--accept FINGERPRINT...` (check-drift): drifted items to write into the config.
    public var accept: [String] = []
    /// `--accept-all` (check-drift): every drifted item that can be accepted.
    public var acceptAll = false
    /// `--reason TEXT` (check-drift --accept): why, written into the config.
    public var reason: String?
    /// `--expires DATE` (check-drift --accept): the expiry of accepted risks written for findings at/above --fail-on.
    public var expires: CalendarDate?
    /// `--no-cloudtrail` (check-drift): do not look up who changed the drift.
    public var noCloudTrail = false
    /// `--lookback-days N` (check-drift): how far back CloudTrail is searched (1-90).
    public var lookbackDays = 90

    /// True when check-drift is asked to accept drift into the config.
    public var accepts: Bool { !accept.isEmpty || acceptAll }
    /// `--max-concurrent N` (StackSet deployments): accounts acted on at once per region, the
    /// operations' `MaxConcurrentCount`; AWS's default is 1.
    public var maxConcurrent = 1
    /// `--failure-tolerance N` (StackSet deployments): accounts that may fail per region before the
    /// operation stops, the operations' `FailureToleranceCount`; AWS's default is 0.
    public var failureTolerance = 0
    /// `--account-rate N` (deployments with targets): AWS requests per second per target account.
    public var accountRate: Double = FleetSessions.defaultAccountRate

    /// Creates a request for an action with defaults for everything else.
    public init(action: ActionName) {
        self.action = action
    }
}
