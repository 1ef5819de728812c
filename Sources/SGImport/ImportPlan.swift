import Foundation
import SGDiagnostics
import SGModel

/// Where imported groups came from, for the header of the written files.
public enum ImportSource: Sendable, Equatable {
    /// Live EC2: the region and the filters the groups were selected by (`vpc-id=...`, `tag:K=V`).
    case live(region: String, filters: [String])
    /// A saved `aws ec2 describe-security-groups` output and its SHA-256.
    case snapshot(path: String, sha256: String)
    /// A CloudFormation template and its SHA-256.
    case template(path: String, sha256: String)

    /// True when the groups exist in AWS, so each tier adopts its group (by id); a template's
    /// groups exist only once deployed, so its tiers are plain tiers the tool would create.
    public var adoptsGroups: Bool {
        if case .template = self { return false }
        return true
    }

    /// One line for the header.
    public var summary: String {
        switch self {
        case .live(let region, let filters):
            return "live EC2 in \(region)" + (filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))")
        case .snapshot(let path, let sha256): return "snapshot \(path) (sha256 \(sha256))"
        case .template(let path, let sha256): return "CloudFormation template \(path) (sha256 \(sha256))"
        }
    }
}

/// What an import is asked to produce.
public struct ImportRequest: Sendable {
    /// The deployment's names.
    public var identity: DeploymentIdentity
    /// The base name of both files (`configs/NAME.yaml`, `scenarios/NAME.yaml`) and the scenario's name.
    public var name: String
    /// `--vpc-id`: the VPC to import (required for a template; chooses among a snapshot's VPCs).
    public var vpcID: String?
    /// The VPC's primary CIDR when the source knows it (live: DescribeVpcs).
    public var vpcCIDR: CIDRBlock?
    /// `--tag-filter KEY=VALUE` / `KEY`: for a snapshot, groups must carry every one (live
    /// sources filter in EC2 already).
    public var tagFilters: [TagFilter]
    /// `--force`: groups owned by a CloudFormation stack are imported too.
    public var includeStackOwned: Bool
    /// Where the groups came from.
    public var source: ImportSource
    /// When the import ran (the injected clock), written in the header.
    public var importedAt: Date
    /// The tool's version, written in the header.
    public var toolVersion: String

    /// Creates a request.
    public init(
        identity: DeploymentIdentity, name: String, vpcID: String? = nil, vpcCIDR: CIDRBlock? = nil, tagFilters: [TagFilter] = [],
        includeStackOwned: Bool = false, source: ImportSource, importedAt: Date, toolVersion: String
    ) {
        self.identity = identity
        self.name = name
        self.vpcID = vpcID
        self.vpcCIDR = vpcCIDR
        self.tagFilters = tagFilters
        self.includeStackOwned = includeStackOwned
        self.source = source
        self.importedAt = importedAt
        self.toolVersion = toolVersion
    }
}

/// `--tag-filter KEY=VALUE` (the tag has that value) or `KEY` (the tag is present).
public struct TagFilter: Sendable, Equatable, CustomStringConvertible {
    /// The tag key.
    public var key: String
    /// The value, or nil for "any value".
    public var value: String?

    /// Parses `KEY=VALUE` or `KEY`; nil for an empty key.
    public init?(_ text: String) {
        if let equals = text.firstIndex(of: "=") {
            key = String(text[..<equals])
            value = String(text[text.index(after: equals)...])
        } else {
            key = text
            value = nil
        }
        if key.isEmpty { return nil }
    }

    /// The EC2 filter it stands for: `tag:KEY` = VALUE, or `tag-key` = KEY.
    public var ec2Filter: (name: String, value: String) {
        value.map { ("tag:\(key)", $0) } ?? ("tag-key", key)
    }

    /// True when the tags satisfy the filter.
    public func matches(_ tags: [String: String]) -> Bool {
        guard let found = tags[key] else { return false }
        return value.map { $0 == found } ?? true
    }

    /// `KEY=VALUE` or `KEY`.
    public var description: String { value.map { "\(key)=\($0)" } ?? key }
}

/// One rule as the scenario will hold it.
public struct ImportedRule: Sendable, Equatable {
    /// What it allows; group peers of imported groups are already `.tier(name)`.
    public var key: RuleKey
    /// The owner account of a group peer in another account (ingress only; egress notes it).
    public var peerAccount: String?
    /// The description, when AWS accepts it.
    public var description: String?
    /// Comments written after the rule (host bits, dropped descriptions, an egress owner).
    public var comments: [String] = []
}

/// One tier: one imported group.
public struct ImportedTier: Sendable, Equatable {
    /// The tier name (valid and unique).
    public var name: String
    /// The group's id in the source (`sg-...`, or a template's logical id).
    public var sourceID: String
    /// `GroupName` (live, snapshot) or the name a template gives it, if any.
    public var groupName: String
    /// `GroupDescription`.
    public var groupDescription: String
    /// The description written on the tier, when AWS accepts it as one.
    public var tierDescription: String?
    /// The live Name tag, when the group has one AWS-valid.
    public var nameTag: String?
    /// True when the config records the group under `adopted_groups`.
    public var adopts: Bool
    /// Inbound rules, sorted.
    public var ingress: [ImportedRule]
    /// Outbound rules, sorted; empty means `egress: []`.
    public var egress: [ImportedRule]
    /// Comments written above the tier.
    public var comments: [String]

    /// Rules in both directions.
    public var ruleCount: Int { ingress.count + egress.count }
}

/// A group the import left out, with why.
public struct SkippedGroup: Sendable, Equatable {
    /// `sg-...` or a logical id.
    public var sourceID: String
    /// Its name.
    public var name: String
    /// Why it was left out.
    public var reason: String
}

/// Everything the written files will say.
public struct ImportPlan: Sendable {
    /// What was asked.
    public var request: ImportRequest
    /// The VPC the config names.
    public var vpcID: String
    /// The tiers, in name order.
    public var tiers: [ImportedTier]
    /// Groups left out, in id order.
    public var skipped: [SkippedGroup]
    /// How many groups the source held in the VPC (imported and skipped).
    public var groupsInVPC: Int
}
