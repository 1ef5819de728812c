import SGDiagnostics
import SGIO
import SGModel
import SGYAML

/// The outcome of loading a config: the deployment when the input is clean, and every problem.
public struct LoadResult: Sendable {
    /// The config with its scenario and overrides applied; nil when any error was reported.
    public var deployment: Deployment?
    /// All problems found (one run reports every problem it can), warnings included.
    public var diagnostics: Diagnostics
    /// The files read, for quoting lines in diagnostics.
    public var sources: [SourceFile]
    /// The deployment's identity as soon as the config's four identity fields read cleanly, also
    /// when other fields or the scenario have errors (outputs name the deployment whenever they can).
    public var identity: DeploymentIdentity?

    /// Creates a result.
    public init(deployment: Deployment?, diagnostics: Diagnostics, sources: [SourceFile], identity: DeploymentIdentity? = nil) {
        self.deployment = deployment
        self.diagnostics = diagnostics
        self.sources = sources
        self.identity = identity ?? deployment?.identity
    }
}

/// Loads `configs/NAME.yaml` and `scenarios/NAME.yaml` into a `Deployment`, validating every input.
///
/// File access is injected (`readFile`, `fileExists`, `listFiles`) so the loader never touches the
/// file system itself and tests run on an in-memory map.
public struct DeploymentLoader: Sendable {
    /// Reads a file's bytes; throws when it cannot.
    public let readFile: @Sendable (String) throws -> [UInt8]
    /// True when a regular file exists at the path.
    public let fileExists: @Sendable (String) -> Bool
    /// The file names (not paths) in a directory; used only for listings and "did you mean".
    public let listFiles: @Sendable (String) -> [String]
    /// Where bare config names are looked up.
    public let configsDirectory: String
    /// Where scenario names are looked up.
    public let scenariosDirectory: String
    /// Model size limits.
    public let limits: ModelLimits
    /// YAML parser limits.
    public let yamlLimits: YAMLLimits

    /// Creates a loader. `listFiles` defaults to listing nothing (then "not found" errors carry no
    /// suggestions).
    public init(
        readFile: @escaping @Sendable (String) throws -> [UInt8],
        fileExists: @escaping @Sendable (String) -> Bool,
        configsDirectory: String = "configs", scenariosDirectory: String = "scenarios",
        limits: ModelLimits = .default, yamlLimits: YAMLLimits = .default,
        listFiles: @escaping @Sendable (String) -> [String] = { _ in [] }
    ) {
        self.readFile = readFile
        self.fileExists = fileExists
        self.listFiles = listFiles
        self.configsDirectory = configsDirectory
        self.scenariosDirectory = scenariosDirectory
        self.limits = limits
        self.yamlLimits = yamlLimits
    }

    /// Every config name in `configsDirectory` (file names without `.yaml`/`.yml`), sorted.
    public func availableConfigs() -> [String] { yamlNames(in: configsDirectory) }

    /// Every scenario name in `scenariosDirectory`, sorted.
    public func availableScenarios() -> [String] { yamlNames(in: scenariosDirectory) }

    private func yamlNames(in directory: String) -> [String] {
        let names = listFiles(directory).compactMap { file -> String? in
            for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) && file.count > suffix.count {
                return String(file.dropLast(suffix.count))
            }
            return nil
        }
        return Array(Set(names)).sorted()
    }

    /// The path a config reference resolves to: a reference containing "/" is a path; a bare name
    /// is looked up in `configsDirectory` as NAME, NAME.yaml, NAME.yml, in that order.
    public func resolveConfigPath(_ reference: String) -> String? {
        if reference.contains("/") { return fileExists(reference) ? reference : nil }
        return configCandidates(reference).first(where: fileExists)
    }

    private func configCandidates(_ name: String) -> [String] {
        ["\(configsDirectory)/\(name)", "\(configsDirectory)/\(name).yaml", "\(configsDirectory)/\(name).yml"]
    }

    /// Loads a config, its scenario, and applies the overrides. Every problem found is in the
    /// result's diagnostics; the deployment is nil when any of them is an error.
    public func load(config reference: String) -> LoadResult {
        var reader = NodeReader()
        var sources: [SourceFile] = []
        guard let path = resolveConfigPath(reference) else {
            reportMissingConfig(reference, reader: &reader)
            return LoadResult(deployment: nil, diagnostics: reader.diagnostics, sources: sources)
        }
        guard let root = readYAML(path, what: "config", sources: &sources, reader: &reader),
              let config = ConfigReader.read(root, limits: limits, reader: &reader)
        else { return LoadResult(deployment: nil, diagnostics: reader.diagnostics, sources: sources) }

        var scenario: ScenarioDraft?
        if let name = config.scenario, let location = config.scenarioLocation {
            scenario = loadScenarioDraft(named: name, referencedAt: location, sources: &sources, reader: &reader)
        }
        var finalTiers: [Tier] = []
        if let scenario {
            finalTiers = ModelChecks.applyOverrides(config.overrides, to: scenario, reader: &reader)
            ModelChecks.checkAcceptedRisks(config.acceptedRisks, tierNames: scenario.scenario.tiers.map(\.name), reader: &reader)
            ModelChecks.checkAdoptedGroups(config.adoptedGroups, tierNames: scenario.scenario.tiers.map(\.name), reader: &reader)
            ModelChecks.checkSizes(of: finalTiers, tiersLocation: scenario.tiersLocation, limits: limits, reader: &reader)
        }
        guard let company = config.company, let environment = config.environment, let deploymentID = config.deploymentID,
              let region = config.region else {
            return LoadResult(deployment: nil, diagnostics: reader.diagnostics, sources: sources)
        }
        let identity = DeploymentIdentity(company: company, environment: environment, deploymentID: deploymentID, region: region)
        ModelChecks.checkGroupNames(
            finalTiers, identity: identity, adopted: Set(config.adoptedGroups.map(\.tier)), limits: limits, reader: &reader)
        let isFleet = !config.fleet.targets.isEmpty
        if isFleet { TargetReader.checkStackSetName(identity, companyNode: config.companyNode, reader: &reader) }

        // A deployment with targets has no VPC of its own: each target names one.
        guard !reader.diagnostics.hasErrors, let scenario, let vpcID = config.vpcID ?? (isFleet ? "" : nil),
              let scenarioName = config.scenario, let scenarioLocation = config.scenarioLocation else {
            return LoadResult(deployment: nil, diagnostics: reader.diagnostics, sources: sources, identity: identity)
        }
        var deploymentConfig = DeploymentConfig(
            identity: identity, vpcID: vpcID, vpcCIDR: config.vpcCIDR, scenario: scenarioName,
            scenarioLocation: scenarioLocation, tags: config.tags, overrides: config.overrides.map(\.override),
            acceptedRisks: config.acceptedRisks.map(\.risk), portCatalog: config.portCatalog, adoptedGroups: config.adoptedGroups,
            file: path)
        deploymentConfig.targets = config.fleet.targets
        deploymentConfig.targetRole = config.fleet.role ?? DeploymentTarget.defaultRoleName
        deploymentConfig.stackSetExecutionRole = config.fleet.executionRole
        let deployment = Deployment(config: deploymentConfig, scenario: scenario.scenario, tiers: finalTiers)
        return LoadResult(deployment: deployment, diagnostics: reader.diagnostics, sources: sources)
    }

    /// Loads one scenario file alone (for tools and tests): references, duplicates and sizes are
    /// checked as for a deployment without overrides.
    public func loadScenario(path: String) -> (scenario: Scenario?, diagnostics: Diagnostics, sources: [SourceFile]) {
        var reader = NodeReader()
        var sources: [SourceFile] = []
        guard fileExists(path) else {
            reader.diagnostics.error(.scenarioNotFound, "scenario file \(TextSupport.quoted(path)) does not exist", at: nil)
            return (nil, reader.diagnostics, sources)
        }
        guard let draft = readScenario(path, sources: &sources, reader: &reader) else { return (nil, reader.diagnostics, sources) }
        ModelChecks.checkSizes(of: draft.scenario.tiers, tiersLocation: draft.tiersLocation, limits: limits, reader: &reader)
        return (reader.diagnostics.hasErrors ? nil : draft.scenario, reader.diagnostics, sources)
    }

    // MARK: - Steps

    private func reportMissingConfig(_ reference: String, reader: inout NodeReader) {
        let available = availableConfigs()
        let availableNote: Diagnostic.Note = available.isEmpty
            ? .init("no configs found in \(configsDirectory)/")
            : .init("available configs: \(available.joined(separator: ", "))")
        if reference.contains("/") {
            reader.diagnostics.error(.configNotFound, "config file \(TextSupport.quoted(reference)) does not exist", at: .file(reference))
            return
        }
        let looked = configCandidates(reference).joined(separator: ", ")
        let bareReference = ScenarioReader.baseName(of: reference)
        reader.diagnostics.error(
            .configNotFound,
            "config \(TextSupport.quoted(reference)) not found (looked for \(looked))\(TextSupport.didYouMean(bareReference, in: available))",
            at: nil, notes: [availableNote])
    }

    private func loadScenarioDraft(
        named name: String, referencedAt location: SourceLocation, sources: inout [SourceFile], reader: inout NodeReader
    ) -> ScenarioDraft? {
        let candidates = ["\(scenariosDirectory)/\(name).yaml", "\(scenariosDirectory)/\(name).yml"]
        guard let path = candidates.first(where: fileExists) else {
            reader.diagnostics.error(
                .scenarioNotFound,
                "scenario \(TextSupport.quoted(name)) not found: \(candidates[0]) does not exist\(TextSupport.didYouMean(name, in: availableScenarios()))",
                at: location)
            return nil
        }
        return readScenario(path, sources: &sources, reader: &reader)
    }

    private func readScenario(_ path: String, sources: inout [SourceFile], reader: inout NodeReader) -> ScenarioDraft? {
        // Tiers are read on another core while the rest of the file is parsed.
        let prefetch = TierPrefetch.isWorthwhile ? TierPrefetch() : nil
        guard let root = readYAML(path, what: "scenario", sources: &sources, reader: &reader, prefetch: prefetch),
              let draft = ScenarioReader.read(root, path: path, limits: limits, reader: &reader, prefetch: prefetch)
        else { return nil }
        // One pass over all rules: the name set is built once, not once per tier.
        ModelChecks.checkTierReferences(of: draft.scenario.tiers, reader: &reader)
        // Duplicate rules were looked for per tier while the tiers were read (on any core);
        // they are reported here, after the references, in tier order.
        reader.diagnostics.report(contentsOf: draft.duplicateRuleDiagnostics)
        return draft
    }

    /// Reads and parses one file; the root must be a mapping.
    private func readYAML(
        _ path: String, what: String, sources: inout [SourceFile], reader: inout NodeReader, prefetch: TierPrefetch? = nil
    ) -> YAMLNode? {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch let failure as BoundedRead.Failure {
            if case .tooLarge(_, let limit) = failure {
                reader.diagnostics.error(
                    .yamlFileTooLarge, "\(what) file \(failure.reason) (\(limit) bytes); reading stopped after one byte more", at: .file(path))
            } else {
                reader.diagnostics.error(.fileUnreadable, "cannot read \(what) file: \(failure.reason)", at: .file(path))
            }
            return nil
        } catch {
            reader.diagnostics.error(.fileUnreadable, "cannot read \(what) file: \(error)", at: .file(path))
            return nil
        }
        let source = SourceFile(path: path, bytes: bytes)
        sources.append(source)
        if bytes.isEmpty {
            reader.diagnostics.error(.fileEmpty, "file is empty", at: .file(path))
            return nil
        }
        let document: YAMLDocument
        do {
            let parser = YAMLParser(limits: yamlLimits)
            if let prefetch {
                document = try parser.parse(source, observing: ["tiers"], onEntry: { prefetch.add($0) })
            } else {
                document = try parser.parse(source)
            }
        } catch {
            // SGYAML's diagnostics pass through unchanged.
            reader.diagnostics.report(contentsOf: error.diagnostics)
            return nil
        }
        guard let root = document.root else {
            reader.diagnostics.error(.fileEmpty, "file is empty (it holds only comments or blank lines)", at: .file(path))
            return nil
        }
        guard root.mapping != nil else {
            reader.diagnostics.error(
                .rootNotMapping, "expected a mapping at the top of the \(what) file, found \(NodeReader.kindPhrase(root))",
                at: root.location)
            return nil
        }
        return root
    }
}
