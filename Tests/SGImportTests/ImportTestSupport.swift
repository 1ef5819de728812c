import Foundation
import SGConfig
import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGImport

/// Builders for live groups as the inventory readers produce them.
enum Live {
    static let vpc = "vpc-0a1b2c3d4e5f60001"
    static let owner = "111122223333"

    static func rule(
        _ direction: Direction, _ ipProtocol: IPProtocol, _ ports: PortSpec, _ peer: Peer, _ description: String? = nil,
        account: String? = nil, spelling: String? = nil
    ) -> LiveRule {
        var rule = LiveRule(
            key: RuleKey(direction: direction, ipProtocol: ipProtocol, ports: ports, peer: peer), description: description,
            location: .file("snapshot.json"))
        rule.peerAccount = account
        rule.peerSpelling = spelling
        return rule
    }

    static func tcp(_ port: Int, _ peer: Peer, _ description: String? = nil, direction: Direction = .ingress, account: String? = nil) -> LiveRule {
        rule(direction, .tcp, .ports(PortRange(port: port)), peer, description, account: account)
    }

    static func cidr(_ text: String) -> Peer {
        guard case .success(let block) = CIDRBlock.parse(text) else { preconditionFailure(text) }
        return .cidr(block)
    }

    static let allToWorld = rule(.egress, .all, .all, cidr("0.0.0.0/0"))
    static let allToWorldIPv6 = rule(.egress, .all, .all, cidr("::/0"))

    static func group(
        _ id: String, _ name: String, description: String = "made by hand", vpc: String? = vpc, owner: String? = owner,
        tags: [String: String] = [:], ingress: [LiveRule] = [], egress: [LiveRule] = [allToWorld]
    ) -> LiveSecurityGroup {
        var group = LiveSecurityGroup(
            groupID: id, name: name, description: description, vpcID: vpc, tags: tags, ingress: ingress, egress: egress,
            location: SourceLocation(file: "snapshot.json", line: 3, column: 5))
        group.ownerID = owner
        return group
    }

    static func request(
        _ source: ImportSource = .snapshot(path: "snapshot.json", sha256: "00"), vpcID: String? = nil, force: Bool = false,
        tagFilters: [TagFilter] = []
    ) -> ImportRequest {
        ImportRequest(
            identity: DeploymentIdentity(company: "acme", environment: "prod", deploymentID: "d001", region: "us-east-1"),
            name: "acme-prod-d001-us-east-1", vpcID: vpcID, tagFilters: tagFilters, includeStackOwned: force, source: source,
            importedAt: Date(timeIntervalSince1970: 1_767_225_600), toolVersion: "9.9.9")
    }

    /// `code message` for each diagnostic, in print order.
    static func lines(_ diagnostics: Diagnostics) -> [String] {
        diagnostics.sorted.map { "\($0.code) \($0.message)" }
    }

    /// The written files loaded back through the tool's own loader.
    static func load(_ plan: ImportPlan) -> LoadResult {
        let writer = ImportWriter()
        let name = plan.request.name
        let files = ["configs/\(name).yaml": Array(writer.config(plan).utf8), "scenarios/\(name).yaml": Array(writer.scenario(plan).utf8)]
        let loader = DeploymentLoader(
            readFile: { path in
                guard let bytes = files[path] else { throw CocoaError(.fileNoSuchFile) }
                return bytes
            },
            fileExists: { files[$0] != nil })
        return loader.load(config: name)
    }
}
