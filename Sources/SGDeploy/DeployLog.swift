import SGDiagnostics

/// Where the deploy stage sends what it has to say: progress for people (stdout, silent with
/// `--quiet`), lines for the audit log, and diagnostics. The action layer hands in its run's
/// context; tests can collect into memory.
public struct DeployLog: Sendable {
    /// Prints progress for people.
    public var say: @Sendable (String) -> Void
    /// Adds a line to the audit log.
    public var record: @Sendable (String) -> Void
    /// Reports a diagnostic into the run.
    public var report: @Sendable (Diagnostic) -> Void

    /// Creates a log over three sinks.
    public init(
        say: @escaping @Sendable (String) -> Void, record: @escaping @Sendable (String) -> Void,
        report: @escaping @Sendable (Diagnostic) -> Void
    ) {
        self.say = say
        self.record = record
        self.report = report
    }

    /// Reports any error from the AWS layer as a diagnostic with its E6xx code.
    public func report(_ error: any Error, doing what: String) {
        report(AWSFailure.diagnostic(error, doing: what))
    }
}
