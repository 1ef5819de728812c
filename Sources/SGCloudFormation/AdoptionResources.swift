import SGModel

/// The compiler's own vocabulary for the resources a CloudFormation resource import states about
/// groups that already exist (`create-security-groups --adopt`): the import template describes
/// the live groups and rules in exactly the form the compiled template gives them, so the update
/// that follows changes only what really differs.
public enum AdoptionResources {
    /// `AWS::EC2::SecurityGroup`.
    public static let securityGroupType = ResourceEmitter.securityGroupType
    /// `AWS::EC2::SecurityGroupIngress`.
    public static let ingressType = ResourceEmitter.ingressType
    /// `AWS::EC2::SecurityGroupEgress`.
    public static let egressType = ResourceEmitter.egressType
    /// The DeletionPolicy that keeps a resource when the stack is deleted or drops it.
    public static let retainPolicy = ResourceEmitter.retainPolicy
    /// The DeletionPolicy that removes the resource with the stack, or when an update drops it.
    public static let deletePolicy = "Delete"

    /// The fields of one rule as the compiler writes them (inline item, or the properties of a
    /// standalone rule after `GroupId`); `peer` is the group reference for a tier peer.
    public static func ruleFields(_ rule: Rule, peer: TemplateValue?) -> [(String, TemplateValue)] {
        ResourceEmitter.fields(of: rule, peer: peer)
    }

    /// The GroupDescription the compiler gives a tier whose scenario has no description.
    public static func generatedGroupDescription(_ deployment: Deployment, tier: String) -> String {
        ResourceEmitter.generatedGroupDescription(deployment.identity, tier: tier)
    }

    /// The inline egress item that matches no traffic (`DefaultEgress.closedPlaceholder`).
    public static var egressPlaceholder: TemplateValue { ResourceEmitter.egressPlaceholder }

    /// The logical id the compiler's scheme gives a standalone rule of `tier`, made unique in `taken`.
    public static func ruleLogicalID(_ rule: Rule, tier: String, taken: inout Set<String>) -> String {
        LogicalID.forRule(rule, ofTier: tier, taken: &taken)
    }
}
