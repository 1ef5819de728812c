import SGDiagnostics
import SGModel
import SGYAML

/// What `targets`, `target_role` and `stackset_execution_role` hold once read.
struct TargetsDraft {
    var targets: [DeploymentTarget] = []
    var role: String?
    var executionRole: String?
}

/// Reads the keys of a deployment over many accounts and regions (one CloudFormation StackSet):
/// every target is checked like the `region`, `vpc_id` and `vpc_cidr` of a single deployment, and
/// the set as a whole (no account and region twice, no VPC twice, one partition).
enum TargetReader {
    static let rootKeys = ["targets", "target_role", "stackset_execution_role"]
    static let targetKeys = ["account", "region", "vpc_id", "vpc_cidr"]

    /// The most targets one config may list. Every fleet action makes a few AWS calls per target
    /// and a StackSet operation per new target; this bounds one run, not AWS (whose per-StackSet
    /// instance quota is higher).
    static let maxTargets = 2000

    /// The longest StackSet name CloudFormation accepts.
    static let maxStackSetNameLength = 128

    /// IAM role names: 1-64 of letters, digits and `+=,.@_-`.
    /// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
    static func isRoleName(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.roleCharacters.contains($0)) }
    }

    /// Reads the three keys from the config's fields. `region` is the administration region (nil
    /// when it did not read). Problems with keys of the other kind of deployment are reported here
    /// too, so the rule lives in one place.
    static func read(_ fields: Fields, region: String?, reader: inout NodeReader) -> TargetsDraft {
        var draft = TargetsDraft()
        let hasTargets = fields.has("targets")
        if hasTargets {
            for key in ["vpc_id", "vpc_cidr"] {
                guard let keyNode = fields.keyNode(key) else { continue }
                reader.diagnostics.error(
                    .keyNotForThisDeployment,
                    "\(key) is for a deployment of one stack; with targets, each target names its own \(key)",
                    at: keyNode.location, notes: [.init("move it into the targets that use this VPC, or remove targets")])
            }
            if let keyNode = fields.keyNode("adopted_groups") {
                reader.diagnostics.error(
                    .keyNotForThisDeployment,
                    "adopted_groups names existing groups of one account and VPC; a deployment with targets creates its groups in every target",
                    at: keyNode.location, notes: [.init("adopt the groups in a config of that account and region alone, without targets")])
            }
        } else {
            for key in ["target_role", "stackset_execution_role"] {
                guard let keyNode = fields.keyNode(key) else { continue }
                reader.diagnostics.error(
                    .keyNotForThisDeployment, "\(key) applies only to a deployment with targets", at: keyNode.location)
            }
        }
        if let node = fields["targets"] { draft.targets = readTargets(node, region: region, reader: &reader) }
        draft.role = fields["target_role"].flatMap { readRoleName($0, for: "target_role", reader: &reader) }
        draft.executionRole = fields["stackset_execution_role"].flatMap { readRoleName($0, for: "stackset_execution_role", reader: &reader) }
        return draft
    }

    /// The StackSet name must start with a letter and fit CloudFormation's length: checked once the
    /// identity read cleanly (a company prefix may start with a digit for a single stack).
    static func checkStackSetName(_ identity: DeploymentIdentity, companyNode: YAMLNode?, reader: inout NodeReader) {
        let name = identity.stackSetName
        let location = companyNode?.location
        if let first = name.unicodeScalars.first, !CharacterSet.asciiLetters.contains(first) {
            reader.diagnostics.error(
                .invalidStackSetName,
                "StackSet name \(TextSupport.quoted(name)) must start with a letter; with targets, company_prefix cannot start with a digit",
                at: location, notes: [.init("CloudFormation StackSet names match [a-zA-Z][-a-zA-Z0-9]*")])
        } else if name.count > maxStackSetNameLength {
            reader.diagnostics.error(
                .invalidStackSetName,
                "StackSet name \(TextSupport.quoted(name)) is \(name.count) characters; CloudFormation allows at most \(maxStackSetNameLength)",
                at: location)
        }
    }

    private static func readTargets(_ node: YAMLNode, region: String?, reader: inout NodeReader) -> [DeploymentTarget] {
        guard let items = reader.sequence(node, for: "targets") else { return [] }
        if items.isEmpty {
            reader.diagnostics.error(
                .invalidTargets, "targets is empty; list at least one {account, region, vpc_id, vpc_cidr}, or remove the key",
                at: node.location)
            return []
        }
        guard items.count <= maxTargets else {
            reader.diagnostics.error(.invalidTargets, "targets has \(items.count) entries; the limit is \(maxTargets)", at: node.location)
            return []
        }
        var targets: [DeploymentTarget] = []
        var seen: [String: DeploymentTarget] = [:]
        var vpcs: [String: DeploymentTarget] = [:]
        for item in items {
            guard let target = readTarget(item, adminRegion: region, reader: &reader) else { continue }
            if let first = seen[target.label] {
                reader.diagnostics.error(
                    .duplicateTarget,
                    "target \(target.label) is listed twice; a StackSet has one instance per account and region",
                    at: target.location, notes: [.init("first listed here", at: first.location)])
                continue
            }
            if let first = vpcs[target.vpcID] {
                reader.diagnostics.error(
                    .duplicateTarget,
                    "vpc_id \(target.vpcID) is already the VPC of target \(first.label); a VPC belongs to one account and region",
                    at: target.location, notes: [.init("first listed here", at: first.location)])
                continue
            }
            seen[target.label] = target
            vpcs[target.vpcID] = target
            targets.append(target)
        }
        return targets
    }

    private static func readTarget(_ node: YAMLNode, adminRegion: String?, reader: inout NodeReader) -> DeploymentTarget? {
        let mark = reader.mark
        guard let fields = reader.fields(
            node, of: "target", label: "each item of targets", allowed: targetKeys, required: targetKeys)
        else { return nil }
        var account: String?
        if let accountNode = fields["account"], let text = reader.string(accountNode, for: "account") {
            if text.count == 12, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                account = text
            } else {
                reader.diagnostics.error(
                    .invalidAccount, "invalid account \(TextSupport.quoted(text)): an AWS account id is 12 digits",
                    at: accountNode.location, notes: [.init("write all 12 digits, leading zeros included")])
            }
        }
        var region: String?
        if let regionNode = fields["region"] {
            region = ConfigReader.readRegion(regionNode, reader: &reader)
            if let region, let adminRegion, DeploymentTarget.partition(of: region) != DeploymentTarget.partition(of: adminRegion) {
                reader.diagnostics.error(
                    .invalidTargets,
                    "target region \(region) is in partition \(DeploymentTarget.partition(of: region)), the administration region \(adminRegion) in \(DeploymentTarget.partition(of: adminRegion)); a StackSet deploys within one partition",
                    at: regionNode.location)
            }
        }
        let vpcID = fields["vpc_id"].flatMap { ConfigReader.readVPCID($0, reader: &reader) }
        let vpcCIDR = fields["vpc_cidr"].flatMap { ConfigReader.readVPCCIDR($0, reader: &reader) }
        guard !reader.hasErrors(since: mark), let account, let region, let vpcID, let vpcCIDR else { return nil }
        return DeploymentTarget(account: account, region: region, vpcID: vpcID, vpcCIDR: vpcCIDR, location: node.location)
    }

    private static func readRoleName(_ node: YAMLNode, for label: String, reader: inout NodeReader) -> String? {
        guard let text = reader.string(node, for: label) else { return nil }
        guard isRoleName(text) else {
            reader.diagnostics.error(
                .invalidRoleName,
                "invalid \(label) \(TextSupport.quoted(text)): an IAM role name is 1 to 64 letters, digits and + = , . @ _ -",
                at: node.location, notes: [.init("give the role's name, not its ARN: the account comes from each target")])
            return nil
        }
        return text
    }
}

private enum CharacterSet {
    static let asciiLetters: Set<Unicode.Scalar> = Set((UInt8(ascii: "a")...UInt8(ascii: "z")).map { Unicode.Scalar($0) })
        .union((UInt8(ascii: "A")...UInt8(ascii: "Z")).map { Unicode.Scalar($0) })
    static let roleCharacters: Set<Unicode.Scalar> = asciiLetters
        .union((UInt8(ascii: "0")...UInt8(ascii: "9")).map { Unicode.Scalar($0) })
        .union("+=,.@_-".unicodeScalars)
}
