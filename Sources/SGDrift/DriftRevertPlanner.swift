import SGAWS
import SGInventory
import SGModel
import SGReports

/// One executable step of a revert plan: the command as printed, and the typed EC2 call that
/// performs it (nil when it cannot be executed, e.g. a snapshot rule without a rule id).
public struct RevertStep: Sendable {
    /// The typed call.
    public enum Operation: Sendable {
        /// Revoke rules by id.
        case revoke(Direction, groupID: String, ruleIDs: [String])
        /// Authorize one permission.
        case authorize(Direction, groupID: String, permission: IPPermission)
    }

    /// The command as the plan prints it.
    public var command: FixCommand
    /// What `--force` sends; nil when only a person can carry it out.
    public var operation: Operation?
}

/// Turns a drift comparison into a revert plan (the seed's fix-plan shape) and the steps `--force`
/// executes. Rule drift only: missing and extra groups and description changes are warnings, because
/// reverting them means redeploying or deleting, which the deploy actions own.
public struct DriftRevertPlanner: Sendable {
    /// The deployment, for names.
    public let deployment: Deployment

    /// Creates a planner for a deployment.
    public init(deployment: Deployment) {
        self.deployment = deployment
    }

    /// The plan and its steps, in execution order: every revoke (worst risk first) before any
    /// authorize, so exposure closes before access is restored.
    public func plan(_ comparison: DriftComparator.Comparison) -> (plan: FixPlan, steps: [RevertStep]) {
        var steps: [RevertStep] = []
        var warnings: [String] = []
        var notes: [String] = []
        let groupIDs = comparison.groupIDsByTier

        let added = comparison.groups.flatMap(\.added).sorted { ($0.risk, $1.tier, $1.key) > ($1.risk, $0.tier, $0.key) }
        for rule in added {
            guard let permission = Self.permission(rule.key, description: rule.description, groupIDsByTier: groupIDs) else { continue }
            let revokeAction = (rule.key.direction == .ingress ? "RevokeSecurityGroupIngress" : "RevokeSecurityGroupEgress")
            let id = String(steps.count + 1)
            let rollback = FixCommand(
                id: "\(id)-rollback", action: Self.authorizeAction(rule.key.direction), resource: rule.groupID,
                parameters: ["GroupId": .string(rule.groupID), "IpPermissions": [Self.json(permission)]],
                reason: "recreate \(rule.key) as it was")
            let reason = "\(rule.key) on tier \(rule.tier) was added out of band (\(rule.riskLabel): \(rule.reason))"
            if let ruleID = rule.ruleID {
                steps.append(RevertStep(
                    command: FixCommand(
                        id: id, action: revokeAction, resource: rule.groupID,
                        parameters: ["GroupId": .string(rule.groupID), "SecurityGroupRuleIds": [.string(ruleID)]],
                        reason: reason, rollback: rollback),
                    operation: .revoke(rule.key.direction, groupID: rule.groupID, ruleIDs: [ruleID])))
            } else {
                // A snapshot has no rule ids: the command names the permission, which the AWS CLI accepts too.
                steps.append(RevertStep(
                    command: FixCommand(
                        id: id, action: revokeAction, resource: rule.groupID,
                        parameters: ["GroupId": .string(rule.groupID), "IpPermissions": [Self.json(permission)]],
                        reason: reason, rollback: rollback),
                    operation: nil))
            }
        }
        for rule in comparison.groups.flatMap(\.removed) {
            guard let permission = Self.permission(rule.key, description: rule.description, groupIDsByTier: groupIDs, account: rule.peerAccount) else {
                warnings.append("cannot restore \(rule.key) on tier \(rule.tier): its peer tier has no live group; redeploy with create-security-groups")
                continue
            }
            let id = String(steps.count + 1)
            let parameters: JSONValue = ["GroupId": .string(rule.groupID), "IpPermissions": [Self.json(permission)]]
            steps.append(RevertStep(
                command: FixCommand(
                    id: id, action: Self.authorizeAction(rule.key.direction), resource: rule.groupID, parameters: parameters,
                    reason: "\(rule.key) on tier \(rule.tier) is in the config\(rule.configLocation.map { " (\($0))" } ?? " (AWS default egress)") but was removed out of band",
                    rollback: FixCommand(
                        id: "\(id)-rollback", action: rule.key.direction == .ingress ? "RevokeSecurityGroupIngress" : "RevokeSecurityGroupEgress",
                        resource: rule.groupID, parameters: parameters, reason: "remove \(rule.key) again")),
                operation: .authorize(rule.key.direction, groupID: rule.groupID, permission: permission)))
        }
        for rule in comparison.groups.flatMap(\.changed) {
            warnings.append("description of \(rule.key) on tier \(rule.tier) (\(rule.groupID)) differs from the config; not reverted here: redeploy with create-security-groups or restore \(rule.expectedDescription.map { "\"\($0)\"" } ?? "(no description)") by hand")
        }
        for missing in comparison.missingGroups {
            if let id = missing.adoptedGroupID {
                // A deleted group cannot come back with its id: the config must name its successor.
                warnings.append("tier \(missing.tier) adopts \(id), which is not there; if it was replaced, import the new group (import-security-groups) or update adopted_groups, else remove the tier's adoption and redeploy with create-security-groups")
            } else {
                warnings.append("tier \(missing.tier) has no live group; redeploy with create-security-groups")
            }
        }
        for extra in comparison.extraGroups {
            warnings.append("\(extra.groupID) (\(extra.name)) is \(extra.reason); review it and delete it by hand if nobody needs it")
        }
        if steps.contains(where: { $0.operation == nil }) {
            notes.append("compared with a snapshot: commands name permissions instead of rule ids and cannot be executed with --force; run check-drift live to revert")
        }
        if !steps.isEmpty {
            notes.append("a rollback recreates exactly what its command changed; run rollbacks in reverse order")
        }

        let counts = (added: comparison.groups.reduce(0) { $0 + $1.added.count }, removed: comparison.groups.reduce(0) { $0 + $1.removed.count })
        let summary = steps.isEmpty
            ? "nothing to revert at rule level"
            : "revoke \(counts.added) rule\(counts.added == 1 ? "" : "s") added out of band and restore \(counts.removed) removed rule\(counts.removed == 1 ? "" : "s")"
        let worst = added.map(\.risk).max()
        let finding = FixPlanFinding(
            id: "SG-DRIFT", severity: worst, resource: deployment.identity.qualifiedName,
            description: "live security groups differ from the config: \(counts.added) added, \(counts.removed) removed, "
                + "\(comparison.groups.reduce(0) { $0 + $1.changed.count }) changed, \(comparison.missingGroups.count) missing, \(comparison.extraGroups.count) extra")
        return (FixPlan(summary: summary, finding: finding, commands: steps.map(\.command), notes: notes, warnings: warnings), steps)
    }

    static func authorizeAction(_ direction: Direction) -> String {
        direction == .ingress ? "AuthorizeSecurityGroupIngress" : "AuthorizeSecurityGroupEgress"
    }

    /// The EC2 permission for a rule key; nil when its peer is a tier without a live group.
    static func permission(_ key: RuleKey, description: String?, groupIDsByTier: [String: String], account: String? = nil) -> IPPermission? {
        PermissionEncoder.permission(key, description: description, groupIDsByTier: groupIDsByTier, account: account)
    }

    /// The permission with AWS's field names, as `aws ec2 authorize-security-group-ingress --ip-permissions` takes it.
    static func json(_ permission: IPPermission) -> JSONValue {
        var object: [String: JSONValue] = ["IpProtocol": .string(permission.ipProtocol)]
        if let from = permission.fromPort { object["FromPort"] = .int(from) }
        if let to = permission.toPort { object["ToPort"] = .int(to) }
        func ranges(_ list: [SecurityGroupRange], _ name: String) -> JSONValue {
            .array(list.map { range in
                var entry: [String: JSONValue] = [name: .string(range.value)]
                if let description = range.description { entry["Description"] = .string(description) }
                return .object(entry)
            })
        }
        if !permission.ipv4Ranges.isEmpty { object["IpRanges"] = ranges(permission.ipv4Ranges, "CidrIp") }
        if !permission.ipv6Ranges.isEmpty { object["Ipv6Ranges"] = ranges(permission.ipv6Ranges, "CidrIpv6") }
        if !permission.prefixLists.isEmpty { object["PrefixListIds"] = ranges(permission.prefixLists, "PrefixListId") }
        if !permission.groupPairs.isEmpty {
            object["UserIdGroupPairs"] = .array(permission.groupPairs.map { pair in
                var entry: [String: JSONValue] = ["GroupId": .string(pair.groupID)]
                if let account = pair.userID { entry["UserId"] = .string(account) }
                if let description = pair.description { entry["Description"] = .string(description) }
                return .object(entry)
            })
        }
        return .object(object)
    }
}
