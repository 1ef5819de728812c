import Foundation
import SGConfig
import SGCrypto
import SGDeploy
import SGDiagnostics
import SGFindings
import SGModel
import SGReports
import SGValidation

/// The state of one run of one action: the request, the outside world, where it reads and writes,
/// the audit log, and the source files read so far (for quoting lines in diagnostics).
package final class ActionContext: @unchecked Sendable {
    package let request: ActionRequest
    package let environment: ActionEnvironment
    /// Where this run reads scenarios and writes reports (`ProjectLayout`).
    package let layout: ProjectLayout
    package let sources = SourceFileRegistry()
    /// The reports directory; nil when there is no project to write into (config not found).
    package let reports: ReportsDirectory?
    private(set) var audit: AuditLog
    private(set) var logPrefix: String
    package private(set) var diagnostics = Diagnostics()
    /// Who a live action acts as in AWS, once the session identified it.
    private(set) var caller: AWSCaller?
    /// The deployment, as soon as the config's identity fields were read (also when other
    /// fields or the scenario have errors).
    package private(set) var identity: DeploymentIdentity?
    /// Every file written, with its SHA-256, in order (JSON `written`).
    private(set) var written: [(path: String, sha256: String)] = []

    package init(request: ActionRequest, environment: ActionEnvironment, layout: ProjectLayout) {
        self.request = request
        self.environment = environment
        self.layout = layout
        self.reports = layout.reportsDirectory.map { ReportsDirectory(path: $0, fileSystem: environment.fileSystem) }
        self.audit = AuditLog(action: request.action, started: environment.now())
        self.logPrefix = AuditLog.fallbackPrefix(for: request.config)
    }

    /// Colour only on a terminal and never when asked not to.
    package var useColor: Bool { environment.isTerminal && !request.noColor && environment.variables["NO_COLOR"] == nil }

    /// The date accepted risks are judged on: `--today`, else the clock's UTC date.
    package var today: CalendarDate {
        if let today = request.today { return today }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: environment.now())
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    package func record(_ line: String) { audit.record(line) }

    /// Names the run's deployment: JSON `deployment`, the audit log's file name.
    package func identify(_ identity: DeploymentIdentity) {
        self.identity = identity
        logPrefix = identity.qualifiedName
    }

    func identifyCaller(_ caller: AWSCaller) { self.caller = caller }

    package func report(_ more: Diagnostics) { diagnostics.report(contentsOf: more.all) }

    package func report(_ diagnostic: Diagnostic) { diagnostics.report(diagnostic) }

    package func register(_ files: [SourceFile]) { files.forEach(sources.add) }

    /// Text for people: stdout in text output unless --quiet. With `--output json` or `sarif`,
    /// stdout holds the document alone, so progress goes to stderr.
    package func say(_ text: String) {
        guard !request.quiet else { return }
        if request.output == .text { environment.writeOut(text) } else { environment.writeErr(text) }
    }

    package func warn(_ text: String) { environment.writeErr(text) }

    /// The run as the deploy stage sees it: progress through `say`, the audit log, diagnostics.
    package var deployLog: DeployLog {
        DeployLog(say: { [self] in say($0) }, record: { [self] in record($0) }, report: { [self] in report($0) })
    }

    /// Prints what an action handed back: the collected diagnostics compiler-style on stderr (text
    /// output only; many of one code are capped, the rest counted), then the outcome's outputs in
    /// order. With `--output json` stdout gets exactly one document, also from actions that hand
    /// back only text (`document(for:)`). The one place a run's result is printed.
    package func emit(_ outcome: ActionOutcome) {
        if outcome.printsDiagnostics, request.output == .text, !diagnostics.all.isEmpty {
            let renderer = DiagnosticRenderer(useColor: useColor, excerpt: sources.excerptProvider)
            environment.writeErr(renderer.render(diagnostics.sorted, maxPerCode: DiagnosticRenderer.textMaxPerCode))
        }
        var printedDocument = false
        for output in outcome.outputs {
            switch output {
            case .say(let text): say(text)
            case .out(let text):
                if request.output == .text { environment.writeOut(text) } else { environment.writeErr(text) }
            case .err(let text): environment.writeErr(text)
            case .json(let fields):
                environment.writeOut(document(fields).rendered())
                printedDocument = true
            case .sarif(let findings, let passed, let artifacts, let properties):
                environment.writeOut(sarifLog(findings: findings, passed: passed, artifacts: artifacts, properties: properties).rendered())
                printedDocument = true
            }
        }
        if !printedDocument {
            switch request.output {
            case .json: environment.writeOut(document([:]).rendered())
            case .sarif: environment.writeOut(sarifLog(findings: [], passed: outcome.code != .failure).rendered())
            case .text: break
            }
        }
    }

    /// The run's JSON document: the action's own fields plus the keys every document has —
    /// `action`, `tool_version`, `deployment` (the qualified name whenever the config's identity
    /// was read, else null), `config` (the config file, else what `-con` said, else null),
    /// `errors`, `warnings` (the run's diagnostics, sorted) and `written` (every file written,
    /// with its SHA-256); live actions add `aws_caller` (who acted).
    package func document(_ fields: [String: JSONValue]) -> JSONValue {
        var object = fields
        object["action"] = .string(request.action.rawValue)
        object["tool_version"] = .string(environment.toolVersion)
        if object["deployment"] == nil { object["deployment"] = .optional(identity?.qualifiedName) }
        object["config"] = .optional(layout.configPath ?? request.config)
        let sorted = diagnostics.sorted
        object["errors"] = .array(sorted.filter { $0.severity == .error }.map(FindingJSON.diagnostic))
        object["warnings"] = .array(sorted.filter { $0.severity != .error }.map(FindingJSON.diagnostic))
        object["written"] = .array(written.map { ["path": .string($0.path), "sha256": .string($0.sha256)] })
        // Who acted, once a live action identified the caller (offline runs name none).
        if let caller { object["aws_caller"] = caller.json }
        return .object(object)
    }

    /// A SARIF 2.1.0 log of these findings and the run's diagnostics; `artifacts` are the files
    /// examined (an audit lists each template, clean ones too).
    func sarifLog(findings: [Finding], passed: Bool, artifacts: [SARIFLog.Artifact] = [], properties: [String: [String: JSONValue]] = [:]) -> JSONValue {
        let sources = self.sources
        let log = SARIFLog(toolVersion: environment.toolVersion, lineText: { sources.file($0)?.line($1) })
        return log.document(findings: findings, diagnostics: diagnostics.sorted, passed: passed, artifacts: artifacts, properties: properties)
    }

    /// Records a file an action wrote outside the reports directory (the import's config and
    /// scenario) like `writeReport` records its own.
    package func recordWritten(_ path: String, bytes: [UInt8]) {
        let digest = SHA256.hex(bytes)
        written.append((path, digest))
        record("wrote \(path) sha256=\(digest)")
    }

    /// Writes an output file into the reports directory and records it with its SHA-256 in the
    /// audit log and the JSON document's `written`.
    @discardableResult
    package func writeReport(_ text: String, named name: String) throws -> String {
        guard let reports else { throw FileSystemError.cannotWrite(path: name, reason: "no project directory to write into") }
        let path = try reports.write(text, named: name)
        let digest = SHA256.hex(Array(text.utf8))
        written.append((path, digest))
        record("wrote \(path) sha256=\(digest)")
        return path
    }

    /// Ends the run: writes the audit log (also after failures) and returns the exit code. The
    /// log gets a name of its own even when another run started in the same millisecond
    /// (`AuditLog.fileName(prefix:attempt:)`), and is written whether or not anyone still reads
    /// stdout.
    package func finish(_ code: ToolExitCode) -> Int32 {
        for diagnostic in diagnostics.sorted {
            let location = diagnostic.location.map { "\($0): " } ?? ""
            record("\(location)\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]")
        }
        record("exit \(code.rawValue)")
        guard request.action.writesAuditLog else { return code.rawValue }
        guard let reports else {
            environment.writeErr(
                "sg-provisioner: warning: no audit log written: \(request.config ?? "the input") belongs to no project "
                    + "(no configs/, scenarios/ or reports/ beside it, no reports/ here); give --reports-dir DIR\n")
            return code.rawValue
        }
        let header: [(String, String)] = [
            ("action", request.action.rawValue),
            ("tool_version", environment.toolVersion),
            ("started_utc", AuditLog.timestamp(audit.startedAt)),
            ("config", layout.configPath ?? request.config ?? "-"),
            ("user", environment.variables["USER"] ?? environment.variables["LOGNAME"] ?? "-"),
            ("force", request.force ? "yes" : "no"),
        ] + (caller.map { caller in [
            ("aws_account", caller.account), ("aws_principal", caller.arn), ("aws_credentials", caller.credentials),
        ] } ?? [])
        do {
            let audit = self.audit, prefix = logPrefix
            try reports.createNew(Array(audit.render(header: header).utf8), named: { audit.fileName(prefix: prefix, attempt: $0) })
        } catch {
            environment.writeErr("sg-provisioner: error: cannot write the audit log: \(error) [\(DiagnosticCode.cannotWriteOutput)]\n")
            return ToolExitCode.failure.rawValue
        }
        return code.rawValue
    }
}
