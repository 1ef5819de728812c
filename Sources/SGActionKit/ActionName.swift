/// Every `-act` the tool understands, with what it needs. The table is the single source for
/// `--help`, `-act list-actions`, the README and the dispatch in `ActionRunner`.
public enum ActionName: String, CaseIterable, Sendable {
    case createProvTemplate = "create-prov-template"
    case validateProvTemplate = "validate-prov-template"
    case createReviewReport = "create-review-report"
    case createIAMPolicy = "create-iam-policy"
    case verifyVPC = "verify-vpc"
    case showChanges = "show-changes"
    case testDeploy = "test-deploy"
    case createSecurityGroups = "create-security-groups"
    case checkDrift = "check-drift"
    case deleteSecurityGroups = "delete-security-groups"
    case auditSecurityGroups = "audit-security-groups"
    case importSecurityGroups = "import-security-groups"
    case listActions = "list-actions"

    /// One line for listings.
    public var summary: String {
        switch self {
        case .createProvTemplate: return "compile config + scenario into a CloudFormation template in reports/"
        case .validateProvTemplate: return "validate inputs, judge every rule, compile and self-check; exit 1 on errors or findings at/above --fail-on"
        case .createReviewReport: return "write the approver's review report (Markdown, HTML, JSON) in reports/"
        case .createIAMPolicy: return "write least-privilege IAM policies for running the tool"
        case .verifyVPC: return "check that the configured VPC exists and read its CIDR"
        case .showChanges: return "rule-level diff against the deployed stack; warn about replacements (exit 3 if changes)"
        case .testDeploy: return "deploy to a throwaway stack, verify the live groups, delete it (unless --keep)"
        case .createSecurityGroups: return "create the stack, or update it with --force; waits and reports rollbacks"
        case .checkDrift: return "compare live rules with the config (exit 0 in sync, 3 drift, 1 error)"
        case .deleteSecurityGroups: return "delete the stack (requires --force)"
        case .auditSecurityGroups: return "run the validator over groups the tool did not create (--snapshot, --template, or live)"
        case .importSecurityGroups: return "write configs/CONFIG.yaml and scenarios/CONFIG.yaml from existing groups (live, --snapshot or --template)"
        case .listActions: return "list the actions"
        }
    }

    /// True when the action calls AWS (unless given an offline source such as --snapshot).
    public var usesAWS: Bool {
        switch self {
        case .verifyVPC, .showChanges, .testDeploy, .createSecurityGroups, .checkDrift, .deleteSecurityGroups, .auditSecurityGroups,
             .importSecurityGroups:
            return true
        case .createProvTemplate, .validateProvTemplate, .createReviewReport, .createIAMPolicy, .listActions:
            return false
        }
    }

    /// True when the action needs `-con`.
    public var needsConfig: Bool {
        switch self {
        case .auditSecurityGroups, .listActions: return false
        default: return true
        }
    }

    /// True when the action can print its findings as SARIF (`--output sarif`).
    public var supportsSARIF: Bool {
        self == .validateProvTemplate || self == .auditSecurityGroups || self == .checkDrift
    }

    /// True when `-con` may name a directory or a glob of configs (`ActionRunner.runMany`).
    public var checksManyConfigs: Bool { self == .validateProvTemplate || self == .checkDrift }

    /// True when the action writes an audit log (every real action does; listing does not).
    public var writesAuditLog: Bool { self != .listActions }
}
