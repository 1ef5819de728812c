import SGDiagnostics
import SGModel
import SGYAML

/// Reads the JSON printed by `aws ec2 describe-security-groups` (a saved snapshot) into live groups.
///
/// JSON is parsed with the YAML front end (JSON is a subset of YAML's flow style), which gives every
/// group and rule a file:line:column for findings and errors, and the same limits against hostile
/// input as configs.
public struct SnapshotReader: Sendable {
    private let parser: YAMLParser

    /// Creates a reader.
    public init(limits: YAMLLimits = .default) {
        parser = YAMLParser(limits: limits)
    }

    /// Parses a snapshot. Problems in single permissions are reported and the rest is still read;
    /// a file that is not a snapshot at all throws.
    public func read(_ source: SourceFile) throws(DiagnosticError) -> (groups: [LiveSecurityGroup], diagnostics: Diagnostics) {
        let document = try parser.parse(source)
        guard let root = document.root else {
            throw DiagnosticError(.error(.snapshotShape, "snapshot is empty", at: .file(source.path)))
        }
        guard let list = root["SecurityGroups"]?.sequence else {
            throw DiagnosticError(.error(
                .snapshotShape,
                "expected the output of `aws ec2 describe-security-groups` (an object with a SecurityGroups list)",
                at: root.location))
        }
        var diagnostics = Diagnostics()
        var groups: [LiveSecurityGroup] = []
        for node in list {
            guard node.mapping != nil, let id = node["GroupId"]?.string else {
                diagnostics.error(.snapshotShape, "security group entry without a GroupId", at: node.location)
                continue
            }
            var tags: [String: String] = [:]
            for tag in node["Tags"]?.sequence ?? [] {
                if let key = tag["Key"]?.string { tags[key] = tag["Value"]?.string ?? "" }
            }
            let ingress = rules(node["IpPermissions"], direction: .ingress, diagnostics: &diagnostics)
            let egress = rules(node["IpPermissionsEgress"], direction: .egress, diagnostics: &diagnostics)
            var group = LiveSecurityGroup(
                groupID: id, name: node["GroupName"]?.string ?? id, description: node["Description"]?.string ?? "",
                vpcID: node["VpcId"]?.string, tags: tags, ingress: ingress, egress: egress, location: node.location)
            group.ownerID = node["OwnerId"]?.string
            groups.append(group)
        }
        return (groups, diagnostics)
    }

    private func rules(_ node: YAMLNode?, direction: Direction, diagnostics: inout Diagnostics) -> [LiveRule] {
        var out: [LiveRule] = []
        for permission in node?.sequence ?? [] {
            let protocolText = permission["IpProtocol"]?.string ?? "-1"
            let from = permission["FromPort"]?.string.flatMap { Int($0) }
            let to = permission["ToPort"]?.string.flatMap { Int($0) }
            let decoded: (IPProtocol, PortSpec)
            switch EC2Permission.decode(ipProtocol: protocolText, fromPort: from, toPort: to) {
            case .success(let value): decoded = value
            case .failure(let problem):
                diagnostics.error(.snapshotPermission, problem.description, at: permission.location)
                continue
            }
            func add(_ peer: Peer, _ entry: YAMLNode, account: String? = nil, spelling: String? = nil) {
                let key = RuleKey(direction: direction, ipProtocol: decoded.0, ports: decoded.1, peer: peer)
                var rule = LiveRule(key: key, description: entry["Description"]?.string, location: entry.location)
                rule.peerAccount = account
                if let spelling, spelling != peer.description { rule.peerSpelling = spelling }
                out.append(rule)
            }
            for entry in permission["IpRanges"]?.sequence ?? [] {
                cidr(entry["CidrIp"], entry, diagnostics: &diagnostics).map { add(.cidr($0), entry, spelling: entry["CidrIp"]?.string) }
            }
            for entry in permission["Ipv6Ranges"]?.sequence ?? [] {
                cidr(entry["CidrIpv6"], entry, diagnostics: &diagnostics).map { add(.cidr($0), entry, spelling: entry["CidrIpv6"]?.string) }
            }
            for entry in permission["PrefixListIds"]?.sequence ?? [] {
                if let id = entry["PrefixListId"]?.string { add(.prefixList(id), entry) }
            }
            for entry in permission["UserIdGroupPairs"]?.sequence ?? [] {
                if let id = entry["GroupId"]?.string { add(.securityGroup(id), entry, account: entry["UserId"]?.string) }
            }
        }
        return out
    }

    private func cidr(_ node: YAMLNode?, _ entry: YAMLNode, diagnostics: inout Diagnostics) -> CIDRBlock? {
        guard let text = node?.string else {
            diagnostics.error(.snapshotPermission, "IP range without a CIDR", at: entry.location)
            return nil
        }
        // AWS itself never stores host bits, but a hand-edited snapshot might: judge the network.
        switch EC2Permission.peerCIDR(text) {
        case .success(let read): return read.block
        case .failure(let problem):
            let why: String
            if case .badCIDR(_, let reason) = problem { why = reason } else { why = problem.description }
            diagnostics.error(.snapshotPermission, why, at: node?.location ?? entry.location)
            return nil
        }
    }
}
