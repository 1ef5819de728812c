import Foundation

/// A stack or template parameter value.
public struct StackParameter: Sendable, Equatable {
    /// Parameter name.
    public var key: String
    /// Value.
    public var value: String
    /// Creates a parameter value.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A stack status such as CREATE_COMPLETE, with the classifications a deployer needs.
public struct StackStatus: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The AWS status text.
    public let rawValue: String
    /// Wraps a status.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Still changing.
    public var isInProgress: Bool { rawValue.hasSuffix("_IN_PROGRESS") }
    /// Finished, successfully or not.
    public var isTerminal: Bool { !isInProgress }
    /// A failure or rollback state: the stack did not reach what was asked.
    public var isFailure: Bool { rawValue.contains("FAILED") || rawValue.contains("ROLLBACK") }
    /// The status text.
    public var description: String { rawValue }
}

/// An output of a stack.
public struct StackOutput: Sendable, Equatable {
    /// Output name.
    public let key: String
    /// Value.
    public let value: String
    /// Description.
    public let description: String?
    /// Export name, when exported.
    public let exportName: String?
}

/// A stack as DescribeStacks reports it.
public struct StackDescription: Sendable, Equatable {
    /// Stack ARN.
    public let stackID: String
    /// Stack name.
    public let stackName: String
    /// Current status.
    public let status: StackStatus
    /// Why it is in that status.
    public let statusReason: String?
    /// Template description.
    public let description: String?
    /// When the stack was created.
    public let creationTime: Date?
    /// Last update.
    public let lastUpdatedTime: Date?
    /// Outputs.
    public let outputs: [StackOutput]
    /// Parameter values.
    public let parameters: [StackParameter]
    /// Stack tags.
    public let tags: [AWSTag]
    /// Termination protection.
    public let terminationProtection: Bool
}

/// One stack event.
public struct StackEvent: Sendable, Equatable {
    /// Event id.
    public let eventID: String
    /// Logical id of the resource (the stack's own name for stack events).
    public let logicalResourceID: String
    /// Physical id, once known.
    public let physicalResourceID: String?
    /// Resource type.
    public let resourceType: String
    /// Time of the event.
    public let timestamp: Date?
    /// Resource status.
    public let resourceStatus: String
    /// Why (often the AWS error on failures).
    public let resourceStatusReason: String?
    /// The ClientRequestToken of the operation that caused the event: how a caller whose request
    /// may or may not have reached AWS finds out whether it did.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html
    public var clientRequestToken: String? = nil
}

/// One resource of a stack.
public struct StackResource: Sendable, Equatable {
    /// Logical id in the template.
    public let logicalResourceID: String
    /// Physical id (sg-..., rule id...).
    public let physicalResourceID: String?
    /// Resource type, e.g. AWS::EC2::SecurityGroup.
    public let resourceType: String
    /// Resource status.
    public let resourceStatus: String
    /// Why.
    public let resourceStatusReason: String?
    /// Last change.
    public let timestamp: Date?
}

/// What to do when stack creation fails.
public enum StackOnFailure: String, Sendable {
    /// Leave the failed resources for inspection.
    case doNothing = "DO_NOTHING"
    /// Roll back (CloudFormation's default).
    case rollback = "ROLLBACK"
    /// Delete the stack.
    case delete = "DELETE"
}

/// Input of CreateStack.
public struct CreateStackRequest: Sendable, Equatable {
    /// Stack name.
    public var stackName: String
    /// Template body (YAML or JSON, at most 51,200 bytes inline).
    public var templateBody: String
    /// Parameter values.
    public var parameters: [StackParameter] = []
    /// Stack tags (propagated to resources).
    public var tags: [AWSTag] = []
    /// Capabilities such as CAPABILITY_IAM.
    public var capabilities: [String] = []
    /// Behaviour on failure.
    public var onFailure: StackOnFailure?
    /// Enable termination protection.
    public var enableTerminationProtection: Bool?
    /// Timeout.
    public var timeoutInMinutes: Int?
    /// Stack policy body (JSON).
    public var stackPolicyBody: String?
    /// The idempotency token, reused on every retry; nil: the client makes one. A caller that gives
    /// its own can look for it in the stack's events afterwards.
    public var clientRequestToken: String?

    /// Creates a request.
    public init(stackName: String, templateBody: String) {
        self.stackName = stackName
        self.templateBody = templateBody
    }
}

/// Input of UpdateStack.
public struct UpdateStackRequest: Sendable, Equatable {
    /// Stack name or id.
    public var stackName: String
    /// New template body.
    public var templateBody: String
    /// Parameter values.
    public var parameters: [StackParameter] = []
    /// Stack tags.
    public var tags: [AWSTag] = []
    /// Capabilities.
    public var capabilities: [String] = []
    /// The idempotency token, reused on every retry; nil: the client makes one.
    public var clientRequestToken: String?

    /// Creates a request.
    public init(stackName: String, templateBody: String) {
        self.stackName = stackName
        self.templateBody = templateBody
    }
}

/// CREATE (new stack), UPDATE or IMPORT change sets.
public enum ChangeSetType: String, Sendable {
    /// Change set that creates the stack.
    case create = "CREATE"
    /// Change set against an existing stack.
    case update = "UPDATE"
    /// Change set that takes existing resources (`ResourcesToImport`) into a stack, creating the
    /// stack when it does not exist; it may add nothing else.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html
    case `import` = "IMPORT"
}

/// One existing resource an IMPORT change set takes into a stack (`ResourceToImport`).
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceToImport.html
public struct ResourceToImport: Sendable, Equatable {
    /// The resource type, e.g. `AWS::EC2::SecurityGroup`.
    public var resourceType: String
    /// The logical id the template gives it.
    public var logicalResourceID: String
    /// The resource type's primary identifier properties and their live values, e.g.
    /// `[("Id", "sg-0123")]`; in this order on the wire.
    public var resourceIdentifier: [(String, String)]

    /// Creates an entry.
    public init(resourceType: String, logicalResourceID: String, resourceIdentifier: [(String, String)]) {
        self.resourceType = resourceType
        self.logicalResourceID = logicalResourceID
        self.resourceIdentifier = resourceIdentifier
    }

    /// Equal when type, logical id and every identifier pair match (tuples are not Equatable).
    public static func == (lhs: ResourceToImport, rhs: ResourceToImport) -> Bool {
        lhs.resourceType == rhs.resourceType && lhs.logicalResourceID == rhs.logicalResourceID
            && lhs.resourceIdentifier.count == rhs.resourceIdentifier.count
            && zip(lhs.resourceIdentifier, rhs.resourceIdentifier).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

/// Input of CreateChangeSet.
public struct CreateChangeSetRequest: Sendable, Equatable {
    /// Stack name.
    public var stackName: String
    /// Change set name.
    public var changeSetName: String
    /// Template body.
    public var templateBody: String
    /// CREATE, UPDATE or IMPORT.
    public var changeSetType: ChangeSetType
    /// IMPORT only: the existing resources to take into the stack.
    public var resourcesToImport: [ResourceToImport] = []
    /// Parameter values.
    public var parameters: [StackParameter] = []
    /// Tags.
    public var tags: [AWSTag] = []
    /// Capabilities.
    public var capabilities: [String] = []
    /// Description.
    public var description: String?

    /// Creates a request.
    public init(stackName: String, changeSetName: String, templateBody: String, changeSetType: ChangeSetType) {
        self.stackName = stackName
        self.changeSetName = changeSetName
        self.templateBody = templateBody
        self.changeSetType = changeSetType
    }
}

/// Ids returned by CreateChangeSet.
public struct CreatedChangeSet: Sendable, Equatable {
    /// Change set ARN.
    public let changeSetID: String
    /// Stack ARN.
    public let stackID: String?
}

/// One attribute-level detail of a resource change.
public struct ResourceChangeDetail: Sendable, Equatable {
    /// "Properties", "Metadata", "Tags"...
    public let attribute: String?
    /// Property name.
    public let name: String?
    /// "Always", "Never" or "Conditionally".
    public let requiresRecreation: String?
    /// What caused the change.
    public let changeSource: String?
}

/// One resource change of a change set; `replacement` "True" is what show-changes warns about.
public struct ResourceChange: Sendable, Equatable {
    /// "Add", "Modify", "Remove", "Import", "Dynamic".
    public let action: String
    /// Logical id.
    public let logicalResourceID: String
    /// Physical id, for existing resources.
    public let physicalResourceID: String?
    /// Resource type.
    public let resourceType: String
    /// "True", "False" or "Conditional" (modifications only).
    public let replacement: String?
    /// Changed scopes ("Properties", "Tags"...).
    public let scope: [String]
    /// Attribute-level details.
    public let details: [ResourceChangeDetail]
}

/// A change set as DescribeChangeSet reports it (all pages merged).
public struct ChangeSetDescription: Sendable, Equatable {
    /// Change set ARN.
    public let changeSetID: String
    /// Name.
    public let changeSetName: String
    /// Stack ARN.
    public let stackID: String?
    /// CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED...
    public let status: String
    /// Why (e.g. "The submitted information didn't contain changes.").
    public let statusReason: String?
    /// AVAILABLE, EXECUTE_IN_PROGRESS...
    public let executionStatus: String?
    /// Every resource change.
    public let changes: [ResourceChange]
}

/// A template parameter declared by a validated template.
public struct TemplateParameter: Sendable, Equatable {
    /// Name.
    public let key: String
    /// Default value.
    public let defaultValue: String?
    /// NoEcho.
    public let noEcho: Bool
    /// Description.
    public let description: String?
}

/// Result of ValidateTemplate.
public struct TemplateValidation: Sendable, Equatable {
    /// Template description.
    public let description: String?
    /// Declared parameters.
    public let parameters: [TemplateParameter]
    /// Capabilities the template requires.
    public let capabilities: [String]
    /// Why they are required.
    public let capabilitiesReason: String?
}

/// Which template GetTemplate returns.
public enum TemplateStage: String, Sendable {
    /// As submitted.
    case original = "Original"
    /// After transforms.
    case processed = "Processed"
}
