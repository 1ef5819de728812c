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
            "groups": .array(report.groups.map { group($0, report: report) }),
            "missing_groups": .array(report.missingGroups.map {
                ["tier": .string($0.tier), "expected_name": .string($0.expectedName), "fingerprint": .string($0.fingerprint),
                 "expected_rules": .int($0.expectedRules), "location": FindingJSON.location($0.location),
                 "adopted_group_id": .optional($0.adoptedGroupID)]
            }),
            "extra_groups": .array(report.extraGroups.map {
                ["group_id": .string($0.groupID), "name": .string($0.name), "tier_tag": .optional($0.tierTag),
                 "reason": .string($0.reason), "fingerprint": .string($0.fingerprint),
                 "rules": .array($0.rules.map { added($0, report: report, inExtraGroup: true) })]
            }),
            "notes": .array(report.notes.map(JSONValue.string)),
            "revert_plan": report.revertPlan.json,
        ]
        if let execution = report.execution { object["revert_execution"] = execution.json }
        object["cloudtrail"] = report.cloudTrail.map(cloudTrail) ?? .null
        object["remediation"] = .array(report.remediation.map(remediation))
        if let acceptance = report.acceptance { object["acceptance"] = self.acceptance(acceptance) }
        return .object(object)
    }

    /// Who changed an item: the CloudTrail event, or why there is none.
    static func who(_ who: DriftWho) -> JSONValue {
        switch who {
        case .found(let event):
            return [
                "status": "found", "event_id": .string(event.eventID), "event_name": .string(event.eventName),
                "event_time": .string(event.eventTime), "principal": .string(event.principal),
                "principal_type": .optional(event.principalType), "account_id": .optional(event.accountID),
                "source_ip": .optional(event.sourceIPAddress), "user_agent": .optional(event.userAgent),
                "invoked_by": .optional(event.invokedBy), "matched_by": .string(event.matchedBy),
            ]
        case .notFoundYet(let days, let truncated):
            return ["status": "not_found_yet", "lookback_days": .int(days), "search_truncated": .bool(truncated)]
        case .notSearched(let why):
            return ["status": "not_searched", "reason": .string(why)]
        }
    }

    private static func cloudTrail(_ search: CloudTrailSearch) -> JSONValue {
        let (outcome, reason): (String, String?)
        switch search.outcome {
        case .searched: (outcome, reason) = ("searched", nil)
        case .skipped(let why): (outcome, reason) = ("skipped", why)
        case .failed(let why): (outcome, reason) = ("failed", why)
        }
        return [
            "outcome": .string(outcome), "reason": .optional(reason), "lookback_days": .int(search.lookbackDays),
            "searched_groups": .array(search.searchedGroups.map(JSONValue.string)),
            "truncated_groups": .array(search.truncatedGroups.map(JSONValue.string)),
            "calls": .int(search.calls), "events": .int(search.events),
        ]
    }

    private static func remediation(_ entry: DriftRemediation) -> JSONValue {
        [
            "fingerprint": .string(entry.item.fingerprint), "kind": .string(entry.item.kind.rawValue), "tier": .string(entry.item.tier),
            "group_id": .optional(entry.item.groupID), "rule": .optional(entry.item.key?.description), "rating": .string(entry.rating),
            "suggestion": .string(entry.suggestion.rawValue), "why": .string(entry.why), "revert": .string(entry.revert),
            "accept": .optional(entry.accept), "accept_blocked": .optional(entry.acceptBlocked),
        ]
    }

    private static func acceptance(_ record: DriftAcceptanceRecord) -> JSONValue {
        [
            "config": .string(record.configPath), "written": .bool(record.written), "diff": .string(record.diff),
            "accepted": .array(record.accepted.map {
                ["fingerprint": .string($0.fingerprint), "kind": .string($0.kind.rawValue), "tier": .string($0.tier),
                 "rule": .optional($0.key?.description)]
            }),
            "accepted_risks": .array(record.acceptedRisks.map(JSONValue.string)),
        ]
    }

    private static func source(_ source: DriftReport.Source) -> JSONValue {
        switch source {
        case .live(let region): return ["kind": "live", "region": .string(region)]
        case .snapshot(let path): return ["kind": "snapshot", "path": .string(path)]
        }
    }

    private static func group(_ group: DriftGroup, report: DriftReport) -> JSONValue {
        [
            "tier": .string(group.tier), "group_id": .string(group.groupID), "name": .string(group.groupName),
            "in_sync": .bool(!group.hasDrift), "live_rules": .int(group.liveRuleCount),
            "added": .array(group.added.map { added($0, report: report, inExtraGroup: false) }),
            "removed": .array(group.removed.map {
                var object = rule($0.key)
                object["description"] = .optional($0.description)
                object["config_location"] = FindingJSON.location($0.configLocation)
                object["fingerprint"] = .string($0.fingerprint)
                object["cloudtrail"] = who(report.who(DriftItem(kind: .removed, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: false)))
                return .object(object)
            }),
            "changed": .array(group.changed.map {
                var object = rule($0.key)
                object["fingerprint"] = .string($0.fingerprint)
                object["cloudtrail"] = who(report.who(DriftItem(kind: .changed, fingerprint: $0.fingerprint, tier: $0.tier, groupID: $0.groupID, key: $0.key, inExtraGroup: false)))
                object["expected_description"] = .optional($0.expectedDescription)
                object["live_description"] = .optional($0.liveDescription)
                object["rule_id"] = .optional($0.ruleID)
                object["config_location"] = FindingJSON.location($0.configLocation)
                object["live_location"] = FindingJSON.location($0.liveLocation)
                return .object(object)
            }),
        ]
    }

    private static func added(_ added: DriftAddedRule, report: DriftReport, inExtraGroup: Bool) -> JSONValue {
        var object = rule(added.key)
        object["fingerprint"] = .string(added.fingerprint)
        object["cloudtrail"] = who(report.who(DriftItem(
            kind: .added, fingerprint: added.fingerprint, tier: added.tier, groupID: added.groupID, key: added.key, inExtraGroup: inExtraGroup)))
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
            for rule in group.added {
                out += addedLine(rule)
                out += details(report, DriftItem(kind: .added, fingerprint: rule.fingerprint, tier: rule.tier, groupID: rule.groupID, key: rule.key, inExtraGroup: false))
            }
            for rule in group.removed {
                out += "    - \(rule.key)  \(DriftPhrases.quoted(rule.description))  removed out of band"
                out += rule.configLocation.map { " (configured at \($0))" } ?? " (AWS default egress)"
                out += "\n"
                out += details(report, DriftItem(kind: .removed, fingerprint: rule.fingerprint, tier: rule.tier, groupID: rule.groupID, key: rule.key, inExtraGroup: false))
            }
            for rule in group.changed {
                out += "    ~ \(rule.key)  description \(DriftPhrases.quoted(rule.expectedDescription)) -> \(DriftPhrases.quoted(rule.liveDescription))"
                let live = DriftPhrases.whereLive(ruleID: rule.ruleID, location: rule.liveLocation)
                out += live.isEmpty ? "\n" : " (\(live))\n"
                out += details(report, DriftItem(kind: .changed, fingerprint: rule.fingerprint, tier: rule.tier, groupID: rule.groupID, key: rule.key, inExtraGroup: false))
            }
        }
        for missing in report.missingGroups {
            let what = missing.whatIsMissing.text
            let counts = "\(missing.expectedRules) rules; tier defined at \(missing.location)"
            out += missing.adoptedGroupID == nil
                ? "  tier \(missing.tier): MISSING: \(what), \(counts))\n"
                : "  tier \(missing.tier): MISSING: \(what) (\(counts))\n"
            out += details(report, DriftItem(kind: .missingGroup, fingerprint: missing.fingerprint, tier: missing.tier, groupID: nil, key: nil, inExtraGroup: false))
        }
        for extra in report.extraGroups {
            out += "  EXTRA group \(extra.groupID) \(extra.name): \(extra.reason)\n"
            out += details(report, DriftItem(kind: .extraGroup, fingerprint: extra.fingerprint, tier: extra.tierTag ?? extra.name, groupID: extra.groupID, key: nil, inExtraGroup: false))
            for rule in extra.rules {
                out += addedLine(rule)
                out += details(report, DriftItem(kind: .added, fingerprint: rule.fingerprint, tier: rule.tier, groupID: rule.groupID, key: rule.key, inExtraGroup: true))
            }
        }
        out += plan(report)
        out += acceptance(report)
        return out + notes(report)
    }

    /// The item's fingerprint and suggested way out, and who changed it when CloudTrail was searched.
    private func details(_ report: DriftReport, _ item: DriftItem) -> String {
        var out = "      fingerprint \(item.fingerprint)"
        if let entry = report.remediation.first(where: { $0.item.fingerprint == item.fingerprint }) {
            out += "; suggested: \(entry.suggestion.rawValue)"
            if entry.accept == nil { out += " (cannot be accepted)" }
        }
        out += "\n"
        if case .searched? = report.cloudTrail?.outcome, item.kind != .missingGroup, item.kind != .extraGroup {
            out += "      who/when: \(report.who(item).text)\n"
        }
        return out
    }

    /// How to accept instead of reverting, or what the accept wrote.
    private func acceptance(_ report: DriftReport) -> String {
        if let record = report.acceptance {
            var out = "accepted into \(record.configPath)\(record.written ? "" : " (NOT written)"): "
            out += "\(record.accepted.count) change\(record.accepted.count == 1 ? "" : "s")"
            if !record.acceptedRisks.isEmpty { out += ", \(record.acceptedRisks.count) accepted risk\(record.acceptedRisks.count == 1 ? "" : "s")" }
            out += "\n"
            for item in record.accepted { out += "  \(item.line) on tier \(item.tier) (\(item.fingerprint))\n" }
            for risk in record.acceptedRisks { out += "  accepted risk \(risk)\n" }
            return out + record.diff
        }
        let acceptable = report.remediation.filter { $0.accept != nil }
        guard !acceptable.isEmpty, let first = acceptable.first?.accept else { return "" }
        let needsExpiry = acceptable.contains { $0.accept?.contains("--expires") == true }
        let command = first.components(separatedBy: " --accept ").first ?? first
        return "to accept instead of reverting (writes the change into the config; the drift report lists both ways for each item):\n"
            + "  \(command) --accept FINGERPRINT... --reason TEXT\(needsExpiry ? " [--expires YYYY-MM-DD]" : "")\n"
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
            out += "## Rules added out of band\n\n| Risk | Tier | Rule | Description | Reason | Findings | Where | Who / when |\n|---|---|---|---|---|---|---|---|\n"
            for rule in added.sorted(by: { ($0.risk, $1.tier) > ($1.risk, $0.tier) }) {
                out += "| **\(rule.riskLabel)** | \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.description ?? "")) | \(cell(rule.reason)) | "
                out += "\(Array(Set(rule.findings.map(\.id))).sorted().joined(separator: ", ")) | \(cell(DriftPhrases.whereLive(ruleID: rule.ruleID, location: rule.location))) | "
                out += "\(whoCell(report, .added, rule.fingerprint, rule.tier, rule.groupID, rule.key)) |\n"
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
            out += "## Rules removed out of band\n\n| Tier | Rule | Description | Configured at | Who / when |\n|---|---|---|---|---|\n"
            for rule in removed {
                out += "| \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.description ?? "")) | \(rule.configLocation.map { "`\($0)`" } ?? "AWS default egress") | "
                out += "\(whoCell(report, .removed, rule.fingerprint, rule.tier, rule.groupID, rule.key)) |\n"
            }
            out += "\n"
        }
        let changed = report.groups.flatMap(\.changed)
        if !changed.isEmpty {
            out += "## Descriptions changed out of band\n\n| Tier | Rule | Config | AWS | Who / when |\n|---|---|---|---|---|\n"
            for rule in changed {
                out += "| \(cell(rule.tier)) | `\(rule.key)` | \(cell(rule.expectedDescription ?? "")) | \(cell(rule.liveDescription ?? "")) | "
                out += "\(whoCell(report, .changed, rule.fingerprint, rule.tier, rule.groupID, rule.key)) |\n"
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

        out += cloudTrailSection(report)
        out += remediationSection(report)
        out += acceptanceSection(report)
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

    /// The who/when cell of a drifted rule.
    private func whoCell(_ report: DriftReport, _ kind: DriftKind, _ fingerprint: String, _ tier: String, _ groupID: String, _ key: RuleKey) -> String {
        let who = report.who(DriftItem(kind: kind, fingerprint: fingerprint, tier: tier, groupID: groupID, key: key, inExtraGroup: false))
        switch who {
        case .found(let event):
            // Everything here is whatever the caller sent AWS: escaped, so it stays inert text.
            let escape = MarkdownText.escape
            var text = "\(escape(event.who)) at \(escape(event.eventTime))"
            if let ip = event.sourceIPAddress { text += " from \(escape(ip))" }
            if let client = event.client { text += " (\(escape(client)))" }
            return text + "; \(escape(event.eventName)) event \(escape(event.eventID))"
        case .notFoundYet, .notSearched:
            return cell(who.text)
        }
    }

    private func cloudTrailSection(_ report: DriftReport) -> String {
        guard let search = report.cloudTrail else { return "" }
        var out = "## Who changed it (CloudTrail)\n\n"
        switch search.outcome {
        case .searched:
            out += "LookupEvents by group id over the last \(search.lookbackDays) days: \(search.searchedGroups.count) group(s), "
                + "\(search.calls) call(s), \(search.events) event(s) read; \(report.attributions.count) drifted item(s) tied to the call that made them."
            if !search.truncatedGroups.isEmpty {
                out += " The search stopped at its page bound for \(search.truncatedGroups.map { "`\($0)`" }.joined(separator: ", "))."
            }
            out += " CloudTrail delivers an event about five minutes after the call: a change that is not found yet may be that recent.\n\n"
        case .skipped(let why):
            out += "Not searched: \(cell(why)).\n\n"
        case .failed(let why):
            out += "The search stopped: \(cell(why)). The drift above is complete; only who and when are missing.\n\n"
        }
        return out
    }

    private func remediationSection(_ report: DriftReport) -> String {
        guard !report.remediation.isEmpty else { return "" }
        var out = "## Remediation\n\n"
        out += "For each drifted item, as the security guide's drift section says: find who changed it (above), decide whether the change is wanted, "
        out += "then revert it or accept it into the config. The suggestion follows the item's risk rating.\n\n"
        for entry in report.remediation {
            out += "- `\(cell(entry.item.line))` on tier `\(cell(entry.item.tier))`\(entry.item.groupID.map { " (`\($0)`)" } ?? ""), fingerprint `\(entry.item.fingerprint)`\n"
            out += "  - Rating: \(cell(entry.rating)); suggested: **\(entry.suggestion.rawValue)**: \(cell(entry.why))\n"
            out += "  - Revert: `\(cell(entry.revert))`\n"
            if let accept = entry.accept {
                out += "  - Accept: `\(cell(accept))`\n"
            } else {
                out += "  - Accept: not possible: \(cell(entry.acceptBlocked ?? "-"))\n"
            }
        }
        return out + "\n"
    }

    private func acceptanceSection(_ report: DriftReport) -> String {
        guard let record = report.acceptance else { return "" }
        var out = "## Accepted into the config\n\n"
        out += "`\(cell(record.configPath))` \(record.written ? "was updated" : "was NOT written"): \(record.accepted.count) change(s)"
        out += record.acceptedRisks.isEmpty ? ".\n\n" : ", \(record.acceptedRisks.count) accepted risk(s).\n\n"
        for item in record.accepted { out += "- `\(cell(item.line))` on tier `\(cell(item.tier))` (`\(item.fingerprint)`)\n" }
        for risk in record.acceptedRisks { out += "- accepted risk \(cell(risk))\n" }
        out += "\n```diff\n" + record.diff.replacingOccurrences(of: "```", with: "` ` `") + "```\n\n"
        return out
    }

    /// Keeps table cells on one line and stops `|` from opening a new column.
    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// What check-drift's SARIF results carry beyond a validator finding: the drifted rule's
/// fingerprint (for `--accept`), its group and rule id, and who changed it, by finding fingerprint.
public enum DriftSARIF {
    /// Result properties for every finding on a rule added out of band.
    public static func properties(_ report: DriftReport) -> [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        let rules = report.groups.flatMap { group in group.added.map { ($0, false) } } + report.extraGroups.flatMap { $0.rules.map { ($0, true) } }
        for (rule, inExtraGroup) in rules {
            var properties: [String: JSONValue] = [
                "driftFingerprint": .string(rule.fingerprint), "driftKind": "added", "groupId": .string(rule.groupID),
                "securityGroupRuleId": .optional(rule.ruleID),
            ]
            let who = report.who(DriftItem(kind: .added, fingerprint: rule.fingerprint, tier: rule.tier, groupID: rule.groupID, key: rule.key, inExtraGroup: inExtraGroup))
            switch who {
            case .found(let event):
                properties["changedBy"] = .string(event.who)
                properties["changedAt"] = .string(event.eventTime)
                properties["sourceIPAddress"] = .optional(event.sourceIPAddress)
                properties["userAgent"] = .optional(event.userAgent)
                properties["cloudTrailEventId"] = .string(event.eventID)
                properties["cloudTrailEventName"] = .string(event.eventName)
            case .notFoundYet, .notSearched:
                properties["changedBy"] = .string(who.text)
            }
            for finding in rule.findings { result[finding.fingerprint] = properties }
        }
        return result
    }
}
