import SGReports
import SGValidation

/// What an action hands back to `ActionRunner`: the exit code and what the run prints at its end.
/// The runner prints the run's diagnostics (text output), then `outputs` in order, and writes the
/// audit log, once for every action. Progress that must appear while an action runs (stack events,
/// `creating stack ...`) is printed as it happens instead.
struct ActionOutcome {
    /// One piece of the final output.
    enum Output {
        /// Text for people on stdout; nothing with `--quiet`.
        case say(String)
        /// Text on stdout that the action already decided to print (`--quiet` applied).
        case out(String)
        /// Text on stderr (banners that must not mix with a JSON document on stdout).
        case err(String)
        /// A JSON document on stdout. The runner adds `action`, `tool_version`, `errors` and, when
        /// `warnings` is true, `warnings` (the run's diagnostics, sorted).
        case json([String: JSONValue], warnings: Bool)
        /// A SARIF 2.1.0 log on stdout of these findings and the run's diagnostics; `properties`
        /// adds result properties by finding fingerprint.
        case sarif(findings: [Finding], passed: Bool, properties: [String: [String: JSONValue]] = [:])
    }

    /// The exit code.
    var code: ToolExitCode
    /// What to print after the diagnostics.
    var outputs: [Output] = []
    /// False only where an action has always ended without printing its diagnostics (see
    /// `DeleteSecurityGroupsAction`: nothing to delete).
    var printsDiagnostics = true

    /// A failure whose diagnostics say everything.
    static let failure = ActionOutcome(code: .failure)

    /// Adds text for people (stdout, not with `--quiet`).
    mutating func say(_ text: String) { outputs.append(.say(text)) }

    /// An outcome with these outputs.
    static func ending(_ code: ToolExitCode, _ outputs: [Output]) -> ActionOutcome {
        ActionOutcome(code: code, outputs: outputs)
    }
}
