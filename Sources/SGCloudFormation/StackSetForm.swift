import SGModel

/// How a deployment with `targets` is compiled: ONE template for every account and region, deployed
/// as the instances of one CloudFormation StackSet.
///
/// What differs per target comes in as parameters with per-instance overrides: `VpcId` (typed
/// `AWS::EC2::VPC::Id`, so CloudFormation checks that the VPC exists in the instance's account and
/// region before creating anything) and `VpcCidr` (the block the target's findings were judged
/// against, published as an output). Everything that names the region (the
/// `sg-provisioner:deployment` tag drift and audit find groups by, export names, default group and
/// parameter descriptions) is written with `!Sub` and `${AWS::Region}`, so each instance carries
/// its own region's names while the template, and its hash, stay the same.
///
/// A StackSet deploys one template per instance, so a deployment too large for one stack is
/// refused (`E412`) rather than compiled into split stacks: ordered StackSets would need one
/// operation per part and target, cross-stack imports inside every instance, and a rollback story
/// across parts that CloudFormation does not provide.
public enum StackSetForm {
    /// The parameter every instance gets its VPC id in.
    public static let vpcIDParameter = "VpcId"
    /// The parameter every instance gets its VPC's IPv4 block in.
    public static let vpcCIDRParameter = "VpcCidr"
    /// The output that publishes `VpcCidr` from each instance.
    public static let vpcCIDROutput = "TargetVpcCidr"

    /// The pattern a VPC block must match: IPv4 /16 to /28, as `vpc_cidr` is checked.
    static let cidrPattern = #"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(1[6-9]|2[0-8])$"#

    /// The template's parameters.
    static let parameters: [TemplateParameterDefinition] = [
        TemplateParameterDefinition(
            logicalID: vpcIDParameter, type: "AWS::EC2::VPC::Id",
            description: "The target's VPC (the target's vpc_id, given as a parameter override per stack instance)"),
        TemplateParameterDefinition(
            logicalID: vpcCIDRParameter, type: "String",
            description: "The target's VPC IPv4 block its rules were judged against (the target's vpc_cidr)",
            allowedPattern: cidrPattern, constraintDescription: "an IPv4 CIDR block from /16 to /28"),
    ]

    /// The output publishing the instance's `VpcCidr`.
    static let outputs: [TemplateOutput] = [
        TemplateOutput(
            logicalID: vpcCIDROutput, description: "The VPC block this instance's rules were judged against",
            value: .ref(vpcCIDRParameter)),
    ]

    /// Logical ids the form takes, kept from tiers' resources.
    static let reservedLogicalIDs: Set<String> = [vpcIDParameter, vpcCIDRParameter, vpcCIDROutput]

    /// `text` as the template writes it: a plain string, or for a StackSet, where `text` contains
    /// the deployment's qualified name, a `!Sub` in which its region is `${AWS::Region}` (any `${`
    /// of the text itself escaped as `${!`, so CloudFormation keeps it literally).
    static func value(_ text: String, deployment: Deployment) -> TemplateValue {
        guard deployment.isFleet else { return .string(text) }
        let qualified = deployment.identity.qualifiedName
        guard text.contains(qualified) else { return .string(text) }
        let parts = text.components(separatedBy: qualified).map { $0.replacingOccurrences(of: "${", with: "${!") }
        return .sub(parts.joined(separator: "\(deployment.identity.fleetName)-${AWS::Region}"))
    }

    /// The text a `value` stands for in region `region` (what `!Sub` gives an instance there).
    public static func resolve(_ value: TemplateValue, region: String) -> String? {
        switch value {
        case .string(let text): return text
        case .sub(let text):
            return text.replacingOccurrences(of: "${AWS::Region}", with: region).replacingOccurrences(of: "${!", with: "${")
        default: return nil
        }
    }
}

extension TemplateValue {
    /// A property's text for comparing two templates: a string as it is, a StackSet's `!Sub` or
    /// `!Ref` as written (`!Sub acme-prod-f01-${AWS::Region}`, `!Ref VpcId`), so a changed
    /// description is still seen; nil for anything else.
    var comparableText: String? {
        switch self {
        case .string(let text): return text
        case .sub(let text): return "!Sub \(text)"
        case .ref(let name): return "!Ref \(name)"
        default: return nil
        }
    }
}
