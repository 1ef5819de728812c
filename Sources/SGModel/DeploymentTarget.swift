import SGDiagnostics

/// One account and region a deployment with `targets:` goes to: one instance of the deployment's
/// CloudFormation StackSet, with the VPC of that account and region.
public struct DeploymentTarget: Hashable, Sendable {
    /// The 12-digit AWS account id.
    public var account: String
    /// The region of the instance (the config's own `region` is the StackSet's administration region).
    public var region: String
    /// The VPC the groups go into, passed to the instance as the `VpcId` parameter override.
    public var vpcID: String
    /// The VPC's IPv4 block: findings are judged against it, and it is the `VpcCidr` override.
    public var vpcCIDR: CIDRBlock
    /// Where the target's item starts in the config.
    public var location: SourceLocation

    /// Creates a target.
    public init(account: String, region: String, vpcID: String, vpcCIDR: CIDRBlock, location: SourceLocation) {
        self.account = account
        self.region = region
        self.vpcID = vpcID
        self.vpcCIDR = vpcCIDR
        self.location = location
    }

    /// `111122223333/eu-west-1`: how output, reports and logs name a target.
    public var label: String { "\(account)/\(region)" }

    /// The role name the fleet actions assume in every target account when the config names none
    /// (`target_role`): read-only, so a drift check never acts with the StackSet's execution role,
    /// which AWS's sample template makes an administrator.
    public static let defaultRoleName = "sg-provisioner-fleet-readonly"

    /// The ARN of role `name` in the target's account, in the partition of its region.
    public func roleARN(_ name: String) -> String {
        "arn:\(Self.partition(of: region)):iam::\(account):role/\(name)"
    }

    /// `aws`, `aws-cn` or `aws-us-gov`: the ARN partition a region belongs to.
    public static func partition(of region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }
}

extension DeploymentIdentity {
    /// `{company}-{env}-{deployment_id}`: the deployment without a region, for the StackSet that
    /// spans regions and for the fleet's own reports.
    public var fleetName: String { "\(company)-\(environment)-\(deploymentID)" }

    /// `{company}-{env}-{deployment_id}-sg-stackset`: one StackSet per deployment, whatever its
    /// regions (its administration region is the config's `region`).
    public var stackSetName: String { "\(fleetName)-sg-stackset" }

    /// The identity of one target: the same names in the target's region (the
    /// `sg-provisioner:deployment` tag an instance's groups carry is this identity's `qualifiedName`).
    public func inRegion(_ region: String) -> DeploymentIdentity {
        DeploymentIdentity(company: company, environment: environment, deploymentID: deploymentID, region: region)
    }
}

extension Deployment {
    /// True when the config lists `targets`: the deployment is a StackSet over accounts and regions.
    public var isFleet: Bool { !config.targets.isEmpty }

    /// The deployment as one target sees it: the target's region, VPC and CIDR, everything else
    /// unchanged. What drift, audit and validation judge for that target.
    public func forTarget(_ target: DeploymentTarget) -> Deployment {
        var copy = self
        copy.config.identity = identity.inRegion(target.region)
        copy.config.vpcID = target.vpcID
        copy.config.vpcCIDR = target.vpcCIDR
        return copy
    }
}
