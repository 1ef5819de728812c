/// A stable identifier for a kind of diagnostic, e.g. `E305`, with what it means and the stage
/// that reports it. Codes are users' contract with the tool (CI scripts match on them), so every
/// code is declared in the catalog (`DiagnosticCatalog`, files under `Catalog/`) and nowhere else:
/// the initialiser is internal to this module, and `DiagnosticCatalogTests` fails on a code
/// written anywhere else in `Sources/`. A code never changes meaning; one that is no longer
/// reported is retired (`DiagnosticCatalog.retired`), never reused.
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as printed, e.g. `E201`: `E` for an error, `W` for a warning, three digits.
    public let rawValue: String
    /// The stage that reports it.
    public let stage: DiagnosticStage
    /// What it means, in one line (the text of docs/DIAGNOSTICS.md).
    public let meaning: String

    /// Declares a code; only the catalog does.
    init(_ rawValue: String, _ stage: DiagnosticStage, _ meaning: String) {
        self.rawValue = rawValue
        self.stage = stage
        self.meaning = meaning
    }

    /// The catalog's code with this printed form, or nil when there is none (never a new code).
    public init?(cataloged rawValue: String) {
        guard let code = DiagnosticCatalog.byRawValue[rawValue] else { return nil }
        self = code
    }

    /// Error for `E` codes, warning for `W` codes: a code is reported with one severity only.
    public var severity: DiagnosticSeverity { rawValue.hasPrefix("W") ? .warning : .error }

    public var description: String { rawValue }

    public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// The stage of the tool that reports a code; docs/DIAGNOSTICS.md groups codes by it.
public enum DiagnosticStage: String, CaseIterable, Sendable {
    /// Parsing YAML files (SGYAML).
    case yaml
    /// Reading a config and its scenario into the model (SGConfig).
    case config
    /// Judging the deployment's risks and the config's accepted risks (SGValidation).
    case validation
    /// Compiling the model to CloudFormation templates (SGCloudFormation) and checking them.
    case compile
    /// The command line, input and output files of an action (SGActions).
    case action
    /// Reading inventories: snapshots, live groups and third-party templates (audit, drift).
    case inventory
    /// `import-security-groups` (SGImport).
    case `import`
    /// Deploying, verifying and deleting stacks (SGDeploy).
    case deploy
    /// `check-drift`: comparison, revert and accept (SGDrift).
    case drift
    /// Deployments with targets: StackSets and the checks over many accounts and regions.
    case fleet
    /// Talking to AWS: credentials, settings, errors AWS answered with.
    case aws

    /// The stage's heading in docs/DIAGNOSTICS.md.
    public var title: String {
        switch self {
        case .yaml: return "YAML files"
        case .config: return "Configs and scenarios"
        case .validation: return "Validation"
        case .compile: return "Compilation"
        case .action: return "Command line and files"
        case .inventory: return "Snapshots, live groups and audited templates"
        case .import: return "Import"
        case .deploy: return "Deploying"
        case .drift: return "Drift"
        case .fleet: return "Many accounts and regions (targets)"
        case .aws: return "AWS"
        }
    }
}
