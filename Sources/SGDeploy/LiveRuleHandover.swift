import Foundation
import SGAWS
import SGCloudFormation
import SGInventory
import SGModel

/// A rule a stack update will create that already exists in the live group, made out of band and
/// since accepted into the config (check-drift --accept), or added by hand before a redeploy.
public struct PreexistingRule: Sendable, Hashable {
    /// The tier.
    public var tier: String
    /// The live group.
    public var groupID: String
    /// The live rule's id.
    public var ruleID: String
    /// What it allows (tier peers as tiers).
    public var key: RuleKey
    /// Its live description, restored with it if the update fails.
    public var description: String?

    /// `fleet sg-... rule sgr-...: ingress tcp/8443 from 10.40.8.0/24`.
    public var line: String { "tier \(tier) \(groupID) rule \(ruleID): \(key)" }
}

/// Hands rules that already exist live over to CloudFormation.
///
/// CloudFormation creates a template's rule with AuthorizeSecurityGroupIngress/Egress, and EC2
/// refuses a rule that exists already with InvalidPermission.Duplicate ("the specified rule already
/// exists"), so updating a stack whose new template names a rule someone added by hand fails and
/// rolls back. Inline rules are properties of the group, not resources that resource import could
/// adopt, so the only order that works is the one CloudFormation itself uses when a rule is
/// modified: remove it, then let the update add it ("There is a brief period when neither the
/// original rule or the new rule exists, so the corresponding traffic is dropped").
/// The window is stated to the user and bounded by the update; if the update fails, the revoked
/// rules are authorized again as they were.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html (InvalidPermission.Duplicate)
public struct LiveRuleHandover: Sendable {
    let ec2: EC2Client

    /// Creates a handover over EC2.
    public init(ec2: EC2Client) {
        self.ec2 = ec2
    }

    /// The rules `plan` adds to existing groups that the live groups already have. A tier's live
    /// group is the one tagged for the deployment and tier, the one with the tool's name first.
    public static func preexisting(plan: ChangePlan, liveGroups: [LiveSecurityGroup], identity: DeploymentIdentity) -> [PreexistingRule] {
        let ours = liveGroups.filter { $0.deploymentTag == identity.qualifiedName }
        var groupByTier: [String: LiveSecurityGroup] = [:]
        for group in ours.sorted(by: { $0.groupID < $1.groupID }) {
            guard let tier = group.tierTag else { continue }
            if let chosen = groupByTier[tier], chosen.name == identity.groupName(tier: tier) || group.name != identity.groupName(tier: tier) { continue }
            groupByTier[tier] = group
        }
        var tiersByGroupID: [String: String] = [:]
        for (tier, group) in groupByTier { tiersByGroupID[group.groupID] = tier }
        var found: [PreexistingRule] = []
        for change in plan.ruleChanges where change.kind == .added && !plan.addedTiers.contains(change.tier) {
            guard let group = groupByTier[change.tier] else { continue }
            for live in group.rules where live.tierKey(tiersByGroupID) == change.key {
                guard let ruleID = live.ruleID else { continue }
                found.append(PreexistingRule(tier: change.tier, groupID: group.groupID, ruleID: ruleID, key: change.key, description: live.description))
            }
        }
        return found
    }

    /// Revokes each rule by id, in order. Returns the rules revoked; on a failure it stops, puts back
    /// what it revoked, and throws the failure.
    public func revoke(_ rules: [PreexistingRule], groupIDsByTier: [String: String]) async throws -> [PreexistingRule] {
        var revoked: [PreexistingRule] = []
        for rule in rules {
            do {
                if rule.key.direction == .ingress {
                    try await ec2.revokeSecurityGroupIngress(groupID: rule.groupID, ruleIDs: [rule.ruleID])
                } else {
                    try await ec2.revokeSecurityGroupEgress(groupID: rule.groupID, ruleIDs: [rule.ruleID])
                }
                revoked.append(rule)
            } catch {
                _ = await restore(revoked, groupIDsByTier: groupIDsByTier)
                throw error
            }
        }
        return revoked
    }

    /// Authorizes each rule again with its description; a rule that is back already counts as
    /// restored. Returns the rules that could not be restored, with why.
    public func restore(_ rules: [PreexistingRule], groupIDsByTier: [String: String]) async -> [(PreexistingRule, String)] {
        var failed: [(PreexistingRule, String)] = []
        for rule in rules {
            guard let permission = PermissionEncoder.permission(rule.key, description: rule.description, groupIDsByTier: groupIDsByTier) else {
                failed.append((rule, "its peer tier has no group"))
                continue
            }
            do {
                if rule.key.direction == .ingress {
                    _ = try await ec2.authorizeSecurityGroupIngress(groupID: rule.groupID, permissions: [permission])
                } else {
                    _ = try await ec2.authorizeSecurityGroupEgress(groupID: rule.groupID, permissions: [permission])
                }
            } catch let error as AWSError where error.code == "InvalidPermission.Duplicate" {
                continue
            } catch {
                failed.append((rule, "\(error)"))
            }
        }
        return failed
    }
}
