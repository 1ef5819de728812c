import Foundation
import SGAWS
import SGAWSCredentials

/// Amazon EC2 over the Query protocol: the VPC and security-group calls the tool needs.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Welcome.html
public struct EC2Client: Sendable {
    /// The underlying Query client (service `.ec2`).
    public let query: AWSQueryClient

    /// Wraps a Query client configured for EC2.
    public init(query: AWSQueryClient) { self.query = query }

    // MARK: VPCs

    /// The VPCs with the given ids (all visible ones when empty).
    public func describeVpcs(vpcIDs: [String] = [], filters: [EC2Filter] = []) async throws -> [VPC] {
        var parameters = query.parameters("DescribeVpcs")
        parameters.setList("VpcId", vpcIDs)
        Self.setFilters(&parameters, filters)
        let root = try await query.send(parameters, idempotency: .idempotent)
        return try root.list("vpcSet").map(Self.decodeVPC)
    }

    /// Creates a VPC (used by tests against moto to have something to describe).
    public func createVpc(cidrBlock: String) async throws -> VPC {
        var parameters = query.parameters("CreateVpc")
        parameters.set("CidrBlock", cidrBlock)
        let root = try await query.send(parameters, idempotency: .unsafe)
        guard let vpc = root.child("vpc") else {
            throw AWSClientError.malformedResponse(action: "CreateVpc", detail: "missing <vpc>")
        }
        return try Self.decodeVPC(vpc)
    }

    // MARK: Security groups

    /// Security groups by id and/or filter, following NextToken through every page.
    public func describeSecurityGroups(groupIDs: [String] = [], filters: [EC2Filter] = [],
                                       maxResults: Int? = nil) async throws -> [SecurityGroup] {
        var groups: [SecurityGroup] = []
        try await query.forEachPage("DescribeSecurityGroups", tokenElement: "nextToken", parameters: { parameters in
            parameters.setList("GroupId", groupIDs)
            Self.setFilters(&parameters, filters)
            // EC2 rejects MaxResults together with explicit group ids.
            if groupIDs.isEmpty { parameters.set("MaxResults", maxResults) }
        }, page: { root in groups += try root.list("securityGroupInfo").map(Self.decodeSecurityGroup) })
        return groups
    }

    /// Rules with their ids, by filter (e.g. `group-id`) or rule id, following every page.
    public func describeSecurityGroupRules(filters: [EC2Filter] = [], ruleIDs: [String] = [],
                                           maxResults: Int? = nil) async throws -> [SecurityGroupRule] {
        var rules: [SecurityGroupRule] = []
        try await query.forEachPage("DescribeSecurityGroupRules", tokenElement: "nextToken", parameters: { parameters in
            Self.setFilters(&parameters, filters)
            parameters.setList("SecurityGroupRuleId", ruleIDs)
            parameters.set("MaxResults", maxResults)
        }, page: { root in rules += try root.list("securityGroupRuleSet").map(Self.decodeRule) })
        return rules
    }

    /// Creates a security group and returns its id (tests; the tool itself deploys through
    /// CloudFormation).
    public func createSecurityGroup(name: String, description: String, vpcID: String?) async throws -> String {
        var parameters = query.parameters("CreateSecurityGroup")
        parameters.set("GroupName", name)
        parameters.set("GroupDescription", description)
        parameters.set("VpcId", vpcID)
        let root = try await query.send(parameters, idempotency: .unsafe)
        return try WireDecoding.required(root, "groupId", action: "CreateSecurityGroup")
    }

    /// Adds or overwrites tags on resources (tests tag groups the way the stack does; the tool
    /// itself tags through CloudFormation). https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
    public func createTags(resourceIDs: [String], tags: [AWSTag]) async throws {
        var parameters = query.parameters("CreateTags")
        parameters.setList("ResourceId", resourceIDs)
        parameters.setStructureList("Tag", tags.map { [("Key", $0.key), ("Value", $0.value)] })
        // Setting the same tags twice gives the same result.
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    /// Deletes a security group.
    public func deleteSecurityGroup(groupID: String) async throws {
        var parameters = query.parameters("DeleteSecurityGroup")
        parameters.set("GroupId", groupID)
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    /// Adds inbound rules; returns the rules created (with ids). Not retried once sent:
    /// a repeat would fail with InvalidPermission.Duplicate or add a rule twice.
    @discardableResult
    public func authorizeSecurityGroupIngress(groupID: String, permissions: [IPPermission]) async throws -> [SecurityGroupRule] {
        try await authorize("AuthorizeSecurityGroupIngress", groupID: groupID, permissions: permissions)
    }

    /// Adds outbound rules; returns the rules created (with ids).
    @discardableResult
    public func authorizeSecurityGroupEgress(groupID: String, permissions: [IPPermission]) async throws -> [SecurityGroupRule] {
        try await authorize("AuthorizeSecurityGroupEgress", groupID: groupID, permissions: permissions)
    }

    /// Removes inbound rules by rule id (sgr-...), as drift revert plans do.
    public func revokeSecurityGroupIngress(groupID: String, ruleIDs: [String]) async throws {
        try await revoke("RevokeSecurityGroupIngress", groupID: groupID, ruleIDs: ruleIDs)
    }

    /// Removes outbound rules by rule id.
    public func revokeSecurityGroupEgress(groupID: String, ruleIDs: [String]) async throws {
        try await revoke("RevokeSecurityGroupEgress", groupID: groupID, ruleIDs: ruleIDs)
    }

    // MARK: Wire layer

    private func authorize(_ action: String, groupID: String, permissions: [IPPermission]) async throws -> [SecurityGroupRule] {
        var parameters = query.parameters(action)
        parameters.set("GroupId", groupID)
        Self.setPermissions(&parameters, permissions)
        let root = try await query.send(parameters, idempotency: .unsafe)
        if WireDecoding.bool(root.string("return")) == false {
            throw AWSClientError.malformedResponse(action: action, detail: "EC2 returned false")
        }
        return try root.list("securityGroupRuleSet").map(Self.decodeRule)
    }

    private func revoke(_ action: String, groupID: String, ruleIDs: [String]) async throws {
        var parameters = query.parameters(action)
        parameters.set("GroupId", groupID)
        parameters.setList("SecurityGroupRuleId", ruleIDs)
        // A repeated revoke of a rule already gone fails with InvalidPermission.NotFound,
        // which would hide whether the first attempt worked: treat as unsafe.
        let root = try await query.send(parameters, idempotency: .unsafe)
        if WireDecoding.bool(root.string("return")) == false {
            throw AWSClientError.malformedResponse(action: action, detail: "EC2 returned false")
        }
    }

    static func setFilters(_ parameters: inout QueryParameters, _ filters: [EC2Filter]) {
        for (index, filter) in filters.enumerated() {
            parameters.set("Filter.\(index + 1).Name", filter.name)
            parameters.setList("Filter.\(index + 1).Value", filter.values)
        }
    }

    static func setPermissions(_ parameters: inout QueryParameters, _ permissions: [IPPermission]) {
        for (index, permission) in permissions.enumerated() {
            let prefix = "IpPermissions.\(index + 1)"
            parameters.set("\(prefix).IpProtocol", permission.ipProtocol)
            parameters.set("\(prefix).FromPort", permission.fromPort)
            parameters.set("\(prefix).ToPort", permission.toPort)
            parameters.setStructureList("\(prefix).IpRanges", permission.ipv4Ranges.map {
                [("CidrIp", $0.value), ("Description", $0.description)]
            })
            parameters.setStructureList("\(prefix).Ipv6Ranges", permission.ipv6Ranges.map {
                [("CidrIpv6", $0.value), ("Description", $0.description)]
            })
            parameters.setStructureList("\(prefix).PrefixListIds", permission.prefixLists.map {
                [("PrefixListId", $0.value), ("Description", $0.description)]
            })
            parameters.setStructureList("\(prefix).Groups", permission.groupPairs.map {
                [("GroupId", $0.groupID), ("UserId", $0.userID), ("Description", $0.description)]
            })
        }
    }

    static func decodeVPC(_ node: XMLElementNode) throws -> VPC {
        VPC(vpcID: try WireDecoding.required(node, "vpcId", action: "DescribeVpcs"),
            cidrBlock: node.string("cidrBlock") ?? "",
            ipv4CidrBlocks: node.list("cidrBlockAssociationSet").compactMap { $0.string("cidrBlock") },
            ipv6CidrBlocks: node.list("ipv6CidrBlockAssociationSet").compactMap { $0.string("ipv6CidrBlock") },
            state: node.string("state") ?? "",
            isDefault: WireDecoding.bool(node.string("isDefault")) ?? false,
            tags: AWSTag.decodeList(node.list("tagSet"), keyName: "key", valueName: "value"))
    }

    static func decodePermission(_ node: XMLElementNode) -> IPPermission {
        IPPermission(
            ipProtocol: node.string("ipProtocol") ?? "-1",
            fromPort: WireDecoding.int(node.string("fromPort")),
            toPort: WireDecoding.int(node.string("toPort")),
            ipv4Ranges: node.list("ipRanges").compactMap { item in
                item.string("cidrIp").map { SecurityGroupRange($0, description: item.string("description")) }
            },
            ipv6Ranges: node.list("ipv6Ranges").compactMap { item in
                item.string("cidrIpv6").map { SecurityGroupRange($0, description: item.string("description")) }
            },
            prefixLists: node.list("prefixListIds").compactMap { item in
                item.string("prefixListId").map { SecurityGroupRange($0, description: item.string("description")) }
            },
            groupPairs: node.list("groups").compactMap { item in
                item.string("groupId").map {
                    SecurityGroupPair(groupID: $0, userID: item.string("userId"), description: item.string("description"))
                }
            })
    }

    static func decodeSecurityGroup(_ node: XMLElementNode) throws -> SecurityGroup {
        SecurityGroup(
            groupID: try WireDecoding.required(node, "groupId", action: "DescribeSecurityGroups"),
            groupName: node.string("groupName") ?? "",
            description: node.string("groupDescription") ?? "",
            vpcID: node.string("vpcId"),
            ownerID: node.string("ownerId"),
            ingress: node.list("ipPermissions").map(decodePermission),
            egress: node.list("ipPermissionsEgress").map(decodePermission),
            tags: AWSTag.decodeList(node.list("tagSet"), keyName: "key", valueName: "value"))
    }

    static func decodeRule(_ node: XMLElementNode) throws -> SecurityGroupRule {
        var rule = SecurityGroupRule(
            ruleID: try WireDecoding.required(node, "securityGroupRuleId", action: "DescribeSecurityGroupRules"),
            groupID: node.string("groupId") ?? "",
            groupOwnerID: node.string("groupOwnerId"),
            isEgress: WireDecoding.bool(node.string("isEgress")) ?? false,
            ipProtocol: node.string("ipProtocol") ?? "-1",
            fromPort: WireDecoding.int(node.string("fromPort")),
            toPort: WireDecoding.int(node.string("toPort")),
            cidrIPv4: node.string("cidrIpv4"),
            cidrIPv6: node.string("cidrIpv6"),
            prefixListID: node.string("prefixListId"),
            referencedGroupID: node.child("referencedGroupInfo")?.string("groupId"),
            description: node.string("description"),
            tags: AWSTag.decodeList(node.list("tagSet"), keyName: "key", valueName: "value"))
        rule.referencedGroupOwnerID = node.child("referencedGroupInfo")?.string("userId")
        return rule
    }
}

extension AWSSession {
    /// EC2 client.
    public func ec2() throws -> EC2Client { EC2Client(query: try queryClient(for: .ec2)) }
}
