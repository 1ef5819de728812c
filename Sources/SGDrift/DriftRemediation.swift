import SGFindings
import SGModel
import SGReports
import SGValidation

/// The two ways out of each drifted item, as the security guide's drift section puts it (decide
/// whether the change is wanted, then update the config or redeploy to revert): the command that
/// reverts it, the command that accepts it into the config, and which of the two its risk rating
/// suggests.
public struct DriftRemediation: Sendable, Hashable {
    /// Which way the rating points.
    public enum Suggestion: String, Sendable, Hashable {
        /// Undo the change.
        case revert
        /// Keep it: write it into the config.
        case accept
        /// Either, after a look: the rating alone does not decide.
        case review
    }

    /// The item.
    public var item: DriftItem
    /// The rating the suggestion rests on, e.g. `HIGH` or `none (removal narrows access)`.
    public var rating: String
    /// Which way.
    public var suggestion: Suggestion
    /// Why, in one sentence.
    public var why: String
    /// The command (or commands) that revert the item.
    public var revert: String
    /// The command that accepts the item; nil when it cannot be accepted (with `acceptBlocked`).
    public var accept: String?
    /// Why the item cannot be accepted.
    public var acceptBlocked: String?

    /// One entry per drifted item of `report`, in report order. `config` is the `-con` value to
    /// put in commands; `failOn` the threshold the run used; `deployment`, when given, decides
    /// which items an accept would refuse (as `--accept` does), so no command is offered that fails.
    public static func entries(for report: DriftReport, config: String, failOn: RiskLevel, deployment: Deployment? = nil) -> [DriftRemediation] {
        let planner = deployment.map { DriftAcceptancePlanner(deployment: $0, report: report) }
        return rawEntries(for: report, config: config, failOn: failOn).map { entry in
            guard let why = planner?.whyNotAcceptable(entry.item) else { return entry }
            var blocked = entry
            blocked.accept = nil
            blocked.acceptBlocked = why
            if blocked.suggestion == .accept { blocked.suggestion = .review }
            return blocked
        }
    }

    private static func rawEntries(for report: DriftReport, config: String, failOn: RiskLevel) -> [DriftRemediation] {
        let check = "sg-provisioner -con \(ShellWord.quote(config)) -act check-drift"
        let failOnFlag = failOn == .high ? "" : " --fail-on \(failOn.rawValue)"
        let revertAll = "\(check) --force"
        let redeploy = "sg-provisioner -con \(ShellWord.quote(config)) -act create-security-groups --force"
        let groupIDs = Dictionary(report.groups.map { ($0.tier, $0.groupID) }, uniquingKeysWith: { first, _ in first })
        var entries: [DriftRemediation] = []
        for item in report.items {
            let acceptCommand = "\(check) --accept \(item.fingerprint) --reason 'WHY (ticket)'\(failOnFlag)"
            switch item.kind {
            case .added:
                guard let rule = addedRule(item, in: report) else { continue }
                let failing = rule.findings.filter { !$0.isAccepted && $0.severity >= failOn }
                let revert = revertCommand(forAdded: rule, groupIDsByTier: groupIDs) + (rule.ruleID == nil ? "" : "; or the whole plan: \(revertAll)")
                if item.inExtraGroup {
                    entries.append(DriftRemediation(
                        item: item, rating: rule.riskLabel, suggestion: .revert, why: "the group is not a tier of the config",
                        revert: revert, accept: nil, acceptBlocked: "a rule of an extra group: delete the group or describe it as a tier"))
                } else if !failing.isEmpty {
                    entries.append(DriftRemediation(
                        item: item, rating: rule.riskLabel, suggestion: .revert,
                        why: "\(rule.riskLabel) is at or above --fail-on \(failOn.rawValue): accepting it needs an accepted risk with an expiry",
                        revert: revert, accept: acceptCommand + " --expires YYYY-MM-DD"))
                } else if rule.risk >= .medium {
                    entries.append(DriftRemediation(
                        item: item, rating: rule.riskLabel, suggestion: .review,
                        why: "\(rule.riskLabel), below --fail-on \(failOn.rawValue): accept only if someone needs it, with the reason", revert: revert,
                        accept: acceptCommand))
                } else {
                    entries.append(DriftRemediation(
                        item: item, rating: rule.riskLabel, suggestion: .accept,
                        why: "\(rule.riskLabel): if the change was wanted, writing it into the config keeps the record straight", revert: revert,
                        accept: acceptCommand))
                }
            case .removed:
                guard let rule = report.groups.first(where: { $0.groupID == item.groupID })?.removed.first(where: { $0.key == item.key }) else { continue }
                let isDefaultEgress = rule.configLocation == nil
                entries.append(DriftRemediation(
                    item: item, rating: "none (a removal narrows access)", suggestion: .review,
                    why: "removing a rule adds no exposure; revert if something still needs the access, accept if nothing does",
                    revert: revertCommand(forRemoved: rule, groupIDsByTier: groupIDs, redeploy: redeploy) + "; or the whole plan: \(revertAll)",
                    accept: isDefaultEgress ? nil : acceptCommand,
                    acceptBlocked: isDefaultEgress ? "AWS's default egress: write `egress: []` or the tier's egress in the scenario" : nil))
            case .changed:
                guard let rule = report.groups.first(where: { $0.groupID == item.groupID })?.changed.first(where: { $0.key == item.key }) else { continue }
                entries.append(DriftRemediation(
                    item: item, rating: "none (same traffic)", suggestion: .accept,
                    why: "only the description differs; accept the live one, or restore the configured one",
                    revert: revertCommand(forChanged: rule, redeploy: redeploy), accept: acceptCommand))
            case .missingGroup:
                entries.append(DriftRemediation(
                    item: item, rating: "availability (the tier's rules are gone)", suggestion: .revert,
                    why: "a tier without its group cannot be expressed in the config", revert: redeploy,
                    accept: nil, acceptBlocked: "a missing group can only be reverted (or the tier removed from the scenario)"))
            case .extraGroup:
                guard let extra = report.extraGroups.first(where: { $0.groupID == item.groupID }) else { continue }
                entries.append(DriftRemediation(
                    item: item, rating: extra.rules.map(\.risk).max()?.label ?? "-", suggestion: .revert,
                    why: "a group tagged for the deployment that no tier describes",
                    revert: "aws ec2 delete-security-group --group-id \(extra.groupID)", accept: nil,
                    acceptBlocked: "an extra group cannot be an override; describe it as a tier in the scenario to keep it"))
            }
        }
        return entries
    }

    private static func addedRule(_ item: DriftItem, in report: DriftReport) -> DriftAddedRule? {
        let rules = item.inExtraGroup ? report.extraGroups.first { $0.groupID == item.groupID }?.rules : report.groups.first { $0.groupID == item.groupID }?.added
        return rules?.first { $0.fingerprint == item.fingerprint }
    }

    private static func direction(_ key: RuleKey) -> String { key.direction == .ingress ? "ingress" : "egress" }

    static func revertCommand(forAdded rule: DriftAddedRule, groupIDsByTier: [String: String]) -> String {
        if let id = rule.ruleID {
            return "aws ec2 revoke-security-group-\(direction(rule.key)) --group-id \(rule.groupID) --security-group-rule-ids \(id)"
        }
        let permission = DriftRevertPlanner.permission(rule.key, description: nil, groupIDsByTier: groupIDsByTier)
        return "aws ec2 revoke-security-group-\(direction(rule.key)) --group-id \(rule.groupID) --ip-permissions "
            + ShellWord.quote(permission.map { DriftPhrases.parameters(.array([DriftRevertPlanner.json($0)])) } ?? "?")
    }

    static func revertCommand(forRemoved rule: DriftRemovedRule, groupIDsByTier: [String: String], redeploy: String) -> String {
        guard let permission = DriftRevertPlanner.permission(rule.key, description: rule.description, groupIDsByTier: groupIDsByTier) else {
            return redeploy
        }
        return "aws ec2 authorize-security-group-\(direction(rule.key)) --group-id \(rule.groupID) --ip-permissions "
            + ShellWord.quote(DriftPhrases.parameters(.array([DriftRevertPlanner.json(permission)])))
    }

    static func revertCommand(forChanged rule: DriftChangedRule, redeploy: String) -> String {
        guard let id = rule.ruleID else { return redeploy }
        let description = rule.expectedDescription ?? ""
        return "aws ec2 update-security-group-rule-descriptions-\(direction(rule.key)) --group-id \(rule.groupID) "
            + "--security-group-rule-descriptions " + ShellWord.quote("SecurityGroupRuleId=\(id),Description=\(description)")
    }
}

/// Quoting for commands printed for people to paste into a POSIX shell: a word of safe characters
/// stays bare, anything else goes in single quotes (a `'` inside becomes `'\''`).
enum ShellWord {
    static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-_./:=@,+%".unicodeScalars.contains(scalar)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
