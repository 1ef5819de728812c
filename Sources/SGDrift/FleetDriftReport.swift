import SGFindings
import SGModel
import SGReports
import SGValidation

/// One report for a drift check over every target of a deployment with `targets`: a row per
/// account and region (in config order), each drifted rule attributed to the account, region and
/// group it was found in, and where each target's own report is. Pure: no clock (two runs over
/// the same state are byte-identical), no file system.
public struct FleetDriftReport: Sendable {
    /// How one target came out.
    public enum Verdict: String, Sendable {
        /// Live groups match the config.
        case inSync = "in sync"
        /// Something differs.
        case drifted
        /// The target could not be checked (role refused, VPC unreadable, ...): not drift, an error.
        case failed
    }

    /// One target.
    public struct Row: Sendable {
        /// The target.
        public var target: DeploymentTarget
        /// How it came out.
        public var verdict: Verdict
        /// The target's drift report; nil when it could not be made.
        public var report: DriftReport?
        /// Why it failed.
        public var error: String?
        /// The file the target's own Markdown report was written to, if any.
        public var reportFile: String?

        /// Creates a row.
        public init(target: DeploymentTarget, verdict: Verdict, report: DriftReport?, error: String? = nil, reportFile: String? = nil) {
            self.target = target
            self.verdict = verdict
            self.report = report
            self.error = error
            self.reportFile = reportFile
        }
    }

    /// `{company}-{env}-{deployment_id}`.
    public var deployment: String
    /// The StackSet the targets are instances of.
    public var stackSetName: String
    /// The role assumed in every target account.
    public var roleName: String
    /// Every target, in config order.
    public var rows: [Row]

    /// Creates a report.
    public init(deployment: String, stackSetName: String, roleName: String, rows: [Row]) {
        self.deployment = deployment
        self.stackSetName = stackSetName
        self.roleName = roleName
        self.rows = rows
    }

    /// Targets per verdict.
    public func count(_ verdict: Verdict) -> Int { rows.filter { $0.verdict == verdict }.count }

    /// The worst rule added out of band anywhere.
    public var worstAddedRisk: RiskLevel? { rows.compactMap { $0.report?.worstAddedRisk }.max() }

    /// Every added rule with where it was found, worst first, then in target order.
    public var addedRules: [(target: DeploymentTarget, rule: DriftAddedRule)] {
        var all: [(target: DeploymentTarget, rule: DriftAddedRule, order: Int)] = []
        for (index, row) in rows.enumerated() {
            for rule in row.report?.addedRules ?? [] { all.append((row.target, rule, index)) }
        }
        all.sort { ($0.rule.risk, $1.order) > ($1.rule.risk, $0.order) }
        return all.map { ($0.target, $0.rule) }
    }

    /// The report as Markdown (`{deployment}-fleet-drift-report.md`).
    public func markdown(toolVersion: String) -> String {
        var out = "# Fleet drift report: \(deployment)\n\n"
        out += "| | |\n|---|---|\n"
        out += "| StackSet | `\(stackSetName)` |\n"
        out += "| Targets | \(rows.count): \(count(.inSync)) in sync, \(count(.drifted)) drifted, \(count(.failed)) failed |\n"
        out += "| Worst added rule | \(worstAddedRisk?.label ?? "-") |\n"
        out += "| Read through | role `\(roleName)` in each target account |\n"
        out += "| Tool version | \(cell(toolVersion)) |\n\n"
        out += "## Targets\n\n| Account | Region | VPC | Result | Summary | Worst added | Report |\n|---|---|---|---|---|---|---|\n"
        for row in rows {
            let result = row.verdict == .drifted ? "**DRIFT**" : row.verdict == .failed ? "**FAILED**" : "in sync"
            let summary = row.error ?? row.report.map(DriftPhrases.summary) ?? ""
            out += "| `\(row.target.account)` | \(row.target.region) | `\(row.target.vpcID)` | \(result) | \(cell(summary)) | "
            out += "\(row.report?.worstAddedRisk?.label ?? "-") | \(row.reportFile.map { "`\($0)`" } ?? "-") |\n"
        }
        out += "\n"
        let added = addedRules
        if !added.isEmpty {
            out += "## Rules added out of band\n\n| Risk | Account | Region | Tier | Group | Rule | Reason |\n|---|---|---|---|---|---|---|\n"
            for (target, rule) in added {
                out += "| **\(rule.riskLabel)** | `\(target.account)` | \(target.region) | \(cell(rule.tier)) | `\(rule.groupID)` | `\(rule.key)` | \(cell(rule.reason)) |\n"
            }
            out += "\n"
        }
        let failed = rows.filter { $0.verdict == .failed }
        if !failed.isEmpty {
            out += "## Targets not checked\n\nA target that could not be read is an error (exit 1), never reported as drift.\n\n"
            for row in failed { out += "- `\(row.target.label)`: \(cell(row.error ?? "failed"))\n" }
            out += "\n"
        }
        return out
    }

    /// The report as JSON (`{deployment}-fleet-drift-report.json`), keys sorted by the renderer.
    public func json(toolVersion: String) -> JSONValue {
        [
            "action": "check-drift",
            "tool_version": .string(toolVersion),
            "deployment": .string(deployment),
            "stackset": .string(stackSetName),
            "role": .string(roleName),
            "in_sync": .bool(rows.allSatisfy { $0.verdict == .inSync }),
            "summary": [
                "targets": .int(rows.count), "in_sync": .int(count(.inSync)), "drifted": .int(count(.drifted)),
                "failed": .int(count(.failed)), "worst_added_risk": .optional(worstAddedRisk?.rawValue),
            ],
            "targets": .array(rows.map { row in
                [
                    "account": .string(row.target.account), "region": .string(row.target.region), "vpc_id": .string(row.target.vpcID),
                    "status": .string(row.verdict.rawValue.replacingOccurrences(of: " ", with: "_")),
                    "summary": .optional(row.report.map(DriftPhrases.summary)), "error": .optional(row.error),
                    "worst_added_risk": .optional(row.report?.worstAddedRisk?.rawValue), "report": .optional(row.reportFile),
                ]
            }),
            "added_rules": .array(addedRules.map { target, rule in
                [
                    "account": .string(target.account), "region": .string(target.region), "tier": .string(rule.tier),
                    "group_id": .string(rule.groupID), "rule": .string(rule.key.description), "risk": .string(rule.risk.rawValue),
                    "reason": .string(rule.reason), "rule_id": .optional(rule.ruleID),
                ]
            }),
        ]
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
