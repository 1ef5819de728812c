import SGDiagnostics

/// Runs one action: the only entry point the executable calls.
public struct ActionRunner: Sendable {
    private let environment: ActionEnvironment

    /// Creates a runner over an environment (live or injected).
    public init(environment: ActionEnvironment) {
        self.environment = environment
    }

    /// Runs the request and returns the process exit code. Never throws, never crashes on bad input:
    /// every failure becomes a diagnostic with a code and an exit status.
    public func run(_ request: ActionRequest) async -> Int32 {
        let context = ActionContext(request: request, environment: environment)
        context.record("action \(request.action.rawValue) config=\(request.config ?? "-") fail_on=\(request.failOn.rawValue)")
        let code: ToolExitCode
        switch request.action {
        case .listActions: code = ListActionsAction(context: context).run()
        case .validateProvTemplate: code = await ValidateAction(context: context).run()
        case .createProvTemplate: code = await CreateTemplateAction(context: context).run()
        case .createReviewReport: code = await ReviewReportAction(context: context).run()
        case .createIAMPolicy: code = await IAMPolicyAction(context: context).run()
        case .verifyVPC: code = await VerifyVPCAction(context: context).run()
        case .showChanges: code = await ShowChangesAction(context: context).run()
        case .testDeploy: code = await TestDeployAction(context: context).run()
        case .createSecurityGroups: code = await CreateSecurityGroupsAction(context: context).run()
        case .checkDrift: code = await CheckDriftAction(context: context).run()
        case .deleteSecurityGroups: code = await DeleteSecurityGroupsAction(context: context).run()
        case .auditSecurityGroups: code = await AuditAction(context: context).run()
        }
        return context.finish(code)
    }
}
