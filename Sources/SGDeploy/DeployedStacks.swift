import Foundation
import SGAWS
import SGCloudFormation
import SGModel

/// The stacks of one deployment as they exist in CloudFormation: the ones the compiler names now,
/// and split stacks left from an earlier, larger compilation (`-groups-N`, `-rules-N`).
public struct DeployedStacks: Sendable {
    /// Existing stacks by name.
    public var existing: [String: StackDescription] = [:]
    /// Existing stacks the current compilation no longer has.
    public var obsolete: [String] = []

    /// Looks up every stack of the compilation, then probes split-stack names beyond it until one is missing.
    public static func find(_ compiled: [StackTemplate], base: String, cloudFormation: CloudFormationClient) async throws -> DeployedStacks {
        var found = DeployedStacks()
        for stack in compiled {
            if let description = try await cloudFormation.describeStack(stack.stackName), description.status.rawValue != "DELETE_COMPLETE" {
                found.existing[stack.stackName] = description
            }
        }
        let names = Set(compiled.map(\.stackName))
        for kind in ["groups", "rules"] {
            var part = kind == "groups" ? 2 : 1
            while true {
                let name = "\(base)-\(kind)-\(part)"
                if !names.contains(name) {
                    guard let description = try await cloudFormation.describeStack(name), description.status.rawValue != "DELETE_COMPLETE" else { break }
                    found.existing[name] = description
                    found.obsolete.append(name)
                }
                part += 1
            }
        }
        return found
    }

    /// Reads the templates of every existing stack (GetTemplate) into rules.
    public func deployedRules(cloudFormation: CloudFormationClient) async throws -> TemplateRules {
        var templates: [(stackName: String?, template: Template)] = []
        var problems: [String] = []
        // A stack in REVIEW_IN_PROGRESS is the shell a change set that was never executed left:
        // it holds nothing yet.
        for name in existing.keys.sorted() where existing[name]?.status.rawValue != "REVIEW_IN_PROGRESS" {
            let body = try await cloudFormation.getTemplate(stackName: name)
            do {
                templates.append((name, try TemplateRuleReader.parse(text: body, path: "stack \(name)")))
            } catch {
                problems.append("stack \(name): template cannot be read: \(error.diagnostics.map(\.message).joined(separator: "; "))")
            }
        }
        var rules = TemplateRuleReader.read(templates)
        rules.problems += problems
        return rules
    }

    /// Deployment order of a stack name: main 0, groups-N N, rules-N 1000+N (rule stacks import
    /// from group stacks, so deleting goes by this rank, highest first).
    public static func rank(_ name: String, base: String) -> Int {
        let tail = name.dropFirst(base.count)
        if tail.hasPrefix("-groups-"), let part = Int(tail.dropFirst("-groups-".count)) { return part }
        if tail.hasPrefix("-rules-"), let part = Int(tail.dropFirst("-rules-".count)) { return 1000 + part }
        return 0
    }
}

/// The plan for a deployment: rule diff of deployed vs compiled templates, static replacements,
/// and (optionally) CloudFormation's own change set for every existing stack.
public struct ChangePlanner: Sendable {
    let cloudFormation: CloudFormationClient
    let log: DeployLog
    /// The clock, for change-set names.
    let now: @Sendable () -> Date

    /// Creates a planner over CloudFormation; change-set calls are recorded in `log`.
    public init(cloudFormation: CloudFormationClient, log: DeployLog, now: @escaping @Sendable () -> Date) {
        self.cloudFormation = cloudFormation
        self.log = log
        self.now = now
    }

    /// The plan and the stacks found: rule diff against the deployed templates, and with
    /// `useChangeSets` CloudFormation's own change set for every existing stack. With `adopted`
    /// (the deployment and EC2), an adopted tier that no stack holds yet is compared with its live
    /// group instead of counting as a new group.
    public func plan(
        _ compiled: CompilationResult, identity: DeploymentIdentity, useChangeSets: Bool,
        adopted: (deployment: Deployment, reader: AdoptedGroupsReader)? = nil
    ) async throws -> (ChangePlan, DeployedStacks) {
        let deployed = try await DeployedStacks.find(compiled.stacks, base: identity.stackName, cloudFormation: cloudFormation)
        var deployedRules = try await deployed.deployedRules(cloudFormation: cloudFormation)
        let desired = TemplateRuleReader.read(compiled.stacks)
        var adoptedTiers: [String: String] = [:]
        var adoption: AdoptionPlan?
        if let adopted, !adopted.deployment.config.adoptedGroups.isEmpty {
            let held = Set(adopted.deployment.config.adoptedGroups.map(\.tier).filter { deployedRules.tiers[$0] != nil })
            let stackGroups = try await heldGroups(deployed, rules: deployedRules)
            let live = try await adopted.reader.liveTiers(
                of: adopted.deployment, compiled: desired, deployed: deployedRules, tiersByGroupID: stackGroups)
            for (name, tier) in live.tiers {
                deployedRules.tiers[name] = tier
                let group = adopted.deployment.config.adoptedGroup(tier: name)
                adoptedTiers[name] = "\(group?.groupID ?? "?") (\(tier.groupName ?? "?"))"
            }
            deployedRules.problems += live.problems
            if held.count < adopted.deployment.config.adoptedGroups.count {
                let tiersByGroupID = Dictionary(
                    adopted.deployment.config.adoptedGroups.map { ($0.groupID, $0.tier) }, uniquingKeysWith: { first, _ in first })
                    .merging(stackGroups) { adoptedTier, _ in adoptedTier }
                // Stacks that exist and will take in a group: their template is restated beside the imports.
                let receiving = Set(adopted.deployment.config.adoptedGroups.filter { !held.contains($0.tier) }
                    .compactMap { desired.tiers[$0.tier]?.stackName })
                var existingTemplates: [String: Template] = [:]
                for name in receiving.sorted() where deployed.existing[name].map({ $0.status.rawValue != "REVIEW_IN_PROGRESS" }) == true {
                    let body = try await cloudFormation.getTemplate(stackName: name)
                    do {
                        existingTemplates[name] = try TemplateRuleReader.parse(text: body, path: "stack \(name)")
                    } catch {
                        deployedRules.problems.append("stack \(name): template cannot be read: \(error.diagnostics.map(\.message).joined(separator: "; "))")
                    }
                }
                adoption = AdoptionPlanner.plan(
                    deployment: adopted.deployment, compiled: compiled.stacks, live: live.groups, held: held,
                    existingTemplates: existingTemplates, tiersByGroupID: tiersByGroupID)
            }
        }
        var plan = ChangePlan.compare(deployed: deployedRules, desired: desired)
        plan.adoptedTiers = adoptedTiers
        plan.adoption = adoption
        plan.newStacks = compiled.stacks.map(\.stackName).filter { deployed.existing[$0] == nil }
        for name in deployed.obsolete {
            plan.otherChanges.append("\(name): stack is no longer part of the compiled deployment")
        }
        guard useChangeSets else { return (plan, deployed) }
        for stack in compiled.stacks {
            guard let existing = deployed.existing[stack.stackName], !existing.status.isInProgress else { continue }
            let changes = try await changeSet(for: stack)
            plan.add(changeSet: changes, stackName: stack.stackName)
        }
        return (plan, deployed)
    }

    /// Group id -> tier for the groups the existing stacks hold (DescribeStackResources), so a live
    /// rule naming one of them reads as a tier reference.
    private func heldGroups(_ deployed: DeployedStacks, rules: TemplateRules) async throws -> [String: String] {
        var tiers: [String: String] = [:]
        for name in deployed.existing.keys.sorted() where deployed.existing[name]?.status.rawValue != "REVIEW_IN_PROGRESS" {
            for resource in try await cloudFormation.describeStackResources(stackName: name) where resource.resourceType == "AWS::EC2::SecurityGroup" {
                guard let id = resource.physicalResourceID, !id.isEmpty,
                      let tier = rules.tiers.values.first(where: { $0.groupLogicalID == resource.logicalResourceID && $0.stackName == name })
                else { continue }
                tiers[id] = tier.name
            }
        }
        return tiers
    }

    /// Creates an UPDATE change set, waits until it is computed, reads it and deletes it again.
    private func changeSet(for stack: StackTemplate) async throws -> [(action: String, logicalID: String, resourceType: String, replacement: String?)] {
        let name = "sg-provisioner-show-changes-" + String(Int(now().timeIntervalSince1970))
        var request = CreateChangeSetRequest(
            stackName: stack.stackName, changeSetName: name, templateBody: stack.template.renderYAML(), changeSetType: .update)
        request.description = "show-changes preview; deleted after reading"
        _ = try await cloudFormation.createChangeSet(request)
        log.record("CreateChangeSet \(name) on \(stack.stackName)")
        var description: ChangeSetDescription
        var polls = 0
        repeat {
            description = try await cloudFormation.describeChangeSet(changeSetName: name, stackName: stack.stackName)
            if description.status.hasSuffix("_PENDING") || description.status.hasSuffix("_IN_PROGRESS") {
                polls += 1
                try await Task.sleep(nanoseconds: 2_000_000_000)
            } else {
                break
            }
        } while polls < 150
        try? await cloudFormation.deleteChangeSet(changeSetName: name, stackName: stack.stackName)
        log.record("DeleteChangeSet \(name): status \(description.status)")
        if description.status == "FAILED" {
            // "The submitted information didn't contain changes." is how AWS says "nothing to do".
            let reason = description.statusReason ?? ""
            if reason.contains("didn't contain changes") || reason.contains("No updates are to be performed") { return [] }
            throw ChangeSetFailure(stackName: stack.stackName, reason: reason)
        }
        return description.changes.map { ($0.action, $0.logicalResourceID, $0.resourceType, $0.replacement) }
    }
}

/// A change set CloudFormation could not compute (other than "no changes").
public struct ChangeSetFailure: Error, CustomStringConvertible {
    /// The stack.
    public var stackName: String
    /// CloudFormation's status reason.
    public var reason: String
    /// One line for the diagnostic.
    public var description: String { "the change set for \(stackName) failed: \(reason)" }
}
