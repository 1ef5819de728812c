/// Every diagnostic code the tool reports, in one list: the code, its severity (its letter), the
/// stage that reports it and what it means. docs/DIAGNOSTICS.md is generated from it.
///
/// The catalog lives in the lowest module so that every stage can name every code while
/// dependencies still point one way: a later stage that repeats an earlier stage's check as a
/// backstop reports the earlier stage's code (the compiler's E313 for a tier reference the config
/// reader checks first), with no second code for the same problem. Each stage's codes are in their
/// own file beside this one; adding a code means adding it there, to its stage's list, and to the
/// table in `DiagnosticCatalogTests`, which lists every code in full.
public enum DiagnosticCatalog {
    /// Every code, stage by stage in `DiagnosticStage` order.
    public static let all: [DiagnosticCode] = DiagnosticStage.allCases.flatMap(codes(of:))

    /// The codes a stage reports, in the catalog's order.
    public static func codes(of stage: DiagnosticStage) -> [DiagnosticCode] {
        switch stage {
        case .yaml: return DiagnosticCode.yamlCodes
        case .config: return DiagnosticCode.configCodes
        case .validation: return DiagnosticCode.validationCodes
        case .compile: return DiagnosticCode.compileCodes
        case .action: return DiagnosticCode.actionCodes
        case .inventory: return DiagnosticCode.inventoryCodes
        case .import: return DiagnosticCode.importCodes
        case .deploy: return DiagnosticCode.deployCodes
        case .drift: return DiagnosticCode.driftCodes
        case .fleet: return DiagnosticCode.fleetCodes
        case .aws: return DiagnosticCode.awsCodes
        }
    }

    /// Codes by their printed form.
    static let byRawValue: [String: DiagnosticCode] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { first, _ in first })

    /// A code that is no longer reported. Its number is never given to another meaning, so a
    /// script that matched on it can only stop matching, never match something else.
    public struct Retired: Sendable {
        /// The code as it was printed.
        public let rawValue: String
        /// What it meant.
        public let meaning: String
        /// What reports the problem now, or why nothing does.
        public let now: String
    }

    /// Every retired code, in code order.
    public static let retired: [Retired] = [
        Retired(rawValue: "E402", meaning: "A rule names a tier the deployment does not have (compiler).", now: "E313, the config reader's code, which the compiler reports too."),
        Retired(rawValue: "E403", meaning: "The same rule twice on one group (compiler).", now: "E315, the config reader's code, which the compiler reports too."),
        Retired(rawValue: "E405", meaning: "A group description AWS would refuse (compiler).", now: "E314, the config reader's code, which the compiler reports too."),
        Retired(rawValue: "E406", meaning: "A rule description AWS would refuse (compiler).", now: "E314, the config reader's code, which the compiler reports too."),
        Retired(rawValue: "E408", meaning: "A tag AWS would refuse (compiler).", now: "E217 (length, characters), E218 (reserved key, `Name` included) or E104 (a key twice): the config's codes."),
        Retired(rawValue: "E503", meaning: "The action is specified but not built yet.", now: "Nothing: every action is built."),
    ]

    /// docs/DIAGNOSTICS.md: every code by stage, then the retired ones. `make docs` writes it;
    /// `DiagnosticCatalogTests` fails when the file differs from this text.
    public static func markdown() -> String {
        var lines = [
            "# Diagnostic codes",
            "",
            "<!-- Generated from the catalog (Sources/SGDiagnostics/Catalog/) by `make docs`; do not edit by hand. -->",
            "",
            "Every error and warning sg-provisioner prints ends with its code in brackets, e.g.",
            "`scenarios/x.yaml:14:9: error: port 70000 is out of range 0-65535 [E305]`; JSON output and SARIF",
            "carry the same code. `E` codes are errors (the action fails), `W` codes warnings. A code never",
            "changes meaning, so CI scripts may match on it; a code that is no longer reported is retired,",
            "never given to something else.",
            "",
            "\(all.count) codes in use, \(retired.count) retired.",
        ]
        for stage in DiagnosticStage.allCases {
            lines += ["", "## \(stage.title)", "", "| Code | Severity | Meaning |", "|------|----------|---------|"]
            lines += codes(of: stage).map { "| \($0.rawValue) | \($0.severity.rawValue) | \($0.meaning) |" }
        }
        lines += ["", "## Retired codes", "", "| Code | Meant | Now |", "|------|-------|-----|"]
        lines += retired.map { "| \($0.rawValue) | \($0.meaning) | \($0.now) |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
