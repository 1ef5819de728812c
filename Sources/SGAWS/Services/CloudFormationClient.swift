import Foundation

/// AWS CloudFormation over the Query protocol.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/Welcome.html
///
/// Mutating calls that accept `ClientRequestToken` get one token per logical call, reused
/// on every retry, so CloudFormation performs them once however often they are retried.
public struct CloudFormationClient: Sendable {
    /// The underlying Query client (service `.cloudFormation`).
    public let query: AWSQueryClient

    /// Wraps a Query client configured for CloudFormation.
    public init(query: AWSQueryClient) { self.query = query }

    /// Creates a stack; returns its id (ARN).
    public func createStack(_ request: CreateStackRequest) async throws -> String {
        var parameters = query.parameters("CreateStack")
        parameters.set("StackName", request.stackName)
        parameters.set("TemplateBody", request.templateBody)
        Self.setCommon(&parameters, request.parameters, request.tags, request.capabilities)
        parameters.set("OnFailure", request.onFailure?.rawValue)
        parameters.set("EnableTerminationProtection", request.enableTerminationProtection)
        parameters.set("TimeoutInMinutes", request.timeoutInMinutes)
        parameters.set("StackPolicyBody", request.stackPolicyBody)
        parameters.set("ClientRequestToken", request.clientRequestToken ?? query.system.makeClientToken())
        let root = try await query.send(parameters, idempotency: .tokenProtected)
        return try WireDecoding.required(WireDecoding.result(root, "CreateStack"), "StackId", action: "CreateStack")
    }

    /// Updates a stack; returns its id. AWS answers "No updates are to be performed." as a
    /// ValidationError, which callers may treat as success.
    public func updateStack(_ request: UpdateStackRequest) async throws -> String {
        var parameters = query.parameters("UpdateStack")
        parameters.set("StackName", request.stackName)
        parameters.set("TemplateBody", request.templateBody)
        Self.setCommon(&parameters, request.parameters, request.tags, request.capabilities)
        parameters.set("ClientRequestToken", request.clientRequestToken ?? query.system.makeClientToken())
        let root = try await query.send(parameters, idempotency: .tokenProtected)
        return try WireDecoding.required(WireDecoding.result(root, "UpdateStack"), "StackId", action: "UpdateStack")
    }

    /// Creates a change set (what show-changes inspects; an IMPORT change set takes existing
    /// resources into a stack).
    public func createChangeSet(_ request: CreateChangeSetRequest) async throws -> CreatedChangeSet {
        var parameters = Self.createChangeSetParameters(request, query.parameters("CreateChangeSet"))
        parameters.set("ClientToken", query.system.makeClientToken())
        let root = try await query.send(parameters, idempotency: .tokenProtected)
        let result = WireDecoding.result(root, "CreateChangeSet")
        return CreatedChangeSet(changeSetID: try WireDecoding.required(result, "Id", action: "CreateChangeSet"),
                                stackID: result.string("StackId"))
    }

    /// Describes a change set, following NextToken through all its changes.
    public func describeChangeSet(changeSetName: String, stackName: String?) async throws -> ChangeSetDescription {
        var changes: [ResourceChange] = []
        var nextToken: String?
        var last: XMLElementNode
        repeat {
            var parameters = query.parameters("DescribeChangeSet")
            parameters.set("ChangeSetName", changeSetName)
            parameters.set("StackName", stackName)
            parameters.set("NextToken", nextToken)
            last = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeChangeSet")
            changes += last.list("Changes").compactMap { $0.child("ResourceChange") }.map(Self.decodeResourceChange)
            nextToken = last.string("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
        return ChangeSetDescription(
            changeSetID: last.string("ChangeSetId") ?? changeSetName,
            changeSetName: last.string("ChangeSetName") ?? changeSetName,
            stackID: last.string("StackId"),
            status: last.string("Status") ?? "",
            statusReason: last.string("StatusReason"),
            executionStatus: last.string("ExecutionStatus"),
            changes: changes)
    }

    /// Executes a change set.
    public func executeChangeSet(changeSetName: String, stackName: String?) async throws {
        var parameters = query.parameters("ExecuteChangeSet")
        parameters.set("ChangeSetName", changeSetName)
        parameters.set("StackName", stackName)
        parameters.set("ClientRequestToken", query.system.makeClientToken())
        _ = try await query.send(parameters, idempotency: .tokenProtected)
    }

    /// Deletes a change set.
    public func deleteChangeSet(changeSetName: String, stackName: String?) async throws {
        var parameters = query.parameters("DeleteChangeSet")
        parameters.set("ChangeSetName", changeSetName)
        parameters.set("StackName", stackName)
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    /// Describes stacks (one when `stackName` is given), following NextToken.
    public func describeStacks(stackName: String? = nil) async throws -> [StackDescription] {
        var stacks: [StackDescription] = []
        var nextToken: String?
        repeat {
            var parameters = query.parameters("DescribeStacks")
            parameters.set("StackName", stackName)
            parameters.set("NextToken", nextToken)
            let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStacks")
            stacks += try result.list("Stacks").map(Self.decodeStack)
            nextToken = result.string("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
        return stacks
    }

    /// The stack named `stackName`, or nil when it does not exist (AWS reports that as a
    /// ValidationError "Stack with id X does not exist").
    public func describeStack(_ stackName: String) async throws -> StackDescription? {
        do {
            return try await describeStacks(stackName: stackName).first
        } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("does not exist") {
            return nil
        }
    }

    /// Every event of a stack, newest first, following NextToken.
    public func describeStackEvents(stackName: String) async throws -> [StackEvent] {
        var events: [StackEvent] = []
        var nextToken: String?
        repeat {
            var parameters = query.parameters("DescribeStackEvents")
            parameters.set("StackName", stackName)
            parameters.set("NextToken", nextToken)
            let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStackEvents")
            events += result.list("StackEvents").map { node in
                StackEvent(eventID: node.string("EventId") ?? "",
                           logicalResourceID: node.string("LogicalResourceId") ?? "",
                           physicalResourceID: node.string("PhysicalResourceId"),
                           resourceType: node.string("ResourceType") ?? "",
                           timestamp: WireDecoding.date(node.string("Timestamp")),
                           resourceStatus: node.string("ResourceStatus") ?? "",
                           resourceStatusReason: node.string("ResourceStatusReason"),
                           clientRequestToken: node.string("ClientRequestToken"))
            }
            nextToken = result.string("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while nextToken != nil
        return events
    }

    /// The resources of a stack.
    public func describeStackResources(stackName: String) async throws -> [StackResource] {
        var parameters = query.parameters("DescribeStackResources")
        parameters.set("StackName", stackName)
        let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStackResources")
        return result.list("StackResources").map { node in
            StackResource(logicalResourceID: node.string("LogicalResourceId") ?? "",
                          physicalResourceID: node.string("PhysicalResourceId"),
                          resourceType: node.string("ResourceType") ?? "",
                          resourceStatus: node.string("ResourceStatus") ?? "",
                          resourceStatusReason: node.string("ResourceStatusReason"),
                          timestamp: WireDecoding.date(node.string("Timestamp")))
        }
    }

    /// The template body of a deployed stack.
    public func getTemplate(stackName: String, stage: TemplateStage = .original) async throws -> String {
        var parameters = query.parameters("GetTemplate")
        parameters.set("StackName", stackName)
        parameters.set("TemplateStage", stage.rawValue)
        let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "GetTemplate")
        guard let body = result.child("TemplateBody")?.text else {
            throw AWSClientError.malformedResponse(action: "GetTemplate", detail: "missing <TemplateBody>")
        }
        return body
    }

    /// Validates a template with CloudFormation (`validate-prov-template --remote`).
    public func validateTemplate(templateBody: String) async throws -> TemplateValidation {
        var parameters = query.parameters("ValidateTemplate")
        parameters.set("TemplateBody", templateBody)
        let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "ValidateTemplate")
        return TemplateValidation(
            description: result.string("Description"),
            parameters: result.list("Parameters").map { node in
                TemplateParameter(key: node.string("ParameterKey") ?? "", defaultValue: node.string("DefaultValue"),
                                  noEcho: WireDecoding.bool(node.string("NoEcho")) ?? false,
                                  description: node.string("Description"))
            },
            capabilities: result.list("Capabilities").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) },
            capabilitiesReason: result.string("CapabilitiesReason"))
    }

    /// Deletes a stack; `clientRequestToken` as for createStack (nil: the client makes one).
    public func deleteStack(stackName: String, clientRequestToken: String? = nil) async throws {
        var parameters = query.parameters("DeleteStack")
        parameters.set("StackName", stackName)
        parameters.set("ClientRequestToken", clientRequestToken ?? query.system.makeClientToken())
        _ = try await query.send(parameters, idempotency: .tokenProtected)
    }

    /// Turns termination protection on or off.
    public func updateTerminationProtection(stackName: String, enabled: Bool) async throws {
        var parameters = query.parameters("UpdateTerminationProtection")
        parameters.set("StackName", stackName)
        parameters.set("EnableTerminationProtection", enabled)
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    /// Sets the stack policy (JSON body).
    public func setStackPolicy(stackName: String, policyBody: String) async throws {
        var parameters = query.parameters("SetStackPolicy")
        parameters.set("StackName", stackName)
        parameters.set("StackPolicyBody", policyBody)
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    // MARK: Wire layer

    /// The parameters of CreateChangeSet without its idempotency token. `ResourcesToImport` is a
    /// list of structures whose `ResourceIdentifier` is a map: `ResourcesToImport.member.N.
    /// ResourceIdentifier.entry.M.key/value`, as the Query protocol writes maps.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html
    static func createChangeSetParameters(_ request: CreateChangeSetRequest, _ start: QueryParameters) -> QueryParameters {
        var parameters = start
        parameters.set("StackName", request.stackName)
        parameters.set("ChangeSetName", request.changeSetName)
        parameters.set("TemplateBody", request.templateBody)
        parameters.set("ChangeSetType", request.changeSetType.rawValue)
        parameters.set("Description", request.description)
        Self.setCommon(&parameters, request.parameters, request.tags, request.capabilities)
        parameters.setStructureList("ResourcesToImport.member", request.resourcesToImport.map { resource in
            var fields: [(String, String?)] = [("ResourceType", resource.resourceType), ("LogicalResourceId", resource.logicalResourceID)]
            for (index, pair) in resource.resourceIdentifier.enumerated() {
                fields.append(("ResourceIdentifier.entry.\(index + 1).key", pair.0))
                fields.append(("ResourceIdentifier.entry.\(index + 1).value", pair.1))
            }
            return fields
        })
        return parameters
    }

    static func setCommon(_ parameters: inout QueryParameters, _ values: [StackParameter], _ tags: [AWSTag],
                          _ capabilities: [String]) {
        parameters.setStructureList("Parameters.member", values.map { [("ParameterKey", $0.key), ("ParameterValue", $0.value)] })
        parameters.setStructureList("Tags.member", tags.map { [("Key", $0.key), ("Value", $0.value)] })
        parameters.setList("Capabilities.member", capabilities)
    }

    static func decodeStack(_ node: XMLElementNode) throws -> StackDescription {
        StackDescription(
            stackID: try WireDecoding.required(node, "StackId", action: "DescribeStacks"),
            stackName: node.string("StackName") ?? "",
            status: StackStatus(node.string("StackStatus") ?? ""),
            statusReason: node.string("StackStatusReason"),
            description: node.string("Description"),
            creationTime: WireDecoding.date(node.string("CreationTime")),
            lastUpdatedTime: WireDecoding.date(node.string("LastUpdatedTime")),
            outputs: node.list("Outputs").map { output in
                StackOutput(key: output.string("OutputKey") ?? "", value: output.string("OutputValue") ?? "",
                            description: output.string("Description"), exportName: output.string("ExportName"))
            },
            parameters: node.list("Parameters").map {
                StackParameter(key: $0.string("ParameterKey") ?? "", value: $0.string("ParameterValue") ?? "")
            },
            tags: AWSTag.decodeList(node.list("Tags")),
            terminationProtection: WireDecoding.bool(node.string("EnableTerminationProtection")) ?? false)
    }

    static func decodeResourceChange(_ node: XMLElementNode) -> ResourceChange {
        ResourceChange(
            action: node.string("Action") ?? "",
            logicalResourceID: node.string("LogicalResourceId") ?? "",
            physicalResourceID: node.string("PhysicalResourceId"),
            resourceType: node.string("ResourceType") ?? "",
            replacement: node.string("Replacement"),
            scope: node.list("Scope").map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) },
            details: node.list("Details").map { detail in
                ResourceChangeDetail(attribute: detail.child("Target")?.string("Attribute"),
                                     name: detail.child("Target")?.string("Name"),
                                     requiresRecreation: detail.child("Target")?.string("RequiresRecreation"),
                                     changeSource: detail.string("ChangeSource"))
            })
    }
}
