/// The tool's documented exit codes (README "Exit codes").
public enum ToolExitCode: Int32, Sendable {
    /// Success; for check-drift: in sync; for show-changes: nothing to change.
    case success = 0
    /// Invalid input, findings at/above --fail-on, an AWS or I/O error.
    case failure = 1
    /// Usage error (unknown option, missing -act, ...).
    case usage = 2
    /// check-drift found drift; show-changes found pending changes.
    case changes = 3
}
