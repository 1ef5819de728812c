import SGConcurrency
import SGDiagnostics
import SGInventory
import SGModel
import SGReports
import SGValidation

/// `audit-security-groups`: the same validator over groups the tool did not create, with no -con.
/// Sources: `--template` (any CloudFormation templates: files, directories, quoted globs, repeated),
/// `--snapshot` (saved `aws ec2 describe-security-groups` output, the same ways), or live EC2
/// (DescribeSecurityGroups/Rules; every group in the region, or in the config's VPC when `-con` is
/// given). One process and one summary for any number of files, with a result per file; the exit
/// code is over all of them and follows `--fail-on`. A template value that stays unresolved fails
/// its file unless `--allow-unresolved`.
struct AuditAction {
    let context: ActionContext

    /// Extensions a directory given to `--template` is searched for (cfn-lint's), and to `--snapshot`.
    static let templateExtensions = ["yaml", "yml", "json", "template"]
    static let snapshotExtensions = ["json"]

    func run() async -> ActionOutcome {
        let request = context.request
        if !request.snapshots.isEmpty && !request.templates.isEmpty {
            context.report(.error(.auditSource, "give one source: --snapshot FILE or --template FILE, not both", at: nil))
            return AuditOutput(context: context).outcome([], label: nil)
        }
        let isTemplate = !request.templates.isEmpty
        guard isTemplate || !request.snapshots.isEmpty else { return await auditLive() }

        let option = isTemplate ? "--template" : "--snapshot"
        let inputs = InputPaths(fileSystem: context.environment.fileSystem, extensions: isTemplate ? Self.templateExtensions : Self.snapshotExtensions)
        let (paths, problems) = inputs.expand(isTemplate ? request.templates : request.snapshots)
        for problem in problems {
            context.report(.error(.auditInputMatchesNothing, "\(option): \(problem)", at: nil))
        }
        let today = context.today
        let fileSystem = context.environment.fileSystem
        // Files are independent: read and judged on several threads, merged in input order, so the
        // output is the same whatever the thread count.
        let audits = Parallel.map(paths) { path in
            FileAudit.run(path: path, isTemplate: isTemplate, fileSystem: fileSystem, today: today)
        }
        for audit in audits {
            if let source = audit.source { context.register([source]) }
            context.report(audit.diagnostics)
            context.record("\(audit.path): read \(audit.bytes) bytes, \(audit.groups) group(s), \(audit.findings.count) finding(s), \(audit.unresolved) unresolved")
        }
        let label = paths.count == 1 && problems.isEmpty ? paths[0] : "\(paths.count) \(isTemplate ? "template" : "snapshot")\(paths.count == 1 ? "" : "s")"
        return AuditOutput(context: context).outcome(audits, label: label)
    }

    /// Live source: the groups EC2 reports, named `name (sg-id)`, with group references between them
    /// resolved so exposure paths are found too.
    private func auditLive() async -> ActionOutcome {
        var vpcID = context.request.vpcID
        var identity: DeploymentIdentity?
        if context.request.config != nil {
            guard let deployment = Pipeline(context: context).load() else { return AuditOutput(context: context).outcome([], label: nil) }
            // A config with targets: every target's VPC, in its account and region.
            if deployment.isFleet { return await FleetAudit(context: context, deployment: deployment).run() }
            vpcID = deployment.config.vpcID
            identity = deployment.identity
        }
        let aws = AWSContext(context: context)
        guard let session = await aws.session(for: identity) else { return AuditOutput(context: context).outcome([], label: nil) }
        let label = "aws:\(session.region)\(vpcID.map { "/\($0)" } ?? "")"
        do {
            let (groups, problems) = try await LiveInventory(ec2: try session.ec2()).groups(vpcID: vpcID)
            var diagnostics = Diagnostics()
            for problem in problems {
                diagnostics.warning(.liveRuleNotJudged, "a live rule could not be read: \(problem)", at: nil)
            }
            context.report(diagnostics)
            let names = Dictionary(groups.map { ($0.groupID, "\($0.name) (\($0.groupID))") }, uniquingKeysWith: { first, _ in first })
            let tiers = groups.map { $0.asTier(named: names[$0.groupID], tiersByGroupID: names) }
            context.record("audited \(tiers.count) live group(s) in \(label)")
            let result = ScenarioValidator().validate(tiers: tiers, context: ValidationContext(today: context.today))
            let audit = FileAudit(path: label, source: nil, bytes: 0, groups: groups.count, findings: result.findings, diagnostics: diagnostics)
            return AuditOutput(context: context).outcome([audit], label: label)
        } catch {
            aws.report(error, doing: "reading security groups")
            return AuditOutput(context: context).outcome([], label: label)
        }
    }
}

/// The audit of one file: what was read and what the validator found.
struct FileAudit: Sendable {
    var path: String
    var source: SourceFile?
    var bytes: Int
    var groups: Int
    var findings: [Finding]
    /// This file's diagnostics (also reported into the run).
    var diagnostics: Diagnostics

    /// Values that stayed unresolved (W701).
    var unresolved: Int { diagnostics.all.filter { $0.code == .unresolvedTemplateValue }.count }
    /// Rules AWS would not create (W703).
    var rejected: Int { diagnostics.all.filter { $0.code == .templateValueRejectedByAWS }.count }
    /// CIDRs whose host bits EC2 clears (W702).
    var canonicalised: Int { diagnostics.all.filter { $0.code == .hostBitsCanonicalised }.count }

    /// Passed: no error, nothing at or above `failOn` that is not accepted, and nothing unresolved
    /// unless unresolved values are allowed.
    func passed(failOn: RiskLevel, allowUnresolved: Bool) -> Bool {
        !diagnostics.hasErrors && (allowUnresolved || unresolved == 0) && !findings.contains { !$0.isAccepted && $0.severity >= failOn }
    }

    /// Reads and judges one template or snapshot; every problem becomes a diagnostic of the file.
    static func run(path: String, isTemplate: Bool, fileSystem: any FileSystem, today: CalendarDate) -> FileAudit {
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
    static func rank(_ key: RuleKey, validator: ScenarioValidator, context: ValidationContext) -> Int {
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
struct AuditOutput {
    let context: ActionContext

    func outcome(_ audits: [FileAudit], label: String?) -> ActionOutcome {
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
