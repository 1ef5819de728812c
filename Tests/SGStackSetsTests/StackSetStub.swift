import Foundation
import Synchronization
import SGAWS
import SGAWSServices

/// CloudFormation's StackSet API as AWS documents it, in memory, for the paths moto 5.2.1 does not
/// have (its StackSet updates never reach instance stacks, its operations always succeed at once
/// and ignore operation preferences):
/// - operations run for `runningPolls` DescribeStackSetOperation calls before they finish;
/// - UpdateStackSet reaches every instance; UpdateStackInstances sets overrides and brings an
///   instance current;
/// - an instance listed in `failing` fails with its reason (its status becomes OUTDATED);
/// - within a region, once more instances failed than `FailureToleranceCount`, the rest are
///   CANCELLED and the operation FAILED; later regions (in `RegionOrder`) are cancelled too;
/// - `httpFailures` answers the first requests for an action with a throttling error (HTTP 400
///   `Throttling`), so retries (and the OperationId they must reuse) are visible.
/// Every request is recorded with its parameters.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#stackset-ops-options
final class StackSetStub: HTTPTransport, Sendable {
    struct Request: Sendable {
        var action: String
        var parameters: [String: String]
        subscript(name: String) -> String? { parameters[name] }
    }

    struct Instance: Sendable {
        var account: String
        var region: String
        var status = "CURRENT"
        var reason: String?
        var overrides: [String: String] = [:]
        var template = ""
        var label: String { "\(account)/\(region)" }
    }

    struct Operation: Sendable {
        var action: String
        var status: String
        var pollsLeft: Int
        var results: [(account: String, region: String, status: String, reason: String?)]
    }

    struct State: Sendable {
        var stackSet: (name: String, body: String, parameters: [String: String])?
        var instances: [Instance] = []
        var operations: [String: Operation] = [:]
        var requests: [Request] = []
        var failing: [String: String] = [:]
        var runningPolls = 0
        var httpFailures: [String: Int] = [:]
    }

    let state = Mutex(State())

    init(failing: [String: String] = [:], runningPolls: Int = 0, httpFailures: [String: Int] = [:]) {
        state.withLock {
            $0.failing = failing
            $0.runningPolls = runningPolls
            $0.httpFailures = httpFailures
        }
    }

    var requests: [Request] { state.withLock { $0.requests } }
    var instances: [Instance] { state.withLock { $0.instances } }
    func requests(_ action: String) -> [Request] { requests.filter { $0.action == action } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parameters = Self.decode(request.body)
        let action = parameters["Action"] ?? ""
        return state.withLock { state in
            state.requests.append(Request(action: action, parameters: parameters))
            if let left = state.httpFailures[action], left > 0 {
                state.httpFailures[action] = left - 1
                return Self.error(400, "Throttling", "Rate exceeded")
            }
            return Self.handle(action, parameters, &state)
        }
    }

    // MARK: The API

    private static func handle(_ action: String, _ p: [String: String], _ state: inout State) -> HTTPResponse {
        switch action {
        case "CreateStackSet":
            state.stackSet = (p["StackSetName"] ?? "", p["TemplateBody"] ?? "", structures(p, "Parameters.member"))
            return ok(action, "<StackSetId>\(p["StackSetName"] ?? ""):0000</StackSetId>")
        case "DescribeStackSet":
            guard let stackSet = state.stackSet, stackSet.name == p["StackSetName"] else {
                return error(400, "StackSetNotFoundException", "StackSet \(p["StackSetName"] ?? "") not found")
            }
            let parameters = stackSet.parameters.sorted { $0.key < $1.key }.map {
                "<member><ParameterKey>\($0.key)</ParameterKey><ParameterValue>\($0.value)</ParameterValue></member>"
            }.joined()
            return ok(action, "<StackSet><StackSetName>\(stackSet.name)</StackSetName><StackSetId>\(stackSet.name):0000</StackSetId><Status>ACTIVE</Status>"
                + "<TemplateBody>\(escape(stackSet.body))</TemplateBody><Parameters>\(parameters)</Parameters><PermissionModel>SELF_MANAGED</PermissionModel>"
                + "<ManagedExecution><Active>true</Active></ManagedExecution></StackSet>")
        case "ListStackInstances":
            let items = state.instances.map {
                "<member><Account>\($0.account)</Account><Region>\($0.region)</Region><Status>\($0.status)</Status>"
                    + ($0.reason.map { "<StatusReason>\(escape($0))</StatusReason>" } ?? "")
                    + "<StackInstanceStatus><DetailedStatus>\($0.status == "CURRENT" ? "SUCCEEDED" : "FAILED")</DetailedStatus></StackInstanceStatus></member>"
            }.joined()
            return ok(action, "<Summaries>\(items)</Summaries>")
        case "DescribeStackInstance":
            guard let instance = state.instances.first(where: { $0.account == p["StackInstanceAccount"] && $0.region == p["StackInstanceRegion"] }) else {
                return error(400, "StackInstanceNotFoundException", "no instance")
            }
            let overrides = instance.overrides.sorted { $0.key < $1.key }.map {
                "<member><ParameterKey>\($0.key)</ParameterKey><ParameterValue>\($0.value)</ParameterValue></member>"
            }.joined()
            return ok(action, "<StackInstance><Account>\(instance.account)</Account><Region>\(instance.region)</Region><ParameterOverrides>\(overrides)</ParameterOverrides></StackInstance>")
        case "UpdateStackSet":
            guard state.stackSet != nil else { return error(400, "StackSetNotFoundException", "not found") }
            state.stackSet?.body = p["TemplateBody"] ?? ""
            let labels = state.instances.map(\.label)
            return run(action, labels: labels, p, &state) { instance in instance.template = p["TemplateBody"] ?? "" }
        case "CreateStackInstances":
            let labels = grid(p)
            for label in labels where !state.instances.contains(where: { $0.label == label }) {
                let parts = label.split(separator: "/").map(String.init)
                state.instances.append(Instance(account: parts[0], region: parts[1], status: "OUTDATED"))
            }
            let overrides = structures(p, "ParameterOverrides.member")
            let body = state.stackSet?.body ?? ""
            return run(action, labels: labels, p, &state) { instance in
                instance.overrides = overrides
                instance.template = body
            }
        case "UpdateStackInstances":
            let overrides = structures(p, "ParameterOverrides.member")
            let body = state.stackSet?.body ?? ""
            return run(action, labels: grid(p), p, &state) { instance in
                instance.overrides.merge(overrides) { _, new in new }
                instance.template = body
            }
        case "DeleteStackInstances":
            let labels = grid(p).filter { label in state.instances.contains { $0.label == label } }
            let response = run(action, labels: labels, p, &state) { _ in }
            let succeeded = Set((state.operations[p["OperationId"] ?? ""]?.results ?? []).filter { $0.status == "SUCCEEDED" }.map { "\($0.account)/\($0.region)" })
            state.instances.removeAll { succeeded.contains($0.label) }
            return response
        case "DeleteStackSet":
            guard state.instances.isEmpty else { return error(400, "StackSetNotEmptyException", "StackSet is not empty") }
            state.stackSet = nil
            return ok(action, "")
        case "DescribeStackSetOperation":
            guard var operation = state.operations[p["OperationId"] ?? ""] else { return error(400, "OperationNotFoundException", "no operation") }
            var status = operation.status
            if operation.pollsLeft > 0 {
                operation.pollsLeft -= 1
                state.operations[p["OperationId"] ?? ""] = operation
                status = "RUNNING"
            }
            return ok(action, "<StackSetOperation><OperationId>\(p["OperationId"] ?? "")</OperationId><Action>\(operation.action)</Action><Status>\(status)</Status></StackSetOperation>")
        case "ListStackSetOperationResults":
            guard let operation = state.operations[p["OperationId"] ?? ""] else { return error(400, "OperationNotFoundException", "no operation") }
            let items = operation.results.map {
                "<member><Account>\($0.account)</Account><Region>\($0.region)</Region><Status>\($0.status)</Status>"
                    + ($0.reason.map { "<StatusReason>\(escape($0))</StatusReason>" } ?? "") + "</member>"
            }.joined()
            return ok(action, "<Summaries>\(items)</Summaries>")
        default:
            return error(400, "InvalidAction", "the stub does not know \(action)")
        }
    }

    /// Runs an operation over `labels` in region order with the failure tolerance per region.
    private static func run(_ action: String, labels: [String], _ p: [String: String], _ state: inout State,
                            apply: (inout Instance) -> Void) -> HTTPResponse {
        let operationID = p["OperationId"] ?? "missing-operation-id"
        if let existing = state.operations[operationID] {
            _ = existing  // AWS recognises a retried OperationId: the same operation, started once.
            return ok(action, "<OperationId>\(operationID)</OperationId>")
        }
        let tolerance = Int(p["OperationPreferences.FailureToleranceCount"] ?? "0") ?? 0
        var regions = list(p, "OperationPreferences.RegionOrder.member")
        for label in labels {
            let region = String(label.split(separator: "/")[1])
            if !regions.contains(region) { regions.append(region) }
        }
        var results: [(account: String, region: String, status: String, reason: String?)] = []
        var stopped = false
        for region in regions {
            var failures = 0
            for label in labels where label.hasSuffix("/" + region) {
                let account = String(label.split(separator: "/")[0])
                if stopped {
                    results.append((account, region, "CANCELLED", "Cancelled since failure tolerance has exceeded"))
                    continue
                }
                guard let index = state.instances.firstIndex(where: { $0.label == label }) else { continue }
                if let reason = state.failing[label] {
                    failures += 1
                    state.instances[index].status = "OUTDATED"
                    state.instances[index].reason = reason
                    results.append((account, region, "FAILED", reason))
                    if failures > tolerance { stopped = true }
                } else {
                    apply(&state.instances[index])
                    state.instances[index].status = "CURRENT"
                    state.instances[index].reason = nil
                    results.append((account, region, "SUCCEEDED", nil))
                }
            }
        }
        let operationAction = action.hasPrefix("Delete") ? "DELETE" : action.hasPrefix("Create") ? "CREATE" : "UPDATE"
        state.operations[operationID] = Operation(
            action: operationAction, status: results.contains { $0.status != "SUCCEEDED" } ? "FAILED" : "SUCCEEDED",
            pollsLeft: state.runningPolls, results: results)
        return ok(action, "<OperationId>\(operationID)</OperationId>")
    }

    // MARK: Wire

    private static func grid(_ p: [String: String]) -> [String] {
        let accounts = list(p, "Accounts.member"), regions = list(p, "Regions.member")
        return regions.flatMap { region in accounts.map { "\($0)/\(region)" } }
    }

    private static func list(_ p: [String: String], _ prefix: String) -> [String] {
        var items: [String] = []
        var index = 1
        while let value = p["\(prefix).\(index)"] {
            items.append(value)
            index += 1
        }
        return items
    }

    private static func structures(_ p: [String: String], _ prefix: String) -> [String: String] {
        var values: [String: String] = [:]
        var index = 1
        while let key = p["\(prefix).\(index).ParameterKey"] {
            values[key] = p["\(prefix).\(index).ParameterValue"] ?? ""
            index += 1
        }
        return values
    }

    static func decode(_ body: [UInt8]) -> [String: String] {
        var values: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0].removingPercentEncoding ?? parts[0]
            values[key] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return values
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func ok(_ action: String, _ body: String) -> HTTPResponse {
        let xml = "<\(action)Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><\(action)Result>\(body)</\(action)Result>"
            + "<ResponseMetadata><RequestId>stub-\(action)</RequestId></ResponseMetadata></\(action)Response>"
        return HTTPResponse(statusCode: 200, headers: ["Content-Type": "text/xml"], body: Array(xml.utf8))
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(escape(message))</Message></Error><RequestId>stub-error</RequestId></ErrorResponse>"
        return HTTPResponse(statusCode: status, headers: ["Content-Type": "text/xml"], body: Array(xml.utf8))
    }
}
