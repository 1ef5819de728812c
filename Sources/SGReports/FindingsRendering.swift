import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// JSON shapes shared by every output that lists findings and errors (validate --output json,
/// audit, drift), so the same field means the same thing everywhere.
public enum FindingJSON {
    /// `{file, line, column}`.
    public static func location(_ location: SourceLocation?) -> JSONValue {
        guard let location else { return .null }
        return ["file": .string(location.file), "line": .int(location.line), "column": .int(location.column)]
    }

    /// One finding with every field of the finding shape, plus `accepted`.
    public static func finding(_ finding: Finding) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(finding.id),
            "severity": .string(finding.severity.rawValue),
            "type": .string(finding.type),
            "tier": .string(finding.tier),
            "direction": .optional(finding.direction?.rawValue),
            "rule": .optional(finding.ruleText),
            "location": location(finding.location),
            "title": .string(finding.title),
            "description": .string(finding.description),
            "remediation": .string(finding.remediation),
            "fingerprint": .string(finding.fingerprint),
            "accepted": .bool(finding.isAccepted),
        ]
        if let path = finding.path { object["path"] = .array(path.map(JSONValue.string)) }
        if let acceptance = finding.acceptance {
            object["acceptance"] = [
                "reason": .string(acceptance.reason),
                "expires": .string(acceptance.expires.description),
                "expired": .bool(acceptance.isExpired),
            ]
        }
        return .object(object)
    }

    /// One diagnostic: message, code, severity and location.
    public static func diagnostic(_ diagnostic: Diagnostic) -> JSONValue {
        var object: [String: JSONValue] = [
            "message": .string(diagnostic.message),
            "code": .string(diagnostic.code.rawValue),
            "severity": .string(diagnostic.severity.rawValue),
            "location": location(diagnostic.location),
        ]
        if !diagnostic.notes.isEmpty {
            object["notes"] = .array(diagnostic.notes.map { ["message": .string($0.message), "location": location($0.location)] })
        }
        return .object(object)
    }

    /// Counts per severity, for summaries.
    public static func severityCounts(_ findings: [Finding]) -> JSONValue {
        var counts: [String: JSONValue] = [:]
        for level in RiskLevel.allCases {
            counts[level.rawValue] = .int(findings.filter { $0.severity == level && !$0.isAccepted }.count)
        }
        counts["accepted"] = .int(findings.filter(\.isAccepted).count)
        return .object(counts)
    }
}

/// Prints findings the way the compiler prints diagnostics, so editors and CI logs can jump to
/// them: `scenarios/x.yaml:14:9: high: SSH open to the world [SG-WORLD-ADMIN]`.
public struct FindingTextRenderer: Sendable {
    private let useColor: Bool
    private let excerpt: DiagnosticRenderer.SourceExcerptProvider

    /// Creates a renderer over whole source lines (clipped for printing).
    public init(useColor: Bool, sourceLine: @escaping DiagnosticRenderer.SourceLineProvider) {
        self.init(useColor: useColor, excerpt: { file, line, column in
            sourceLine(file, line).map { SourceExcerpt.make(line: Array($0.utf8), column: column) }
        })
    }

    /// Creates a renderer whose quoted lines come clipped from `excerpt`
    /// (`SourceFileRegistry.excerptProvider`).
    public init(useColor: Bool, excerpt: @escaping DiagnosticRenderer.SourceExcerptProvider) {
        self.useColor = useColor
        self.excerpt = excerpt
    }

    /// One line for findings that need no attention now (low, info, or covered by an active
    /// accepted risk): quiet where it does not matter, but still visible.
    public func renderBrief(_ finding: Finding) -> String {
        var label = finding.severity.rawValue
        if let acceptance = finding.acceptance, finding.isAccepted { label += " (accepted until \(acceptance.expires))" }
        var line = "\(finding.location): \(paint(label + ":", finding.severity)) \(finding.title) [\(finding.id)]"
        if let path = finding.path { line += " — " + path.joined(separator: " -> ") } else if let rule = finding.ruleText { line += " — \(rule)" }
        return line + "\n"
    }

    /// True when a finding deserves the full block (source line, description, remediation).
    public static func needsAttention(_ finding: Finding) -> Bool {
        !finding.isAccepted && finding.severity >= .medium || finding.acceptance?.isExpired == true
    }

    /// One finding with its source line, description and remediation.
    public func render(_ finding: Finding) -> String {
        var label = finding.severity.rawValue
        if finding.isAccepted { label += " (accepted)" }
        var out = "\(finding.location): \(paint(label + ":", finding.severity)) \(finding.title) [\(finding.id)]\n"
        if let excerpt = excerpt(finding.location.file, finding.location.line, finding.location.column) {
            out += excerpt.rendered(line: finding.location.line)
        }
        out += "    tier: \(finding.tier)"
        if let rule = finding.ruleText { out += "; rule: \(rule)" }
        out += "\n    \(finding.description)\n"
        out += "    remediation: \(finding.remediation)\n"
        if let acceptance = finding.acceptance {
            out += acceptance.isExpired
                ? "    accepted risk EXPIRED on \(acceptance.expires): \(acceptance.reason)\n"
                : "    accepted until \(acceptance.expires): \(acceptance.reason)\n"
        }
        return out
    }

    private func paint(_ text: String, _ level: RiskLevel) -> String {
        guard useColor else { return text }
        let code: String
        switch level {
        case .critical: code = "1;35"
        case .high: code = "1;31"
        case .medium: code = "1;33"
        case .low: code = "1;36"
        case .info: code = "1;34"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
