import SGAWSServices
import SGCloudFormation
import SGInventory
import SGModel
import SGReports

/// One way the live groups differ from the model.
public struct VerificationDifference: Equatable, Sendable, CustomStringConvertible {
    /// What kind of difference.
    public enum Kind: String, Sendable {
        /// The model has the rule; the live group does not.
        case missing
        /// The live group has a rule the model does not.
        case unexpected
        /// Same rule, different description.
        case description
        /// The tier has no live group at all.
        case missingGroup = "missing-group"
    }

    /// What kind of difference.
    public var kind: Kind
    /// The tier.
    public var tier: String
    /// The rule (nil for a missing group).
    public var key: RuleKey?
    /// The model's description.
    public var expectedDescription: String?
    /// The live group's description.
    public var liveDescription: String?

    /// One line, e.g. `tier app: missing ingress tcp/8080 from tier web`.
    public var description: String {
        switch kind {
        case .missing: return "tier \(tier): missing \(key.map(String.init(describing:)) ?? "")"
        case .unexpected: return "tier \(tier): unexpected \(key.map(String.init(describing:)) ?? "")"
        case .description:
            return "tier \(tier): \(key.map(String.init(describing:)) ?? ""): description \(quoted(expectedDescription)) expected, live \(quoted(liveDescription))"
        case .missingGroup: return "tier \(tier): no live security group"
        }
    }

    private func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }

    /// The difference as JSON (test-deploy --output json).
    public var json: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "tier": .string(tier), "rule": .optional(key?.description),
            "expected_description": .optional(expectedDescription), "live_description": .optional(liveDescription),
        ])
    }
}

/// Compares the live groups a stack created with the model, rule by rule: cross-tier references
/// must name the right group ids, a closed egress must really be empty (the placeholder aside),
/// an omitted egress must be AWS's default allow-all.
public struct DeploymentVerifier: Sendable {
    let cloudFormation: CloudFormationClient
    let ec2: EC2Client

    /// Creates a verifier over the two services it reads.
    public init(cloudFormation: CloudFormationClient, ec2: EC2Client) {
        self.cloudFormation = cloudFormation
        self.ec2 = ec2
    }

    /// The live groups of the stacks (tier by the logical id the compiled templates give each group).
    public func verify(_ deployment: Deployment, stacks: [StackTemplate]) async throws -> (differences: [VerificationDifference], groups: [String: String], problems: [String]) {
        let compiledRules = TemplateRuleReader.read(stacks)
        var tierByGroupID: [String: String] = [:]
        for stack in stacks {
            let resources = try await cloudFormation.describeStackResources(stackName: stack.stackName)
            for resource in resources where resource.resourceType == "AWS::EC2::SecurityGroup" {
                guard let id = resource.physicalResourceID,
                      let tier = compiledRules.tiers.values.first(where: { $0.groupLogicalID == resource.logicalResourceID && $0.stackName == stack.stackName }) else { continue }
                tierByGroupID[id] = tier.name
            }
        }
        let (groups, problems) = try await LiveInventory(ec2: ec2).groups(ids: tierByGroupID.keys.sorted())
        let liveByTier = Dictionary(groups.compactMap { group in tierByGroupID[group.groupID].map { ($0, group) } }, uniquingKeysWith: { first, _ in first })
        return (Self.compare(deployment, live: liveByTier, tierByGroupID: tierByGroupID), tierByGroupID, problems)
    }

    /// The comparison itself, pure.
    static func compare(_ deployment: Deployment, live: [String: LiveSecurityGroup], tierByGroupID: [String: String]) -> [VerificationDifference] {
        var differences: [VerificationDifference] = []
        for tier in deployment.tiers.sorted(by: { $0.name < $1.name }) {
            guard let group = live[tier.name] else {
                differences.append(VerificationDifference(kind: .missingGroup, tier: tier.name))
                continue
            }
            // The same comparison as drift: a group in sync after deploy is in sync for check-drift.
            let comparison = RuleSetComparison(expected: tier, live: group.rules, tiersByGroupID: tierByGroupID)
            var found: [(RuleKey, VerificationDifference)] = comparison.missing.map {
                ($0.key, VerificationDifference(kind: .missing, tier: tier.name, key: $0.key, expectedDescription: $0.rule?.description))
            }
            found += comparison.unexpected.map {
                ($0.key, VerificationDifference(
                    kind: .unexpected, tier: tier.name, key: $0.key, liveDescription: RuleSetComparison.normalisedDescription($0.live.description)))
            }
            found += comparison.changedDescriptions.map {
                ($0.key, VerificationDifference(
                    kind: .description, tier: tier.name, key: $0.key, expectedDescription: $0.expected.description,
                    liveDescription: RuleSetComparison.normalisedDescription($0.live.description)))
            }
            differences += found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return differences
    }
}
