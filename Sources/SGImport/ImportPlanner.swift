import SGConfig
import SGDiagnostics
import SGInventory
import SGModel
import SGYAML

/// Decides what an import writes: which groups become tiers (and which are left out, with why),
/// each tier's name, and each rule as the scenario will hold it. Pure: groups in, plan and
/// diagnostics out, so every decision is a unit test.
///
/// - One tier per group, named from its Name tag, else its GroupName (a template's logical id),
///   made a valid name and unique.
/// - Peers that are imported groups become tier references (self-references too); other groups
///   keep their id, with the owner account when it differs from the group's own.
/// - Egress is written as it is: AWS's default allow-all becomes an ordinary rule (so the compiled
///   template reproduces it and the validator judges it), no egress becomes `egress: []`.
/// - Left out, with a reason: the VPC's `default` group, groups a CloudFormation stack owns
///   (unless `includeStackOwned`), and groups CloudFormation could not take over unchanged.
public struct ImportPlanner: Sendable {
    /// The most rules per direction a tier may have (the config's limit, AWS's default quota).
    public var maxRulesPerDirection: Int

    /// The tag CloudFormation puts on every resource it creates.
    public static let stackNameTag = "aws:cloudformation:stack-name"

    /// Creates a planner.
    public init(maxRulesPerDirection: Int = 60) {
        self.maxRulesPerDirection = maxRulesPerDirection
    }

    /// The plan, or nil when there is nothing to import (the diagnostics say why). For a template,
    /// `declaredGroups` are the logical ids of its `AWS::EC2::SecurityGroup` resources: the reader
    /// also returns groups that standalone rules only name (an existing group by id or parameter),
    /// which the config cannot hold.
    public func plan(
        _ source: [LiveSecurityGroup], request: ImportRequest, locatedInFile: Bool, declaredGroups: Set<String>? = nil
    ) -> (plan: ImportPlan?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        func location(_ group: LiveSecurityGroup) -> SourceLocation? { locatedInFile ? group.location : nil }

        var groups = source.filter { group in request.tagFilters.allSatisfy { $0.matches(group.tags) } }
        let vpcID: String
        if request.source.adoptsGroups {
            if let wanted = request.vpcID {
                groups = groups.filter { $0.vpcID == wanted }
                vpcID = wanted
            } else {
                var counts: [String: Int] = [:]
                for group in groups { counts[group.vpcID ?? "(no VPC)", default: 0] += 1 }
                if counts.count > 1 || counts.keys.first == "(no VPC)" {
                    let listed = counts.keys.sorted().map { "\($0) (\(counts[$0]!) group\(counts[$0]! == 1 ? "" : "s"))" }
                    diagnostics.error(
                        .importVPCUndecided,
                        "the groups to import are not in one VPC: \(listed.joined(separator: ", ")); give --vpc-id (one config describes one VPC)",
                        at: nil)
                    return (nil, diagnostics)
                }
                vpcID = counts.keys.first ?? ""
            }
        } else {
            guard let wanted = request.vpcID else {
                diagnostics.error(
                    .importVPCUndecided, "a template does not say which VPC its groups go in; give --vpc-id for the config's vpc_id", at: nil)
                return (nil, diagnostics)
            }
            vpcID = wanted
        }
        groups.sort { $0.groupID < $1.groupID }
        guard !groups.isEmpty else {
            let message = request.source.adoptsGroups
                ? "no security group to import from \(request.source.summary)\(filterText(request))"
                : "the template declares no security group (AWS::EC2::SecurityGroup) and adds no rule to one: nothing to import"
            diagnostics.error(.importNothing, message, at: nil)
            return (nil, diagnostics)
        }

        // Which groups become tiers.
        var kept: [LiveSecurityGroup] = []
        var skipped: [SkippedGroup] = []
        var stackOwned: [String: String] = [:]
        for group in groups {
            if let declared = declaredGroups, !declared.contains(group.groupID) {
                let reason = "it is not a security group of the template: only rules of the template name it (a group that exists already, by id or parameter), and a config adds rules only to groups it holds"
                skipped.append(SkippedGroup(sourceID: group.groupID, name: group.name, reason: reason))
                diagnostics.warning(.importGroupSkipped, "\(group.groupID) is not imported: \(reason)", at: location(group))
                continue
            }
            if let reason = refusal(group, request: request) {
                skipped.append(SkippedGroup(sourceID: group.groupID, name: group.name, reason: reason))
                diagnostics.warning(.importGroupSkipped, "\(group.groupID) (\(group.name)) is not imported: \(reason)", at: location(group))
                continue
            }
            if request.source.adoptsGroups, let stack = group.tags[Self.stackNameTag] {
                stackOwned[group.groupID] = stack
                diagnostics.warning(
                    .importStackOwnedGroup,
                    "\(group.groupID) (\(group.name)) belongs to CloudFormation stack '\(stack)' and is imported because of --force; until that stack lets go of it (DeletionPolicy Retain, then remove it from the stack), both would manage it",
                    at: location(group))
            }
            kept.append(group)
        }
        guard !kept.isEmpty else {
            let place = request.source.adoptsGroups ? "in \(vpcID)" : "the template names"
            diagnostics.error(.importNothing, "none of the \(groups.count) security group(s) \(place) can be imported (see the warnings)", at: nil)
            return (nil, diagnostics)
        }

        let names = TierNaming.names(for: kept, fromTemplate: !request.source.adoptsGroups)
        var tierByGroupID: [String: String] = [:]
        for (group, name) in zip(kept, names) { tierByGroupID[group.groupID] = name }

        var tiers: [ImportedTier] = []
        for (group, name) in zip(kept, names) {
            var comments: [String] = []
            if let stack = stackOwned[group.groupID] {
                comments.append("owned by CloudFormation stack '\(stack)' (imported with --force)")
            }
            var tierDescription: String?
            if !group.description.isEmpty {
                if let problem = ConfigRules.descriptionProblem(group.description) {
                    comments.append("group description not written: it \(problem): \(YAMLText.doubleQuoted(group.description))")
                    diagnostics.warning(
                        .importValueDropped, "the description of \(group.groupID) \(problem); the tier is written without it", at: location(group))
                } else {
                    tierDescription = group.description
                }
            }
            var nameTag: String?
            if request.source.adoptsGroups, let tag = group.tags["Name"], !tag.isEmpty {
                if let problem = ConfigRules.nameTagProblem(tag) {
                    comments.append("Name tag not recorded: it \(problem): \(YAMLText.doubleQuoted(tag))")
                } else {
                    nameTag = tag
                }
            }
            let context = RuleContext(
                group: group, tierByGroupID: tierByGroupID, locatedInFile: locatedInFile)
            let ingress = rules(group.ingress, direction: .ingress, context: context, diagnostics: &diagnostics)
            let egress = rules(group.egress.filter { !$0.isClosedEgressPlaceholder }, direction: .egress, context: context, diagnostics: &diagnostics)
            tiers.append(ImportedTier(
                name: name, sourceID: group.groupID, groupName: group.name, groupDescription: group.description,
                tierDescription: tierDescription, nameTag: nameTag, adopts: request.source.adoptsGroups,
                ingress: ingress, egress: egress, comments: comments))
        }
        tiers.sort { $0.name < $1.name }
        return (ImportPlan(request: request, vpcID: vpcID, tiers: tiers, skipped: skipped, groupsInVPC: groups.count), diagnostics)
    }

    private func filterText(_ request: ImportRequest) -> String {
        var parts: [String] = []
        if let vpc = request.vpcID { parts.append("VPC \(vpc)") }
        if !request.tagFilters.isEmpty { parts.append("tags \(request.tagFilters.map(\.description).joined(separator: ", "))") }
        return parts.isEmpty ? "" : " matching \(parts.joined(separator: " and "))"
    }

    /// Why a group cannot become a tier, or nil.
    private func refusal(_ group: LiveSecurityGroup, request: ImportRequest) -> String? {
        if request.source.adoptsGroups {
            guard ConfigRules.isResourceID(group.groupID, prefix: "sg") else {
                return "its GroupId is not a security group id ('sg-' and 8 or 17 hex digits)"
            }
            if group.name == "default" {
                return "it is the VPC's default group: AWS creates it with the VPC and never deletes it, so CloudFormation cannot manage it; rules naming it keep its id"
            }
            if let stack = group.tags[Self.stackNameTag], !request.includeStackOwned {
                return "it belongs to CloudFormation stack '\(stack)' (tag \(Self.stackNameTag)); importing it would put it under two stacks (--force imports it anyway); rules naming it keep its id"
            }
            if let problem = AdoptionRules.groupNameProblem(group.name) {
                return "its GroupName \(problem), so CloudFormation could not take it over unchanged"
            }
            if let problem = AdoptionRules.groupDescriptionProblem(group.description) {
                return "its GroupDescription \(problem), so CloudFormation could not take it over unchanged"
            }
        }
        let ingress = group.ingress.count
        let egress = group.egress.filter { !$0.isClosedEgressPlaceholder }.count
        for (count, direction) in [(ingress, "ingress"), (egress, "egress")] where count > maxRulesPerDirection {
            return "it has \(count) \(direction) rules; a tier holds at most \(maxRulesPerDirection) per direction (AWS's default quota)"
        }
        return nil
    }

    private struct RuleContext {
        let group: LiveSecurityGroup
        let tierByGroupID: [String: String]
        let locatedInFile: Bool
    }

    /// The rules of one direction as the scenario holds them: peers mapped, descriptions checked,
    /// duplicates (the same traffic twice, e.g. after host bits were cleared) written once, sorted.
    private func rules(_ live: [LiveRule], direction: Direction, context: RuleContext, diagnostics: inout Diagnostics) -> [ImportedRule] {
        var out: [ImportedRule] = []
        var seen: [RuleKey: Int] = [:]
        let group = context.group
        for rule in live {
            let at = context.locatedInFile ? rule.location : nil
            var key = rule.key
            var comments: [String] = []
            // A template rule that differs between deployments is written in the form the audit
            // judges, and says which.
            if let judgedAt = rule.judgedAt { comments.append(judgedAt) }
            var account: String?
            switch rule.key.peer {
            case .securityGroup(let id):
                if let tier = context.tierByGroupID[id] {
                    key.peer = .tier(tier)
                } else if ConfigRules.isResourceID(id, prefix: "sg") {
                    if let owner = rule.peerAccount, let own = group.ownerID, owner != own {
                        if direction == .ingress {
                            account = owner
                        } else {
                            comments.append("\(id) is in account \(owner); CloudFormation's egress rules cannot name the owner account")
                        }
                    }
                } else {
                    diagnostics.warning(
                        .importValueDropped,
                        "a rule of \(group.groupID) names group \(ConfigRules.quoted(id)), which is neither an imported group nor a security group id; the rule is not written",
                        at: at)
                    continue
                }
            case .prefixList(let id):
                guard ConfigRules.isResourceID(id, prefix: "pl") else {
                    diagnostics.warning(
                        .importValueDropped, "a rule of \(group.groupID) names prefix list \(ConfigRules.quoted(id)), which is not a prefix list id; the rule is not written",
                        at: at)
                    continue
                }
            case .cidr(let block):
                if let spelling = rule.peerSpelling {
                    comments.append("the source wrote \(YAMLText.commentText(spelling)); AWS applies the network \(block)")
                }
            case .tier:
                break
            }
            var description: String?
            if direction == .egress, rule.key == DefaultEgress.ipv4Rule, rule.description == CloudFormationTemplateReader.defaultEgressDescription {
                // The audit's stand-in for AWS's default rule, which has no description in AWS.
                comments.append("AWS's default egress: the template gives the group no SecurityGroupEgress")
            } else if let text = rule.description, !text.isEmpty {
                if let problem = ConfigRules.descriptionProblem(text) {
                    comments.append("description not written: it \(problem): \(YAMLText.doubleQuoted(text))")
                    diagnostics.warning(
                        .importValueDropped, "a rule description of \(group.groupID) \(problem); the rule is written without it", at: at)
                } else {
                    description = text
                }
            }
            if let index = seen[key] {
                // The same traffic twice cannot be written (the config rejects duplicates, AWS
                // keeps one): the first is kept, the other named beside it.
                out[index].comments.append("the source also has \(key.peer)\(rule.peerSpelling.map { " (written \(YAMLText.commentText($0)))" } ?? "") with the same protocol and ports\(description.map { ", description \(YAMLText.doubleQuoted($0))" } ?? "")")
                continue
            }
            seen[key] = out.count
            out.append(ImportedRule(key: key, peerAccount: account, description: description, comments: comments))
        }
        return out.sorted { lhs, rhs in
            if lhs.key != rhs.key { return lhs.key < rhs.key }
            return (lhs.description ?? "") < (rhs.description ?? "")
        }
    }
}
