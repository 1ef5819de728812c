import SGFindings
import SGModel
import SGValidation

extension ReviewReport {
    /// The report as GitHub-flavoured Markdown (for pull requests and tickets). Every value from
    /// the inputs is escaped, so pipes cannot break a table and markup cannot be injected.
    public func markdown() -> String {
        let e = MarkdownText.escape
        var out = "# Security group review: \(e(identity.qualifiedName))\n\n"
        out += "> **Verdict:** \(e(verdict))\n\n"

        out += "## Deployment\n\n| Field | Value |\n|---|---|\n"
        for (field, value) in identityRows { out += "| \(e(field)) | \(e(value)) |\n" }

        out += "\n## Template under review\n\n"
        out += "The SHA-256 of each template exactly as `create-prov-template` writes it (YAML). "
        out += "`create-security-groups --approved-report` refuses a template whose hash differs.\n\n"
        out += "| Stack | File | SHA-256 |\n|---|---|---|\n"
        for digest in templates { out += "| \(e(digest.stackName)) | \(e(digest.fileName)) | `\(digest.sha256)` |\n" }
        if let combined = combinedSHA256 { out += "\nCombined SHA-256 over all \(templates.count) stacks: `\(combined)`\n" }
        out += targetsMarkdown

        out += "\n## Who can reach whom\n\n"
        if graph.isSummarised {
            for line in graph.summaryLines { out += "- \(e(line))\n" }
            out += "\n"
        } else {
            out += "The HTML report draws this graph. \(e(Self.drawingCaption))\n\n"
        }
        out += "| From | To | Ports | Risk |\n|---|---|---|---|\n"
        for edge in graph.edges.prefix(500) { out += "| \(e(edge.from)) | \(e(edge.to)) | \(e(edge.label)) | \(edge.risk.label) |\n" }
        if graph.edges.count > 500 { out += "\n(\(graph.edges.count - 500) more edges in the JSON report)\n" }
        if let note = oneSidedNote { out += "\n\(e(note))\n" }

        out += "\n## Exposure paths from the internet\n\n"
        let paths = exposurePaths
        if paths.isEmpty { out += "No tier is reachable from the internet.\n" }
        for (index, path) in paths.enumerated() {
            out += "\(index + 1). \(e(path.text))\n"
            for hop in path.hops {
                out += "   - \(e(hop.from)) → \(e(hop.to)) on \(e(hop.ports)) (\(hop.risk.label))\n"
            }
        }

        out += "\n## Findings by severity\n\n"
        out += "Open (not accepted): " + RiskLevel.allCases.map { level in
            "\(findings(at: level).filter { !$0.isAccepted }.count) \(level.rawValue)"
        }.joined(separator: ", ") + "; accepted: \(validation.findings.filter(\.isAccepted).count).\n"
        for level in RiskLevel.allCases {
            let list = findings(at: level)
            guard !list.isEmpty else { continue }
            out += "\n### \(level.label) (\(list.count))\n\n"
            for finding in list {
                out += "- **\(e(finding.id))** \(e(finding.title)) — tier \(e(finding.tier))"
                if let rule = finding.ruleText { out += ", rule \(e(rule))" }
                out += ", \(e(finding.location.description))\n"
                out += "  - \(e(finding.description))\n"
                out += "  - Remediation: \(e(finding.remediation))\n"
                if let acceptance = finding.acceptance {
                    out += acceptance.isExpired
                        ? "  - **Accepted risk EXPIRED on \(acceptance.expires): counts as failing.** \(e(acceptance.reason))\n"
                        : "  - Accepted until \(acceptance.expires): \(e(acceptance.reason))\n"
                }
            }
        }

        out += "\n## Rules per tier\n"
        let assessmentsByTier = Dictionary(grouping: validation.assessments, by: \.tier)
        let postures = Dictionary(grouping: validation.tierAssessments, by: \.tier)
        for tier in tiers {
            out += "\n### Tier \(e(tier.name))\(tier.isPublic ? " (public)" : "")\n\n"
            if let description = tier.description { out += "\(e(description))\n\n" }
            if let adopted = adoptedGroups.first(where: { $0.tier == tier.name }) {
                out += "Adopts the existing group \(e(adopted.groupID)) (\(e(adopted.groupName))): taken over with its name and description, never deleted with the stack.\n\n"
            }
            out += "| Direction | Protocol | Ports | Peer | Description | Risk | Findings | Origin | Location |\n"
            out += "|---|---|---|---|---|---|---|---|---|\n"
            for assessment in assessmentsByTier[tier.name] ?? [] {
                let rule = assessment.rule
                out += "| \(rule.direction.rawValue) | \(e(rule.ipProtocol.description)) | \(e(rule.ports.description)) | "
                out += "\(e(rule.peer.description)) | \(e(rule.description ?? "")) | \(e(assessment.riskLabel)) | "
                out += "\(e(assessment.findingIDs.joined(separator: ", "))) | \(e(Self.origin(rule))) | \(e(rule.location.description)) |\n"
            }
            for posture in postures[tier.name] ?? [] {
                out += "\nEgress posture: \(e(posture.egress.rawValue)) — \(e(posture.riskLabel)): \(e(posture.reason))\n"
            }
        }

        out += "\n## Accepted risks\n\n"
        if acceptedRisks.isEmpty {
            out += "None.\n"
        } else {
            out += "| Finding | Tier | Binds to | Reason | Expires | Status |\n|---|---|---|---|---|---|\n"
            for status in acceptedRisks {
                out += "| \(e(status.risk.findingID)) | \(e(status.risk.tier)) | \(e(status.risk.binding.description)) | \(e(status.risk.reason)) | \(status.risk.expires) | \(Self.stateLabel(status.state)) |\n"
            }
        }

        out += "\n## Overrides against the scenario\n\n"
        if overrides.isEmpty { out += "None: the deployment is the scenario as written.\n" }
        for effect in overrides {
            out += "\(effect.index + 1). Tier \(e(effect.tier)) — \(e(effect.description)) (\(e(effect.location.description)))\n"
            for change in effect.added {
                out += "   - added: \(e(change.rule.key.description))\(change.rule.description.map { " — \(e($0))" } ?? "")\(change.hadEffect ? "" : " (already in the scenario)")\n"
            }
            for change in effect.removed {
                out += "   - removed: \(e(change.rule.key.description))\(change.hadEffect ? "" : " (not in the scenario: no effect)")\n"
            }
        }

        out += "\n## Tags\n\n| Key | Value | Status |\n|---|---|---|\n"
        for entry in tags.governance {
            out += "| \(e(entry.key)) | \(e(entry.value ?? "")) | \((entry.value ?? "").isEmpty ? "**missing**" : "present") |\n"
        }
        for tag in tags.extra { out += "| \(e(tag.key)) | \(e(tag.value)) | extra |\n" }

        out += "\n## Pre-production checklist\n\n| Item | Status | Checks | Evidence |\n|---|---|---|---|\n"
        for item in checklist {
            let checks = item.checks.isEmpty ? "—" : item.checks.map(\.outcome).joined(separator: ", ")
            out += "| \(e(item.item)) | \(item.status.rawValue) | \(e(checks)) | \(e(item.evidence)) |\n"
        }

        out += "\n## Approval\n\n| Field | Entry |\n|---|---|\n"
        out += "| Approver (name, role) | |\n| Date | |\n| Decision (approve / reject / approve with conditions) | |\n| Conditions or notes | |\n"
        out += "\nThe approval covers only the template hashes above.\n"
        return out
    }

    /// Field/value rows of the deployment identity, shared by every rendering.
    var identityRows: [(String, String)] {
        var rows: [(String, String)] = [
            ("Company", identity.company), ("Environment", identity.environment), ("Deployment id", identity.deploymentID),
            targets.isEmpty ? ("Region", identity.region) : ("Administration region", identity.region),
            targets.isEmpty ? ("VPC", vpcID + (vpcCIDR.map { " (\($0))" } ?? "")) : ("VPC", "one per target (see Targets)"),
            (targets.isEmpty ? "Stack" : "StackSet", templates.map(\.stackName).joined(separator: ", ")),
            ("Scenario", scenario.name + (scenario.description.map { " — \($0)" } ?? "")),
            ("Config", configFile), ("Tool version", toolVersion),
        ]
        rows.append(("Report date", date?.description ?? "not given (pass --today to print one)"))
        return rows
    }

    static func origin(_ rule: Rule) -> String {
        switch rule.origin {
        case .scenario: return "scenario"
        case .override(let index): return "override \(index + 1)"
        }
    }

    static func stateLabel(_ state: AcceptedRiskStatus.State) -> String {
        switch state {
        case .active: return "active"
        case .expired: return "EXPIRED (failing)"
        case .unused: return "matches no finding"
        }
    }
}
