import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import SGReports

/// What `create-security-groups --adopt` does with the adopted tiers (`adopted_groups`) that no
/// stack holds yet, worked out before anything is sent, and what show-changes prints of it.
///
/// Three steps, each changing nothing that traffic sees:
/// 1. **Prepare** (EC2): tag each group `sg-provisioner:deployment`/`sg-provisioner:tier`, and give
///    a group whose declared egress has nothing of its own the rule that matches no traffic. The
///    group then is exactly what the import template says, and the deploy policy's tag conditions
///    cover every later change to it.
/// 2. **Import** (a CloudFormation IMPORT change set per stack): each group by its id and each
///    rule the compiler emits as its own `AWS::EC2::SecurityGroupIngress/Egress` resource by its
///    `sgr-` rule id (the primary identifier of both types is `Id`). The template describes the
///    groups as they ARE: live inline rules, live tags, live descriptions. CloudFormation does not
///    compare an import template with the resource, and an update changes what differs between
///    the previous template and the new one, so recording anything but the live state would make
///    the update skip real differences or authorise rules twice (InvalidPermission.Duplicate).
/// 3. **Update** to the compiled template: rule changes, tags, SSM parameters and outputs, as
///    show-changes lists them. Rules already live were imported, never authorised again; the only
///    rules CloudFormation touches are the ones that differ. An inline rule whose description
///    changes is revoked and authorised again by CloudFormation (`windows`).
///
/// Sources: docs/ADOPT.md.
public struct AdoptionPlan: Sendable, Equatable {
    /// One existing resource an import takes into a stack.
    public struct ImportedResource: Equatable, Sendable {
        /// The tier it belongs to.
        public var tier: String
        /// Its logical id in the template.
        public var logicalID: String
        /// `AWS::EC2::SecurityGroup`, `...Ingress`, `...Egress`.
        public var resourceType: String
        /// `sg-...` or `sgr-...`: the value of the type's primary identifier `Id`.
        public var physicalID: String
        /// For people: `group launch-wizard-1`, `ingress tcp/8080 from tier web`.
        public var what: String
        /// The DeletionPolicy the import template gives it.
        public var deletionPolicy: String
        /// A rule the config no longer has: imported (DeletionPolicy Delete) so that the update
        /// revokes it through CloudFormation.
        public var removedByUpdate: Bool

        /// The `ResourcesToImport` entry.
        public var toImport: ResourceToImport {
            ResourceToImport(resourceType: resourceType, logicalResourceID: logicalID, resourceIdentifier: [("Id", physicalID)])
        }
    }

    /// One IMPORT change set: a stack (created by it, or existing) and what it takes in.
    public struct StackImport: Equatable, Sendable {
        /// The stack.
        public var stackName: String
        /// True when the stack exists before this import (a later batch, or a deployed stack
        /// taking in a newly adopted group): its template is restated unchanged beside the imports.
        public var intoExistingStack: Bool
        /// The template the change set carries.
        public var template: Template
        /// What it imports, in template order.
        public var resources: [ImportedResource]

        /// The `ResourcesToImport` of the change set.
        public var resourcesToImport: [ResourceToImport] { resources.map(\.toImport) }
    }

    /// A change to a live group before the import, which no traffic sees.
    public enum PreparationStep: Equatable, Sendable {
        /// Add these tags to the group.
        case tag(tier: String, groupID: String, tags: [AWSTag])
        /// Authorise the egress rule that matches no traffic: the compiled group declares egress
        /// but has nothing of its own to put inline.
        case closeEgress(tier: String, groupID: String)
    }

    /// Why the adoption cannot go ahead, with where to fix it.
    public struct Problem: Equatable, Sendable {
        /// The tier.
        public var tier: String
        /// What is wrong and what to do.
        public var message: String
        /// Where (the `adopted_groups` entry, the tier, ...).
        public var location: SourceLocation?
    }

    /// An inline rule whose description the update changes: CloudFormation removes the rule and
    /// adds it again, and the traffic it allows is dropped in between.
    public struct Window: Equatable, Sendable {
        /// The tier.
        public var tier: String
        /// The rule.
        public var key: RuleKey
        /// Its live description.
        public var liveDescription: String?
        /// The config's.
        public var newDescription: String?
    }

    /// A tag the update adds, changes or removes on an adopted group.
    public struct TagChange: Equatable, Sendable {
        /// The tier.
        public var tier: String
        /// The tag key.
        public var key: String
        /// Its value after the preparation (nil: the group does not have it).
        public var live: String?
        /// Its value in the compiled template (nil: the update removes it).
        public var compiled: String?
    }

    /// The adopted tiers taken in, by name: `sg-... (GroupName)`.
    public var tiers: [String: String] = [:]
    /// The IMPORT change sets, in the order they run (stacks in deployment order).
    public var stacks: [StackImport] = []
    /// EC2 changes made before the first import.
    public var preparation: [PreparationStep] = []
    /// What stops the adoption; empty when it can go ahead.
    public var problems: [Problem] = []
    /// Inline rules whose description changes (a short drop each).
    public var windows: [Window] = []
    /// Tags the update changes on the adopted groups.
    public var tagChanges: [TagChange] = []
    /// Things worth knowing that do not stop it.
    public var notes: [String] = []
    /// Adopted tiers whose compiled GroupName, GroupDescription or VpcId differ from the live
    /// group's: deploying would replace them (also in `problems`).
    public var replacedTiers: [String] = []

    /// An empty plan (nothing to adopt).
    public init() {}

    /// True when nothing stops the adoption.
    public var isDeployable: Bool { problems.isEmpty }

    /// Every resource imported, across stacks.
    public var importedResources: [ImportedResource] { stacks.flatMap(\.resources) }

    /// The import change sets of one stack, in order.
    public func imports(into stackName: String) -> [StackImport] { stacks.filter { $0.stackName == stackName } }
}

/// Works out the adoption plan from the compiled stacks and the live adopted groups. Pure: the
/// caller reads AWS (the groups with their rule ids, the templates of stacks that exist).
public enum AdoptionPlanner {
    /// CloudFormation takes at most 200 resources per IMPORT change set (`ResourcesToImport`).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
    public static let maxResourcesPerImport = 200

    /// The plan.
    /// - Parameters:
    ///   - deployment: the deployment (its `adopted_groups`).
    ///   - compiled: the compiled stacks, in deployment order.
    ///   - live: the live group of every adopted tier no stack holds, by tier; a pending tier
    ///     missing here does not exist in AWS.
    ///   - held: the adopted tiers some stack already holds (nothing to import).
    ///   - existingTemplates: the deployed template of every compiled stack that exists, by name.
    ///   - tiersByGroupID: group id -> tier for every group of the deployment known to exist
    ///     (adopted ids and the stacks' groups), so live references become tier references.
    ///   - batchSize: resources per IMPORT change set (CloudFormation's limit unless a test says).
    public static func plan(
        deployment: Deployment, compiled: [StackTemplate], live: [String: LiveSecurityGroup], held: Set<String>,
        existingTemplates: [String: Template], tiersByGroupID: [String: String], batchSize: Int = maxResourcesPerImport
    ) -> AdoptionPlan {
        var plan = AdoptionPlan()
        let desired = TemplateRuleReader.read(compiled)
        let stackIndex = Dictionary(compiled.enumerated().map { ($1.stackName, $0) }, uniquingKeysWith: { first, _ in first })
        var taken = Set(compiled.flatMap { $0.template.resources.map(\.logicalID) })
        for template in existingTemplates.values { taken.formUnion(template.resources.map(\.logicalID)) }
        // Per stack: resources in the order the compiled template has them (groups, then rules),
        // then rules the update removes.
        var imported: [String: [(order: Int, resource: TemplateResource, entry: AdoptionPlan.ImportedResource)]] = [:]

        let pending = deployment.config.adoptedGroups.filter { !held.contains($0.tier) }.sorted { $0.tier < $1.tier }
        for adopted in pending {
            guard let group = live[adopted.tier] else {
                plan.problems.append(.init(
                    tier: adopted.tier,
                    message: "tier \(adopted.tier): its adopted group \(adopted.groupID) (\(adopted.groupName)) does not exist in AWS;"
                        + " remove the tier from adopted_groups to have the stack create its group, or import the group that replaced it",
                    location: adopted.location))
                continue
            }
            plan.tiers[adopted.tier] = "\(group.groupID) (\(group.name))"
            guard let tier = desired.tiers[adopted.tier], let stackName = tier.stackName, let stack = compiled.first(where: { $0.stackName == stackName }),
                  let compiledGroup = stack.template.resource(tier.groupLogicalID) else {
                plan.problems.append(.init(
                    tier: adopted.tier, message: "tier \(adopted.tier): the compiled templates hold no group for it", location: adopted.location))
                continue
            }
            var tierPlan = TierAdoption(
                deployment: deployment, adopted: adopted, group: group, tier: tier, compiledGroup: compiledGroup, stack: stack,
                compiled: compiled, stackIndex: stackIndex, desired: desired, tiersByGroupID: tiersByGroupID)
            tierPlan.work(taken: &taken)
            plan.problems += tierPlan.problems
            plan.preparation += tierPlan.preparation
            plan.windows += tierPlan.windows
            plan.tagChanges += tierPlan.tagChanges
            plan.notes += tierPlan.notes
            if tierPlan.replaces { plan.replacedTiers.append(adopted.tier) }
            for (stackName, order, resource, entry) in tierPlan.resources {
                imported[stackName, default: []].append((order, resource, entry))
            }
        }

        for stack in compiled {
            guard let entries = imported[stack.stackName], !entries.isEmpty else { continue }
            let ordered = entries.sorted { $0.order != $1.order ? $0.order < $1.order : $0.resource.logicalID < $1.resource.logicalID }
            var base = existingTemplates[stack.stackName]
            for start in stride(from: 0, to: ordered.count, by: max(1, batchSize)) {
                let batch = Array(ordered[start..<min(start + max(1, batchSize), ordered.count)])
                var template = base ?? Template(description: stack.template.description, metadata: stack.template.metadata)
                template.resources += batch.map(\.resource)
                plan.stacks.append(.init(
                    stackName: stack.stackName, intoExistingStack: base != nil, template: template, resources: batch.map(\.entry)))
                base = template
            }
        }
        return plan
    }
}

/// One adopted tier's part of the plan (the planner's working state for it).
private struct TierAdoption {
    let deployment: Deployment
    let adopted: AdoptedGroup
    let group: LiveSecurityGroup
    let tier: TemplateTier
    let compiledGroup: TemplateResource
    let stack: StackTemplate
    let compiled: [StackTemplate]
    let stackIndex: [String: Int]
    let desired: TemplateRules
    let tiersByGroupID: [String: String]

    var problems: [AdoptionPlan.Problem] = []
    var preparation: [AdoptionPlan.PreparationStep] = []
    var windows: [AdoptionPlan.Window] = []
    var tagChanges: [AdoptionPlan.TagChange] = []
    var notes: [String] = []
    var replaces = false
    var resources: [(stack: String, order: Int, resource: TemplateResource, entry: AdoptionPlan.ImportedResource)] = []

    init(
        deployment: Deployment, adopted: AdoptedGroup, group: LiveSecurityGroup, tier: TemplateTier, compiledGroup: TemplateResource,
        stack: StackTemplate, compiled: [StackTemplate], stackIndex: [String: Int], desired: TemplateRules, tiersByGroupID: [String: String]
    ) {
        self.deployment = deployment
        self.adopted = adopted
        self.group = group
        self.tier = tier
        self.compiledGroup = compiledGroup
        self.stack = stack
        self.compiled = compiled
        self.stackIndex = stackIndex
        self.desired = desired
        self.tiersByGroupID = tiersByGroupID
    }

    var name: String { adopted.tier }

    mutating func problem(_ message: String, at location: SourceLocation? = nil) {
        problems.append(.init(tier: name, message: "tier \(name): " + message, location: location ?? adopted.location))
    }

    mutating func work(taken: inout Set<String>) {
        checkIdentity()
        let tags = prepareTags()
        var ingress: [TemplateValue] = [], egress: [TemplateValue] = []
        var defaultEgress: [RuleKey] = []
        let compiledRules = Dictionary(tier.rules.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let declaresEgress = compiledGroup["SecurityGroupEgress"] != nil
        for live in group.rules.sorted(by: { $0.key < $1.key }) {
            let key = live.tierKey(tiersByGroupID)
            let rule = Rule(
                direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer,
                description: LiveText.normalised(live.description), locations: RuleLocations(rule: group.location), peerAccount: live.peerAccount)
            if let compiledRule = compiledRules[key] {
                if let logicalID = compiledRule.logicalID {
                    importCompiledRule(live, logicalID: logicalID)
                } else {
                    if rule.description != compiledRule.description {
                        windows.append(.init(tier: name, key: key, liveDescription: rule.description, newDescription: compiledRule.description))
                    }
                    append(rule, to: &ingress, &egress)
                }
            } else if case .tier = key.peer {
                importRemovedRule(live, rule: rule, taken: &taken)
            } else if key.direction == .egress && !declaresEgress && DefaultEgress.isDefaultRule(key) {
                defaultEgress.append(key)
            } else {
                append(rule, to: &ingress, &egress)
            }
        }
        if declaresEgress {
            // Nothing of its own inline: the compiled group carries the rule that matches no
            // traffic, and so must the live one, or the import would record a rule that is not there.
            if egress.isEmpty {
                preparation.append(.closeEgress(tier: name, groupID: group.groupID))
                egress = [AdoptionResources.egressPlaceholder]
            }
        } else if !egress.isEmpty || !defaultEgress.contains(DefaultEgress.ipv4Rule) {
            let found = egress.isEmpty ? "no allow-all egress" : "egress of its own"
            problem(
                "the scenario leaves out egress (AWS's default allow-all) but the live group \(group.groupID) has \(found);"
                    + " write the tier's egress in the scenario (import-security-groups writes it as the live group has it)",
                at: deployment.tiers.first { $0.name == name }?.location)
        }
        var properties: [(String, TemplateValue)] = ["GroupName", "GroupDescription", "VpcId"].compactMap { key in
            compiledGroup[key].map { (key, $0) }
        }
        if !ingress.isEmpty { properties.append(("SecurityGroupIngress", .list(ingress))) }
        if declaresEgress { properties.append(("SecurityGroupEgress", .list(egress))) }
        properties.append(("Tags", .list(tags.map { .map([("Key", .string($0.key)), ("Value", .string($0.value))]) })))
        let resource = TemplateResource(
            logicalID: tier.groupLogicalID, type: AdoptionResources.securityGroupType, properties: properties,
            deletionPolicy: AdoptionResources.retainPolicy, updateReplacePolicy: AdoptionResources.retainPolicy)
        resources.append((stack.stackName, order(of: tier.groupLogicalID, in: stack), resource, .init(
            tier: name, logicalID: tier.groupLogicalID, resourceType: AdoptionResources.securityGroupType, physicalID: group.groupID,
            what: "group \(group.name)", deletionPolicy: AdoptionResources.retainPolicy, removedByUpdate: false)))
    }

    /// GroupName, GroupDescription and VpcId are fixed when a group is created: a compiled value
    /// that differs would be a replacement in the update, and the import would record a group
    /// that is not there.
    mutating func checkIdentity() {
        let fields: [(String, String?, String?, String)] = [
            ("GroupName", compiledGroup["GroupName"]?.stringValue, group.name, "set group_name under adopted_groups.\(name) back to it"),
            ("GroupDescription", compiledGroup["GroupDescription"]?.stringValue, group.description,
             "set group_description under adopted_groups.\(name) back to it"),
            ("VpcId", compiledGroup["VpcId"]?.stringValue, group.vpcID, "a group cannot move to another VPC; adopt it from a config whose vpc_id is its VPC"),
        ]
        for (field, compiledValue, liveValue, fix) in fields where compiledValue != liveValue {
            replaces = true
            problem(
                "\(field) \(quoted(compiledValue)) in the compiled template, \(quoted(liveValue)) on the live group \(group.groupID):"
                    + " CloudFormation would replace the group; \(fix)")
        }
        if let other = group.deploymentTag, other != deployment.identity.qualifiedName {
            problem("the live group \(group.groupID) is tagged \(DeploymentIdentity.deploymentTagKey)=\(other): it belongs to another deployment")
        }
        if let owner = group.tags["aws:cloudformation:stack-name"] {
            notes.append(
                "tier \(name): \(group.groupID) carries aws:cloudformation:stack-name=\(owner); CloudFormation refuses to import a resource"
                    + " a stack still holds (delete that stack with the group retained first)")
        }
    }

    /// The tags the import template states: the live ones (AWS's own `aws:` tags cannot be
    /// written) plus the two the preparation adds; what the update then changes is noted.
    mutating func prepareTags() -> [AWSTag] {
        var tags = group.tags.filter { !$0.key.hasPrefix("aws:") }
        var added: [AWSTag] = []
        for (key, value) in [(DeploymentIdentity.deploymentTagKey, deployment.identity.qualifiedName), (DeploymentIdentity.tierTagKey, name)]
        where tags[key] != value {
            tags[key] = value
            added.append(AWSTag(key: key, value: value))
        }
        if !added.isEmpty { preparation.append(.tag(tier: name, groupID: group.groupID, tags: added)) }
        var compiledTags: [String: String] = [:]
        for tag in compiledGroup["Tags"]?.listValue ?? [] {
            if let key = tag["Key"]?.stringValue { compiledTags[key] = tag["Value"]?.stringValue ?? "" }
        }
        for key in Set(tags.keys).union(compiledTags.keys).sorted() where tags[key] != compiledTags[key] {
            tagChanges.append(.init(tier: name, key: key, live: tags[key], compiled: compiledTags[key]))
        }
        // Name first, then by key, the sg-provisioner tags last: the order the compiler writes.
        let own = [DeploymentIdentity.deploymentTagKey, DeploymentIdentity.tierTagKey]
        let ordered = (tags["Name"].map { [AWSTag(key: "Name", value: $0)] } ?? [])
            + tags.filter { $0.key != "Name" && !own.contains($0.key) }.sorted { $0.key < $1.key }.map { AWSTag(key: $0.key, value: $0.value) }
            + own.compactMap { key in tags[key].map { AWSTag(key: key, value: $0) } }
        return ordered
    }

    func append(_ rule: Rule, to ingress: inout [TemplateValue], _ egress: inout [TemplateValue]) {
        let item = TemplateValue.map(AdoptionResources.ruleFields(rule, peer: nil))
        if rule.direction == .ingress { ingress.append(item) } else { egress.append(item) }
    }

    /// A live rule the compiled template has as its own resource: imported by rule id, with the
    /// live description (the update changes a description in place).
    mutating func importCompiledRule(_ live: LiveRule, logicalID: String) {
        guard let holder = compiled.first(where: { $0.template.resource(logicalID) != nil }), var resource = holder.template.resource(logicalID) else { return }
        guard let ruleID = live.ruleID else {
            problem("its live rule \(live.key) has no rule id (sgr-) to import it by; read the group from EC2, not a snapshot")
            return
        }
        var properties = (resource.properties.mapEntries ?? []).filter { $0.0 != "Description" }
        if let description = LiveText.normalised(live.description) { properties.append(("Description", .string(description))) }
        resource.properties = .map(properties)
        // Both policies, as for the groups (cfn-lint W3011): nothing the import records is lost
        // before the update has run.
        resource.deletionPolicy = AdoptionResources.retainPolicy
        resource.updateReplacePolicy = AdoptionResources.retainPolicy
        resources.append((holder.stackName, order(of: logicalID, in: holder), resource, .init(
            tier: name, logicalID: logicalID, resourceType: resource.type, physicalID: ruleID, what: live.tierKey(tiersByGroupID).description,
            deletionPolicy: AdoptionResources.retainPolicy, removedByUpdate: false)))
    }

    /// A live rule naming a group of the deployment that the config no longer has: imported beside
    /// the group, as its own resource the update then drops (DeletionPolicy Delete: dropping it
    /// revokes it).
    mutating func importRemovedRule(_ live: LiveRule, rule: Rule, taken: inout Set<String>) {
        guard let ruleID = live.ruleID else {
            problem("its live rule \(live.key) has no rule id (sgr-) to import it by; read the group from EC2, not a snapshot")
            return
        }
        guard case .tier(let peerTier) = rule.peer, let peer = reference(to: peerTier) else {
            problem("its live rule \(rule.key) names tier \(rule.peer), whose group is in a later stack; deploy without the rule first")
            return
        }
        guard let own = reference(to: name) else { return }
        let logicalID = AdoptionResources.ruleLogicalID(rule, tier: name, taken: &taken)
        let type = rule.direction == .ingress ? AdoptionResources.ingressType : AdoptionResources.egressType
        let resource = TemplateResource(
            logicalID: logicalID, type: type, properties: [("GroupId", own)] + AdoptionResources.ruleFields(rule, peer: peer),
            deletionPolicy: AdoptionResources.deletePolicy)
        resources.append((stack.stackName, Int.max, resource, .init(
            tier: name, logicalID: logicalID, resourceType: type, physicalID: ruleID, what: rule.key.description,
            deletionPolicy: AdoptionResources.deletePolicy, removedByUpdate: true)))
    }

    /// How a rule in this tier's group stack names a tier's group: `!GetAtt` in the same stack,
    /// `!ImportValue` of its export from an earlier stack (whose update has run by then).
    func reference(to tierName: String) -> TemplateValue? {
        guard let other = desired.tiers[tierName], let otherStack = other.stackName else { return nil }
        if otherStack == stack.stackName { return .getAtt(other.groupLogicalID, "GroupId") }
        guard let otherIndex = stackIndex[otherStack], let ownIndex = stackIndex[stack.stackName], otherIndex < ownIndex,
              let export = compiled[otherIndex].template.outputs.first(where: { $0.value == .getAtt(other.groupLogicalID, "GroupId") })?.exportName
        else { return nil }
        return .importValue(.string(export))
    }

    func order(of logicalID: String, in stack: StackTemplate) -> Int {
        stack.template.resources.firstIndex { $0.logicalID == logicalID } ?? Int.max
    }

    func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }
}
