import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// SARIF 2.1.0 output for CI code-scanning (`--output sarif`): one rule per finding kind plus one
/// per diagnostic code that occurs, one result per finding and per diagnostic, each located on
/// the YAML line and column it came from.
///
/// Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html
/// Levels: critical/high -> error, medium -> warning, low/info -> note; input errors -> error.
/// Accepted findings carry an external suppression whose justification is the approver's reason.
public struct SARIFLog: Sendable {
    /// The schema URI written into `$schema` (the OASIS errata 01 schema the tests validate against).
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// Returns the text of one source line (1-based), to compute end columns; nil when unknown.
    public typealias LineText = @Sendable (_ file: String, _ line: Int) -> String?

    private let toolVersion: String
    private let lineText: LineText

    /// Creates a writer.
    public init(toolVersion: String, lineText: @escaping LineText) {
        self.toolVersion = toolVersion
        self.lineText = lineText
    }

    /// The SARIF level of a finding's severity.
    public static func level(_ severity: RiskLevel) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// The SARIF level of a diagnostic.
    public static func level(_ severity: DiagnosticSeverity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    /// One file the run examined, listed in `run.artifacts` whether or not it has results; results
    /// point at their file by index. `properties` carry per-file outcomes (an audit's verdict per template).
    public struct Artifact: Sendable {
        /// The file's path as the user gave it.
        public var path: String
        /// Extra facts about the file, e.g. `passed`, `findings`.
        public var properties: [String: JSONValue]

        /// Creates an artifact entry.
        public init(path: String, properties: [String: JSONValue] = [:]) {
            self.path = path
            self.properties = properties
        }
    }

    /// The whole log: one run of the tool. `artifacts` are the files examined, in order; a result in a
    /// file not among them adds that file after them, so every location has an artifact. `properties`
    /// adds result properties by finding fingerprint (check-drift: the drifted rule's fingerprint and
    /// who changed it).
    public func document(
        findings: [Finding], diagnostics: [Diagnostic], passed: Bool, artifacts: [Artifact] = [], properties: [String: [String: JSONValue]] = [:]
    ) -> JSONValue {
        var files = artifacts
        var artifactIndex: [String: Int] = [:]
        for (index, artifact) in files.enumerated() where artifactIndex[artifact.path] == nil { artifactIndex[artifact.path] = index }
        for file in findings.map(\.location.file) + diagnostics.compactMap(\.location?.file) where artifactIndex[file] == nil && !file.isEmpty {
            artifactIndex[file] = files.count
            files.append(Artifact(path: file))
        }
        var rules: [JSONValue] = FindingKind.all.map(Self.rule)
        var ruleIndex: [String: Int] = [:]
        for (index, kind) in FindingKind.all.enumerated() { ruleIndex[kind.id] = index }
        var codes: [(DiagnosticCode, DiagnosticSeverity)] = []
        for diagnostic in diagnostics where !codes.contains(where: { $0.0 == diagnostic.code }) {
            codes.append((diagnostic.code, diagnostic.severity))
        }
        for (code, severity) in codes.sorted(by: { $0.0.rawValue < $1.0.rawValue }) {
            ruleIndex[code.rawValue] = rules.count
            rules.append([
                "id": .string(code.rawValue),
                "name": .string("InputDiagnostic\(code.rawValue)"),
                // The catalog's one line (docs/DIAGNOSTICS.md), so a SARIF viewer says what the code means.
                "shortDescription": ["text": .string(code.meaning)],
                "fullDescription": ["text": .string("An input, compilation or file problem reported by sg-provisioner with code \(code.rawValue); each result's message says what and where.")],
                "help": ["text": .string("Fix the input at the reported file, line and column; the message names the problem and, where possible, the expected value.")],
                "defaultConfiguration": ["level": .string(Self.level(severity))],
            ])
        }

        var results: [JSONValue] = []
        for finding in findings {
            var result: [String: JSONValue] = [
                "ruleId": .string(finding.id),
                "level": .string(Self.level(finding.severity)),
                "message": ["text": .string("\(finding.title): \(finding.description)")],
                "locations": .array([location(finding.location, artifactIndex: artifactIndex)]),
                // v2: the 32-hex `FindingFingerprint` (v1 was the readable "ID|tier|rule" text).
                "partialFingerprints": ["sgProvisionerFinding/v2": .string(finding.fingerprint)],
                "properties": .object([
                    "severity": .string(finding.severity.rawValue),
                    "tier": .string(finding.tier),
                    "rule": .optional(finding.ruleText),
                    "remediation": .string(finding.remediation),
                ].merging(finding.path.map { ["path": .array($0.map(JSONValue.string))] } ?? [:]) { a, _ in a }
                 .merging(finding.acceptance.map { ["acceptanceExpires": .string($0.expires.description), "acceptanceExpired": .bool($0.isExpired)] } ?? [:]) { a, _ in a }
                 .merging(properties[finding.fingerprint] ?? [:]) { a, _ in a }),
            ]
            if let index = ruleIndex[finding.id] { result["ruleIndex"] = .int(index) }
            if let acceptance = finding.acceptance, finding.isAccepted {
                result["suppressions"] = [[
                    "kind": "external", "status": "accepted",
                    "justification": .string("\(acceptance.reason) (accepted until \(acceptance.expires))"),
                ]]
            }
            results.append(.object(result))
        }
        for diagnostic in diagnostics {
            var result: [String: JSONValue] = [
                "ruleId": .string(diagnostic.code.rawValue),
                "level": .string(Self.level(diagnostic.severity)),
                "message": ["text": .string(diagnostic.message + diagnostic.notes.map { " (\($0.message))" }.joined())],
                "properties": ["severity": .string(diagnostic.severity.rawValue)],
            ]
            if let index = ruleIndex[diagnostic.code.rawValue] { result["ruleIndex"] = .int(index) }
            if let at = diagnostic.location { result["locations"] = .array([location(at, artifactIndex: artifactIndex)]) }
            results.append(.object(result))
        }

        return [
            "$schema": .string(Self.schemaURI),
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "sg-provisioner",
                    "version": .string(toolVersion),
                    "semanticVersion": .string(toolVersion),
                    "rules": .array(rules),
                ]],
                "columnKind": "unicodeCodePoints",
                "artifacts": .array(files.map { file -> JSONValue in
                    var entry: [String: JSONValue] = ["location": ["uri": .string(Self.uri(file.path))]]
                    if !file.properties.isEmpty { entry["properties"] = .object(file.properties) }
                    return .object(entry)
                }),
                "invocations": [["executionSuccessful": true, "properties": ["passed": .bool(passed)]]],
                "results": .array(results),
            ]],
        ]
    }

    // MARK: - Pieces

    private static func rule(_ kind: FindingKind) -> JSONValue {
        [
            "id": .string(kind.id),
            "name": .string(pascalCase(kind.title)),
            "shortDescription": ["text": .string(kind.title)],
            "fullDescription": ["text": .string(kind.summary)],
            "help": [
                "text": .string("\(kind.summary) Remediation: \(kind.remediation)"),
                "markdown": .string("\(MarkdownText.escape(kind.summary))\n\n**Remediation:** \(MarkdownText.escape(kind.remediation))"),
            ],
            "defaultConfiguration": ["level": .string(level(kind.defaultSeverity))],
            "properties": [
                "tags": ["security", .string(kind.type)],
                "severity": .string(kind.defaultSeverity.rawValue),
                // GitHub code scanning ranks security results by this 0.0-10.0 score.
                "security-severity": .string(securityScore(kind.defaultSeverity)),
            ],
        ]
    }

    private static func securityScore(_ level: RiskLevel) -> String {
        switch level {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return "1.0"
        }
    }

    private static func pascalCase(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A physical location with a region from the start to the end of the value at the start
    /// column (a quoted or plain YAML scalar), else to the end of the line.
    private func location(_ at: SourceLocation, artifactIndex: [String: Int]) -> JSONValue {
        var region: [String: JSONValue] = ["startLine": .int(max(1, at.line)), "startColumn": .int(max(1, at.column))]
        if let text = lineText(at.file, at.line) {
            let end = Self.valueEndColumn(in: text, startColumn: max(1, at.column))
            region["endLine"] = .int(max(1, at.line))
            region["endColumn"] = .int(end)
        }
        var artifact: [String: JSONValue] = ["uri": .string(Self.uri(at.file))]
        if let index = artifactIndex[at.file] { artifact["index"] = .int(index) }
        return ["physicalLocation": [
            "artifactLocation": .object(artifact),
            "region": .object(region),
        ]]
    }

    /// The column just after the YAML value starting at `startColumn` (1-based, code points):
    /// a quoted scalar ends at its closing quote; a plain one at `,`, `}`, `]`, ` #` or the line
    /// end, trailing blanks trimmed. Always greater than `startColumn`.
    static func valueEndColumn(in line: String, startColumn: Int) -> Int {
        let scalars = Array(line.unicodeScalars)
        let start = startColumn - 1
        guard start < scalars.count else { return startColumn + 1 }
        var end = scalars.count
        let first = scalars[start]
        if first == "\"" || first == "'" {
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == "\\" && first == "\"" { index += 2; continue }
                if scalars[index] == first {
                    if first == "'", index + 1 < scalars.count, scalars[index + 1] == "'" { index += 2; continue }
                    end = index + 1
                    break
                }
                index += 1
            }
        } else if first != "{" && first != "[" && first != "-" {
            var index = start
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "," || scalar == "}" || scalar == "]" { break }
                if scalar == "#", index > start, scalars[index - 1] == " " { break }
                index += 1
            }
            end = index
            while end > start + 1, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        }
        return max(end + 1, startColumn + 1)
    }

    /// A relative URI reference for a file path: unreserved characters and `/` kept, the rest
    /// percent-encoded as UTF-8.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || scalar == "-" || scalar == "." || scalar == "_" || scalar == "~" || scalar == "/" {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
