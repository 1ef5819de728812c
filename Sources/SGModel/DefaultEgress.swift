/// AWS's default allow-all egress rule, decided once: the template audit, the compiler, post-deploy
/// verification and drift comparison all ask this type, never their own copy of the rule.
///
/// What AWS does, and where that is written:
/// - At creation. The `AWS::EC2::SecurityGroup` resource page of the CloudFormation template
///   reference: a group created without egress rules gets rules allowing all outbound IPv4 and IPv6
///   traffic; a group created with egress rules gets none of them; and removing every rule after
///   creation leaves the group with none (the default is never put back). "Without egress rules"
///   is what EC2 receives, so an absent `SecurityGroupEgress`, an empty list and a list whose every
///   item a false condition or `AWS::NoValue` removed are all the same to it.
/// - Standalone `AWS::EC2::SecurityGroupEgress` resources. Not on the resource pages; a CDK
///   maintainer's analysis in aws/aws-cdk#22140 (2022) found that the resource's handler removes any
///   allow-all egress rule of its target group before adding its own, because it cannot tell EC2's
///   default from a rule someone wrote; aws-cloudformation/cfn-language-discussion#157 (2024)
///   reports the same removal on an existing group.
/// - IPv6. The resource page names IPv6 too; EC2 adds the `::/0` rule in a VPC that has an IPv6
///   block, so its presence depends on the VPC, not on the template.
///
/// The conclusion every stage uses (`keepsDefault`): a group ends up with AWS's allow-all egress
/// exactly when it is created with no egress of its own and no standalone egress resource names it.
/// The compiler relies only on the documented half: a tier that declares its egress always gets
/// inline egress (the no-op `closedPlaceholder` when nothing else would be inline), so the default
/// never exists, not even between the group's creation and its standalone rules'. A tier that
/// omits `egress` gets neither, and keeps the default.
public enum DefaultEgress {
    /// The IPv4 rule EC2 adds: all traffic to 0.0.0.0/0.
    public static let ipv4Rule = RuleKey(direction: .egress, ipProtocol: .all, ports: .all, peer: .cidr(.anyIPv4))
    /// The IPv6 rule EC2 adds in a VPC with an IPv6 block: all traffic to ::/0. Expected nowhere,
    /// accepted wherever the IPv4 rule is.
    public static let ipv6Rule = RuleKey(direction: .egress, ipProtocol: .all, ports: .all, peer: .cidr(.anyIPv6))

    /// True when a group keeps the default: created with no egress rule of its own (`inlineEgress`
    /// counts what EC2 receives at creation, after conditions and `AWS::NoValue`) and named by no
    /// standalone egress resource (which removes the default, aws/aws-cdk#22140).
    public static func keepsDefault(inlineEgress: Int, standaloneEgress: Int) -> Bool {
        inlineEgress == 0 && standaloneEgress == 0
    }

    /// True when the live group of this tier must show the default: the tier omits `egress` and no
    /// override gave it egress, so the compiler emits no egress for it at all.
    public static func expected(for tier: Tier) -> Bool {
        tier.usesDefaultEgress && tier.egress.isEmpty
    }

    /// True when `key` is one of the rules EC2 adds by default (IPv4 or IPv6).
    public static func isDefaultRule(_ key: RuleKey) -> Bool {
        key == ipv4Rule || key == ipv6Rule
    }

    /// The rule that matches no traffic (ICMP type 252 code 86 to the limited broadcast address):
    /// the inline egress the compiler gives a group whose declared egress would otherwise be empty
    /// on the group itself, because an empty list would leave AWS's default in place.
    public static let closedPlaceholder = RuleKey(
        direction: .egress, ipProtocol: .icmp, ports: .icmp(type: 252, code: 86), peer: .cidr(.ipv4(0xFFFF_FFFF, prefix: 32)))
}
