/// Not built yet; answers with a clear error instead of doing anything.
struct ShowChangesAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        context.notAvailable()
    }
}
