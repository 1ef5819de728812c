import SGFindings
import SGModel
import SGValidation

extension ReviewReport {
    /// The report as one self-contained HTML page: inline CSS and SVG, no script, font, image or
    /// link to fetch, and a Content-Security-Policy that forbids them anyway. Every input value is
    /// escaped.
    public func html() -> String {
        let h = HTMLText.escape
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Security group review: \(h(identity.qualifiedName))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1300px; color: #212121; line-height: 1.4; padding: 0 16px; }
            h1 { font-size: 26px; margin-bottom: 4px; } h2 { border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; margin-top: 32px; } h3 { margin-bottom: 6px; }
            table { border-collapse: collapse; margin: 8px 0 12px; width: 100%; font-size: 14px; }
            th, td { border: 1px solid #cfd8dc; padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #eceff1; }
            code, .hash { font-family: Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
            .verdict { padding: 10px 14px; border-radius: 6px; font-weight: bold; }
            .verdict.fail { background: #ffebee; border: 2px solid #c62828; } .verdict.pass { background: #e8f5e9; border: 2px solid #2e7d32; }
            .risk { font-weight: bold; white-space: nowrap; }
            .critical { color: #6a1b9a; } .high { color: #c62828; } .medium { color: #d35400; } .low { color: #2e7d32; } .info { color: #546e7a; }
            .status-failed { color: #c62828; font-weight: bold; } .status-verified-by-tool { color: #2e7d32; font-weight: bold; } .status-needs-human { color: #d35400; font-weight: bold; } .status-not-applicable { color: #666; }
            .finding { border-left: 4px solid #cfd8dc; padding: 4px 12px; margin: 8px 0; }
            .finding.critical { border-color: #6a1b9a; } .finding.high { border-color: #c62828; } .finding.medium { border-color: #d35400; } .finding.low { border-color: #2e7d32; } .finding.info { border-color: #546e7a; }
            .finding p { margin: 2px 0; color: #212121; }
            .expired { color: #c62828; font-weight: bold; }
            .graph { overflow-x: auto; border: 1px solid #cfd8dc; padding: 8px; background: #fafafa; }
            .approval th { width: 30%; } .approval td { height: 40px; min-width: 240px; width: 70%; } .approval tr:last-child td { height: 96px; }
            </style>
            </head>
            <body>
            <h1>Security group review: \(h(identity.qualifiedName))</h1>

            """
        let failing = !failingFindings.isEmpty || checklist.contains { $0.status == .failed }
        out += "<p class=\"verdict \(failing ? "fail" : "pass")\">Verdict: \(h(verdict))</p>\n"

        out += "<h2>Deployment</h2>\n<table>\n"
        for (field, value) in identityRows { out += "<tr><th>\(h(field))</th><td>\(h(value))</td></tr>\n" }
        out += "</table>\n"

        out += "<h2>Template under review</h2>\n"
        out += "<p>SHA-256 of each template exactly as <code>create-prov-template</code> writes it (YAML). "
        out += "<code>create-security-groups --approved-report</code> refuses a template whose hash differs.</p>\n"
        out += "<table>\n<tr><th>Stack</th><th>File</th><th>SHA-256</th></tr>\n"
        for digest in templates {
            out += "<tr><td>\(h(digest.stackName))</td><td>\(h(digest.fileName))</td><td class=\"hash\">\(h(digest.sha256))</td></tr>\n"
        }
        out += "</table>\n"
        if let combined = combinedSHA256 {
            out += "<p>Combined SHA-256 over all \(templates.count) stacks: <span class=\"hash\">\(h(combined))</span></p>\n"
        }
        out += targetsHTML

        out += "<h2>Who can reach whom</h2>\n"
        if let svg = graph.svg() {
            out += "<p>\(h(Self.drawingCaption))</p>\n"
            out += "<div class=\"graph\">\n\(svg)</div>\n"
        } else {
            out += "<ul>\n" + graph.summaryLines.map { "<li>\(h($0))</li>\n" }.joined() + "</ul>\n"
        }
        out += "<table>\n<tr><th>From</th><th>To</th><th>Ports</th><th>Risk</th></tr>\n"
        for edge in graph.edges.prefix(500) {
            out += "<tr><td>\(h(edge.from))</td><td>\(h(edge.to))</td><td>\(h(edge.label))</td><td class=\"risk \(edge.risk.rawValue)\">\(edge.risk.label)</td></tr>\n"
        }
        out += "</table>\n"
        if let note = oneSidedNote { out += "<p>\(h(note))</p>\n" }

        out += "<h2>Exposure paths from the internet</h2>\n"
        let paths = exposurePaths
        if paths.isEmpty { out += "<p>No tier is reachable from the internet.</p>\n" }
        out += paths.isEmpty ? "" : "<ol>\n"
        for path in paths {
            out += "<li>\(h(path.text))<ul>"
            for hop in path.hops {
                out += "<li>\(h(hop.from)) → \(h(hop.to)) on \(h(hop.ports)) <span class=\"risk \(hop.risk.rawValue)\">\(hop.risk.label)</span></li>"
            }
            out += "</ul></li>\n"
        }
        out += paths.isEmpty ? "" : "</ol>\n"

        out += "<h2>Findings by severity</h2>\n<p>Open (not accepted): "
        out += RiskLevel.allCases.map { level in
            "<span class=\"risk \(level.rawValue)\">\(findings(at: level).filter { !$0.isAccepted }.count) \(level.rawValue)</span>"
        }.joined(separator: ", ")
        out += "; accepted: \(validation.findings.filter(\.isAccepted).count).</p>\n"
        for level in RiskLevel.allCases {
            let list = findings(at: level)
            guard !list.isEmpty else { continue }
            out += "<h3 class=\"\(level.rawValue)\">\(level.label) (\(list.count))</h3>\n"
            for finding in list {
                out += "<div class=\"finding \(finding.severity.rawValue)\">"
                out += "<p><strong>\(h(finding.id))</strong> \(h(finding.title)) — tier <strong>\(h(finding.tier))</strong>"
                if let rule = finding.ruleText { out += ", rule <code>\(h(rule))</code>" }
                out += ", <code>\(h(finding.location.description))</code></p>"
                out += "<p>\(h(finding.description))</p><p>Remediation: \(h(finding.remediation))</p>"
                if let acceptance = finding.acceptance {
                    out += acceptance.isExpired
                        ? "<p class=\"expired\">Accepted risk EXPIRED on \(acceptance.expires): counts as failing. \(h(acceptance.reason))</p>"
                        : "<p>Accepted until \(acceptance.expires): \(h(acceptance.reason))</p>"
                }
                out += "</div>\n"
            }
        }

        out += "<h2>Rules per tier</h2>\n"
        let assessmentsByTier = Dictionary(grouping: validation.assessments, by: \.tier)
        let postures = Dictionary(grouping: validation.tierAssessments, by: \.tier)
        for tier in tiers {
            out += "<h3>Tier \(h(tier.name))\(tier.isPublic ? " (public)" : "")</h3>\n"
            if let description = tier.description { out += "<p>\(h(description))</p>\n" }
            if let adopted = adoptedGroups.first(where: { $0.tier == tier.name }) {
                out += "<p>Adopts the existing group <code>\(h(adopted.groupID))</code> (\(h(adopted.groupName))): taken over with its name and description, never deleted with the stack.</p>\n"
            }
            out += "<table>\n<tr><th>Direction</th><th>Protocol</th><th>Ports</th><th>Peer</th><th>Description</th><th>Risk</th><th>Findings</th><th>Origin</th><th>Location</th></tr>\n"
            for assessment in assessmentsByTier[tier.name] ?? [] {
                let rule = assessment.rule
                out += "<tr><td>\(rule.direction.rawValue)</td><td>\(h(rule.ipProtocol.description))</td><td>\(h(rule.ports.description))</td>"
                out += "<td>\(h(rule.peer.description))</td><td>\(h(rule.description ?? ""))</td>"
                out += "<td class=\"risk \(assessment.risk.rawValue)\">\(h(assessment.riskLabel))</td><td>\(h(assessment.findingIDs.joined(separator: ", ")))</td>"
                out += "<td>\(h(Self.origin(rule)))</td><td><code>\(h(rule.location.description))</code></td></tr>\n"
            }
            out += "</table>\n"
            for posture in postures[tier.name] ?? [] {
                out += "<p>Egress posture: \(h(posture.egress.rawValue)) — <span class=\"risk \(posture.risk.rawValue)\">\(h(posture.riskLabel))</span>: \(h(posture.reason))</p>\n"
            }
        }

        out += "<h2>Accepted risks</h2>\n"
        if acceptedRisks.isEmpty {
            out += "<p>None.</p>\n"
        } else {
            out += "<table>\n<tr><th>Finding</th><th>Tier</th><th>Binds to</th><th>Reason</th><th>Expires</th><th>Status</th></tr>\n"
            for status in acceptedRisks {
                let style = status.state == .expired ? " class=\"expired\"" : ""
                out += "<tr><td>\(h(status.risk.findingID))</td><td>\(h(status.risk.tier))</td><td>\(h(status.risk.binding.description))</td><td>\(h(status.risk.reason))</td>"
                out += "<td>\(status.risk.expires)</td><td\(style)>\(Self.stateLabel(status.state))</td></tr>\n"
            }
            out += "</table>\n"
        }

        out += "<h2>Overrides against the scenario</h2>\n"
        if overrides.isEmpty { out += "<p>None: the deployment is the scenario as written.</p>\n" } else { out += "<ol>\n" }
        for effect in overrides {
            out += "<li>Tier <strong>\(h(effect.tier))</strong> — \(h(effect.description)) (<code>\(h(effect.location.description))</code>)<ul>"
            for change in effect.added {
                out += "<li>added: <code>\(h(change.rule.key.description))</code>\(change.rule.description.map { " — \(h($0))" } ?? "")\(change.hadEffect ? "" : " (already in the scenario)")</li>"
            }
            for change in effect.removed {
                out += "<li>removed: <code>\(h(change.rule.key.description))</code>\(change.hadEffect ? "" : " (not in the scenario: no effect)")</li>"
            }
            out += "</ul></li>\n"
        }
        if !overrides.isEmpty { out += "</ol>\n" }

        out += "<h2>Tags</h2>\n<table>\n<tr><th>Key</th><th>Value</th><th>Status</th></tr>\n"
        for entry in tags.governance {
            let missing = (entry.value ?? "").isEmpty
            out += "<tr><td>\(h(entry.key))</td><td>\(h(entry.value ?? ""))</td><td\(missing ? " class=\"status-failed\"" : "")>\(missing ? "missing" : "present")</td></tr>\n"
        }
        for tag in tags.extra { out += "<tr><td>\(h(tag.key))</td><td>\(h(tag.value))</td><td>extra</td></tr>\n" }
        out += "</table>\n"

        out += "<h2>Pre-production checklist</h2>\n<table>\n<tr><th>Item</th><th>Status</th><th>Checks</th><th>Evidence</th></tr>\n"
        for item in checklist {
            let checks = item.checks.isEmpty ? "—" : item.checks.map { h($0.outcome) }.joined(separator: "<br>")
            out += "<tr><td>\(h(item.item))</td><td class=\"status-\(item.status.rawValue)\">\(item.status.rawValue)</td><td>\(checks)</td><td>\(h(item.evidence))</td></tr>\n"
        }
        out += "</table>\n"

        out += "<h2>Approval</h2>\n<table class=\"approval\">\n"
        for field in ["Approver (name, role)", "Date", "Decision (approve / reject / approve with conditions)", "Conditions or notes"] {
            out += "<tr><th>\(field)</th><td></td></tr>\n"
        }
        out += "</table>\n<p>The approval covers only the template hashes above.</p>\n</body>\n</html>\n"
        return out
    }
}
