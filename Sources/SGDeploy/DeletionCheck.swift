import SGAWS
import SGCloudFormation
import SGModel

/// A security group still tagged with a deployment after its stacks were deleted.
public struct LeftoverGroup: Equatable, Sendable, CustomStringConvertible {
    /// sg-...
    public var groupID: String
    /// Its name.
    public var groupName: String
    /// Its `sg-provisioner:tier` tag, when it has one.
    public var tier: String?
    /// Its VPC.
    public var vpcID: String?
    /// `stack S resource R` when a template kept it on purpose (DeletionPolicy Retain), `adopted_groups
    /// ...` for a group of the config that no stack held; nil otherwise.
    public var retainedBy: String?

    /// `sg-0123 (acme-dev-d01-web, tier web, vpc-1)`.
    public var description: String {
        let details = [groupName] + (tier.map { ["tier \($0)"] } ?? []) + (vpcID.map { [$0] } ?? [])
        return "\(groupID) (\(details.joined(separator: ", ")))"
    }
}

/// What deleting a deployment left behind: groups a template retained on purpose, and groups that
/// should be gone. CloudFormation's DELETE_COMPLETE alone does not prove the second list empty
/// (a resource retained, a group created by hand with the deployment's tag, an emulator that
/// brought groups back), so every delete ends with this check.
public struct DeletionCheck: Equatable, Sendable {
    /// The tag value looked for (`sg-provisioner:deployment`).
    public var deploymentTag: String
    /// Kept by DeletionPolicy Retain: reported, not a failure.
    public var retained: [LeftoverGroup] = []
    /// Everything else still tagged with the deployment: the delete did not do what it said.
    public var remaining: [LeftoverGroup] = []

    /// True when no group remains that should have gone.
    public var passed: Bool { remaining.isEmpty }
}

/// Finds the groups a deletion leaves: `retainedGroups(in:)` reads, BEFORE a stack is deleted, the
/// groups its template keeps; `check(deploymentTag:retained:)` reads, after, every group in the
/// region still tagged with the deployment.
public struct DeletionVerifier: Sendable {
    let cloudFormation: CloudFormationClient
    let ec2: EC2Client

    /// Creates a verifier over the two services it reads.
    public init(cloudFormation: CloudFormationClient, ec2: EC2Client) {
        self.cloudFormation = cloudFormation
        self.ec2 = ec2
    }

    /// Group id -> `stack S resource R` for every security group of the stack whose resource has a
    /// retaining DeletionPolicy (GetTemplate for the policy, DescribeStackResources for the id).
    public func retainedGroups(in stack: StackDescription) async throws -> [String: String] {
        let body = try await cloudFormation.getTemplate(stackName: stack.stackID)
        let retaining = Self.retainingGroupResources(templateBody: body, stackName: stack.stackName)
        guard !retaining.isEmpty else { return [:] }
        var groups: [String: String] = [:]
        for resource in try await cloudFormation.describeStackResources(stackName: stack.stackID)
        where retaining.contains(resource.logicalResourceID) {
            if let id = resource.physicalResourceID, !id.isEmpty {
                groups[id] = "stack \(stack.stackName) resource \(resource.logicalResourceID)"
            }
        }
        return groups
    }

    /// The logical ids of the security groups a template keeps when its stack is deleted. A template
    /// that cannot be read keeps nothing: every group left is then reported as remaining.
    static func retainingGroupResources(templateBody: String, stackName: String) -> Set<String> {
        guard let template = try? TemplateRuleReader.parse(text: templateBody, path: "stack \(stackName)") else { return [] }
        return Set(template.resources.filter { $0.type == "AWS::EC2::SecurityGroup" && $0.isRetainedOnStackDeletion }.map(\.logicalID))
    }

    /// Every group in the region tagged `sg-provisioner:deployment = deploymentTag`, split by `retained`.
    public func check(deploymentTag: String, retained: [String: String]) async throws -> DeletionCheck {
        let groups = try await ec2.describeSecurityGroups(filters: [
            EC2Filter(name: "tag:\(DeploymentIdentity.deploymentTagKey)", values: [deploymentTag]),
        ])
        let tagged = groups.filter { group in
            // EC2 filters by tag already; a group whose tag differs is not the deployment's.
            group.tags.contains { $0.key == DeploymentIdentity.deploymentTagKey && $0.value == deploymentTag }
        }.map { group in
            LeftoverGroup(
                groupID: group.groupID, groupName: group.groupName,
                tier: group.tags.first { $0.key == DeploymentIdentity.tierTagKey }?.value, vpcID: group.vpcID)
        }
        return Self.split(tagged, deploymentTag: deploymentTag, retained: retained)
    }

    /// The split itself, pure: retained when a template kept the group, remaining otherwise; id order.
    static func split(_ groups: [LeftoverGroup], deploymentTag: String, retained: [String: String]) -> DeletionCheck {
        var check = DeletionCheck(deploymentTag: deploymentTag)
        for var group in groups.sorted(by: { $0.groupID < $1.groupID }) {
            if let owner = retained[group.groupID] {
                group.retainedBy = owner
                check.retained.append(group)
            } else {
                check.remaining.append(group)
            }
        }
        return check
    }
}

public extension DeletionCheck {
    /// Tells the run what the check found: each retained group as progress and in the audit log,
    /// the remaining ones as one error `[E524]` naming every group.
    func report(to log: DeployLog) {
        let tag = "\(DeploymentIdentity.deploymentTagKey)=\(deploymentTag)"
        for group in retained {
            // A template's DeletionPolicy, or the config's adopted_groups (a group the tool never deletes).
            let why = group.retainedBy.map { $0.hasPrefix("stack ") ? "DeletionPolicy Retain, \($0)" : $0 } ?? ""
            log.say("retained (\(why)): \(group)\n")
            log.record("deletion check: retained \(group) by \(group.retainedBy ?? "")")
        }
        guard !remaining.isEmpty else {
            log.record("deletion check: no security group tagged \(tag) remains\(retained.isEmpty ? "" : " but the \(retained.count) retained")")
            return
        }
        log.record("deletion check: \(remaining.count) group(s) tagged \(tag) remain: \(remaining.map(\.groupID).joined(separator: ", "))")
        log.report(.error(
            .groupsRemainAfterDelete,
            "\(remaining.count) security group\(remaining.count == 1 ? "" : "s") tagged \(tag) remain\(remaining.count == 1 ? "s" : "")"
                + " after the delete: \(remaining.map(\.description).joined(separator: "; "))."
                + " Nothing in the deleted stacks keeps \(remaining.count == 1 ? "it" : "them") on purpose; find what does"
                + " (a network interface, a rule of another group, someone's hand) and delete with"
                + " `aws ec2 delete-security-group --group-id ID`",
            at: nil))
    }
}
