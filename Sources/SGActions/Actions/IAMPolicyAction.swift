/// Not built yet; answers with a clear error instead of doing anything.
struct IAMPolicyAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        context.notAvailable()
    }
}
