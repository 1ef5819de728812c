import Foundation
import SGAWSServices
import SGActionKit
import SGConfig
import SGCrypto
import SGDiagnostics
import SGFindings
import SGImport
import SGInventory
import SGModel
import SGReports
import SGValidation
import SGYAML

/// `import-security-groups`: brings groups the tool did not create under a config. Reads them from
/// live EC2 (`--vpc-id` and/or `--tag-filter`), a saved `describe-security-groups` snapshot
/// (`--snapshot`) or a CloudFormation template (`--template`), and writes `configs/NAME.yaml` and
/// `scenarios/NAME.yaml` (`-con NAME`): one tier per group, the config recording which existing
/// group each tier is. The files are loaded, judged and compiled in memory first and written only
/// when clean, each atomically; existing files are replaced only with `--force`. The findings of
/// the imported deployment are printed as validate prints them. Exit 0 written, 1 otherwise.
struct ImportSecurityGroupsAction {
    let context: ActionContext

    /// The two files, as paths.
    private struct Targets {
        var name: String
        var config: String
        var scenario: String
    }

    func run() async -> ActionOutcome {
        let request = context.request
        guard let targets = targets(), let identity = identity(name: targets.name) else { return .failure }
        context.identify(identity)
        guard checkTargets(targets), let source = chooseSource() else { return .failure }

        var importRequest = ImportRequest(
            identity: identity, name: targets.name, vpcID: request.vpcID, tagFilters: request.tagFilters.compactMap(TagFilter.init),
            includeStackOwned: request.force, source: source, importedAt: importTime(), toolVersion: context.environment.toolVersion)
        let groups: [LiveSecurityGroup]
        var declaredGroups: Set<String>?
        var ec2: EC2Client?
        switch source {
        case .snapshot(let path, _):
            guard let read = readSnapshot(path) else { return .failure }
            groups = read.groups
            importRequest.source = .snapshot(path: path, sha256: read.sha256)
        case .template(let path, _):
            guard let read = readTemplate(path) else { return .failure }
            groups = read.groups
            declaredGroups = read.declared
            importRequest.source = .template(path: path, sha256: read.sha256)
        case .live:
            guard let session = await AWSContext(context: context).session(for: identity) else { return .failure }
            importRequest.source = .live(region: session.region, filters: liveFilters().map { "\($0.name)=\($0.values.joined(separator: ","))" })
            do {
                let client = try session.ec2()
                ec2 = client
                guard let read = await readLive(client) else { return .failure }
                groups = read
            } catch {
                AWSContext(context: context).report(error, doing: "preparing AWS clients")
                return .failure
            }
        }

        let (planned, planDiagnostics) = ImportPlanner().plan(
            groups, request: importRequest, locatedInFile: !request.snapshots.isEmpty || !request.templates.isEmpty,
            declaredGroups: declaredGroups)
        context.report(planDiagnostics)
        guard var plan = planned else { return .failure }
        if let ec2, !plan.vpcID.isEmpty {
            importRequest.vpcCIDR = await vpcCIDR(plan.vpcID, ec2: ec2)
            plan.request = importRequest
        }
        let writer = ImportWriter()
        let configText = writer.config(plan)
        let scenarioText = writer.scenario(plan)
        guard let findings = check(config: configText, scenario: scenarioText, targets: targets) else { return .failure }
        guard write(scenarioText, to: targets.scenario), write(configText, to: targets.config) else { return .failure }
        return outcome(plan: plan, targets: targets, findings: findings)
    }

    // MARK: Identity and targets

    /// `-con NAME` (a bare name, `.yaml`/`.yml` allowed): both files' base name and the scenario's name.
    private func targets() -> Targets? {
        let request = context.request
        guard var name = request.config else {
            context.report(.error(.missingConfigOption, "import-security-groups needs -con NAME: the config to write (configs/NAME.yaml)", at: nil))
            return nil
        }
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        if name.contains("/") {
            context.report(.error(
                .importIdentity, "-con \(ConfigRules.quoted(name)) is a path; give the bare name of the config to write (it goes to \(request.configsDirectory)/NAME.yaml)",
                at: nil))
            return nil
        }
        if let problem = ConfigRules.nameProblem(name) {
            context.report(.error(
                .importIdentity, "config name \(ConfigRules.quoted(name)) \(problem); it also names the scenario, so it follows the name rule",
                at: nil, notes: [.init("names use lowercase letters, digits and hyphens, start and end with a letter or digit, and have at most \(ConfigRules.maxNameLength) characters")]))
            return nil
        }
        return Targets(
            name: name, config: "\(request.configsDirectory)/\(name).yaml", scenario: "\(context.layout.scenariosDirectory)/\(name).yaml")
    }

    private func identity(name: String) -> DeploymentIdentity? {
        let request = context.request
        let flags = DeploymentName.Parts(
            company: request.companyPrefix, environment: request.environmentName, deploymentID: request.deploymentID, region: request.region)
        switch DeploymentName.identity(name: name, flags: flags) {
        case .success(let identity):
            var bad: [String] = []
            for (flag, value) in [("company prefix", identity.company), ("environment", identity.environment), ("deployment id", identity.deploymentID)] {
                if let problem = ConfigRules.identityPartProblem(value) { bad.append("\(flag) \(ConfigRules.quoted(value)): \(problem)") }
            }
            if !ConfigRules.isRegion(identity.region) { bad.append("region \(ConfigRules.quoted(identity.region)) is not an AWS region") }
            guard bad.isEmpty else {
                context.report(.error(.importIdentity, "invalid identity for \(name): \(bad.joined(separator: "; "))", at: nil))
                return nil
            }
            return identity
        case .failure(let error):
            let why = error.nameProblem.map { ": the config name does not give them (\($0))" } ?? ""
            context.report(.error(
                .importIdentity, "give \(error.missing.joined(separator: ", "))\(why)", at: nil,
                notes: [.init("a config name reads as an identity when it is {company}-{environment}-{deployment_id}-{region}, e.g. acme-prod-d001-us-east-1")]))
            return nil
        }
    }

    /// Both files must be new unless `--force`; a bare `configs/NAME` would shadow `NAME.yaml`
    /// when the config is looked up, so it is never overwritten silently.
    private func checkTargets(_ targets: Targets) -> Bool {
        let fileSystem = context.environment.fileSystem
        let request = context.request
        let shadow = "\(request.configsDirectory)/\(targets.name)"
        if fileSystem.fileExists(shadow) {
            context.report(.error(
                .importTargetExists, "\(shadow) exists and would be read instead of \(targets.config) by -con \(targets.name); rename or remove it",
                at: nil))
            return false
        }
        let existing = [targets.config, "\(request.configsDirectory)/\(targets.name).yml", targets.scenario].filter(fileSystem.fileExists)
        if !existing.isEmpty, !request.force {
            context.report(.error(
                .importTargetExists, "\(existing.joined(separator: " and ")) already exist\(existing.count == 1 ? "s" : ""); give --force to replace, or another -con NAME",
                at: nil))
            return false
        }
        return true
    }

    // MARK: Sources

    private func chooseSource() -> ImportSource? {
        let request = context.request
        guard request.snapshots.count + request.templates.count <= 1 else {
            context.report(.error(
                .importSource, "give one source: --snapshot FILE, --template FILE (one file: one config), or neither for live EC2", at: nil))
            return nil
        }
        switch (request.snapshots.first, request.templates.first) {
        case (_?, _?):
            return nil
        case (let path?, nil):
            return .snapshot(path: path, sha256: "")
        case (nil, let path?):
            guard request.tagFilters.isEmpty else {
                context.report(.error(.importSource, "--tag-filter selects live or snapshot groups; a template's groups carry no tags to filter by", at: nil))
                return nil
            }
            return .template(path: path, sha256: "")
        case (nil, nil):
            guard request.vpcID != nil || !request.tagFilters.isEmpty else {
                context.report(.error(
                    .importSource, "importing from live EC2 needs --vpc-id VPC or --tag-filter KEY=VALUE: one config describes the groups of one VPC",
                    at: nil))
                return nil
            }
            return .live(region: "", filters: [])
        }
    }

    private func liveFilters() -> [EC2Filter] {
        var filters: [EC2Filter] = []
        if let vpc = context.request.vpcID { filters.append(EC2Filter(name: "vpc-id", values: [vpc])) }
        for text in context.request.tagFilters {
            guard let filter = TagFilter(text) else { continue }
            filters.append(EC2Filter(name: filter.ec2Filter.name, values: [filter.ec2Filter.value]))
        }
        return filters
    }

    private func readFile(_ path: String) -> SourceFile? {
        let bytes: [UInt8]
        do {
            bytes = try context.environment.fileSystem.read(path)
        } catch {
            context.report(.error(.badInputFile, "\(error)", at: .file(path)))
            return nil
        }
        context.record("read \(path) (\(bytes.count) bytes) sha256=\(SHA256.hex(bytes))")
        let source = SourceFile(path: path, bytes: bytes)
        context.register([source])
        return source
    }

    private func readSnapshot(_ path: String) -> (groups: [LiveSecurityGroup], sha256: String)? {
        guard let source = readFile(path) else { return nil }
        do {
            let (groups, diagnostics) = try SnapshotReader().read(source)
            context.report(diagnostics)
            // A permission that could not be read would be missing from the config: nothing is written.
            return diagnostics.hasErrors ? nil : (groups, SHA256.hex(source.bytes))
        } catch {
            error.diagnostics.forEach(context.report)
            return nil
        }
    }

    /// A template's groups as the audit resolves them (every deployment, each rule in the form the
    /// validator judges worst, named in a comment), and the logical ids of its group resources.
    private func readTemplate(_ path: String) -> (groups: [LiveSecurityGroup], declared: Set<String>, sha256: String)? {
        guard let source = readFile(path) else { return nil }
        let validator = ScenarioValidator()
        let validation = ValidationContext(today: context.today)
        do {
            let (groups, diagnostics) = try CloudFormationTemplateReader().read(source, rank: { key in
                FileAudit.rank(key, validator: validator, context: validation)
            })
            context.report(diagnostics)
            var declared = Set<String>()
            // The reader has parsed the same bytes already, so this parse succeeds.
            for entry in (try? YAMLParser().parse(source))?.root?["Resources"]?.mapping ?? []
            where entry.value["Type"]?.string == "AWS::EC2::SecurityGroup" {
                if let id = entry.key.string { declared.insert(id) }
            }
            return (groups, declared, SHA256.hex(source.bytes))
        } catch {
            error.diagnostics.forEach(context.report)
            return nil
        }
    }

    private func readLive(_ ec2: EC2Client) async -> [LiveSecurityGroup]? {
        let filters = liveFilters()
        do {
            let (groups, problems) = try await LiveInventory(ec2: ec2).groups(filters: filters)
            for problem in problems {
                context.report(.error(.snapshotPermission, "cannot understand live rule \(problem); it would be missing from the config", at: nil))
            }
            context.record("read \(groups.count) live group(s) matching \(filters.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: " "))")
            return problems.isEmpty ? groups : nil
        } catch {
            AWSContext(context: context).report(error, doing: "reading security groups")
            return nil
        }
    }

    /// The VPC's primary IPv4 block, so the validator can judge "the entire VPC"; a VPC that
    /// cannot be read leaves vpc_cidr out (it is optional), with a warning.
    private func vpcCIDR(_ vpcID: String, ec2: EC2Client) async -> CIDRBlock? {
        do {
            guard let vpc = try await ec2.describeVpcs(vpcIDs: [vpcID]).first,
                  case .success(let block) = CIDRBlock.parse(vpc.cidrBlock) else { return nil }
            return block
        } catch {
            context.report(.warning(.importValueDropped, "cannot read \(vpcID)'s CIDR (\(error)); the config is written without vpc_cidr", at: nil))
            return nil
        }
    }

    /// `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention for a time written into
    /// output), else the clock.
    private func importTime() -> Date {
        if let text = context.environment.variables["SOURCE_DATE_EPOCH"], let seconds = Int(text), seconds >= 0 {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return context.environment.now()
    }

    // MARK: Checking and writing

    /// Loads the two texts as the tool will (from memory, at the paths they will have), judges and
    /// compiles them. Any error means nothing is written. Returns the findings.
    private func check(config: String, scenario: String, targets: Targets) -> [Finding]? {
        let files: [String: [UInt8]] = [targets.config: Array(config.utf8), targets.scenario: Array(scenario.utf8)]
        let loader = DeploymentLoader(
            readFile: { path in
                guard let bytes = files[path] else { throw FileSystemError.cannotRead(path: path, reason: "no such file") }
                return bytes
            },
            fileExists: { files[$0] != nil },
            configsDirectory: context.request.configsDirectory, scenariosDirectory: context.layout.scenariosDirectory)
        let result = loader.load(config: targets.name)
        context.register(result.sources)
        context.report(result.diagnostics)
        guard let deployment = result.deployment else {
            context.report(.error(
                .importGeneratedInvalid, "the imported config does not load cleanly (errors above); nothing was written", at: nil))
            return nil
        }
        let (validation, compiled) = Pipeline(context: context).judgeAndCompile(deployment)
        guard compiled != nil, !context.diagnostics.hasErrors else {
            context.report(.error(
                .importGeneratedInvalid, "the imported deployment does not compile cleanly (errors above); nothing was written", at: nil))
            return nil
        }
        return validation.findings
    }

    private func write(_ text: String, to path: String) -> Bool {
        let fileSystem = context.environment.fileSystem
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty, !fileSystem.directoryExists(directory) { try fileSystem.createDirectory(directory) }
            try fileSystem.writeAtomically(Array(text.utf8), to: path)
        } catch {
            context.report(.error(.cannotWriteOutput, "cannot write \(path): \(error)", at: nil))
            return false
        }
        context.recordWritten(path, bytes: Array(text.utf8))
        return true
    }

    // MARK: Output

    private func outcome(plan: ImportPlan, targets: Targets, findings: [Finding]) -> ActionOutcome {
        let request = context.request
        let identity = plan.request.identity
        let rules = plan.tiers.reduce(0) { $0 + $1.ruleCount }
        let adopted = plan.tiers.filter(\.adopts).count
        context.record("imported \(plan.tiers.count) tier(s), \(rules) rule(s), \(plan.skipped.count) group(s) not imported")
        switch request.output {
        case .json, .sarif:  // sarif is refused for this action at the command line
            return .ending(.success, [.json([
                "deployment": .string(identity.qualifiedName),
                "config_file": .string(targets.config),
                "scenario_file": .string(targets.scenario),
                "vpc_id": .string(plan.vpcID),
                "tiers": .array(plan.tiers.map { tier in
                    .object([
                        "tier": .string(tier.name), "source_id": .string(tier.sourceID), "group_name": .string(tier.groupName),
                        "adopted": .bool(tier.adopts), "rules": .int(tier.ruleCount),
                    ])
                }),
                "not_imported": .array(plan.skipped.map { group in
                    .object(["source_id": .string(group.sourceID), "name": .string(group.name), "reason": .string(group.reason)])
                }),
                "findings": .array(findings.map(FindingJSON.finding)),
                "summary": FindingJSON.severityCounts(findings),
            ])])
        case .text:
            var outputs: [ActionOutcome.Output] = []
            let renderer = FindingTextRenderer(useColor: context.useColor, sourceLine: context.sources.lineProvider)
            for finding in findings {
                outputs.append(.say(FindingTextRenderer.needsAttention(finding) ? renderer.render(finding) : renderer.renderBrief(finding)))
            }
            let counts = RiskLevel.allCases.map { level in "\(findings.filter { $0.severity == level }.count) \(level.rawValue)" }
            var line = "import-security-groups: \(identity.qualifiedName): wrote \(targets.config) and \(targets.scenario): "
            line += "\(plan.tiers.count) tier\(plan.tiers.count == 1 ? "" : "s")"
            if adopted > 0 { line += " (\(adopted) adopted group\(adopted == 1 ? "" : "s"))" }
            line += ", \(rules) rule\(rules == 1 ? "" : "s")"
            if !plan.skipped.isEmpty { line += ", \(plan.skipped.count) group\(plan.skipped.count == 1 ? "" : "s") not imported" }
            line += "; findings: \(counts.joined(separator: ", "))\n"
            outputs.append(.say(line))
            return .ending(.success, outputs)
        }
    }
}
