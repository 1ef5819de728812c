import Foundation

/// How a StackSet operation spreads over accounts and regions, and when it stops.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
public struct StackSetOperationPreferences: Sendable, Equatable {
    /// Regions one after another (`SEQUENTIAL`, AWS's default) or all at once (`PARALLEL`).
    public enum RegionConcurrency: String, Sendable { case sequential = "SEQUENTIAL", parallel = "PARALLEL" }
    /// `STRICT_FAILURE_TOLERANCE` ties concurrency to the failure tolerance (AWS allows at most
    /// tolerance + 1 accounts at once); `SOFT_FAILURE_TOLERANCE` lets `maxConcurrentCount` stand
    /// on its own and stops after `failureToleranceCount` failures.
    public enum ConcurrencyMode: String, Sendable {
        case strict = "STRICT_FAILURE_TOLERANCE", soft = "SOFT_FAILURE_TOLERANCE"
    }

    /// Accounts acted on at once, per region (`--max-concurrent`).
    public var maxConcurrentCount: Int
    /// Accounts that may fail, per region, before the operation stops there (`--failure-tolerance`).
    public var failureToleranceCount: Int
    /// Region order and concurrency.
    public var regionConcurrency: RegionConcurrency
    /// Regions in the order to deploy (the targets' order in the config); empty: AWS's choice.
    public var regionOrder: [String]

    /// Creates preferences; AWS's defaults are one account at a time and no failure tolerated.
    public init(maxConcurrentCount: Int = 1, failureToleranceCount: Int = 0, regionConcurrency: RegionConcurrency = .sequential,
                regionOrder: [String] = []) {
        self.maxConcurrentCount = maxConcurrentCount
        self.failureToleranceCount = failureToleranceCount
        self.regionConcurrency = regionConcurrency
        self.regionOrder = regionOrder
    }

    /// The mode the counts need: AWS refuses `MaxConcurrentCount` above `FailureToleranceCount + 1`
    /// in strict mode, so more concurrency than that is asked for in soft mode.
    public var concurrencyMode: ConcurrencyMode {
        maxConcurrentCount > failureToleranceCount + 1 ? .soft : .strict
    }

    /// Writes `OperationPreferences.*`.
    func encode(into parameters: inout QueryParameters) {
        parameters.set("OperationPreferences.MaxConcurrentCount", maxConcurrentCount)
        parameters.set("OperationPreferences.FailureToleranceCount", failureToleranceCount)
        parameters.set("OperationPreferences.RegionConcurrencyType", regionConcurrency.rawValue)
        parameters.set("OperationPreferences.ConcurrencyMode", concurrencyMode.rawValue)
        parameters.setList("OperationPreferences.RegionOrder.member", regionOrder)
    }
}

/// A StackSet as DescribeStackSet reports it.
public struct StackSetDescription: Sendable, Equatable {
    /// Name.
    public let name: String
    /// `name:uuid`.
    public let stackSetID: String
    /// `ACTIVE` or `DELETED`.
    public let status: String
    /// The template every instance gets.
    public let templateBody: String
    /// StackSet-level parameter values (instances override them).
    public let parameters: [StackParameter]
    /// `SELF_MANAGED` or `SERVICE_MANAGED`.
    public let permissionModel: String?
    /// The role StackSets assumes in target accounts.
    public let executionRoleName: String?
    /// Whether non-conflicting operations run at once (managed execution).
    public let managedExecution: Bool

    /// Creates a description (tests build their own).
    public init(name: String, stackSetID: String, status: String, templateBody: String, parameters: [StackParameter] = [],
                permissionModel: String? = nil, executionRoleName: String? = nil, managedExecution: Bool = false) {
        self.name = name
        self.stackSetID = stackSetID
        self.status = status
        self.templateBody = templateBody
        self.parameters = parameters
        self.permissionModel = permissionModel
        self.executionRoleName = executionRoleName
        self.managedExecution = managedExecution
    }
}

/// One stack instance as ListStackInstances reports it.
public struct StackInstanceSummary: Sendable, Equatable {
    /// Account id.
    public let account: String
    /// Region.
    public let region: String
    /// `CURRENT`, `OUTDATED` (the last operation did not reach it) or `INOPERABLE`.
    public let status: String
    /// Why, for an instance that is not current.
    public let statusReason: String?
    /// `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELLED`, `INOPERABLE`, ...
    public let detailedStatus: String?
    /// The instance's stack (ARN), once it exists.
    public let stackID: String?

    /// Creates a summary.
    public init(account: String, region: String, status: String, statusReason: String? = nil, detailedStatus: String? = nil,
                stackID: String? = nil) {
        self.account = account
        self.region = region
        self.status = status
        self.statusReason = statusReason
        self.detailedStatus = detailedStatus
        self.stackID = stackID
    }

    /// `account/region`.
    public var label: String { "\(account)/\(region)" }
}

/// A StackSet operation as DescribeStackSetOperation reports it.
public struct StackSetOperation: Sendable, Equatable {
    /// The id (the token the tool sent).
    public let operationID: String
    /// `CREATE`, `UPDATE`, `DELETE`, `DETECT_DRIFT`.
    public let action: String
    /// `QUEUED`, `RUNNING`, `SUCCEEDED`, `FAILED`, `STOPPING`, `STOPPED`.
    public let status: String
    /// Why it ended as it did, when AWS says.
    public let statusReason: String?

    /// Creates an operation description.
    public init(operationID: String, action: String, status: String, statusReason: String? = nil) {
        self.operationID = operationID
        self.action = action
        self.status = status
        self.statusReason = statusReason
    }

    /// True once AWS will change nothing more.
    public var isFinished: Bool { ["SUCCEEDED", "FAILED", "STOPPED"].contains(status) }
}

/// What an operation did in one account and region (ListStackSetOperationResults).
public struct StackSetOperationResult: Sendable, Equatable {
    /// Account id.
    public let account: String
    /// Region.
    public let region: String
    /// `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, `CANCELLED`.
    public let status: String
    /// Why it failed or was cancelled: the instance stack's error, or the account gate's.
    public let statusReason: String?

    /// Creates a result.
    public init(account: String, region: String, status: String, statusReason: String? = nil) {
        self.account = account
        self.region = region
        self.status = status
        self.statusReason = statusReason
    }

    /// `account/region`.
    public var label: String { "\(account)/\(region)" }
}

/// What to create a StackSet with.
public struct CreateStackSetRequest: Sendable, Equatable {
    /// Name.
    public var name: String
    /// Description.
    public var description: String?
    /// Template body.
    public var templateBody: String
    /// StackSet-level parameter values.
    public var parameters: [StackParameter]
    /// `ExecutionRoleName`; nil: AWS's `AWSCloudFormationStackSetExecutionRole`.
    public var executionRoleName: String?
    /// Managed execution: non-conflicting operations run at once, conflicting ones queue.
    public var managedExecution: Bool

    /// Creates a request (self-managed permissions).
    public init(name: String, description: String? = nil, templateBody: String, parameters: [StackParameter] = [],
                executionRoleName: String? = nil, managedExecution: Bool = true) {
        self.name = name
        self.description = description
        self.templateBody = templateBody
        self.parameters = parameters
        self.executionRoleName = executionRoleName
        self.managedExecution = managedExecution
    }
}
