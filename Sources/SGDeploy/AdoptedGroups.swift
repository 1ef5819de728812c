import SGAWS
import SGCloudFormation
import SGInventory
import SGModel

/// The groups of a deployment's adopted tiers (`adopted_groups`) as they are in AWS, read by id
/// and described like a deployed template's tiers, so show-changes can diff what deploying would
/// do to a group no stack holds yet: its live rules on one side, the compiled tier on the other.
public struct AdoptedGroupsReader: Sendable {
    let ec2: EC2Client

    /// Creates a reader over EC2.
    public init(ec2: EC2Client) {
        self.ec2 = ec2
    }

    /// The adopted tiers missing from `deployed` (no stack holds their group yet), each as the
    /// tier its live group is: rules with references to other adopted groups as tier references,
    /// GroupName/GroupDescription/VpcId as AWS has them, and the logical id and stack the
    /// compiled templates give the tier (so only real differences show). Problems: adopted groups
    /// that do not exist, rules that cannot be read.
    ///
    /// `groups` are the live groups themselves by tier (with their rule ids, for the import);
    /// `tiersByGroupID` adds the groups the deployment's stacks hold to the adopted ones, so rules
    /// naming either read as tier references.
    public func liveTiers(
        of deployment: Deployment, compiled: TemplateRules, deployed: TemplateRules, tiersByGroupID extra: [String: String] = [:]
    ) async throws -> (tiers: [String: TemplateTier], groups: [String: LiveSecurityGroup], problems: [String]) {
        let pending = deployment.config.adoptedGroups.filter { deployed.tiers[$0.tier] == nil }
        guard !pending.isEmpty else { return ([:], [:], []) }
        let inventory = LiveInventory(ec2: ec2)
        var groups: [LiveSecurityGroup] = []
        var problems: [String] = []
        let ids = pending.map(\.groupID).sorted()
        for start in stride(from: 0, to: ids.count, by: 100) {
            let chunk = Array(ids[start..<min(start + 100, ids.count)])
            let read = try await inventory.groups(filters: [EC2Filter(name: "group-id", values: chunk)])
            groups += read.groups
            problems += read.problems.map { "adopted group: cannot read \($0)" }
        }
        let tierByGroupID = Dictionary(
            deployment.config.adoptedGroups.map { ($0.groupID, $0.tier) }, uniquingKeysWith: { first, _ in first })
            .merging(extra) { adopted, _ in adopted }
        let byID = Dictionary(groups.map { ($0.groupID, $0) }, uniquingKeysWith: { first, _ in first })
        var tiers: [String: TemplateTier] = [:]
        var liveGroups: [String: LiveSecurityGroup] = [:]
        for adopted in pending {
            guard let group = byID[adopted.groupID] else {
                problems.append("tier \(adopted.tier): adopted group \(adopted.groupID) (\(adopted.groupName)) does not exist in AWS")
                continue
            }
            liveGroups[adopted.tier] = group
            let compiledTier = compiled.tiers[adopted.tier]
            let rules = group.rules.filter { !$0.isClosedEgressPlaceholder }.map { live in
                TemplateRule(key: live.tierKey(tierByGroupID), description: LiveText.normalised(live.description))
            }.sorted { $0.key < $1.key }
            tiers[adopted.tier] = TemplateTier(
                name: adopted.tier, groupLogicalID: compiledTier?.groupLogicalID ?? adopted.tier, stackName: compiledTier?.stackName,
                groupName: group.name, groupDescription: group.description, vpcID: group.vpcID, rules: rules,
                declaresEgress: true, hasEgressPlaceholder: group.egress.contains { $0.isClosedEgressPlaceholder })
        }
        return (tiers, liveGroups, problems)
    }
}

/// AWS reports a missing description as absent or empty; both mean none.
enum LiveText {
    static func normalised(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
