/// The CloudFormation and EC2 quotas a compiled deployment must respect. Each is a named constant
/// tested with an input just over it.
/// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
/// and https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
public struct StackLimits: Hashable, Sendable {
    /// Most resources in one stack.
    public var maxResources: Int
    /// Most bytes of one template (the larger of its YAML and JSON renderings).
    public var maxTemplateBytes: Int
    /// Most outputs in one stack.
    public var maxOutputs: Int
    /// Most rules on one security group in one direction.
    public var maxRulesPerDirection: Int

    /// Creates limits.
    public init(maxResources: Int, maxTemplateBytes: Int, maxOutputs: Int, maxRulesPerDirection: Int) {
        self.maxResources = maxResources
        self.maxTemplateBytes = maxTemplateBytes
        self.maxOutputs = maxOutputs
        self.maxRulesPerDirection = maxRulesPerDirection
    }

    /// CloudFormation: resources per stack.
    public static let awsMaxResourcesPerStack = 500
    /// CloudFormation: `TemplateBody` passed inline to CreateStack/UpdateStack.
    public static let awsMaxInlineTemplateBodyBytes = 51_200
    /// CloudFormation: a template uploaded to S3 (`TemplateURL`); cfn-lint counts 1 MB as 1,000,000 bytes.
    public static let awsMaxTemplateURLBytes = 1_000_000
    /// CloudFormation: outputs per stack.
    public static let awsMaxOutputsPerStack = 200
    /// EC2 default quota: inbound (and, separately, outbound) rules per security group.
    public static let awsMaxRulesPerDirection = 60
    /// CloudFormation: bytes of a template's Description.
    public static let maxDescriptionBytes = 1024

    /// For templates passed inline (the tool's default: no S3 bucket needed).
    public static let inlineTemplateBody = StackLimits(
        maxResources: awsMaxResourcesPerStack, maxTemplateBytes: awsMaxInlineTemplateBodyBytes,
        maxOutputs: awsMaxOutputsPerStack, maxRulesPerDirection: awsMaxRulesPerDirection
    )
    /// For templates uploaded to S3 first.
    public static let templateURL = StackLimits(
        maxResources: awsMaxResourcesPerStack, maxTemplateBytes: awsMaxTemplateURLBytes,
        maxOutputs: awsMaxOutputsPerStack, maxRulesPerDirection: awsMaxRulesPerDirection
    )
}
