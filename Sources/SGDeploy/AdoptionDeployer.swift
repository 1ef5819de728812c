import Foundation
import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGModel

/// Runs the first two steps of an adoption plan: the preparation of the live groups (EC2) and
/// the IMPORT change sets (CloudFormation). The third step, the update to the compiled template,
/// is an ordinary `StackDeployer.deploy` of each stack afterwards.
///
/// Reusable beyond `--adopt`: `importResources` takes any `AdoptionPlan.StackImport`, so a caller
/// that must bring one existing `sgr-` rule under an existing stack (a rule accepted from drift,
/// say) can import it by id into the stack's restated template instead of revoking and
/// re-creating it.
public struct AdoptionDeployer: Sendable {
    let deployer: StackDeployer
    let ec2: EC2Client
    /// The clock, for change-set names.
    let now: @Sendable () -> Date

    /// A deployer over the same CloudFormation client, log and wait settings as `deployer`.
    public init(deployer: StackDeployer, ec2: EC2Client, now: @escaping @Sendable () -> Date) {
        self.deployer = deployer
        self.ec2 = ec2
        self.now = now
    }

    var log: DeployLog { deployer.log }
    var cloudFormation: CloudFormationClient { deployer.cloudFormation }

    /// Tags the groups and adds the no-traffic egress rule where the plan says; false (reported)
    /// at the first failure. Each step is one that no traffic sees, and repeating it is harmless.
    public func prepare(_ plan: AdoptionPlan) async -> Bool {
        for step in plan.preparation {
            switch step {
            case .tag(let tier, let groupID, let tags):
                do {
                    try await ec2.createTags(resourceIDs: [groupID], tags: tags)
                } catch {
                    log.report(error, doing: "tagging adopted group \(groupID) (tier \(tier))")
                    return false
                }
                let text = tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                log.say("adopted group \(groupID) (tier \(tier)): tagged \(text)\n")
                log.record("CreateTags \(groupID): \(text)")
            case .closeEgress(let tier, let groupID):
                let key = DefaultEgress.closedPlaceholder
                guard let ports = EC2Permission.wirePorts(key.ipProtocol, key.ports), case .cidr(let block) = key.peer else { return false }
                let permission = IPPermission(
                    ipProtocol: key.ipProtocol.wireValue, fromPort: ports.from, toPort: ports.to,
                    ipv4Ranges: [SecurityGroupRange(block.description, description: TemplateCompiler.egressPlaceholderDescription)])
                do {
                    _ = try await ec2.authorizeSecurityGroupEgress(groupID: groupID, permissions: [permission])
                } catch let error as AWSError where error.code == "InvalidPermission.Duplicate" {
                    // Already there (an earlier run): what the import template says.
                } catch {
                    log.report(error, doing: "adding the no-traffic egress rule to adopted group \(groupID) (tier \(tier))")
                    return false
                }
                log.say("adopted group \(groupID) (tier \(tier)): egress rule that matches no traffic added (\(key))\n")
                log.record("AuthorizeSecurityGroupEgress \(groupID): \(key)")
            }
        }
        return true
    }

    /// Creates the IMPORT change set of `stackImport`, checks that CloudFormation would import
    /// exactly the planned resources and nothing else, executes it and waits for IMPORT_COMPLETE.
    /// `existing` is the stack as it is now (nil, or REVIEW_IN_PROGRESS: the change set creates it).
    /// A change set that fails or is not as planned is deleted (and so is a stack shell it created)
    /// without executing anything.
    public func importResources(_ stackImport: AdoptionPlan.StackImport, existing: StackDescription?) async -> StackDeployer.Outcome {
        let stack = stackImport.stackName
        let name = "sg-provisioner-adopt-" + String(Int(now().timeIntervalSince1970))
        let createsStack = existing == nil || existing?.status.rawValue == "REVIEW_IN_PROGRESS"
        var request = CreateChangeSetRequest(
            stackName: stack, changeSetName: name, templateBody: stackImport.template.renderYAML(), changeSetType: .import)
        request.resourcesToImport = stackImport.resourcesToImport
        request.description = "sg-provisioner --adopt: import \(stackImport.resources.count) existing resource(s)"
        log.say("importing \(stackImport.resources.count) existing resource(s) into stack \(stack) (IMPORT change set \(name))\n")
        do {
            _ = try await cloudFormation.createChangeSet(request)
            log.record("CreateChangeSet \(name) on \(stack): IMPORT " + stackImport.resources.map { "\($0.logicalID)=\($0.physicalID)" }.joined(separator: " "))
        } catch {
            log.report(error, doing: "creating the IMPORT change set of stack \(stack)")
            return .failed
        }
        let description: ChangeSetDescription
        do {
            description = try await computed(name, stack: stack)
        } catch {
            log.report(error, doing: "reading the IMPORT change set of stack \(stack)")
            await discard(name, stack: stack, shell: createsStack)
            return .failed
        }
        if let refusal = Self.check(description, against: stackImport) {
            log.report(.error(.adoptionImportFailed, "stack \(stack): \(refusal); nothing was imported", at: nil))
            await discard(name, stack: stack, shell: createsStack)
            return .failed
        }
        for change in description.changes {
            log.say("  Import  \(change.resourceType)  \(change.logicalResourceID)  \(change.physicalResourceID ?? "")\n")
        }
        let seen: Set<String>
        do {
            seen = try await deployer.watcher.currentEventIDs(of: stack)
            try await cloudFormation.executeChangeSet(changeSetName: name, stackName: stack)
            log.record("ExecuteChangeSet \(name) on \(stack)")
        } catch {
            log.report(error, doing: "executing the IMPORT change set of stack \(stack)")
            return .failed
        }
        return await deployer.finish(stack, seen: seen, expected: "IMPORT_COMPLETE", success: .imported)
    }

    /// Polls the change set until CloudFormation has computed it (or the time limit).
    private func computed(_ name: String, stack: String) async throws -> ChangeSetDescription {
        let deadline = now().addingTimeInterval(deployer.timeout)
        while true {
            let description = try await cloudFormation.describeChangeSet(changeSetName: name, stackName: stack)
            let pending = description.status.hasSuffix("_PENDING") || description.status.hasSuffix("_IN_PROGRESS")
            guard pending, now() < deadline else { return description }
            try await deployer.watcher.sleep(min(deployer.watcher.pollInterval, 2))
        }
    }

    /// Why the computed change set must not be executed, or nil when it imports exactly the plan.
    static func check(_ description: ChangeSetDescription, against stackImport: AdoptionPlan.StackImport) -> String? {
        guard description.status == "CREATE_COMPLETE" else {
            return "CloudFormation could not create the IMPORT change set (\(description.status)): \(description.statusReason ?? "no reason given")"
        }
        if let execution = description.executionStatus, execution != "AVAILABLE" {
            return "the IMPORT change set cannot be executed (\(execution))"
        }
        let planned = Dictionary(stackImport.resources.map { ($0.logicalID, $0) }, uniquingKeysWith: { first, _ in first })
        var found: Set<String> = []
        for change in description.changes {
            guard change.action == "Import", let resource = planned[change.logicalResourceID], resource.resourceType == change.resourceType else {
                return "the IMPORT change set would \(change.action.lowercased()) \(change.logicalResourceID) (\(change.resourceType)), which the plan does not import"
            }
            if let physical = change.physicalResourceID, !physical.isEmpty, physical != resource.physicalID {
                return "the IMPORT change set names \(physical) for \(change.logicalResourceID), the plan \(resource.physicalID)"
            }
            found.insert(change.logicalResourceID)
        }
        let missing = stackImport.resources.map(\.logicalID).filter { !found.contains($0) }
        guard missing.isEmpty else { return "the IMPORT change set leaves out \(missing.joined(separator: ", "))" }
        return nil
    }

    /// Deletes a change set that is not executed, and the empty stack an IMPORT change set made for
    /// a stack that did not exist (it would stay in REVIEW_IN_PROGRESS).
    private func discard(_ name: String, stack: String, shell: Bool) async {
        do {
            try await cloudFormation.deleteChangeSet(changeSetName: name, stackName: stack)
            log.record("DeleteChangeSet \(name) on \(stack)")
            if shell, let current = try await cloudFormation.describeStack(stack), current.status.rawValue == "REVIEW_IN_PROGRESS" {
                try await cloudFormation.deleteStack(stackName: stack)
                log.record("DeleteStack \(stack): the empty stack the IMPORT change set created")
            }
        } catch {
            log.report(.warning(.adoptionCleanupFailed, "could not clean up change set \(name) of stack \(stack): \(error)", at: nil))
        }
    }
}
