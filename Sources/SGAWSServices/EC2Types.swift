import Foundation
import SGAWS

/// An EC2 API filter (`Filter.N.Name` / `Filter.N.Value.M`).
public struct EC2Filter: Sendable, Equatable {
    /// Filter name, e.g. "vpc-id", "tag:sg-provisioner:deployment", "group-id".
    public var name: String
    /// Accepted values.
    public var values: [String]
    /// Creates a filter.
    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// A VPC as DescribeVpcs reports it.
public struct VPC: Sendable, Equatable {
    /// vpc-...
    public let vpcID: String
    /// Primary IPv4 CIDR.
    public let cidrBlock: String
    /// Every associated IPv4 CIDR (primary included).
    public let ipv4CidrBlocks: [String]
    /// Associated IPv6 CIDRs.
    public let ipv6CidrBlocks: [String]
    /// "available" or "pending".
    public let state: String
    /// True for the region's default VPC.
    public let isDefault: Bool
    /// Tags.
    public let tags: [AWSTag]
}

/// A peer group in a rule (`UserIdGroupPairs`).
public struct SecurityGroupPair: Sendable, Equatable {
    /// sg-...
    public var groupID: String
    /// Owning account, when cross-account.
    public var userID: String?
    /// Rule description.
    public var description: String?
    /// Creates a pair.
    public init(groupID: String, userID: String? = nil, description: String? = nil) {
        self.groupID = groupID
        self.userID = userID
        self.description = description
    }
}

/// An address range in a rule, with its description.
public struct SecurityGroupRange: Sendable, Equatable {
    /// IPv4 or IPv6 CIDR, or a prefix list id for `prefixLists`.
    public var value: String
    /// Rule description.
    public var description: String?
    /// Creates a range.
    public init(_ value: String, description: String? = nil) {
        self.value = value
        self.description = description
    }
}

/// One permission (protocol + ports + peers), the unit of DescribeSecurityGroups and Authorize*.
public struct IPPermission: Sendable, Equatable {
    /// "tcp", "udp", "icmp", "icmpv6", "-1" (all) or a protocol number.
    public var ipProtocol: String
    /// First port (or ICMP type); nil for all.
    public var fromPort: Int?
    /// Last port (or ICMP code); nil for all.
    public var toPort: Int?
    /// IPv4 CIDR peers.
    public var ipv4Ranges: [SecurityGroupRange]
    /// IPv6 CIDR peers.
    public var ipv6Ranges: [SecurityGroupRange]
    /// Prefix list peers (pl-...).
    public var prefixLists: [SecurityGroupRange]
    /// Security group peers.
    public var groupPairs: [SecurityGroupPair]

    /// Creates a permission.
    public init(ipProtocol: String, fromPort: Int? = nil, toPort: Int? = nil, ipv4Ranges: [SecurityGroupRange] = [],
                ipv6Ranges: [SecurityGroupRange] = [], prefixLists: [SecurityGroupRange] = [],
                groupPairs: [SecurityGroupPair] = []) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.ipv4Ranges = ipv4Ranges
        self.ipv6Ranges = ipv6Ranges
        self.prefixLists = prefixLists
        self.groupPairs = groupPairs
    }
}

/// A security group as DescribeSecurityGroups reports it.
public struct SecurityGroup: Sendable, Equatable {
    /// sg-...
    public let groupID: String
    /// Group name.
    public let groupName: String
    /// Group description.
    public let description: String
    /// Owning VPC.
    public let vpcID: String?
    /// Owning account.
    public let ownerID: String?
    /// Inbound permissions.
    public let ingress: [IPPermission]
    /// Outbound permissions.
    public let egress: [IPPermission]
    /// Tags.
    public let tags: [AWSTag]
}

/// One rule with its id (DescribeSecurityGroupRules): what drift compares and revert plans revoke.
public struct SecurityGroupRule: Sendable, Equatable {
    /// sgr-...
    public let ruleID: String
    /// The group holding the rule.
    public let groupID: String
    /// Owning account.
    public let groupOwnerID: String?
    /// True for outbound.
    public let isEgress: Bool
    /// Protocol as in `IPPermission`.
    public let ipProtocol: String
    /// First port; -1 or nil for all.
    public let fromPort: Int?
    /// Last port; -1 or nil for all.
    public let toPort: Int?
    /// IPv4 peer.
    public let cidrIPv4: String?
    /// IPv6 peer.
    public let cidrIPv6: String?
    /// Prefix list peer.
    public let prefixListID: String?
    /// Security group peer.
    public let referencedGroupID: String?
    /// The account owning the security group peer.
    public var referencedGroupOwnerID: String? = nil
    /// Rule description.
    public let description: String?
    /// Tags.
    public let tags: [AWSTag]
}
