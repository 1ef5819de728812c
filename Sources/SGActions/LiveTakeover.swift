import Foundation
import SGAWS
import SGDeploy
import SGInventory
import SGModel

/// create-security-groups' handover of rules that already exist live (typically drift accepted
/// into the config with check-drift --accept): revoked just before the stack update so
/// CloudFormation can create them without InvalidPermission.Duplicate, put back if the update
/// fails, and confirmed re-created after it, with the window said in so many seconds.
struct LiveTakeover {
    let rules: [PreexistingRule]
    let groupIDsByTier: [String: String]
    private let revokedAt = Box<Date?>(nil)

    init(rules: [PreexistingRule], groupIDsByTier: [String: String]) {
        self.rules = rules
        self.groupIDsByTier = groupIDsByTier
    }

    /// The rules `plan` adds that the deployment's live groups have already.
    static func find(plan: ChangePlan, deployment: Deployment, ec2: EC2Client) async throws -> LiveTakeover {
        guard plan.ruleChanges.contains(where: { $0.kind == .added }) else { return LiveTakeover(rules: [], groupIDsByTier: [:]) }
        let (groups, _) = try await LiveInventory(ec2: ec2).groups(vpcID: deployment.config.vpcID, deployment: deployment.identity.qualifiedName)
        let rules = LiveRuleHandover.preexisting(plan: plan, liveGroups: groups, identity: deployment.identity)
        var groupIDsByTier: [String: String] = [:]
        for group in groups { if let tier = group.tierTag, groupIDsByTier[tier] == nil || group.name == deployment.identity.groupName(tier: tier) { groupIDsByTier[tier] = group.groupID } }
        return LiveTakeover(rules: rules, groupIDsByTier: groupIDsByTier)
    }

    /// Revokes the rules; false (with an error, nothing deployed) when one cannot be revoked.
    func revoke(context: ActionContext, ec2: EC2Client) async -> Bool {
        guard !rules.isEmpty else { return true }
        context.say("taking over \(rules.count) rule\(rules.count == 1 ? "" : "s") that already exist\(rules.count == 1 ? "s" : "") live "
            + "(CloudFormation would fail on InvalidPermission.Duplicate): revoked now, re-created by the stack update; "
            + "traffic on \(rules.count == 1 ? "it" : "them") is dropped until then\n")
        do {
            _ = try await LiveRuleHandover(ec2: ec2).revoke(rules, groupIDsByTier: groupIDsByTier)
        } catch {
            AWSContext(context: context).report(error, doing: "revoking a live rule before the stack update takes it over")
            context.report(.error(.liveRuleTakeoverFailed, "could not revoke the live rules the update would create; nothing was deployed (any rule revoked was put back)", at: nil))
            return false
        }
        revokedAt.value = context.environment.now()
        for rule in rules {
            context.say("  revoked \(rule.line)\n")
            context.record("takeover: revoked \(rule.line)")
        }
        return true
    }

    /// After a failed update: authorizes the revoked rules again.
    func restore(context: ActionContext, ec2: EC2Client, stopped: Bool) async {
        guard !rules.isEmpty, revokedAt.value != nil else { return }
        if stopped {
            context.report(.warning(.liveRuleTakeover,
                "the stack update is still running; the \(rules.count) rule(s) revoked for it are re-created when it completes, or must be authorized again by hand if it rolls back: "
                    + rules.map(\.line).joined(separator: "; "), at: nil))
            return
        }
        let failed = await LiveRuleHandover(ec2: ec2).restore(rules, groupIDsByTier: groupIDsByTier)
        for rule in rules where !failed.contains(where: { $0.0 == rule }) {
            context.say("  restored \(rule.line) (the update failed)\n")
            context.record("takeover: restored \(rule.line)")
        }
        for (rule, why) in failed {
            context.report(.error(.liveRuleTakeoverFailed, "the update failed and \(rule.line) could not be authorized again: \(why); restore it by hand", at: nil))
        }
    }

    /// After a successful update: the rules are back, and for how long at most they were not.
    func confirm(context: ActionContext, ec2: EC2Client, deployment: Deployment) async {
        guard !rules.isEmpty, let revokedAt = revokedAt.value else { return }
        let seconds = context.environment.now().timeIntervalSince(revokedAt)
        let live = (try? await LiveInventory(ec2: ec2).groups(ids: Array(Set(rules.map(\.groupID))).sorted()))?.groups ?? []
        var tiersByGroupID: [String: String] = [:]
        for (tier, group) in groupIDsByTier { tiersByGroupID[group] = tier }
        for rule in rules {
            let back = live.first { $0.groupID == rule.groupID }?.rules.contains { $0.tierKey(tiersByGroupID) == rule.key } ?? false
            if back {
                context.say("  re-created \(rule.key) on tier \(rule.tier) by the stack update: absent for at most \(String(format: "%.1f", seconds)) s\n")
                context.record("takeover: re-created \(rule.line), absent at most \(String(format: "%.1f", seconds)) s")
            } else {
                context.report(.warning(.liveRuleTakeover, "\(rule.line) was revoked for the update but is not in the group now; check the stack", at: nil))
            }
        }
    }
}

/// A mutable cell for a value set while the action runs.
final class Box<Value>: @unchecked Sendable {
    // @unchecked: one action run uses it, sequentially.
    var value: Value
    init(_ value: Value) { self.value = value }
}
