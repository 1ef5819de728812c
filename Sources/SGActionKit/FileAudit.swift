import SGConcurrency
import SGDiagnostics
import SGFindings
import SGInventory
import SGModel
import SGReports
import SGValidation

/// The audit of one file: what was read and what the validator found.
package struct FileAudit: Sendable {
    package var path: String
    package var source: SourceFile?
    package var bytes: Int
    package var groups: Int
    package var findings: [Finding]
    /// This file's diagnostics (also reported into the run).
    package var diagnostics: Diagnostics

    /// Values that stayed unresolved (W701).
    package var unresolved: Int { diagnostics.all.filter { $0.code == .unresolvedTemplateValue }.count }
    /// Rules AWS would not create (W703).
    var rejected: Int { diagnostics.all.filter { $0.code == .templateValueRejectedByAWS }.count }
    /// CIDRs whose host bits EC2 clears (W702).
    var canonicalised: Int { diagnostics.all.filter { $0.code == .hostBitsCanonicalised }.count }

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(path: String, source: SourceFile? = nil, bytes: Int, groups: Int, findings: [Finding], diagnostics: Diagnostics) {
        self.path = path
        self.source = source
        self.bytes = bytes
        self.groups = groups
        self.findings = findings
        self.diagnostics = diagnostics
    }

    /// Passed: no error, nothing at or above `failOn` that is not accepted, and nothing unresolved
    /// unless unresolved values are allowed.
    package func passed(failOn: RiskLevel, allowUnresolved: Bool) -> Bool {
        !diagnostics.hasErrors && (allowUnresolved || unresolved == 0) && !findings.contains { !$0.isAccepted && $0.severity >= failOn }
    }

    /// Reads and judges one template or snapshot; every problem becomes a diagnostic of the file.
    package static func run(path: String, isTemplate: Bool, fileSystem: any FileSystem, today: CalendarDate) -> FileAudit {
        var diagnostics = Diagnostics()
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path)
        } catch {
            diagnostics.error(.badInputFile, "\(error)", at: .file(path))
            return FileAudit(path: path, source: nil, bytes: 0, groups: 0, findings: [], diagnostics: diagnostics)
        }
        let source = SourceFile(path: path, bytes: bytes)
        let validation = ValidationContext(today: today)
        let groups: [LiveSecurityGroup]
        let names: [String: String]
        do {
            if isTemplate {
                let validator = ScenarioValidator()
                let (read, found) = try CloudFormationTemplateReader().read(source, rank: { key in
                    Self.rank(key, validator: validator, context: validation)
                })
                groups = read
                diagnostics.report(contentsOf: found.all)
                // A template's groups are named by logical id; references between them become tier
                // references, so exposure paths through the template are found too.
                names = Dictionary(groups.map { ($0.groupID, $0.groupID) }, uniquingKeysWith: { first, _ in first })
            } else {
                let (read, found) = try SnapshotReader().read(source)
                groups = read
                diagnostics.report(contentsOf: found.all)
                names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
            }
        } catch {
            diagnostics.report(contentsOf: error.diagnostics)
            return FileAudit(path: path, source: source, bytes: bytes.count, groups: 0, findings: [], diagnostics: diagnostics)
        }
        let tiers = groups.map { $0.asTier(named: names[$0.groupID], tiersByGroupID: names) }
        let result = ScenarioValidator().validate(tiers: tiers, context: validation)
        return FileAudit(
            path: path, source: source, bytes: bytes.count, groups: groups.count,
            findings: explained(result.findings, groups: groups, names: names), diagnostics: diagnostics)
    }

    /// How bad one form of a template rule is, for keeping its worst form: the validator's risk for
    /// the rule on its own, then how many findings it raises.
    package static func rank(_ key: RuleKey, validator: ScenarioValidator, context: ValidationContext) -> Int {
        let rule = Rule(direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer, locations: RuleLocations(rule: .file("")))
        let assessment = validator.assess(rule, in: Tier(name: "rank", location: .file("")), context: context)
        return assessment.risk.rank * 100 + assessment.findingIDs.count
    }

    /// Findings about a rule that takes several forms over the template's deployments say which
    /// deployment they judged (`LiveRule.judgedAt`).
    static func explained(_ findings: [Finding], groups: [LiveSecurityGroup], names: [String: String]) -> [Finding] {
        var judgedAt: [String: String] = [:]
        for group in groups {
            let tier = names[group.groupID] ?? group.groupID
            for rule in group.rules {
                guard let note = rule.judgedAt else { continue }
                judgedAt["\(tier)|\(rule.location)|\(rule.tierKey(names))"] = note
            }
        }
        guard !judgedAt.isEmpty else { return findings }
        return findings.map { finding in
            guard let rule = finding.rule, let note = judgedAt["\(finding.tier)|\(finding.location)|\(rule)"] else { return finding }
            var explained = finding
            explained.description += " (\(note))"
            return explained
        }
    }
}

/// An audit's result in the requested format: per-file results and one summary.
package struct AuditOutput {
    let context: ActionContext

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(context: ActionContext) {
        self.context = context
    }

    package func outcome(_ audits: [FileAudit], label: String?) -> ActionOutcome {
        let request = context.request
        let findings = audits.flatMap(\.findings)
        let results = audits.map { ($0, $0.passed(failOn: request.failOn, allowUnresolved: request.allowUnresolved)) }
        let unresolved = audits.reduce(0) { $0 + $1.unresolved }
        let passed = !context.diagnostics.hasErrors && results.allSatisfy(\.1)
        var outputs: [ActionOutcome.Output] = []
        switch request.output {
        case .json:
            outputs.append(.json([
                "deployment": .optional(label),
                "fail_on": .string(request.failOn.rawValue),
                "allow_unresolved": .bool(request.allowUnresolved),
                "passed": .bool(passed),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": summary(findings, files: results, unresolved: unresolved),
                "files": .array(results.map { audit, filePassed in
                    [
                        "path": .string(audit.path), "passed": .bool(filePassed), "groups": .int(audit.groups),
                        "findings": FindingJSON.severityCounts(audit.findings), "unresolved": .int(audit.unresolved),
                        "rejected_by_aws": .int(audit.rejected), "host_bits_cleared": .int(audit.canonicalised),
                        "errors": .int(audit.diagnostics.errorCount),
                    ]
                }),
            ]))
        case .sarif:
            let artifacts = results.map { audit, filePassed in
                SARIFLog.Artifact(path: audit.path, properties: [
                    "passed": .bool(filePassed), "groups": .int(audit.groups), "findings": .int(audit.findings.count),
                    "unresolved": .int(audit.unresolved),
                ])
            }
            outputs.append(.sarif(findings: findings, passed: passed, artifacts: artifacts))
        case .text:
            if !(request.quiet && passed) {
                let renderer = FindingTextRenderer(useColor: context.useColor, sourceLine: context.sources.lineProvider)
                for finding in findings {
                    outputs.append(.out(FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding)))
                }
                if results.count > 1 {
                    for (audit, filePassed) in results { outputs.append(.out(fileLine(audit, passed: filePassed))) }
                }
                outputs.append(.out(summaryLine(findings, files: results, unresolved: unresolved, label: label, passed: passed)))
            }
        }
        let failing = findings.filter { !$0.isAccepted && $0.severity >= request.failOn }.count
        context.record("result: \(passed ? "passed" : "failed") (\(results.count) file(s), \(failing) finding(s) at/above \(request.failOn.rawValue), \(unresolved) unresolved)")
        return .ending(passed ? .success : .failure, outputs)
    }

    private func counts(_ findings: [Finding]) -> String {
        RiskLevel.allCases.map { level in "\(findings.filter { $0.severity == level && !$0.isAccepted }.count) \(level.rawValue)" }.joined(separator: ", ")
    }

    private func summary(_ findings: [Finding], files: [(FileAudit, Bool)], unresolved: Int) -> JSONValue {
        guard case .object(var object) = FindingJSON.severityCounts(findings) else { return FindingJSON.severityCounts(findings) }
        object["files"] = .int(files.count)
        object["files_failed"] = .int(files.filter { !$0.1 }.count)
        object["unresolved"] = .int(unresolved)
        return .object(object)
    }

    /// `FAILED EC2/x.yaml: 1 group(s); findings: 0 critical, 1 high, ...; 2 unresolved`
    private func fileLine(_ audit: FileAudit, passed: Bool) -> String {
        var line = "\(passed ? "passed" : "FAILED") \(audit.path): \(audit.groups) group(s); findings: \(counts(audit.findings))"
        if audit.unresolved > 0 { line += "; \(audit.unresolved) unresolved" }
        if audit.diagnostics.errorCount > 0 { line += "; \(audit.diagnostics.errorCount) error(s)" }
        return line + "\n"
    }

    private func summaryLine(_ findings: [Finding], files: [(FileAudit, Bool)], unresolved: Int, label: String?, passed: Bool) -> String {
        let request = context.request
        let errors = context.diagnostics.errors.count
        let warnings = context.diagnostics.all.count - errors
        let accepted = findings.filter(\.isAccepted).count
        var line = "\(request.action.rawValue): \(label ?? request.config ?? "input"): "
        if files.count > 1 { line += "\(files.filter { !$0.1 }.count) of \(files.count) failed; " }
        line += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); "
        line += "findings: \(counts(findings))\(accepted > 0 ? " (\(accepted) accepted)" : ""); "
        line += "unresolved: \(unresolved)\(unresolved > 0 ? (request.allowUnresolved ? " (allowed)" : " (fails; --allow-unresolved to accept)") : ""); "
        line += "--fail-on \(request.failOn.rawValue): \(passed ? "PASSED" : "FAILED")\n"
        return line
    }
}
