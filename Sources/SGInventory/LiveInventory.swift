import SGAWSServices
import SGDiagnostics
import SGModel

/// Reads security groups from EC2 into normalised live groups: DescribeSecurityGroups for the groups
/// (name, description, tags), DescribeSecurityGroupRules for the rules (one per peer, with rule ids
/// that a revert plan can name). Both calls follow every page.
public struct LiveInventory: Sendable {
    private let ec2: EC2Client

    /// Creates an inventory over an EC2 client.
    public init(ec2: EC2Client) {
        self.ec2 = ec2
    }

    /// Groups in a VPC, optionally only those tagged `sg-provisioner:deployment = deployment`.
    /// Rules EC2 reports that this tool cannot understand are returned as `problems`, never dropped silently.
    public func groups(vpcID: String?, deployment: String? = nil) async throws -> (groups: [LiveSecurityGroup], problems: [String]) {
        var filters: [EC2Filter] = []
        if let vpcID { filters.append(EC2Filter(name: "vpc-id", values: [vpcID])) }
        if let deployment { filters.append(EC2Filter(name: "tag:\(DeploymentIdentity.deploymentTagKey)", values: [deployment])) }
        let groups = try await ec2.describeSecurityGroups(filters: filters)
        return try await withRules(groups)
    }

    /// Groups matching EC2 filters (`vpc-id`, `tag:KEY`, `tag-key`, `group-id`, ...), all of which
    /// must hold. Ids named in a `group-id` filter that no longer exist are simply not returned,
    /// where asking for them by id fails the whole call.
    public func groups(filters: [EC2Filter]) async throws -> (groups: [LiveSecurityGroup], problems: [String]) {
        try await withRules(try await ec2.describeSecurityGroups(filters: filters))
    }

    /// Specific groups by id (e.g. the physical ids of a stack's resources).
    public func groups(ids: [String]) async throws -> (groups: [LiveSecurityGroup], problems: [String]) {
        guard !ids.isEmpty else { return ([], []) }
        return try await withRules(try await ec2.describeSecurityGroups(groupIDs: ids))
    }

    private func withRules(_ groups: [SecurityGroup]) async throws -> (groups: [LiveSecurityGroup], problems: [String]) {
        guard !groups.isEmpty else { return ([], []) }
        var rulesByGroup: [String: [SecurityGroupRule]] = [:]
        // EC2 accepts up to 200 filter values; chunk to stay well inside.
        let ids = groups.map(\.groupID)
        for start in stride(from: 0, to: ids.count, by: 100) {
            let chunk = Array(ids[start..<min(start + 100, ids.count)])
            for rule in try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: chunk)]) {
                rulesByGroup[rule.groupID, default: []].append(rule)
            }
        }
        var problems: [String] = []
        let live = groups.sorted { $0.groupID < $1.groupID }.map { group -> LiveSecurityGroup in
            let location = SourceLocation(file: "aws:\(group.groupID)", line: 1, column: 1)
            var ingress: [LiveRule] = [], egress: [LiveRule] = []
            for rule in (rulesByGroup[group.groupID] ?? []).sorted(by: { $0.ruleID < $1.ruleID }) {
                switch Self.liveRule(rule, location: location) {
                case .success(let live):
                    if rule.isEgress { egress.append(live) } else { ingress.append(live) }
                case .failure(let problem):
                    problems.append("\(group.groupID) rule \(rule.ruleID): \(problem)")
                }
            }
            var tags: [String: String] = [:]
            for tag in group.tags { tags[tag.key] = tag.value }
            var live = LiveSecurityGroup(
                groupID: group.groupID, name: group.groupName, description: group.description, vpcID: group.vpcID,
                tags: tags, ingress: ingress, egress: egress, location: location)
            live.ownerID = group.ownerID
            return live
        }
        return (live, problems)
    }

    /// One EC2 rule as a live rule.
    public static func liveRule(_ rule: SecurityGroupRule, location: SourceLocation) -> Result<LiveRule, EC2Permission.Problem> {
        let decoded: (IPProtocol, PortSpec)
        switch EC2Permission.decode(ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort) {
        case .success(let value): decoded = value
        case .failure(let problem): return .failure(problem)
        }
        let peer: Peer
        var spelling: String?
        if let text = rule.cidrIPv4 ?? rule.cidrIPv6 {
            // EC2 stores the network of a CIDR written with host bits; a peer that hands them back
            // (moto keeps them) is read the same way, the spelling kept for the importer.
            switch EC2Permission.peerCIDR(text) {
            case .success(let read):
                peer = .cidr(read.block)
                if text != read.block.description { spelling = text }
            case .failure(let problem): return .failure(problem)
            }
        } else if let id = rule.prefixListID {
            peer = .prefixList(id)
        } else if let id = rule.referencedGroupID {
            peer = .securityGroup(id)
        } else {
            return .failure(.noPeer)
        }
        let key = RuleKey(direction: rule.isEgress ? .egress : .ingress, ipProtocol: decoded.0, ports: decoded.1, peer: peer)
        var live = LiveRule(key: key, description: rule.description, ruleID: rule.ruleID, location: location)
        if rule.referencedGroupID != nil { live.peerAccount = rule.referencedGroupOwnerID }
        live.peerSpelling = spelling
        return .success(live)
    }
}
