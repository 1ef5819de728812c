import SGCloudFormation
import SGDiagnostics
import SGModel

/// Refuses, before anything is sent, the updates that would replace a security group a stack
/// holds because its GroupName or GroupDescription changes (for an adopted group, its VpcId too).
///
/// Every group the tool emits has a fixed `GroupName`, and CloudFormation performs no update that
/// requires replacing a custom-named resource ("If you must replace the resource, specify a new
/// name", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html):
/// a changed description fails the update, which rolls back; a changed name replaces the group,
/// and every network interface and rule that used the old group id loses it.
/// Neither is what an operator who edited a description wants, so `create-security-groups` stops
/// with the tier, the property and what to do instead; show-changes keeps showing the replacement
/// banner. "Update requires: Replacement" for the three properties:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
public enum ReplacementGuard {
    /// One located error per refused property change, in tier order.
    public static func refusals(_ plan: ChangePlan, deployment: Deployment) -> [Diagnostic] {
        var refusals: [Diagnostic] = []
        for replacement in plan.replacements.sorted(by: { ($0.tier ?? "", $0.logicalID) < ($1.tier ?? "", $1.logicalID) }) {
            // Adopted tiers no stack holds yet are the adoption's to judge (E570).
            guard replacement.source == .template, let tierName = replacement.tier, plan.adoptedTiers[tierName] == nil else { continue }
            let adopted = deployment.config.adoptedGroup(tier: tierName)
            let tier = deployment.tiers.first { $0.name == tierName }
            for property in replacement.changedProperties {
                let fix: String
                switch (property.name, adopted) {
                case ("VpcId", nil):
                    continue  // A new VPC is a real move (another group name space); the banner says it.
                case ("VpcId", let adopted?):
                    fix = "an adopted group stays in its VPC: keep vpc_id \(quoted(property.before)) for \(adopted.groupID),"
                        + " or remove the tier from adopted_groups to let the stack create a group in the new VPC"
                case ("GroupName", .some):
                    fix = "set group_name under adopted_groups.\(tierName) back to \(quoted(property.before))"
                case ("GroupDescription", .some):
                    fix = "set group_description under adopted_groups.\(tierName) back to \(quoted(property.before))"
                case ("GroupDescription", nil):
                    let generated = AdoptionResources.generatedGroupDescription(deployment, tier: tierName)
                    let keep = property.before == generated
                        ? "remove the description of tier \(tierName) (the deployed group has the generated one)"
                        : "set the description of tier \(tierName) back to \(quoted(property.before))"
                    fix = keep + "; to replace the group on purpose, give the tier a new name (a new group is created under a new name)"
                        + " and move what uses the old group to it first"
                default:
                    fix = "keep \(property.name) \(quoted(property.before)); to replace the group on purpose, give the tier a new name"
                        + " and move what uses the old group to it first"
                }
                let consequence = property.name == "GroupName"
                    ? "a replaced group gets a new id, and every network interface and rule that uses \(replacement.logicalID) loses it"
                    : "the group's GroupName is fixed, so CloudFormation cannot create the replacement beside it: the update would fail and roll back"
                refusals.append(.error(
                    .replacementRefused,
                    "tier \(tierName): \(property.name) would change from \(quoted(property.before)) to \(quoted(property.after)),"
                        + " which CloudFormation can only do by replacing security group \(replacement.logicalID) in stack \(replacement.stackName);"
                        + " \(consequence). Refused before sending anything: \(fix)",
                    at: adopted?.location ?? tier?.location))
            }
        }
        return refusals
    }

    private static func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }
}
