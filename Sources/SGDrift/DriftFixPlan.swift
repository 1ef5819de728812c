import SGCrypto
import SGFindings
import SGReports
import SGValidation

/// A remediation plan in the fix-plan shape of the seed's IAM analyzer (id, summary, finding,
/// commands, notes, warnings), used by `check-drift` to revert drift. It is data only: printing it
/// changes nothing; `--force` executes its commands in order.
public struct FixPlan: Hashable, Sendable {
    /// `revert-` and the first 12 hex digits of the SHA-256 of the commands, so the same drift gives
    /// the same id and a reviewer can tell two plans apart without timestamps.
    public var id: String
    /// One line.
    public var summary: String
    /// The finding the plan answers.
    public var finding: FixPlanFinding
    /// Commands in execution order: revokes (closing access) before authorizes (restoring it).
    public var commands: [FixCommand]
    /// Context for the reader.
    public var notes: [String]
    /// Drift the plan cannot revert (missing or extra groups, description changes) and why.
    public var warnings: [String]

    /// Creates a plan; the id is derived from the commands.
    public init(summary: String, finding: FixPlanFinding, commands: [FixCommand], notes: [String], warnings: [String]) {
        self.summary = summary
        self.finding = finding
        self.commands = commands
        self.notes = notes
        self.warnings = warnings
        let digest = SHA256.hex(Array(JSONValue.array(commands.map(\.json)).rendered().utf8))
        self.id = "revert-" + String(digest.prefix(12))
    }

    /// The plan as JSON (seed field names).
    public var json: JSONValue {
        [
            "id": .string(id),
            "summary": .string(summary),
            "finding": finding.json,
            "commands": .array(commands.map(\.json)),
            "notes": .array(notes.map(JSONValue.string)),
            "warnings": .array(warnings.map(JSONValue.string)),
        ]
    }
}

/// The finding a drift plan answers: drift of one deployment, as severe as its worst added rule.
public struct FixPlanFinding: Hashable, Sendable {
    /// `SG-DRIFT`.
    public var id: String
    /// The worst added rule's risk; nil when nothing was added (removals, description changes).
    public var severity: RiskLevel?
    /// The deployment.
    public var resource: String
    /// What drifted, in one sentence.
    public var description: String

    /// Creates a plan finding.
    public init(id: String, severity: RiskLevel?, resource: String, description: String) {
        self.id = id
        self.severity = severity
        self.resource = resource
        self.description = description
    }

    /// JSON with the seed's field names.
    public var json: JSONValue {
        ["id": .string(id), "severity": .optional(severity?.rawValue), "resource": .string(resource), "description": .string(description)]
    }
}

/// One step of a plan: an EC2 API action on one security group, with the step that undoes it.
public struct FixCommand: Hashable, Sendable {
    /// `1`, `2`, ... (rollbacks: `1-rollback`).
    public var id: String
    /// The EC2 API action, e.g. `RevokeSecurityGroupIngress`.
    public var action: String
    /// The group id the action changes.
    public var resource: String
    /// The API parameters with AWS's own names (`GroupId`, `SecurityGroupRuleIds`, `IpPermissions`),
    /// so the command can be replayed by hand with the AWS CLI.
    public var parameters: JSONValue
    /// Why, naming the rule.
    public var reason: String
    // Stored as a list because a struct cannot hold an optional of itself directly.
    private var rollbackStorage: [FixCommand]

    /// Creates a command.
    public init(id: String, action: String, resource: String, parameters: JSONValue, reason: String, rollback: FixCommand? = nil) {
        self.id = id
        self.action = action
        self.resource = resource
        self.parameters = parameters
        self.reason = reason
        self.rollbackStorage = rollback.map { [$0] } ?? []
    }

    /// The command that undoes this one, if any.
    public var rollback: FixCommand? { rollbackStorage.first }

    /// JSON with the seed's field names (`resource` holds the group id rather than an ARN).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "action": .string(action), "resource": .string(resource),
            "parameters": parameters, "reason": .string(reason),
        ]
        if let rollback { object["rollback"] = rollback.json }
        return .object(object)
    }
}

/// What `--force` did with a plan: every step attempted, in order, stopping at the first failure.
public struct RevertExecution: Hashable, Sendable {
    /// One attempted command.
    public struct Step: Hashable, Sendable {
        /// The command's id.
        public var commandID: String
        /// The action.
        public var action: String
        /// The group.
        public var resource: String
        /// True when AWS accepted it.
        public var succeeded: Bool
        /// `done` or the error.
        public var message: String

        /// Creates a step.
        public init(commandID: String, action: String, resource: String, succeeded: Bool, message: String) {
            self.commandID = commandID
            self.action = action
            self.resource = resource
            self.succeeded = succeeded
            self.message = message
        }
    }

    /// The steps attempted, in order.
    public var steps: [Step]
    /// Commands of the plan not attempted because an earlier one failed.
    public var notAttempted: [String]
    /// The outcome of comparing again after the steps, e.g. `in sync`; nil when not re-checked.
    public var verification: String?
    /// True when every command of the plan succeeded.
    public var completed: Bool { notAttempted.isEmpty && steps.allSatisfy(\.succeeded) }

    /// Creates an execution record.
    public init(steps: [Step], notAttempted: [String], verification: String? = nil) {
        self.steps = steps
        self.notAttempted = notAttempted
        self.verification = verification
    }

    /// JSON for reports.
    public var json: JSONValue {
        [
            "completed": .bool(completed),
            "steps": .array(steps.map {
                ["command": .string($0.commandID), "action": .string($0.action), "resource": .string($0.resource),
                 "succeeded": .bool($0.succeeded), "message": .string($0.message)]
            }),
            "not_attempted": .array(notAttempted.map(JSONValue.string)),
            "verification": .optional(verification),
        ]
    }
}
