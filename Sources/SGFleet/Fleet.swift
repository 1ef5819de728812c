import SGActionKit
import SGCloudFormation
import SGModel

/// Where an action hands a deployment with `targets`: each entry runs the action over every
/// account and region (StackSets for deploying, one fan-out of sessions for reading). The
/// single-deployment actions in SGActions call these and nothing else of this module.
package enum Fleet {
    /// check-drift over every target.
    package static func checkDrift(_ context: ActionContext, _ deployment: Deployment) async -> ActionOutcome {
        await FleetDriftCheck(context: context, deployment: deployment).run()
    }

    /// audit-security-groups (live, with -con) over every target.
    package static func audit(_ context: ActionContext, _ deployment: Deployment) async -> ActionOutcome {
        await FleetAudit(context: context, deployment: deployment).run()
    }

    /// verify-vpc over every target.
    package static func verifyVPC(_ context: ActionContext, _ deployment: Deployment) async -> ActionOutcome {
        await FleetVerifyVPC(context: context, deployment: deployment).run()
    }

    /// create-security-groups: the StackSet and its instances.
    package static func create(_ context: ActionContext, _ deployment: Deployment, _ compiled: CompilationResult) async -> ActionOutcome {
        await StackSetCreate(context: context, deployment: deployment, compiled: compiled).run()
    }

    /// show-changes: the StackSet's template and instances against the compiled ones and the targets.
    package static func showChanges(_ context: ActionContext, _ setup: LiveSetup, _ compiled: CompilationResult) async -> ActionOutcome {
        await StackSetShowChanges(context: context, setup: setup, compiled: compiled).run()
    }

    /// delete-security-groups: every instance, then the StackSet.
    package static func delete(_ context: ActionContext, _ deployment: Deployment) async -> ActionOutcome {
        await StackSetDelete(context: context, deployment: deployment).run()
    }
}
