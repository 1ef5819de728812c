import SGDiagnostics

/// Runs one action: the only entry point the executable calls.
public struct ActionRunner: Sendable {
    private let environment: ActionEnvironment

    /// Creates a runner over an environment (live or injected).
    public init(environment: ActionEnvironment) {
        self.environment = environment
    }

    /// Runs the request and returns the process exit code. Never throws, never crashes on bad input:
    /// every failure becomes a diagnostic with a code and an exit status. The action only decides
    /// its outcome; printing it and writing the audit log happen here, once, for every action.
    public func run(_ request: ActionRequest) async -> Int32 {
        let context = ActionContext(request: request, environment: environment)
        context.record("action \(request.action.rawValue) config=\(request.config ?? "-") fail_on=\(request.failOn.rawValue)")
        let outcome = await Self.outcome(of: request.action, context: context)
        context.emit(outcome)
        return context.finish(outcome.code)
    }

    private static func outcome(of action: ActionName, context: ActionContext) async -> ActionOutcome {
        switch action {
        case .listActions: return ListActionsAction(context: context).run()
        case .validateProvTemplate: return await ValidateAction(context: context).run()
        case .createProvTemplate: return await CreateTemplateAction(context: context).run()
        case .createReviewReport: return await ReviewReportAction(context: context).run()
        case .createIAMPolicy: return await IAMPolicyAction(context: context).run()
        case .verifyVPC: return await VerifyVPCAction(context: context).run()
        case .showChanges: return await ShowChangesAction(context: context).run()
        case .testDeploy: return await TestDeployAction(context: context).run()
        case .createSecurityGroups: return await CreateSecurityGroupsAction(context: context).run()
        case .checkDrift: return await CheckDriftAction(context: context).run()
        case .deleteSecurityGroups: return await DeleteSecurityGroupsAction(context: context).run()
        case .auditSecurityGroups: return await AuditAction(context: context).run()
        case .importSecurityGroups: return await ImportSecurityGroupsAction(context: context).run()
        }
    }
}
