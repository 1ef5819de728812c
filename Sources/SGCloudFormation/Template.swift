import SGDiagnostics

/// One resource of a template: its logical id, AWS type and properties (a `.map`).
public struct TemplateResource: Hashable, Sendable {
    /// The logical id, unique in the template (alphanumeric).
    public var logicalID: String
    /// The AWS type, e.g. `AWS::EC2::SecurityGroup`.
    public var type: String
    /// The properties, in emission order; always a `.map`.
    public var properties: TemplateValue
    /// `DeletionPolicy` (`Retain`, `RetainExceptOnCreate`, ...): what CloudFormation does with the
    /// resource when the stack is deleted. nil: deleted with the stack. The compiler sets `Retain`
    /// on the group of an adopted tier (`adopted_groups`): deleting the stack must not delete a
    /// group the tool did not create.
    public var deletionPolicy: String?
    /// `UpdateReplacePolicy`: what CloudFormation does with the old resource when an update
    /// replaces it. Set with `deletionPolicy` on adopted groups (cfn-lint W3011 asks for both).
    public var updateReplacePolicy: String?

    /// Creates a resource.
    public init(
        logicalID: String, type: String, properties: [(String, TemplateValue)], deletionPolicy: String? = nil,
        updateReplacePolicy: String? = nil
    ) {
        self.logicalID = logicalID
        self.type = type
        self.properties = .map(properties)
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
    }

    /// One property's value, or nil when absent.
    public subscript(property: String) -> TemplateValue? { properties[property] }

    /// True when deleting the stack leaves the resource in place (DeletionPolicy Retain, or
    /// RetainExceptOnCreate outside a failed creation).
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
    public var isRetainedOnStackDeletion: Bool {
        deletionPolicy == "Retain" || deletionPolicy == "RetainExceptOnCreate"
    }

    /// The resource as it appears under `Resources`.
    public var value: TemplateValue {
        var entries: [(String, TemplateValue)] = [("Type", .string(type))]
        if let deletionPolicy { entries.append(("DeletionPolicy", .string(deletionPolicy))) }
        if let updateReplacePolicy { entries.append(("UpdateReplacePolicy", .string(updateReplacePolicy))) }
        entries.append(("Properties", properties))
        return .map(entries)
    }
}

/// One template parameter: a value each stack (a StackSet's instance) is given when it is created.
public struct TemplateParameterDefinition: Hashable, Sendable {
    /// The parameter's logical id (what `!Ref` names).
    public var logicalID: String
    /// `String`, or an AWS-specific type such as `AWS::EC2::VPC::Id` that CloudFormation checks
    /// against the account and region the stack is created in.
    public var type: String
    /// What the value is, for people.
    public var description: String
    /// A regular expression the value must match, checked by CloudFormation before anything is created.
    public var allowedPattern: String?
    /// What CloudFormation says when `allowedPattern` fails.
    public var constraintDescription: String?

    /// Creates a parameter.
    public init(logicalID: String, type: String, description: String, allowedPattern: String? = nil, constraintDescription: String? = nil) {
        self.logicalID = logicalID
        self.type = type
        self.description = description
        self.allowedPattern = allowedPattern
        self.constraintDescription = constraintDescription
    }

    /// The parameter as it appears under `Parameters`.
    public var value: TemplateValue {
        var entries: [(String, TemplateValue)] = [("Type", .string(type)), ("Description", .string(description))]
        if let allowedPattern { entries.append(("AllowedPattern", .string(allowedPattern))) }
        if let constraintDescription { entries.append(("ConstraintDescription", .string(constraintDescription))) }
        return .map(entries)
    }
}

/// One stack output, optionally exported for other stacks (`Fn::ImportValue`).
public struct TemplateOutput: Hashable, Sendable {
    /// The output's logical id.
    public var logicalID: String
    /// What it is, for people reading the stack.
    public var description: String?
    /// The value.
    public var value: TemplateValue
    /// The export name, when other stacks may import it.
    public var exportName: String?
    /// The export name as the template writes it, when it is not the plain `exportName` (a
    /// StackSet's `!Sub` with `${AWS::Region}`, so every instance exports a name of its own).
    public var exportNameValue: TemplateValue?

    /// Creates an output.
    public init(logicalID: String, description: String? = nil, value: TemplateValue, exportName: String? = nil) {
        self.logicalID = logicalID
        self.description = description
        self.value = value
        self.exportName = exportName
    }

    /// The output as it appears under `Outputs`.
    public var templateValue: TemplateValue {
        var entries: [(String, TemplateValue)] = []
        if let description { entries.append(("Description", .string(description))) }
        entries.append(("Value", value))
        if let exportName { entries.append(("Export", .map([("Name", exportNameValue ?? .string(exportName))]))) }
        return .map(entries)
    }
}

/// A CloudFormation template: sections in the order they are rendered. Inspectable (resources by
/// logical id and type) so tests, show-changes and drift can read back what it means.
public struct Template: Hashable, Sendable {
    /// `AWSTemplateFormatVersion`.
    public var formatVersion: String
    /// `Description` (at most 1024 bytes, see `StackLimits.maxDescriptionBytes`).
    public var description: String
    /// `Metadata` (a `.map`); never holds a timestamp, so output is byte-identical across runs.
    public var metadata: TemplateValue
    /// `Resources` in emission order.
    public var resources: [TemplateResource]
    /// `Outputs` in emission order; the section is omitted when empty.
    public var outputs: [TemplateOutput]
    /// `Parameters` in order; the section is omitted when empty (only a StackSet's template has any).
    public var parameters: [TemplateParameterDefinition] = []

    /// The only format version CloudFormation has.
    public static let currentFormatVersion = "2010-09-09"

    /// Creates a template.
    public init(
        formatVersion: String = Template.currentFormatVersion, description: String, metadata: TemplateValue = .map([]),
        resources: [TemplateResource] = [], outputs: [TemplateOutput] = []
    ) {
        self.formatVersion = formatVersion
        self.description = description
        self.metadata = metadata
        self.resources = resources
        self.outputs = outputs
    }

    /// The resource with a logical id, if any.
    public func resource(_ logicalID: String) -> TemplateResource? {
        resources.first { $0.logicalID == logicalID }
    }

    /// Every resource of a type, in template order.
    public func resources(ofType type: String) -> [TemplateResource] {
        resources.filter { $0.type == type }
    }

    /// The output with a logical id, if any.
    public func output(_ logicalID: String) -> TemplateOutput? {
        outputs.first { $0.logicalID == logicalID }
    }

    /// The whole document as one ordered map, the form both renderers walk.
    public var value: TemplateValue {
        var sections: [(String, TemplateValue)] = [
            ("AWSTemplateFormatVersion", .string(formatVersion)),
            ("Description", .string(description)),
        ]
        if case .map(let entries) = metadata, !entries.isEmpty { sections.append(("Metadata", metadata)) }
        if !parameters.isEmpty { sections.append(("Parameters", .map(parameters.map { ($0.logicalID, $0.value) }))) }
        sections.append(("Resources", .map(resources.map { ($0.logicalID, $0.value) })))
        if !outputs.isEmpty { sections.append(("Outputs", .map(outputs.map { ($0.logicalID, $0.templateValue) }))) }
        return .map(sections)
    }

    /// YAML with 2-space indentation and short-form intrinsic tags, ending in a newline.
    public func renderYAML() -> String { TemplateYAMLWriter.document(value) }

    /// JSON with 2-space indentation and long-form intrinsics, keys in model order, ending in a newline.
    public func renderJSON() -> String { TemplateJSONWriter.document(value) }

    /// The larger of the two renderings in bytes: a stack must fit its limits whichever format
    /// the operator deploys.
    /// Counted by the renderers themselves with nothing built, so sizing a stack costs a walk of
    /// its values rather than two full renderings.
    public var renderedSize: Int {
        let document = value
        return max(TemplateYAMLWriter.documentSize(document), TemplateJSONWriter.documentSize(document))
    }
}

/// The `renderedSize` of a template whose resources are added one at a time and not kept: the
/// skeleton (the template with no resources) is counted once, and each resource adds exactly
/// the bytes of its entry under `Resources` in each format (`RenderingEquivalenceTests` checks
/// the result against full renderings).
struct TemplateSizeAccumulator {
    private let skeletonYAML: Int
    private let skeletonJSON: Int
    private var entriesYAML = 0
    private var entriesJSON = 0
    /// Resources added so far.
    private(set) var resourceCount = 0

    /// Starts from a template whose `resources` is empty.
    init(skeleton: Template) {
        let document = skeleton.value
        skeletonYAML = TemplateYAMLWriter.documentSize(document)
        skeletonJSON = TemplateJSONWriter.documentSize(document)
    }

    mutating func add(_ resource: TemplateResource) {
        let entry = resource.value
        entriesYAML += TemplateYAMLWriter.entrySize(key: resource.logicalID, value: entry, indent: 2)
        entriesJSON += TemplateJSONWriter.entrySize(key: resource.logicalID, value: entry, depth: 2)
        resourceCount += 1
    }

    /// Adds resources whose entries were already measured (their summed `EntrySizes`).
    mutating func add(entries: EntrySizes, resources: Int) {
        entriesYAML += entries.yaml
        entriesJSON += entries.json
        resourceCount += resources
    }

    /// `max(YAML, JSON)` bytes of the template with every added resource.
    var renderedSize: Int {
        guard resourceCount > 0 else { return max(skeletonYAML, skeletonJSON) }
        // YAML: `Resources: {}\n` becomes `Resources:\n` followed by the entries at indent 2.
        let yaml = skeletonYAML - " {}".utf8.count + entriesYAML
        // JSON: `{}` becomes `{\n`, the entries at depth 2 joined by `,\n`, then `\n  }`.
        let json = skeletonJSON - "{}".utf8.count + "{\n".utf8.count + entriesJSON + 2 * (resourceCount - 1) + "\n  }".utf8.count
        return max(yaml, json)
    }
}

/// The bytes one or more entries of a template section add to each rendering.
struct EntrySizes {
    /// In YAML (indented under the section).
    var yaml = 0
    /// In JSON, without the `,\n` that separates entries.
    var json = 0

    /// An upper bound of what the entry adds to either rendering: its YAML fragment, or its JSON
    /// fragment plus the separating `,\n`; packing compares sums of these with the limit.
    var packingBound: Int { max(yaml, json + 2) }

    static func + (lhs: EntrySizes, rhs: EntrySizes) -> EntrySizes {
        EntrySizes(yaml: lhs.yaml + rhs.yaml, json: lhs.json + rhs.json)
    }
}

/// What a stack of a compiled deployment holds; stacks must be deployed in `CompilationResult.stacks` order.
public enum StackRole: Hashable, Sendable {
    /// The deployment's stack (`{stackName}`): security groups, SSM parameters, exported ids and,
    /// when everything fits in one stack, the tier-to-tier rules too.
    case main
    /// An extra stack of security groups (`{stackName}-groups-N`), only when the groups alone
    /// exceed one stack.
    case groups(part: Int)
    /// A stack of standalone rules (`{stackName}-rules-N`) that import group ids from the group stacks.
    case rules(part: Int)
}

/// One stack to deploy: its name, its template and its role.
public struct StackTemplate: Hashable, Sendable {
    /// The CloudFormation stack name.
    public var stackName: String
    /// The template.
    public var template: Template
    /// What the stack holds.
    public var role: StackRole

    /// Creates a stack template.
    public init(stackName: String, template: Template, role: StackRole) {
        self.stackName = stackName
        self.template = template
        self.role = role
    }
}

/// The output of `TemplateCompiler.compile`: the stacks in deployment order and the diagnostics.
/// With errors the stacks hold whatever could be emitted and must not be deployed.
public struct CompilationResult: Sendable {
    /// One stack normally; several when the deployment exceeds one stack's limits.
    public var stacks: [StackTemplate]
    /// E4xx errors and W4xx warnings.
    public var diagnostics: Diagnostics
    /// For split stacks, by stack name: the exact rendered size the packer worked out from the
    /// entry sizes it measured and checked against the limits (tests compare with renderings).
    var measuredSizes: [String: Int] = [:]

    /// Creates a result.
    public init(stacks: [StackTemplate], diagnostics: Diagnostics) {
        self.stacks = stacks
        self.diagnostics = diagnostics
    }

    /// The main stack, if compilation produced one.
    public var mainStack: StackTemplate? { stacks.first { $0.role == .main } }
}
