import Foundation

/// The ONE place listing where moto 5.2's CloudFormation builds security groups differently from
/// AWS (measured against moto_server). Tests use it only to accept the verification differences
/// the tool reports honestly on moto; the tool itself never knows about moto. Against real AWS
/// (`make test-aws`) the list is empty: no difference is tolerated.
struct MotoDivergence: Sendable {
    /// A short name.
    var name: String
    /// What moto does, and what AWS does instead.
    var behaviour: String
    /// True for a verification difference (the text after "live groups differ from the model: ")
    /// that this behaviour explains.
    var explains: @Sendable (String) -> Bool
    /// True for a check-drift "changed" rule (peer text, live description) that this behaviour explains.
    var explainsChangedRule: @Sendable (_ peer: String, _ liveDescription: String?) -> Bool = { _, _ in false }
}

enum MotoDivergences {
    /// Every divergence the end-to-end suite may meet on moto.
    static let all: [MotoDivergence] = [
        MotoDivergence(
            name: "inline-egress-ignored",
            behaviour: "moto ignores a group's inline SecurityGroupEgress and keeps AWS's default allow-all egress on every group; AWS replaces the default with the listed rules",
            explains: { $0.hasSuffix("unexpected egress all traffic to 0.0.0.0/0") || $0.contains(": missing egress") && !$0.contains(" to tier ") }),
        MotoDivergence(
            name: "standalone-egress-unsupported",
            behaviour: "moto has no CloudFormation support for AWS::EC2::SecurityGroupEgress (logs 'No Moto CloudFormation support') and creates nothing; AWS creates the rule",
            explains: { $0.contains(": missing egress") && $0.contains(" to tier ") }),
        MotoDivergence(
            name: "rule-descriptions-dropped",
            behaviour: "moto drops the Description of inline and standalone rules created through CloudFormation; AWS keeps it",
            explains: { $0.hasSuffix(" expected, live (none)") }),
        MotoDivergence(
            name: "group-reference-descriptions-not-described",
            behaviour: "moto's DescribeSecurityGroupRules omits the Description of rules that reference another group (DescribeSecurityGroups keeps it), so a live check-drift sees those descriptions as changed; AWS returns them",
            explains: { _ in false },
            explainsChangedRule: { peer, liveDescription in
                liveDescription == nil && (peer.hasPrefix("tier ") || peer.hasPrefix("sg-"))
            }),
        MotoDivergence(
            name: "update-recreates-groups",
            behaviour: "any stack update makes moto recreate every group with a new id, leaving rules that referenced the old ids dangling; AWS updates rules in place and keeps group ids",
            explains: { $0.contains(": missing ingress") && $0.contains(" from tier ") || $0.contains(": unexpected ingress") && $0.contains(" from sg-") }),
        MotoDivergence(
            name: "ssm-parameter-tags-crash",
            behaviour: "moto passes AWS::SSM::Parameter Tags (a JSON object in CloudFormation) to PutParameter, which wants a list, and answers HTTP 500; Tests/Fixtures/aws/moto-patches/sitecustomize.py converts the object (moto only, never the tool)",
            explains: { _ in false }),
        MotoDivergence(
            name: "update-without-changes",
            behaviour: "moto performs an UpdateStack whose template did not change; AWS answers 'No updates are to be performed' (the tool reports 'unchanged')",
            explains: { _ in false }),
        MotoDivergence(
            name: "termination-protection-missing",
            behaviour: "moto does not implement UpdateTerminationProtection (HTTP 500) and DeleteStack ignores protection; the suite therefore deploys a non-production environment",
            explains: { _ in false }),
    ]

    /// The divergences in force for a peer: all on moto, none on AWS.
    static func tolerated(onRealAWS: Bool) -> [MotoDivergence] { onRealAWS ? [] : all }
}
