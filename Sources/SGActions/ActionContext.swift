import Foundation
import SGConfig
import SGCrypto
import SGDeploy
import SGDiagnostics
import SGModel
import SGReports
import SGValidation

/// The state of one run of one action: the request, the outside world, the audit log, and the
/// source files read so far (for quoting lines in diagnostics).
final class ActionContext: @unchecked Sendable {
    let request: ActionRequest
    let environment: ActionEnvironment
    let sources = SourceFileRegistry()
    let reports: ReportsDirectory
    private(set) var audit: AuditLog
    private(set) var logPrefix: String
    private(set) var diagnostics = Diagnostics()

    init(request: ActionRequest, environment: ActionEnvironment) {
        self.request = request
        self.environment = environment
        self.reports = ReportsDirectory(path: request.reportsDirectory, fileSystem: environment.fileSystem)
        self.audit = AuditLog(action: request.action, started: environment.now())
        self.logPrefix = AuditLog.fallbackPrefix(for: request.config)
    }

    /// Colour only on a terminal and never when asked not to.
    var useColor: Bool { environment.isTerminal && !request.noColor && environment.variables["NO_COLOR"] == nil }

    /// The date accepted risks are judged on: `--today`, else the clock's UTC date.
    var today: CalendarDate {
        if let today = request.today { return today }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: environment.now())
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    func record(_ line: String) { audit.record(line) }

    func identify(_ identity: DeploymentIdentity) { logPrefix = identity.qualifiedName }

    func report(_ more: Diagnostics) { diagnostics.report(contentsOf: more.all) }

    func report(_ diagnostic: Diagnostic) { diagnostics.report(diagnostic) }

    func register(_ files: [SourceFile]) { files.forEach(sources.add) }

    /// Human output goes to stdout unless --quiet; JSON/SARIF documents always go to stdout.
    func say(_ text: String) {
        if !request.quiet { environment.writeOut(text) }
    }

    func warn(_ text: String) { environment.writeErr(text) }

    /// The run as the deploy stage sees it: progress through `say`, the audit log, diagnostics.
    var deployLog: DeployLog {
        DeployLog(say: { [self] in say($0) }, record: { [self] in record($0) }, report: { [self] in report($0) })
    }

    /// Prints what an action handed back: the collected diagnostics compiler-style on stderr (text
    /// output only), then the outcome's outputs in order. The one place a run's result is printed.
    func emit(_ outcome: ActionOutcome) {
        if outcome.printsDiagnostics, request.output == .text, !diagnostics.all.isEmpty {
            let renderer = DiagnosticRenderer(useColor: useColor, sourceLine: sources.lineProvider)
            environment.writeErr(renderer.render(diagnostics.sorted))
        }
        for output in outcome.outputs {
            switch output {
            case .say(let text): say(text)
            case .out(let text): environment.writeOut(text)
            case .err(let text): environment.writeErr(text)
            case .json(var object, let withWarnings):
                object["action"] = .string(request.action.rawValue)
                object["tool_version"] = .string(environment.toolVersion)
                let sorted = diagnostics.sorted
                object["errors"] = .array(sorted.filter { $0.severity == .error }.map(FindingJSON.diagnostic))
                if withWarnings { object["warnings"] = .array(sorted.filter { $0.severity != .error }.map(FindingJSON.diagnostic)) }
                environment.writeOut(JSONValue.object(object).rendered())
            case .sarif(let findings, let passed, let properties):
                let sources = self.sources
                let log = SARIFLog(toolVersion: environment.toolVersion, lineText: { sources.file($0)?.line($1) })
                environment.writeOut(log.document(findings: findings, diagnostics: diagnostics.sorted, passed: passed, properties: properties).rendered())
            }
        }
    }

    /// Writes an output file into reports/ and records it with its SHA-256 in the audit log.
    @discardableResult
    func writeReport(_ text: String, named name: String) throws -> String {
        let path = try reports.write(text, named: name)
        record("wrote \(path) sha256=\(SHA256.hex(Array(text.utf8)))")
        return path
    }

    /// Ends the run: writes the audit log (also after failures) and returns the exit code.
    func finish(_ code: ToolExitCode) -> Int32 {
        for diagnostic in diagnostics.sorted {
            let location = diagnostic.location.map { "\($0): " } ?? ""
            record("\(location)\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]")
        }
        record("exit \(code.rawValue)")
        guard request.action.writesAuditLog else { return code.rawValue }
        let header: [(String, String)] = [
            ("action", request.action.rawValue),
            ("tool_version", environment.toolVersion),
            ("started_utc", AuditLog.timestamp(audit.startedAt)),
            ("config", request.config ?? "-"),
            ("user", environment.variables["USER"] ?? environment.variables["LOGNAME"] ?? "-"),
            ("force", request.force ? "yes" : "no"),
        ]
        do {
            try reports.write(audit.render(header: header), named: audit.fileName(prefix: logPrefix))
        } catch {
            environment.writeErr("sg-provisioner: error: cannot write the audit log: \(error) [E502]\n")
            return ToolExitCode.failure.rawValue
        }
        return code.rawValue
    }
}
