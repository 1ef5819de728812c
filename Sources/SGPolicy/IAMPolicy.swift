import SGModel
import SGReports
import SGValidation

/// One IAM policy statement (Allow only: the tool never needs Deny to work).
public struct IAMStatement: Hashable, Sendable {
    /// One condition: operator, key, values (e.g. `StringEquals`, `aws:RequestedRegion`, `[us-west-2]`).
    public struct Condition: Hashable, Sendable {
        /// `StringEquals`, `StringLike`, ...
        public var operation: String
        /// Condition key.
        public var key: String
        /// Allowed values.
        public var values: [String]

        /// Creates a condition.
        public init(_ operation: String, _ key: String, _ values: [String]) {
            self.operation = operation
            self.key = key
            self.values = values
        }
    }

    /// Statement id; for a `*` resource it says why AWS requires it (IAM JSON has no comments).
    public var sid: String
    /// `Allow` or `Deny`.
    public var effect: String
    /// Actions, e.g. `ec2:DescribeVpcs`.
    public var actions: [String]
    /// Resource ARNs (or `*`).
    public var resources: [String]
    /// Conditions, combined with AND.
    public var conditions: [Condition]
    /// For people: why the statement exists (goes into the summary, not the JSON).
    public var rationale: String

    /// Creates an Allow statement.
    public init(sid: String, effect: String = "Allow", actions: [String], resources: [String], conditions: [Condition] = [], rationale: String) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
        self.rationale = rationale
    }

    /// The statement as IAM JSON.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "Sid": .string(sid), "Effect": .string(effect),
            "Action": .array(actions.map(JSONValue.string)),
            "Resource": resources.count == 1 ? .string(resources[0]) : .array(resources.map(JSONValue.string)),
        ]
        if !conditions.isEmpty {
            var byOperation: [String: [String: JSONValue]] = [:]
            for condition in conditions {
                byOperation[condition.operation, default: [:]][condition.key] =
                    condition.values.count == 1 ? .string(condition.values[0]) : .array(condition.values.map(JSONValue.string))
            }
            object["Condition"] = .object(byOperation.mapValues(JSONValue.object))
        }
        return .object(object)
    }
}

/// An IAM policy document (`Version` 2012-10-17).
public struct IAMPolicyDocument: Hashable, Sendable {
    /// A name for reports and findings, e.g. `acme-dev-d001-eu-west-1-iam-deploy-policy`.
    public var name: String
    /// Statements in order.
    public var statements: [IAMStatement]

    /// Creates a document.
    public init(name: String, statements: [IAMStatement]) {
        self.name = name
        self.statements = statements
    }

    /// The IAM JSON document (sorted keys; statement order kept).
    public var json: JSONValue {
        ["Version": "2012-10-17", "Statement": .array(statements.map(\.json))]
    }
}

/// The least-privilege policies needed to run the tool for one deployment: read-only (show-changes,
/// check-drift, verify-vpc, audit) and deploy (create/update/delete the stack and what it creates).
///
/// Scoping: CloudFormation stacks `{company}-*` and SSM parameters `/{company}/*` in the config's
/// region; security groups only when tagged (or being created with) `sg-provisioner:deployment` =
/// the deployment; every statement pinned to the region with `aws:RequestedRegion`, except
/// sts:GetCallerIdentity, which is answered for any region. Action lists are explicit, never `*`.
public enum IAMPolicyGenerator {
    /// Actions AWS authorises only against `Resource: "*"` (no resource-level permissions). The
    /// checker accepts a `*` resource only for these.
    /// See https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    public static let actionsRequiringWildcardResource: Set<String> = [
        "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
        "cloudformation:ValidateTemplate", "sts:GetCallerIdentity", "cloudtrail:LookupEvents", "cloudformation:CreateStackSet",
    ]

    /// The read-only policy.
    public static func readOnly(for identity: DeploymentIdentity) -> IAMPolicyDocument {
        let region = regionCondition(identity)
        return IAMPolicyDocument(name: "\(identity.qualifiedName)-iam-readonly-policy", statements: [
            IAMStatement(
                sid: "Ec2DescribeHasNoResourceLevelPermissionsSoResourceIsWildcard",
                actions: ["ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                resources: ["*"], conditions: [region],
                rationale: "EC2 Describe calls cannot be scoped to resources (AWS requires Resource \"*\"); pinned to the region"),
            IAMStatement(
                sid: "ReadOwnStacks",
                actions: [
                    "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources",
                    "cloudformation:DescribeStacks", "cloudformation:GetTemplate",
                ],
                resources: [stackARN(identity)], conditions: [region],
                rationale: "read the deployment's stacks, their events, resources, templates and change sets"),
            IAMStatement(
                sid: "ValidateTemplateHasNoResourceLevelPermissionsSoResourceIsWildcard",
                actions: ["cloudformation:ValidateTemplate"], resources: ["*"], conditions: [region],
                rationale: "ValidateTemplate acts on no resource (AWS requires Resource \"*\"); pinned to the region"),
            IAMStatement(
                sid: "CloudTrailLookupEventsHasNoResourceLevelPermissionsSoResourceIsWildcard",
                actions: ["cloudtrail:LookupEvents"], resources: ["*"], conditions: [region],
                rationale: "check-drift asks CloudTrail's event history who changed a drifted group; LookupEvents cannot be scoped to resources (AWS requires Resource \"*\"); pinned to the region"),
            IAMStatement(
                sid: "GetCallerIdentityHasNoResourceSoResourceIsWildcard",
                actions: ["sts:GetCallerIdentity"], resources: ["*"],
                rationale: "identifies the account the tool runs in; has no resource and works from any region"),
        ])
    }

    /// The resource types `create-security-groups --adopt` imports: the only ones a change set
    /// of the deploy policy may import (`cloudformation:ImportResourceTypes`).
    public static let importableResourceTypes = ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroupIngress"]

    /// The deploy policy (attach together with the read-only one); groups may be created only in
    /// the config's VPC. `adoptedGroupIDs` (the config's `adopted_groups`) may be tagged with the
    /// deployment by id: they are not tagged until `--adopt` tags them, and from then on the
    /// statements conditioned on the tag cover every change to them.
    public static func deploy(for identity: DeploymentIdentity, vpcID: String, adoptedGroupIDs: [String] = []) -> IAMPolicyDocument {
        let region = regionCondition(identity)
        let partitionRegion = "arn:aws:ec2:\(identity.region):*"
        let deploymentTag = DeploymentIdentity.deploymentTagKey
        var adoption: [IAMStatement] = []
        if !adoptedGroupIDs.isEmpty {
            adoption.append(IAMStatement(
                sid: "TagAdoptedGroupsForTheDeployment",
                actions: ["ec2:CreateTags"],
                resources: adoptedGroupIDs.sorted().map { "\(partitionRegion):security-group/\($0)" },
                conditions: [
                    region, IAMStatement.Condition("StringEquals", "aws:RequestTag/\(deploymentTag)", [identity.qualifiedName]),
                    IAMStatement.Condition("ForAllValues:StringEquals", "aws:TagKeys", [deploymentTag, DeploymentIdentity.tierTagKey]),
                ],
                rationale: "--adopt tags the adopted groups (by id) \(deploymentTag)=\(identity.qualifiedName) and \(DeploymentIdentity.tierTagKey)"
                    + " before importing them; no other tag, no other change"))
        }
        return IAMPolicyDocument(name: "\(identity.qualifiedName)-iam-deploy-policy", statements: [
            IAMStatement(
                sid: "ManageOwnStacks",
                actions: [
                    "cloudformation:CreateStack", "cloudformation:DeleteChangeSet",
                    "cloudformation:DeleteStack", "cloudformation:ExecuteChangeSet", "cloudformation:SetStackPolicy",
                    "cloudformation:TagResource", "cloudformation:UpdateStack", "cloudformation:UpdateTerminationProtection",
                ],
                resources: [stackARN(identity)], conditions: [region],
                rationale: "create, update (through change sets), protect and delete stacks named \(identity.company)-*"),
            IAMStatement(
                sid: "ChangeSetsImportOnlySecurityGroupsAndRules",
                actions: ["cloudformation:CreateChangeSet"],
                resources: [stackARN(identity)],
                conditions: [region, IAMStatement.Condition("ForAllValues:StringEquals", "cloudformation:ImportResourceTypes", importableResourceTypes)],
                rationale: "change sets of stacks named \(identity.company)-*; an IMPORT change set (--adopt) may import security groups and their rules only"),
            IAMStatement(
                sid: "CreateDeploymentTaggedGroups",
                actions: ["ec2:CreateSecurityGroup"],
                resources: ["\(partitionRegion):security-group/*", "\(partitionRegion):vpc/\(vpcID)"],
                conditions: [region, IAMStatement.Condition("StringEquals", "aws:RequestTag/\(deploymentTag)", [identity.qualifiedName])],
                rationale: "create groups only in \(vpcID) and only when the request tags them \(deploymentTag)=\(identity.qualifiedName)"),
            IAMStatement(
                sid: "TagGroupsAtCreation",
                actions: ["ec2:CreateTags"],
                resources: ["\(partitionRegion):security-group/*"],
                conditions: [
                    region, IAMStatement.Condition("StringEquals", "ec2:CreateAction", ["CreateSecurityGroup"]),
                    IAMStatement.Condition("StringEquals", "aws:RequestTag/\(deploymentTag)", [identity.qualifiedName]),
                ],
                rationale: "tag a group in the same call that creates it"),
            IAMStatement(
                sid: "ChangeOnlyThisDeploymentsGroups",
                actions: [
                    "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags",
                    "ec2:DeleteSecurityGroup", "ec2:DeleteTags", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
                ],
                resources: ["\(partitionRegion):security-group/*"],
                conditions: [region, IAMStatement.Condition("StringEquals", "aws:ResourceTag/\(deploymentTag)", [identity.qualifiedName])],
                // DeleteTags: an update that drops a tag from the config (or, adopting a group, a
                // tag the group had that the config does not) removes it from the group.
                rationale: "change rules and tags of, and delete, only groups tagged \(deploymentTag)=\(identity.qualifiedName)"),
            IAMStatement(
                sid: "RuleResourcesOfAuthorizeAndRevoke",
                actions: [
                    "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress",
                    "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
                ],
                resources: ["\(partitionRegion):security-group-rule/*"],
                conditions: [region],
                rationale: "rule ARNs are authorised alongside their group, which the previous statement restricts by tag"),
            IAMStatement(
                sid: "PublishGroupIdsAsParameters",
                actions: ["ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:PutParameter"],
                resources: ["arn:aws:ssm:\(identity.region):*:parameter/\(identity.company)/*"],
                conditions: [region],
                rationale: "write and remove the /\(identity.company)/... parameters that publish group ids"),
        ] + adoption)
    }

    static func stackARN(_ identity: DeploymentIdentity) -> String {
        "arn:aws:cloudformation:\(identity.region):*:stack/\(identity.company)-*/*"
    }

    static func regionCondition(_ identity: DeploymentIdentity) -> IAMStatement.Condition {
        IAMStatement.Condition("StringEquals", "aws:RequestedRegion", [identity.region])
    }
}

/// A problem in an IAM policy, in the finding shape of the seed's IAM analyzer (id, severity, type,
/// resource, description, remediation, actions, resources).
public struct IAMPolicyFinding: Hashable, Sendable {
    /// `IAM-ADMIN-ACCESS`, `IAM-WILDCARD-ACTION`, `IAM-WILDCARD-RESOURCE`, `IAM-MISSING-SCOPING`.
    public var id: String
    /// How bad.
    public var severity: RiskLevel
    /// The analyzer's type: `admin_access`, `overpermissive_policy`, `wildcard_resource`, `missing_resource_scoping`.
    public var type: String
    /// `{policy name}#{Sid}`.
    public var resource: String
    /// What is wrong.
    public var description: String
    /// What to do.
    public var remediation: String
    /// Actions involved.
    public var actions: [String]
    /// Resources involved.
    public var resources: [String]

    /// As JSON in the seed's field names.
    public var json: JSONValue {
        [
            "id": .string(id), "severity": .string(severity.rawValue), "type": .string(type), "resource_arn": .string(resource),
            "description": .string(description), "remediation": .string(remediation),
            "actions": .array(actions.map(JSONValue.string)), "resources": .array(resources.map(JSONValue.string)),
        ]
    }
}

/// Checks a policy for the IAM analyzer's findings that apply to a policy document: admin access,
/// wildcard (overpermissive) actions, wildcard resources and missing resource scoping. The tool
/// refuses to write its own policies if this finds anything.
public enum IAMPolicyChecker {
    /// Every finding in the document, in statement order.
    public static func check(_ document: IAMPolicyDocument) -> [IAMPolicyFinding] {
        var findings: [IAMPolicyFinding] = []
        for statement in document.statements where statement.effect == "Allow" {
            let resource = "\(document.name)#\(statement.sid)"
            func add(_ id: String, _ severity: RiskLevel, _ type: String, _ description: String, _ remediation: String, actions: [String]) {
                findings.append(IAMPolicyFinding(
                    id: id, severity: severity, type: type, resource: resource, description: description, remediation: remediation,
                    actions: actions, resources: statement.resources))
            }
            let wildcardActions = statement.actions.filter { $0.contains("*") || $0.contains("?") }
            let allResources = statement.resources.contains("*")
            let isAdmin = statement.actions.contains(where: { $0 == "*" || $0 == "*:*" }) && allResources
            if isAdmin {
                add("IAM-ADMIN-ACCESS", .critical, "admin_access", "statement \(statement.sid) allows every action on every resource",
                    "Replace with the explicit actions the tool needs, scoped to its resources.", actions: ["*"])
            } else if !wildcardActions.isEmpty {
                add("IAM-WILDCARD-ACTION", .high, "overpermissive_policy",
                    "statement \(statement.sid) uses wildcard actions: \(wildcardActions.joined(separator: ", "))",
                    "List each action explicitly; a wildcard silently grants actions AWS adds later.", actions: wildcardActions)
            }
            if allResources && !isAdmin {  // admin access already says "everything"
                let unjustified = statement.actions.filter { !IAMPolicyGenerator.actionsRequiringWildcardResource.contains($0) }
                if !unjustified.isEmpty {
                    add("IAM-WILDCARD-RESOURCE", isReadOnly(unjustified) ? .medium : .high, "wildcard_resource",
                        "statement \(statement.sid) grants \(unjustified.joined(separator: ", ")) on every resource, though these actions support resource-level permissions",
                        "Scope the resource to the deployment's ARNs (stack/{company}-*, parameter/{company}/*, tagged security groups).",
                        actions: unjustified)
                }
            }
            let mutating = statement.actions.filter { !isReadOnly([$0]) }
            if !mutating.isEmpty && !statement.conditions.contains(where: { $0.key == "aws:RequestedRegion" }) {
                add("IAM-MISSING-SCOPING", .medium, "missing_resource_scoping",
                    "statement \(statement.sid) allows changes (\(mutating.joined(separator: ", "))) in every region",
                    "Add a StringEquals aws:RequestedRegion condition with the deployment's region.", actions: mutating)
            }
            let ec2Changes = mutating.filter { $0.hasPrefix("ec2:") }
            if !ec2Changes.isEmpty && !statement.conditions.contains(where: { $0.key.hasPrefix("aws:RequestTag/") || $0.key.hasPrefix("aws:ResourceTag/") })
                && !statement.resources.allSatisfy({ $0.contains(":security-group-rule/") }) {
                add("IAM-MISSING-SCOPING", .high, "missing_resource_scoping",
                    "statement \(statement.sid) changes security groups (\(ec2Changes.joined(separator: ", "))) without a tag condition, so it can change any group in the account",
                    "Add aws:RequestTag (create) or aws:ResourceTag (change) conditions on \(DeploymentIdentity.deploymentTagKey).",
                    actions: ec2Changes)
            }
        }
        return findings
    }

    /// True when every action only reads (Describe/Get/List/Lookup, ValidateTemplate, GetCallerIdentity).
    static func isReadOnly(_ actions: [String]) -> Bool {
        actions.allSatisfy { action in
            let name = action.split(separator: ":").last.map(String.init) ?? action
            return name.hasPrefix("Describe") || name.hasPrefix("Get") || name.hasPrefix("List") || name.hasPrefix("Lookup")
                || name == "ValidateTemplate"
        }
    }
}
