import SGActionKit
/// `list-actions`: the action table, one line each.
struct ListActionsAction {
    let context: ActionContext

    func run() -> ActionOutcome {
        let width = ActionName.allCases.map(\.rawValue.count).max() ?? 0
        var out = "Actions (sg-provisioner -con CONFIG -act ACTION):\n"
        for action in ActionName.allCases {
            let padding = String(repeating: " ", count: width - action.rawValue.count)
            let marks = action.usesAWS ? " [AWS]" : ""
            out += "  \(action.rawValue)\(padding)  \(action.summary)\(marks)\n"
        }
        return .ending(.success, [.out(out)])
    }
}
