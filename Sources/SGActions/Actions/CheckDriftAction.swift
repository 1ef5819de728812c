/// Not built yet; answers with a clear error instead of doing anything.
struct CheckDriftAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        context.notAvailable()
    }
}
