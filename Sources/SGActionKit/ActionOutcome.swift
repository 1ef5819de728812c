import SGFindings
import SGReports
import SGValidation

/// What an action hands back to `ActionRunner`: the exit code and what the run prints at its end.
/// The runner prints the run's diagnostics (text output), then `outputs` in order, and writes the
/// audit log, once for every action. Progress that must appear while an action runs (stack events,
/// `creating stack ...`) is printed as it happens instead.
package struct ActionOutcome {
    /// One piece of the final output.
    package enum Output {
        /// Text for people on stdout; nothing with `--quiet`.
        case say(String)
        /// Text on stdout that the action already decided to print (`--quiet` applied); stderr
        /// when stdout holds a JSON or SARIF document.
        case out(String)
        /// Text on stderr (banners that must not mix with a JSON document on stdout).
        case err(String)
        /// The action's fields of the run's JSON document on stdout; the runner adds the keys every
        /// document has (`ActionContext.document`). An action that hands back none still gets a
        /// document with `--output json`.
        case json([String: JSONValue])
        /// A SARIF 2.1.0 log on stdout of these findings and the run's diagnostics; `artifacts` are
        /// the files examined (an audit lists each template, clean ones too); `properties` adds result
        /// properties by finding fingerprint (check-drift: the drifted rule's fingerprint, who changed it).
        case sarif(findings: [Finding], passed: Bool, artifacts: [SARIFLog.Artifact] = [], properties: [String: [String: JSONValue]] = [:])
    }

    /// The exit code.
    package var code: ToolExitCode
    /// What to print after the diagnostics.
    package var outputs: [Output] = []
    /// The verdict in one line without the deployment's name (`0 errors, 1 warning; ...;
    /// PASSED`), for the line a fan-out prints per deployment.
    package var summary: String?
    /// False only where an action has always ended without printing its diagnostics (see
    /// `DeleteSecurityGroupsAction`: nothing to delete).
    package var printsDiagnostics = true

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(code: ToolExitCode, outputs: [ActionOutcome.Output] = [], summary: String? = nil, printsDiagnostics: Bool = true) {
        self.code = code
        self.outputs = outputs
        self.summary = summary
        self.printsDiagnostics = printsDiagnostics
    }

    /// A failure whose diagnostics say everything.
    package static let failure = ActionOutcome(code: .failure)

    /// Adds text for people (stdout, not with `--quiet`).
    package mutating func say(_ text: String) { outputs.append(.say(text)) }

    /// An outcome with these outputs.
    package static func ending(_ code: ToolExitCode, _ outputs: [Output]) -> ActionOutcome {
        ActionOutcome(code: code, outputs: outputs)
    }
}
