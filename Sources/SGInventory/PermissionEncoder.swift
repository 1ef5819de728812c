import SGAWS
import SGModel

/// The inverse of `LiveInventory`'s reading: a rule of the model as the EC2 permission that
/// authorizes (or revokes) it, with AWS's conventions (ICMP type and code in FromPort/ToPort, one
/// peer per permission, tier peers as the tiers' group ids).
public enum PermissionEncoder {
    /// The permission for `key`; nil when its peer is a tier without a group id in `groupIDsByTier`.
    /// `account` owns a group peer of another account (EC2 needs it as the pair's UserId).
    public static func permission(_ key: RuleKey, description: String?, groupIDsByTier: [String: String], account: String? = nil) -> IPPermission? {
        var permission = IPPermission(ipProtocol: key.ipProtocol.wireValue)
        switch key.ports {
        case .all:
            break
        case .ports(let range):
            permission.fromPort = range.lower
            permission.toPort = range.upper
        case .icmp(let type, let code):
            permission.fromPort = type
            permission.toPort = code
        }
        switch key.peer {
        case .cidr(let block):
            let range = SecurityGroupRange(block.description, description: description)
            if block.family == .ipv4 { permission.ipv4Ranges = [range] } else { permission.ipv6Ranges = [range] }
        case .tier(let name):
            guard let groupID = groupIDsByTier[name] else { return nil }
            permission.groupPairs = [SecurityGroupPair(groupID: groupID, description: description)]
        case .securityGroup(let id):
            permission.groupPairs = [SecurityGroupPair(groupID: id, userID: account, description: description)]
        case .prefixList(let id):
            permission.prefixLists = [SecurityGroupRange(id, description: description)]
        }
        return permission
    }
}
