import Foundation
import SGDiagnostics
import SGModel
import SGReports
import SGValidation

/// The drift report as one JSON document: what `check-drift --output json` prints and what
/// `{deployment}-drift-report.json` holds. No timestamps, so two runs over the same state are
/// byte-identical.
public enum DriftJSON {
    /// The whole report.
    public static func document(_ report: DriftReport, toolVersion: String) -> JSONValue {
        let counts = report.counts
        var object: [String: JSONValue] = [
            "action": "check-drift",
            "tool_version": .string(toolVersion),
            "deployment": .string(report.deployment),
            "vpc_id": .string(report.vpcID),
            "source": source(report.source),
            "in_sync": .bool(!report.hasDrift),
            "summary": [
                "added": .int(counts.added), "removed": .int(counts.removed), "changed": .int(counts.changed),
                "missing_groups": .int(counts.missing), "extra_groups": .int(counts.extra),
                "checked_rules": .int(report.checkedRules),
                "worst_added_risk": .optional(report.worstAddedRisk?.rawValue),
            ],
            "groups": .array(report.groups.map(group)),
            "missing_groups": .array(report.missingGroups.map {
                ["tier": .string($0.tier), "expected_name": .string($0.expectedName),
                 "expected_rules": .int($0.expectedRules), "location": FindingJSON.location($0.location),
                 "adopted_group_id": .optional($0.adoptedGroupID)]
            }),
            "extra_groups": .array(report.extraGroups.map {
                ["group_id": .string($0.groupID), "name": .string($0.name), "tier_tag": .optional($0.tierTag),
                 "reason": .string($0.reason), "rules": .array($0.rules.map(added))]
            }),
            "notes": .array(report.notes.map(JSONValue.string)),
            "revert_plan": report.revertPlan.json,
        ]
        if let execution = report.execution { object["revert_execution"] = execution.json }
        return .object(object)
    }

    private static func source(_ source: DriftReport.Source) -> JSONValue {
        switch source {
        case .live(let region): return ["kind": "live", "region": .string(region)]
        case .snapshot(let path): return ["kind": "snapshot", "path": .string(path)]
        }
    }

    private static func group(_ group: DriftGroup) -> JSONValue {
        [
            "tier": .string(group.tier), "group_id": .string(group.groupID), "name": .string(group.groupName),
            "in_sync": .bool(!group.hasDrift), "live_rules": .int(group.liveRuleCount),
            "added": .array(group.added.map(added)),
            "removed": .array(group.removed.map {
                var object = rule($0.key)
                object["description"] = .optional($0.description)
                object["config_location"] = FindingJSON.location($0.configLocation)
                return .object(object)
            }),
            "changed": .array(group.changed.map {
                var object = rule($0.key)
                object["expected_description"] = .optional($0.expectedDescription)
                object["live_description"] = .optional($0.liveDescription)
                object["rule_id"] = .optional($0.ruleID)
                object["config_location"] = FindingJSON.location($0.configLocation)
                object["live_location"] = FindingJSON.location($0.liveLocation)
                return .object(object)
            }),
        ]
    }

    private static func added(_ added: DriftAddedRule) -> JSONValue {
        var object = rule(added.key)
        object["description"] = .optional(added.description)
        object["rule_id"] = .optional(added.ruleID)
        object["location"] = FindingJSON.location(added.location)
        object["risk"] = .string(added.risk.rawValue)
        object["risk_label"] = .string(added.riskLabel)
        object["reason"] = .string(added.reason)
        object["findings"] = .array(added.findings.map(FindingJSON.finding))
        return .object(object)
    }

    /// The rule's identity, spelled out field by field and as one line.
    private static func rule(_ key: RuleKey) -> [String: JSONValue] {
        ["rule": .string(key.description), "direction": .string(key.direction.rawValue),
         "protocol": .string(key.ipProtocol.description), "ports": .string(key.ports.description),
         "peer": .string(key.peer.description)]
    }
}

extension DriftReport {
    /// `1 added, 0 removed, 0 changed, 0 missing groups, 0 extra groups`: the counts as every
    /// renderer (and a fan-out's line per deployment) words them.
    public var countsSummary: String { DriftPhrases.summary(self) }
}

/// Shared phrasing of rules for the text and Markdown renderers.
enum DriftPhrases {
    static func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(no description)" }

    static func summary(_ report: DriftReport) -> String {
        let counts = report.counts
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(counts.added) added, \(counts.removed) removed, \(counts.changed) changed, "
            + "\(plural(counts.missing, "missing group")), \(plural(counts.extra, "extra group"))"
    }

    /// `rule sgr-1`, `snapshot.json:12:9`, or nothing.
    static func whereLive(ruleID: String?, location: SourceLocation?) -> String {
        [ruleID.map { "rule \($0)" }, location?.description].compactMap { $0 }.joined(separator: ", ")
    }

    static func parameters(_ value: JSONValue) -> String {
        // One line, keys sorted: readable and copyable into an AWS CLI --cli-input-json.
        value.rendered().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            .replacingOccurrences(of: "[ ", with: "[").replacingOccurrences(of: "{ ", with: "{")
            .replacingOccurrences(of: " ]", with: "]").replacingOccurrences(of: " }", with: "}")
    }
}

/// The drift report for people on a terminal (and for cron mail): a summary line, then each
/// drifted group with `+` added (rated), `-` removed, `~` changed rules, then the revert plan.
public struct DriftTextRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The whole text; one line when in sync.
    public func render(_ report: DriftReport) -> String {
        var out = "check-drift: \(report.deployment) (\(report.source.label)): "
        guard report.hasDrift else {
            out += "in sync (\(report.groups.count) group\(report.groups.count == 1 ? "" : "s"), \(report.checkedRules) live rules checked)\n"
            return out + notes(report)
        }
        out += "DRIFT: \(DriftPhrases.summary(report))"
        if let worst = report.worstAddedRisk { out += "; worst added rule \(worst.label)" }
        out += "\n"
        for group in report.groups where group.hasDrift {
            out += "  tier \(group.tier) (\(group.groupID) \(group.groupName)):\n"
            for rule in group.added { out += addedLine(rule) }
            for rule in group.removed {
                out += "    - \(rule.key)  \(DriftPhrases.quoted(rule.description))  removed out of band"
                out += rule.configLocation.map { " (configured at \($0))" } ?? " (AWS default egress)"
                out += "\n"
            }
            for rule in group.changed {
                out += "    ~ \(rule.key)  description \(DriftPhrases.quoted(rule.expectedDescription)) -> \(DriftPhrases.quoted(rule.liveDescription))"
                let live = DriftPhrases.whereLive(ruleID: rule.ruleID, location: rule.liveLocation)
                out += live.isEmpty ? "\n" : " (\(live))\n"
            }
        }
        for missing in report.missingGroups {
            let what = missing.whatIsMissing.text
            let counts = "\(missing.expectedRules) rules; tier defined at \(missing.location)"
            out += missing.adoptedGroupID == nil
                ? "  tier \(missing.tier): MISSING: \(what), \(counts))\n"
                : "  tier \(missing.tier): MISSING: \(what) (\(counts))\n"
        }
        for extra in report.extraGroups {
            out += "  EXTRA group \(extra.groupID) \(extra.name): \(extra.reason)\n"
            for rule in extra.rules { out += addedLine(rule) }
        }
        out += plan(report)
        return out + notes(report)
    }

    private func addedLine(_ rule: DriftAddedRule) -> String {
        var line = "    + \(rule.key)  \(DriftPhrases.quoted(rule.description))  \(rule.riskLabel): \(rule.reason)"
        let ids = Array(Set(rule.findings.map(\.id))).sorted()
        if !ids.isEmpty { line += " [\(ids.joined(separator: ", "))]" }
        let live = DriftPhrases.whereLive(ruleID: rule.ruleID, location: rule.location)
        return line + (live.isEmpty ? "\n" : " (\(live))\n")
    }

    private func plan(_ report: DriftReport) -> String {
        let plan = report.revertPlan
        var out = "revert plan \(plan.id): \(plan.summary)\n"
        if report.execution == nil && !plan.commands.isEmpty {
            out += "  not executed: review it, then run again with --force to apply it\n"
        }
        for command in plan.commands {
            out += "  \(command.id). \(command.action) on \(command.resource): \(command.reason)\n"
            out += "     parameters: \(DriftPhrases.parameters(command.parameters))\n"
            if let rollback = command.rollback {
                out += "     rollback: \(rollback.action) \(DriftPhrases.parameters(rollback.parameters))\n"
            }
        }
        for warning in plan.warnings { out += "  warning: \(warning)\n" }
        if let execution = report.execution {
            out += "revert executed (--force):\n"
            for step in execution.steps {
                out += "  \(step.commandID). \(step.action) on \(step.resource): \(step.succeeded ? "done" : "FAILED: \(step.message)")\n"
            }
            if !execution.notAttempted.isEmpty {
                out += "  stopped at the first failure; not attempted: \(execution.notAttempted.joined(separator: ", "))\n"
            }
            if let verification = execution.verification { out += "  re-checked: \(verification)\n" }
        }
        return out
    }

    private func notes(_ report: DriftReport) -> String {
        report.notes.map { "  note: \($0)\n" }.joined()
    }
}

/// The drift report as Markdown for the record (`{deployment}-drift-report.md`).
public struct DriftMarkdownRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The whole document.
    public func render(_ report: DriftReport, toolVersion: String) -> String {
        var out = "# Drift report: \(report.deployment)\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Deployment | `\(report.deployment)` |\n"
        out += "| VPC | `\(report.vpcID)` |\n"
        out += "| Compared with | \(cell(report.source.label)) |\n"
        out += "| Result | \(report.hasDrift ? "**DRIFT**" : "in sync") |\n"
        out += "| Summary | \(DriftPhrases.summary(report)) |\n"
        out += "| Worst added rule | \(report.worstAddedRisk?.label ?? "-") |\n"
        out += "| Tool version | \(cell(toolVersion)) |\n\n"

        out += "## Groups\n\n| Tier | Group | Live rules | Added | Removed | Changed |\n|---|---|---|---|---|---|\n"
        for group in report.groups {
            out += "| \(cell(group.tier)) | `\(group.groupID)` \(cell(group.groupName)) | \(group.liveRuleCount) | \(group.added.count) | \(group.removed.count) | \(group.changed.count) |\n"
        }
        out += "\n"

        let added = report.groups.flatMap(\.added)
        if !added.isEmpty {
            out += "## Rules added out of band\n\n| Risk | Tier | Rule | Description | Reason | Findings | Where |\n|---|---|---|---|---|---|---|\n"
            for rule in added.sorted(by: { ($0.risk, $1.tier) > ($1.risk, $0.tier) }) {
                out += "| **\(rule.riskLabel)** | \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.description ?? "")) | \(cell(rule.reason)) | "
                out += "\(Array(Set(rule.findings.map(\.id))).sorted().joined(separator: ", ")) | \(cell(DriftPhrases.whereLive(ruleID: rule.ruleID, location: rule.location))) |\n"
            }
            out += "\n"
            for rule in added {
                for finding in rule.findings {
                    out += "- **\(finding.severity.label) \(finding.id)** on `\(rule.key)` (\(cell(rule.tier))): \(finding.description). Remediation: \(finding.remediation)\n"
                }
            }
            if added.contains(where: { !$0.findings.isEmpty }) { out += "\n" }
        }
        let removed = report.groups.flatMap(\.removed)
        if !removed.isEmpty {
            out += "## Rules removed out of band\n\n| Tier | Rule | Description | Configured at |\n|---|---|---|---|\n"
            for rule in removed {
                out += "| \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.description ?? "")) | \(rule.configLocation.map { "`\($0)`" } ?? "AWS default egress") |\n"
            }
            out += "\n"
        }
        let changed = report.groups.flatMap(\.changed)
        if !changed.isEmpty {
            out += "## Descriptions changed out of band\n\n| Tier | Rule | Config | AWS |\n|---|---|---|---|\n"
            for rule in changed {
                out += "| \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.expectedDescription ?? "")) | \(cell(rule.liveDescription ?? "")) |\n"
            }
            out += "\n"
        }
        if !report.missingGroups.isEmpty {
            out += "## Missing groups\n\n"
            for missing in report.missingGroups {
                let what = missing.whatIsMissing.markdown
                let counts = "\(missing.expectedRules) rules; defined at `\(missing.location)`"
                out += missing.adoptedGroupID == nil
                    ? "- tier `\(missing.tier)`: \(what), \(counts))\n"
                    : "- tier `\(missing.tier)`: \(what) (\(counts))\n"
            }
            out += "\n"
        }
        if !report.extraGroups.isEmpty {
            out += "## Extra groups\n\n"
            for extra in report.extraGroups {
                out += "- `\(extra.groupID)` \(cell(extra.name)): \(cell(extra.reason))\n"
                for rule in extra.rules { out += "  - **\(rule.riskLabel)** `\(rule.key)`: \(cell(rule.reason))\n" }
            }
            out += "\n"
        }

        let plan = report.revertPlan
        out += "## Revert plan `\(plan.id)`\n\n\(plan.summary)\n\n"
        if !plan.commands.isEmpty {
            out += report.execution == nil ? "Not executed. Run `check-drift` again with `--force` to apply it.\n\n" : "Executed with `--force` (see below).\n\n"
            for command in plan.commands {
                out += "\(command.id). `\(command.action)` on `\(command.resource)`: \(cell(command.reason))\n"
                out += "   - parameters: `\(DriftPhrases.parameters(command.parameters))`\n"
                if let rollback = command.rollback {
                    out += "   - rollback: `\(rollback.action)` `\(DriftPhrases.parameters(rollback.parameters))`\n"
                }
            }
            out += "\n"
        }
        for warning in plan.warnings { out += "- Warning: \(warning)\n" }
        for note in plan.notes { out += "- Note: \(note)\n" }
        if !plan.warnings.isEmpty || !plan.notes.isEmpty { out += "\n" }
        if let execution = report.execution {
            out += "## Revert execution\n\n"
            for step in execution.steps {
                out += "- \(step.commandID). `\(step.action)` on `\(step.resource)`: \(step.succeeded ? "done" : "FAILED: \(cell(step.message))")\n"
            }
            if !execution.notAttempted.isEmpty { out += "- Stopped at the first failure; not attempted: \(execution.notAttempted.joined(separator: ", "))\n" }
            if let verification = execution.verification { out += "- Re-checked: \(verification)\n" }
            out += "\n"
        }
        if !report.notes.isEmpty {
            out += "## Notes\n\n" + report.notes.map { "- \($0)\n" }.joined() + "\n"
        }
        return out
    }

    /// Keeps table cells on one line and stops `|` from opening a new column.
    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
