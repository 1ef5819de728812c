import Foundation
import SGModel

/// The review report of a deployment with `targets`: one table of every account and region the
/// one template goes to, with the VPC and block each is judged against. The approval covers the
/// template hash and this list: `create-security-groups --approved-report` refuses a target the
/// approver did not see.
extension ReviewReport {
    /// `### Targets` in Markdown; empty for a deployment of one stack.
    var targetsMarkdown: String {
        guard !targets.isEmpty else { return "" }
        let e = MarkdownText.escape
        var out = "\n## Targets\n\n"
        out += "One template (the hash above) for all \(targets.count) target(s), deployed as StackSet \(e(identity.stackSetName)) "
        out += "from \(e(identity.region)); each instance gets its VPC as parameter overrides, and findings are judged with its own block.\n\n"
        out += "| Account | Region | VPC | VPC CIDR |\n|---|---|---|---|\n"
        for target in targets {
            out += "| \(e(target.account)) | \(e(target.region)) | \(e(target.vpcID)) | \(e(target.vpcCIDR.description)) |\n"
        }
        return out
    }

    /// The same table in HTML; empty for a deployment of one stack.
    var targetsHTML: String {
        guard !targets.isEmpty else { return "" }
        let h = HTMLText.escape
        var out = "<h2>Targets</h2>\n<p>One template (the hash above) for all \(targets.count) target(s), deployed as StackSet "
        out += "\(h(identity.stackSetName)) from \(h(identity.region)); each instance gets its VPC as parameter overrides, "
        out += "and findings are judged with its own block.</p>\n"
        out += "<table>\n<tr><th>Account</th><th>Region</th><th>VPC</th><th>VPC CIDR</th></tr>\n"
        for target in targets {
            out += "<tr><td>\(h(target.account))</td><td>\(h(target.region))</td><td>\(h(target.vpcID))</td><td>\(h(target.vpcCIDR.description))</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// `targets` of the JSON report (only for a deployment with targets).
    var targetsJSON: JSONValue {
        .array(targets.map {
            ["account": .string($0.account), "region": .string($0.region), "vpc_id": .string($0.vpcID), "vpc_cidr": .string($0.vpcCIDR.description)]
        })
    }
}

extension ReviewReportReader {
    /// The targets an approved report lists as `account/region vpc_id vpc_cidr`, or nil for a report
    /// of a deployment without targets.
    public static func targets(fromReportJSON bytes: [UInt8]) -> [String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let items = object["targets"] as? [[String: Any]] else { return nil }
        return items.compactMap { target in
            guard let account = target["account"] as? String, let region = target["region"] as? String,
                  let vpc = target["vpc_id"] as? String, let cidr = target["vpc_cidr"] as? String else { return nil }
            return "\(account)/\(region) \(vpc) \(cidr)"
        }
    }

    /// A target as `targets(fromReportJSON:)` lists it.
    public static func describe(_ target: DeploymentTarget) -> String {
        "\(target.label) \(target.vpcID) \(target.vpcCIDR)"
    }
}
