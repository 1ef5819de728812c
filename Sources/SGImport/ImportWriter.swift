import Foundation
import SGModel
import SGYAML

/// Renders an `ImportPlan` as the two files: `configs/NAME.yaml` (identity, VPC, the group each
/// tier adopts) and `scenarios/NAME.yaml` (the tiers and their rules). Deterministic: the same
/// plan (same source, same clock) gives byte-identical text.
public struct ImportWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// `2026-05-05T10:19:14Z`: the header's time, UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))Z"
    }

    /// The comment lines both files start with: who wrote them, when, from what, and what was left out.
    func header(_ plan: ImportPlan) -> String {
        let request = plan.request
        var out = "# Imported by sg-provisioner \(YAMLText.commentText(request.toolVersion)) (import-security-groups) at \(Self.timestamp(request.importedAt)).\n"
        out += "# Source: \(YAMLText.commentText(request.source.summary)).\n"
        let vpc = plan.vpcID.isEmpty ? "" : " in \(plan.vpcID)"
        out += "# \(plan.tiers.count) of \(plan.groupsInVPC) security group(s)\(vpc) imported"
        out += request.tagFilters.isEmpty ? ".\n" : " (tags \(YAMLText.commentText(request.tagFilters.map(\.description).joined(separator: ", ")))).\n"
        if !plan.skipped.isEmpty {
            out += "# Not imported:\n"
            for group in plan.skipped {
                out += "#   \(YAMLText.commentText(group.sourceID)) (\(YAMLText.commentText(group.name))): \(YAMLText.commentText(group.reason))\n"
            }
        }
        return out
    }

    /// `configs/NAME.yaml`.
    public func config(_ plan: ImportPlan) -> String {
        let request = plan.request
        let identity = request.identity
        var out = header(plan)
        if request.source.adoptsGroups {
            out += "# check-drift against the same source finds it in sync. Findings are printed by the import;\n"
            out += "# accepted_risks are an approver's decision and are not written here.\n"
        } else {
            out += "# The template's groups become tiers the tool creates (nothing in AWS is adopted).\n"
        }
        out += "company_prefix: \(YAMLText.scalar(identity.company))\n"
        out += "environment: \(YAMLText.scalar(identity.environment))\n"
        out += "deployment_id: \(YAMLText.scalar(identity.deploymentID))\n"
        out += "region: \(YAMLText.scalar(identity.region))\n"
        out += "vpc_id: \(YAMLText.scalar(plan.vpcID))\n"
        if let cidr = request.vpcCIDR { out += "vpc_cidr: \(YAMLText.scalar(cidr.description))\n" }
        out += "scenario: \(YAMLText.scalar(request.name))\n"
        let adopted = plan.tiers.filter(\.adopts)
        if !adopted.isEmpty {
            out += "# The existing security group each tier is. check-drift, show-changes and deploy find it by\n"
            out += "# group_id, not by the tool's names and tags; compiling keeps group_name and group_description\n"
            out += "# (changing either would make CloudFormation replace the group) and retains the group when\n"
            out += "# the stack is deleted.\n"
            out += "adopted_groups:\n"
            for tier in adopted {
                out += "  \(YAMLText.scalar(tier.name)):\n"
                out += "    group_id: \(YAMLText.scalar(tier.sourceID))\n"
                out += "    group_name: \(YAMLText.scalar(tier.groupName))\n"
                out += "    group_description: \(YAMLText.scalar(tier.groupDescription))\n"
                if let tag = tier.nameTag { out += "    name_tag: \(YAMLText.scalar(tag))\n" }
            }
        }
        return out
    }

    /// `scenarios/NAME.yaml`.
    public func scenario(_ plan: ImportPlan) -> String {
        let request = plan.request
        var out = header(plan)
        out += "name: \(YAMLText.scalar(request.name))\n"
        let what = request.source.adoptsGroups ? "security groups" : "template security groups"
        out += "description: \(YAMLText.scalar("\(plan.tiers.count) \(what) imported from \(request.source.summary)"))\n"
        out += "tiers:\n"
        for tier in plan.tiers {
            let origin = request.source.adoptsGroups ? "\(tier.sourceID) \(tier.groupName)" : "template resource \(tier.sourceID)"
            out += "  \(YAMLText.scalar(tier.name)):  # \(YAMLText.commentText(origin))\n"
            for comment in tier.comments { out += "    # \(YAMLText.commentText(comment))\n" }
            if let description = tier.tierDescription { out += "    description: \(YAMLText.scalar(description))\n" }
            out += rules(tier.ingress, key: "ingress", direction: .ingress)
            out += rules(tier.egress, key: "egress", direction: .egress)
        }
        return out
    }

    private func rules(_ rules: [ImportedRule], key: String, direction: Direction) -> String {
        if rules.isEmpty {
            // Written for both directions: for egress "none" and "AWS's default" differ.
            return "    \(key): []\n"
        }
        var out = "    \(key):\n"
        for rule in rules {
            out += "      - " + line(rule, direction: direction)
            let comments = rule.comments.map(YAMLText.commentText)
            out += comments.isEmpty ? "\n" : "  # \(comments.joined(separator: "; "))\n"
        }
        return out
    }

    /// `{ protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS }`.
    func line(_ rule: ImportedRule, direction: Direction) -> String {
        var fields: [String] = []
        let key = rule.key
        switch key.ipProtocol {
        case .number(let number): fields.append("protocol: \"\(number)\"")
        default: fields.append("protocol: \(key.ipProtocol.description)")
        }
        switch key.ports {
        case .ports(let range) where key.ipProtocol.hasPorts:
            fields.append(range.isSinglePort ? "port: \(range.lower)" : "port_range: \(range.lower)-\(range.upper)")
        case .all where key.ipProtocol.hasPorts:
            fields.append("port_range: 0-65535")
        case .icmp(let type, let code) where type != -1:
            fields.append("icmp_type: \(type)")
            if code != -1 { fields.append("icmp_code: \(code)") }
        default:
            break
        }
        let ingress = direction == .ingress
        switch key.peer {
        case .cidr(let block): fields.append("\(ingress ? "source" : "destination"): \(YAMLText.scalar(block.description))")
        case .tier(let name): fields.append("\(ingress ? "source_tier" : "destination_tier"): \(YAMLText.scalar(name))")
        case .securityGroup(let id):
            fields.append("\(ingress ? "source_security_group" : "destination_security_group"): \(YAMLText.scalar(id))")
            if ingress, let account = rule.peerAccount { fields.append("source_security_group_owner: \"\(account)\"") }
        case .prefixList(let id): fields.append("\(ingress ? "source_prefix_list" : "destination_prefix_list"): \(YAMLText.scalar(id))")
        }
        if let description = rule.description { fields.append("description: \(YAMLText.scalar(description))") }
        return "{ " + fields.joined(separator: ", ") + " }"
    }
}
