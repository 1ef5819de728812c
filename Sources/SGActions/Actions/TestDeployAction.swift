/// Not built yet; answers with a clear error instead of doing anything.
struct TestDeployAction {
    let context: ActionContext

    func run() async -> ToolExitCode {
        context.notAvailable()
    }
}
