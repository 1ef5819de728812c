import SGModel

/// The least-privilege policies for a deployment with `targets`, where the tool drives a StackSet
/// from the administration account and reads each target through a role:
/// - read-only (the caller, administration account): the StackSet's own reads, and
///   `sts:AssumeRole` into `target_role` in exactly the target accounts;
/// - deploy (the caller, with the read-only one): create the StackSet, update and delete it and its
///   instances, limited to the target accounts (`stackset-target`), the target regions
///   (`cloudformation:TargetRegion`) and the resource types the template holds (`type/resource`);
/// - target read-only (attached to `target_role` in every target account): what drift, audit,
///   verify-vpc and the deletion check read;
/// - StackSet execution (attached to the execution role in every target account, instead of the
///   administrator access AWS's sample template grants): the instance stacks' CloudFormation calls
///   and the groups and parameters the template creates, tagged for the deployment in each region.
/// No wildcard action; `*` resources only for actions AWS cannot scope.
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
public enum FleetIAMPolicyGenerator {
    /// The resource types the StackSet template declares (`type/resource/...` in IAM).
    static let templateTypes = ["AWS-EC2-SecurityGroup", "AWS-EC2-SecurityGroupIngress", "AWS-EC2-SecurityGroupEgress", "AWS-SSM-Parameter"]

    /// Every policy for the deployment, in the order they are written.
    public static func policies(for deployment: Deployment) -> [IAMPolicyDocument] {
        [readOnly(for: deployment), deploy(for: deployment), targetReadOnly(for: deployment), stackSetExecution(for: deployment)]
    }

    static func accounts(_ deployment: Deployment) -> [String] { Array(Set(deployment.config.targets.map(\.account))).sorted() }

    static func regions(_ deployment: Deployment) -> [String] {
        var regions: [String] = []
        for target in deployment.config.targets where !regions.contains(target.region) { regions.append(target.region) }
        return regions
    }

    static func partition(_ deployment: Deployment) -> String { DeploymentTarget.partition(of: deployment.identity.region) }

    static func stackSetARN(_ deployment: Deployment) -> String {
        "arn:\(partition(deployment)):cloudformation:\(deployment.identity.region):*:stackset/\(deployment.identity.stackSetName):*"
    }

    static func adminRegion(_ deployment: Deployment) -> IAMStatement.Condition {
        IAMStatement.Condition("StringEquals", "aws:RequestedRegion", [deployment.identity.region])
    }

    /// The caller's reads, in the administration account.
    public static func readOnly(for deployment: Deployment) -> IAMPolicyDocument {
        let identity = deployment.identity
        let roles = deployment.config.targets.reduce(into: [String]()) { roles, target in
            let arn = target.roleARN(deployment.config.targetRole)
            if !roles.contains(arn) { roles.append(arn) }
        }
        return IAMPolicyDocument(name: "\(identity.qualifiedName)-iam-readonly-policy", statements: [
            IAMStatement(
                sid: "ReadOwnStackSet",
                actions: [
                    "cloudformation:DescribeStackInstance", "cloudformation:DescribeStackSet", "cloudformation:DescribeStackSetOperation",
                    "cloudformation:ListStackInstances", "cloudformation:ListStackSetOperationResults",
                ],
                resources: [stackSetARN(deployment)], conditions: [adminRegion(deployment)],
                rationale: "read StackSet \(identity.stackSetName), its instances and its operations"),
            IAMStatement(
                sid: "AssumeTargetRoleInTargetAccounts",
                actions: ["sts:AssumeRole"], resources: roles.sorted(), conditions: [adminRegion(deployment)],
                rationale: "act in each target account only as \(deployment.config.targetRole), and only in the \(roles.count) target account(s)"),
            IAMStatement(
                sid: "GetCallerIdentityHasNoResourceSoResourceIsWildcard",
                actions: ["sts:GetCallerIdentity"], resources: ["*"],
                rationale: "identifies the account the tool runs in; has no resource and works from any region"),
        ])
    }

    /// The caller's StackSet changes, in the administration account.
    public static func deploy(for deployment: Deployment) -> IAMPolicyDocument {
        let identity = deployment.identity
        let partition = partition(deployment)
        let targetResources = accounts(deployment).map { "arn:\(partition):cloudformation:*:*:stackset-target/\(identity.stackSetName):*/\($0)" }
        let typeResources = templateTypes.map { "arn:\(partition):cloudformation:*:*:type/resource/\($0)" }
        let targetRegions = IAMStatement.Condition("ForAllValues:StringEquals", "cloudformation:TargetRegion", regions(deployment))
        return IAMPolicyDocument(name: "\(identity.qualifiedName)-iam-deploy-policy", statements: [
            IAMStatement(
                sid: "CreateStackSetHasNoResourceLevelPermissionsSoResourceIsWildcard",
                actions: ["cloudformation:CreateStackSet"], resources: ["*"], conditions: [adminRegion(deployment)],
                rationale: "CreateStackSet cannot be scoped to a StackSet (AWS requires Resource \"*\"); pinned to the administration region"),
            IAMStatement(
                sid: "ChangeOwnStackSet",
                actions: ["cloudformation:DeleteStackSet", "cloudformation:UpdateStackSet"],
                resources: [stackSetARN(deployment)] + targetResources + typeResources, conditions: [adminRegion(deployment)],
                rationale: "update and delete StackSet \(identity.stackSetName) only"),
            IAMStatement(
                sid: "ChangeInstancesInTargetAccountsAndRegions",
                actions: ["cloudformation:CreateStackInstances", "cloudformation:DeleteStackInstances", "cloudformation:UpdateStackInstances"],
                resources: [stackSetARN(deployment)] + targetResources + typeResources, conditions: [adminRegion(deployment), targetRegions],
                rationale: "instances only in the \(accounts(deployment).count) target account(s) and \(regions(deployment).count) target region(s), of a template holding only security groups, their rules and SSM parameters"),
        ])
    }

    /// What `target_role` needs in each target account.
    public static func targetReadOnly(for deployment: Deployment) -> IAMPolicyDocument {
        IAMPolicyDocument(name: "\(deployment.identity.qualifiedName)-iam-target-readonly-policy", statements: [
            IAMStatement(
                sid: "Ec2DescribeHasNoResourceLevelPermissionsSoResourceIsWildcard",
                actions: ["ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                resources: ["*"], conditions: [IAMStatement.Condition("StringEquals", "aws:RequestedRegion", regions(deployment))],
                rationale: "read groups, rules and VPCs (drift, audit, verify-vpc, the deletion check); EC2 Describe calls cannot be scoped to resources; pinned to the target regions"),
        ])
    }

    /// What the StackSet execution role needs in each target account.
    public static func stackSetExecution(for deployment: Deployment) -> IAMPolicyDocument {
        let identity = deployment.identity
        let partition = partition(deployment)
        let regions = regions(deployment)
        let inRegions = IAMStatement.Condition("StringEquals", "aws:RequestedRegion", regions)
        let tagKey = DeploymentIdentity.deploymentTagKey
        let tags = regions.map { identity.inRegion($0).qualifiedName }
        let groups = "arn:\(partition):ec2:*:*:security-group/*"
        let vpcs = deployment.config.targets.map { "arn:\(partition):ec2:\($0.region):\($0.account):vpc/\($0.vpcID)" }
        return IAMPolicyDocument(name: "\(identity.qualifiedName)-iam-stackset-execution-policy", statements: [
            IAMStatement(
                sid: "ManageInstanceStacks",
                actions: [
                    "cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
                    "cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:TagResource", "cloudformation:UpdateStack",
                ],
                resources: ["arn:\(partition):cloudformation:*:*:stack/StackSet-\(identity.stackSetName)-*/*"], conditions: [inRegions],
                rationale: "StackSets creates, updates and deletes the instance stacks StackSet-\(identity.stackSetName)-* with this role"),
            IAMStatement(
                sid: "CreateDeploymentTaggedGroups",
                actions: ["ec2:CreateSecurityGroup"], resources: [groups] + vpcs,
                conditions: [inRegions, IAMStatement.Condition("StringEquals", "aws:RequestTag/\(tagKey)", tags)],
                rationale: "create groups only in the targets' VPCs and only tagged \(tagKey) with the deployment in its region"),
            IAMStatement(
                sid: "TagGroupsAtCreation",
                actions: ["ec2:CreateTags"], resources: [groups],
                conditions: [inRegions, IAMStatement.Condition("StringEquals", "ec2:CreateAction", ["CreateSecurityGroup"]),
                             IAMStatement.Condition("StringEquals", "aws:RequestTag/\(tagKey)", tags)],
                rationale: "tag a group in the same call that creates it"),
            IAMStatement(
                sid: "ChangeOnlyThisDeploymentsGroups",
                actions: [
                    "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:DeleteSecurityGroup",
                    "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
                ],
                resources: [groups], conditions: [inRegions, IAMStatement.Condition("StringEquals", "aws:ResourceTag/\(tagKey)", tags)],
                rationale: "change rules and tags of, and delete, only groups tagged for the deployment"),
            IAMStatement(
                sid: "RuleResourcesOfAuthorizeAndRevoke",
                actions: [
                    "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
                    "ec2:RevokeSecurityGroupIngress",
                ],
                resources: ["arn:\(partition):ec2:*:*:security-group-rule/*"], conditions: [inRegions],
                rationale: "rule ARNs are authorised alongside their group, which the previous statement restricts by tag"),
            IAMStatement(
                sid: "DescribeForTheTemplate",
                actions: ["ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], resources: ["*"], conditions: [inRegions],
                rationale: "CloudFormation checks the VpcId parameter (AWS::EC2::VPC::Id) and reads groups it creates; EC2 Describe calls cannot be scoped"),
            IAMStatement(
                sid: "PublishGroupIdsAsParameters",
                actions: ["ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:PutParameter"],
                resources: ["arn:\(partition):ssm:*:*:parameter/\(identity.company)/\(identity.environment)/\(identity.deploymentID)/sg/*"],
                conditions: [inRegions],
                rationale: "write and remove the parameters that publish group ids"),
        ])
    }
}
