import SGDiagnostics
import SGModel
import SGYAML

/// A scenario as read, with what later checks need to avoid noise.
struct ScenarioDraft {
    /// The scenario with every tier whose key was valid (tiers with rule errors keep their good rules).
    var scenario: Scenario
    /// Tiers where something failed to read: stale-override checks skip them, because the rule
    /// an override removes may be the one that failed.
    var incompleteTiers: Set<String>
    /// The `tiers` node, where scenario-wide limits are reported.
    var tiersLocation: SourceLocation
    /// Duplicate-rule errors of every tier, in tier order. They are found while the tiers are
    /// read (each tier alone, so on any core) but reported after the tier-reference check, the
    /// order a reading of the whole scenario gives them.
    var duplicateRuleDiagnostics: [Diagnostic] = []
}

/// Reads a scenario file's root mapping (`name`, `description`, `tiers`).
enum ScenarioReader {
    static let rootKeys = ["name", "description", "tiers"]
    static let tierKeys = ["description", "public", "ingress", "egress"]

    /// Reads the scenario. `runCount` is how many runs of consecutive tiers are read concurrently
    /// (nil: chosen from the tier count and the active cores; 1: all on this thread); `prefetch`
    /// holds tiers already read while the file was parsed. The result and every diagnostic are
    /// the same whatever they are.
    static func read(
        _ root: YAMLNode, path: String, limits: ModelLimits, reader: inout NodeReader, runCount: Int? = nil,
        prefetch: TierPrefetch? = nil
    ) -> ScenarioDraft? {
        guard let fields = reader.fields(root, of: "scenario", label: "the scenario", allowed: rootKeys, required: ["name", "tiers"])
        else { return nil }
        var name: String?
        if let nameNode = fields["name"] {
            name = reader.name(nameNode, for: "scenario name", code: .invalidScenarioName)
            let baseName = Self.baseName(of: path)
            if let name, name != baseName {
                reader.diagnostics.warning(
                    .scenarioNameMismatch,
                    "scenario name \(TextSupport.quoted(name)) differs from its file name \(TextSupport.quoted(baseName)); configs refer to scenarios by file name",
                    at: nameNode.location)
            }
        }
        let description = fields["description"].flatMap { reader.string($0, for: "description") }
        guard let tiersNode = fields["tiers"], let tierEntries = reader.mapping(tiersNode, for: "tiers") else { return nil }
        if tierEntries.isEmpty {
            reader.diagnostics.error(.noTiers, "tiers must define at least one tier", at: tiersNode.location)
        }
        if tierEntries.count > limits.maxTiers {
            reader.diagnostics.error(
                .scenarioLimitExceeded, "scenario has \(tierEntries.count) tiers; the limit is \(limits.maxTiers)",
                at: tiersNode.location)
            return nil
        }
        let runs = prefetch?.runs(for: tierEntries, reader: &reader)
            ?? TierRun.readAll(tierEntries, runCount: runCount ?? TierRun.automaticRunCount(tiers: tierEntries.count), reader: &reader)
        guard let name else { return nil }
        var tiers: [Tier] = []
        tiers.reserveCapacity(tierEntries.count)
        var incomplete: Set<String> = []
        var duplicates: [Diagnostic] = []
        for run in runs {
            tiers.append(contentsOf: run.tiers)
            incomplete.formUnion(run.incompleteTiers)
            duplicates.append(contentsOf: run.duplicateRules.all)
        }
        return ScenarioDraft(
            scenario: Scenario(name: name, description: description, tiers: tiers, file: path),
            incompleteTiers: incomplete, tiersLocation: tiersNode.location, duplicateRuleDiagnostics: duplicates)
    }

    /// Reads consecutive tiers with one reader, as a reading of the whole scenario would: the
    /// tier name check, the tier, and its duplicate rules (into `duplicateRules`, reported later).
    static func readTiers(
        _ entries: ArraySlice<YAMLMappingEntry>, reader: inout NodeReader, duplicateRules: inout NodeReader
    ) -> (tiers: [Tier], incomplete: [String]) {
        var tiers: [Tier] = []
        tiers.reserveCapacity(entries.count)
        var incomplete: [String] = []
        for entry in entries {
            guard let tierName = entry.key.string else { continue }
            guard reader.checkName(tierName, for: "tier name", code: .invalidTierName, at: entry.key.location) != nil else { continue }
            let errorsBefore = reader.mark
            let tier = readTier(name: tierName, key: entry.key, value: entry.value, reader: &reader)
            if reader.hasErrors(since: errorsBefore) { incomplete.append(tierName) }
            ModelChecks.checkDuplicates(in: tier, reader: &duplicateRules)
            tiers.append(tier)
        }
        return (tiers, incomplete)
    }

    /// Reads one tier. Always returns a tier (with the rules that read cleanly) so the tier's
    /// name still counts as defined for references and overrides.
    private static func readTier(name: String, key: YAMLNode, value: YAMLNode, reader: inout NodeReader) -> Tier {
        var tier = Tier(name: name, usesDefaultEgress: true, location: key.location)
        let label = "tier '\(name)'"
        guard let fields = reader.fields(value, of: label, label: label, allowed: tierKeys, required: []) else { return tier }
        if let descriptionNode = fields["description"] {
            tier.description = RuleReader.readDescription(descriptionNode, label: "tier description", reader: &reader)
        }
        if let publicNode = fields["public"] {
            tier.isPublic = reader.boolean(publicNode, for: "public") ?? false
        }
        tier.ingress = readRules(fields, key: "ingress", direction: .ingress, origin: .scenario, reader: &reader) ?? []
        if fields.has("egress") {
            tier.usesDefaultEgress = false
            tier.egress = readRules(fields, key: "egress", direction: .egress, origin: .scenario, reader: &reader) ?? []
        }
        return tier
    }

    /// Reads `ingress`/`egress` (or an override's `add_*`/`remove_*`) as a list of rules. A key
    /// with no value is an error: for egress, "none" and "AWS default" differ too much to guess.
    static func readRules(
        _ fields: Fields, key: String, direction: Direction, origin: RuleOrigin, isRemoval: Bool = false,
        reader: inout NodeReader
    ) -> [Rule]? {
        guard let node = fields[key] else { return nil }
        if node.isNull {
            let message: String
            switch (key, direction) {
            case ("egress", _):
                message = "egress has no value; write 'egress: []' for no outbound traffic, or omit the key for AWS's default (allow all)"
            case ("ingress", _):
                message = "ingress has no value; write 'ingress: []' for no inbound traffic, or omit the key"
            default:
                message = "\(key) has no value; list at least one rule or omit the key"
            }
            reader.diagnostics.error(.nullRuleList, message, at: fields.keyNode(key)!.location)
            return nil
        }
        guard let items = reader.sequence(node, for: key) else { return nil }
        var rules: [Rule] = []
        for item in items {
            if let rule = RuleReader.read(item, direction: direction, listKey: key, origin: origin, isRemoval: isRemoval, reader: &reader) {
                rules.append(rule)
            }
        }
        return rules
    }

    /// `scenarios/three-tier-web.yaml` -> `three-tier-web`.
    static func baseName(of path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) {
            return String(file.dropLast(suffix.count))
        }
        return file
    }
}
