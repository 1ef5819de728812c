import Foundation
import SGAWS

/// The StackSet half of CloudFormation: one template deployed as stack instances across accounts
/// and regions by CloudFormation itself, with operation preferences for concurrency and failure
/// tolerance. Every call that starts an operation carries an `OperationId` made once per logical
/// call and reused on every retry, so CloudFormation starts the operation once however often the
/// request is repeated.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/what-is-cfnstacksets.html
extension CloudFormationClient {
    /// Creates a self-managed StackSet; returns its id.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html
    public func createStackSet(_ request: CreateStackSetRequest) async throws -> String {
        var parameters = query.parameters("CreateStackSet")
        parameters.set("StackSetName", request.name)
        parameters.set("Description", request.description)
        parameters.set("TemplateBody", request.templateBody)
        parameters.setStructureList("Parameters.member", request.parameters.map { [("ParameterKey", $0.key), ("ParameterValue", $0.value)] })
        parameters.set("PermissionModel", "SELF_MANAGED")
        parameters.set("ExecutionRoleName", request.executionRoleName)
        parameters.set("ManagedExecution.Active", request.managedExecution)
        parameters.set("ClientRequestToken", query.system.makeClientToken())
        let root = try await query.send(parameters, idempotency: .tokenProtected)
        return try WireDecoding.required(WireDecoding.result(root, "CreateStackSet"), "StackSetId", action: "CreateStackSet")
    }

    /// The StackSet named `name`, or nil when there is none (`StackSetNotFoundException`) or it
    /// was deleted.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackSet.html
    public func describeStackSet(_ name: String) async throws -> StackSetDescription? {
        var parameters = query.parameters("DescribeStackSet")
        parameters.set("StackSetName", name)
        let result: XMLElementNode
        do {
            result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStackSet")
        } catch let error as AWSError where error.code == "StackSetNotFoundException" || error.code == "StackSetNotFound" {
            return nil
        }
        guard let node = result.child("StackSet") else {
            throw AWSClientError.malformedResponse(action: "DescribeStackSet", detail: "missing <StackSet>")
        }
        let description = StackSetDescription(
            name: node.string("StackSetName") ?? name,
            stackSetID: node.string("StackSetId") ?? "",
            status: node.string("Status") ?? "",
            templateBody: node.child("TemplateBody")?.text ?? "",
            parameters: node.list("Parameters").map {
                StackParameter(key: $0.string("ParameterKey") ?? "", value: $0.string("ParameterValue") ?? "")
            },
            permissionModel: node.string("PermissionModel"),
            executionRoleName: node.string("ExecutionRoleName"),
            managedExecution: WireDecoding.bool(node.path("ManagedExecution", "Active")?.text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? false)
        return description.status == "DELETED" ? nil : description
    }

    /// Updates the StackSet's template (and parameters) on every instance; returns the operation id.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackSet.html
    public func updateStackSet(name: String, templateBody: String, parameters values: [StackParameter], executionRoleName: String?,
                               preferences: StackSetOperationPreferences) async throws -> String {
        var parameters = query.parameters("UpdateStackSet")
        parameters.set("StackSetName", name)
        parameters.set("TemplateBody", templateBody)
        parameters.setStructureList("Parameters.member", values.map { [("ParameterKey", $0.key), ("ParameterValue", $0.value)] })
        parameters.set("PermissionModel", "SELF_MANAGED")
        parameters.set("ExecutionRoleName", executionRoleName)
        preferences.encode(into: &parameters)
        return try await startOperation(parameters)
    }

    /// Creates instances in every account x region given, each with `overrides`; returns the operation id.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html
    public func createStackInstances(stackSetName: String, accounts: [String], regions: [String], overrides: [StackParameter],
                                     preferences: StackSetOperationPreferences) async throws -> String {
        try await instancesOperation("CreateStackInstances", stackSetName, accounts, regions, overrides, preferences)
    }

    /// Sets the parameter overrides of existing instances (and brings outdated ones up to the
    /// StackSet's template); returns the operation id.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStackInstances.html
    public func updateStackInstances(stackSetName: String, accounts: [String], regions: [String], overrides: [StackParameter],
                                     preferences: StackSetOperationPreferences) async throws -> String {
        try await instancesOperation("UpdateStackInstances", stackSetName, accounts, regions, overrides, preferences)
    }

    /// CreateStackInstances and UpdateStackInstances take the same parameters.
    private func instancesOperation(_ action: String, _ stackSetName: String, _ accounts: [String], _ regions: [String],
                                    _ overrides: [StackParameter], _ preferences: StackSetOperationPreferences) async throws -> String {
        var parameters = query.parameters(action)
        parameters.set("StackSetName", stackSetName)
        parameters.setList("Accounts.member", accounts)
        parameters.setList("Regions.member", regions)
        parameters.setStructureList("ParameterOverrides.member", overrides.map { [("ParameterKey", $0.key), ("ParameterValue", $0.value)] })
        preferences.encode(into: &parameters)
        return try await startOperation(parameters)
    }

    /// Deletes the instances in every account x region given, and their stacks (never retained);
    /// returns the operation id.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStackInstances.html
    public func deleteStackInstances(stackSetName: String, accounts: [String], regions: [String],
                                     preferences: StackSetOperationPreferences) async throws -> String {
        var parameters = query.parameters("DeleteStackInstances")
        parameters.set("StackSetName", stackSetName)
        parameters.setList("Accounts.member", accounts)
        parameters.setList("Regions.member", regions)
        parameters.set("RetainStacks", false)
        preferences.encode(into: &parameters)
        return try await startOperation(parameters)
    }

    /// Deletes an empty StackSet.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStackSet.html
    public func deleteStackSet(_ name: String) async throws {
        var parameters = query.parameters("DeleteStackSet")
        parameters.set("StackSetName", name)
        _ = try await query.send(parameters, idempotency: .idempotent)
    }

    /// Every instance of the StackSet, following NextToken.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackInstances.html
    public func listStackInstances(stackSetName: String) async throws -> [StackInstanceSummary] {
        var instances: [StackInstanceSummary] = []
        try await query.forEachPage("ListStackInstances", parameters: { $0.set("StackSetName", stackSetName) }, page: { result in
            instances += result.list("Summaries").map { node in
                StackInstanceSummary(
                    account: node.string("Account") ?? "", region: node.string("Region") ?? "", status: node.string("Status") ?? "",
                    statusReason: node.string("StatusReason"),
                    detailedStatus: node.path("StackInstanceStatus", "DetailedStatus")?.text.trimmingCharacters(in: .whitespacesAndNewlines),
                    stackID: node.string("StackId"))
            }
        })
        return instances
    }

    /// The parameter overrides of one instance.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackInstance.html
    public func describeStackInstanceOverrides(stackSetName: String, account: String, region: String) async throws -> [StackParameter] {
        var parameters = query.parameters("DescribeStackInstance")
        parameters.set("StackSetName", stackSetName)
        parameters.set("StackInstanceAccount", account)
        parameters.set("StackInstanceRegion", region)
        let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStackInstance")
        return (result.child("StackInstance")?.list("ParameterOverrides") ?? []).map {
            StackParameter(key: $0.string("ParameterKey") ?? "", value: $0.string("ParameterValue") ?? "")
        }
    }

    /// One operation's state.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackSetOperation.html
    public func describeStackSetOperation(stackSetName: String, operationID: String) async throws -> StackSetOperation {
        var parameters = query.parameters("DescribeStackSetOperation")
        parameters.set("StackSetName", stackSetName)
        parameters.set("OperationId", operationID)
        let result = WireDecoding.result(try await query.send(parameters, idempotency: .idempotent), "DescribeStackSetOperation")
        guard let node = result.child("StackSetOperation") else {
            throw AWSClientError.malformedResponse(action: "DescribeStackSetOperation", detail: "missing <StackSetOperation>")
        }
        return StackSetOperation(
            operationID: node.string("OperationId") ?? operationID, action: node.string("Action") ?? "",
            status: try WireDecoding.required(node, "Status", action: "DescribeStackSetOperation"),
            statusReason: node.string("StatusReason"))
    }

    /// What an operation did per account and region, following NextToken.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackSetOperationResults.html
    public func listStackSetOperationResults(stackSetName: String, operationID: String) async throws -> [StackSetOperationResult] {
        var results: [StackSetOperationResult] = []
        try await query.forEachPage("ListStackSetOperationResults", parameters: { parameters in
            parameters.set("StackSetName", stackSetName)
            parameters.set("OperationId", operationID)
        }, page: { result in
            results += result.list("Summaries").map { node in
                StackSetOperationResult(
                    account: node.string("Account") ?? "", region: node.string("Region") ?? "", status: node.string("Status") ?? "",
                    statusReason: node.string("StatusReason"))
            }
        })
        return results
    }

    /// Sends a call that starts an operation, with one OperationId for all its attempts.
    private func startOperation(_ parameters: QueryParameters) async throws -> String {
        var parameters = parameters
        let token = query.system.makeClientToken()
        parameters.set("OperationId", token)
        let root = try await query.send(parameters, idempotency: .tokenProtected)
        return WireDecoding.result(root, parameters.action).string("OperationId") ?? token
    }
}
