import Foundation
import Testing

@testable import SGDiagnostics

/// The diagnostics catalog: every code the tool reports, declared once, listed here in full, with
/// the docs generated from it. Codes are users' contract (CI scripts match on them), so adding,
/// moving or retiring one means editing the table below too.
@Suite struct DiagnosticCatalogTests {
    /// The whole catalog, stage by stage in the catalog's order.
    static let expected: [DiagnosticStage: String] = [
        .yaml: "E101 E102 E103 E104 E105 E106 E107 E108 E109 E110 E111 E112",
        .config: """
            E201 E202 E203 E204 E205 E206 E207 E208 E209 E210 E211 E212 E213 E214 E215 E216 E217 E218 E219 E220 \
            E221 E222 E223 E224 E225 E226 E227 E228 E229 E230 E231 E232 E233 E240 E241 E242 E243 E244 E245 \
            E301 E302 E303 E304 E305 E306 E307 E308 E309 E310 E311 E312 E313 E314 E315 E316 E317 E318 E319 E320 \
            E321 E322 E323 W201 W202 W301
            """,
        .validation: "E506 W501 E801 E802 E803 E804",
        .compile: "E401 E404 E407 E409 E410 E412 W401 E504",
        .action: "E501 E502 E505 E507 E523 E530",
        .inventory: "E508 E509 E701 E702 E703 W701 W702 W703 W704",
        .import: "E540 E541 E542 E543 E544 E545 W540 W541 W542",
        .deploy: "E411 E510 E511 E512 E513 E514 E515 E516 E517 E518 E519 E524 E525 E547 E570 E571 E572 W510 W511 W512 W570 W571 W572",
        .drift: "E520 E521 E522 W550 E551 E552 E553 E554 E555 E556 W552 W553",
        .fleet: "E560 E561 E562 E563 W560",
        .aws: "E601 E602 E603 E604 E605",
    ]

    /// Codes no longer reported; their numbers are never reused.
    static let expectedRetired = "E402 E403 E405 E406 E408 E503"

    static let project = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL
    static let catalogDirectory = project.appendingPathComponent("Sources/SGDiagnostics/Catalog")

    @Test(arguments: DiagnosticStage.allCases)
    func theCatalogIsListedInFull(stage: DiagnosticStage) {
        #expect(DiagnosticCatalog.codes(of: stage).map(\.rawValue).joined(separator: " ") == Self.expected[stage])
        #expect(DiagnosticCatalog.codes(of: stage).allSatisfy { $0.stage == stage })
    }

    @Test func everyCodeIsDeclaredOnceAndWellFormed() {
        let all = DiagnosticCatalog.all.map(\.rawValue)
        #expect(Set(all).count == all.count, "a code is in two stages' lists")
        #expect(all.count == Self.expected.values.map { $0.split(separator: " ").count }.reduce(0, +))
        for code in DiagnosticCatalog.all {
            #expect(code.rawValue.wholeMatch(of: #/[EW][1-8][0-9]{2}/#) != nil, "\(code)")
            #expect(code.severity == (code.rawValue.hasPrefix("W") ? .warning : .error))
            // One line of Markdown table text: a sentence, no pipe, no line break.
            #expect(!code.meaning.isEmpty && code.meaning.hasSuffix(".") && code.meaning.count <= 160, "\(code): \(code.meaning)")
            #expect(!code.meaning.contains("|") && !code.meaning.contains("\n"), "\(code)")
            #expect(DiagnosticCode(cataloged: code.rawValue)?.meaning == code.meaning)
        }
    }

    @Test func retiredCodesAreNeverReused() {
        let retired = DiagnosticCatalog.retired.map(\.rawValue)
        #expect(retired.joined(separator: " ") == Self.expectedRetired)
        #expect(Set(retired).count == retired.count)
        for code in retired {
            #expect(DiagnosticCode(cataloged: code) == nil, "retired \(code) is in use again")
        }
        #expect(DiagnosticCatalog.retired.allSatisfy { !$0.meaning.isEmpty && !$0.now.isEmpty && !($0.meaning + $0.now).contains("|") })
    }

    /// Every `DiagnosticCode(...)` written in the catalog's files is in a stage's list: a code
    /// declared but listed nowhere (E411 was one) could be reported and never documented.
    @Test func everyDeclaredCodeIsInAStagesList() throws {
        let declared = try Self.declarations().map(\.raw)
        #expect(declared.count == DiagnosticCatalog.all.count)
        #expect(Set(declared) == Set(DiagnosticCatalog.all.map(\.rawValue)))
    }

    /// Codes are written in the catalog only: a code literal anywhere else in Sources/ (`"E502"`,
    /// `[E502]` in a message) is one the catalog and the docs may not know.
    @Test func noCodeIsWrittenOutsideTheCatalog() throws {
        var found: [String] = []
        for file in try Self.sourceFiles() where !file.path.hasPrefix(Self.catalogDirectory.path + "/") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                // Doc comments may name a code to explain a behaviour; code may not spell one.
                if file.pathExtension == "swift", line.trimmingPrefix(while: \.isWhitespace).hasPrefix("//") { continue }
                if line.contains(Self.codeLiteral) {
                    found.append("\(file.path.dropFirst(Self.project.path.count + 1)):\(number + 1): \(line.trimmingPrefix(while: \.isWhitespace))")
                }
            }
        }
        #expect(found.isEmpty, "code literals outside Sources/SGDiagnostics/Catalog:\n\(found.joined(separator: "\n"))")
    }

    /// A code is reported with the severity of its letter: `.warning(.x, ...)` names a W code,
    /// `.error(.x, ...)` an E code (the initialiser asserts the same at run time).
    @Test func callSitesReportEachCodeWithItsSeverity() throws {
        let letter = Dictionary(try Self.declarations().map { ($0.name, $0.raw.first!) }, uniquingKeysWith: { first, _ in first })
        let call = #/(?<severity>warning|error)\(\s*\.(?<name>[A-Za-z][A-Za-z0-9]*)/#
        var wrong: [String] = []
        var checked = 0
        for file in try Self.sourceFiles() where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: call) {
                guard let code = letter[String(match.name)] else { continue }
                checked += 1
                if (match.severity == "warning") != (code == "W") {
                    wrong.append("\(file.lastPathComponent): .\(match.severity)(.\(match.name)) reports a \(code) code")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(checked > 150, "the walk found only \(checked) call sites")
    }

    /// docs/DIAGNOSTICS.md is the catalog's text; `make docs` (RECORD_GOLDENS=1) rewrites it.
    @Test func theDocsAreGeneratedFromTheCatalog() throws {
        let url = Self.project.appendingPathComponent("docs/DIAGNOSTICS.md")
        let generated = DiagnosticCatalog.markdown()
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        let onDisk = try String(contentsOf: url, encoding: .utf8)
        #expect(onDisk == generated, "docs/DIAGNOSTICS.md differs from the catalog; run `make docs` and commit it")
        for code in DiagnosticCatalog.all {
            #expect(onDisk.contains("| \(code.rawValue) | \(code.severity.rawValue) | \(code.meaning) |"))
        }
    }

    /// README and docs name codes the tool reports: never one the catalog does not have, and a
    /// page that names codes links the list of them.
    @Test func theDocsNameOnlyCatalogedCodes() throws {
        var files = [Self.project.appendingPathComponent("README.md")]
        let docs = Self.project.appendingPathComponent("docs")
        files += try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent != "DIAGNOSTICS.md" }
        var unknown: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let codes = text.matches(of: Self.codeLiteral).map { String($0.code) }
            unknown += codes.filter { DiagnosticCode(cataloged: $0) == nil }.map { "\(file.lastPathComponent): \($0)" }
            let link = file.lastPathComponent == "README.md" ? "(docs/DIAGNOSTICS.md)" : "(DIAGNOSTICS.md)"
            #expect(codes.isEmpty || text.contains(link), "\(file.lastPathComponent) names codes and does not link \(link)")
        }
        #expect(unknown.isEmpty, "\(unknown)")
        #expect(files.count >= 5)
    }

    // MARK: - Helpers

    /// `E305`, `W701`: a letter and three digits, not inside a longer word or number.
    static var codeLiteral: Regex<(Substring, code: Substring)> { #/(?:^|[^A-Za-z0-9_])(?<code>[EW][0-9]{3})(?![0-9])/# }

    /// Every file under Sources/.
    static func sourceFiles() throws -> [URL] {
        let sources = project.appendingPathComponent("Sources")
        guard let walk = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        let files = try walk.compactMap { $0 as? URL }.filter { try $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true }
        #expect(files.count > 100, "the walk of \(sources.path) found \(files.count) files")
        return files.map(\.standardizedFileURL)
    }

    /// The constants the catalog's files declare: `static let name = DiagnosticCode("E101", ...`.
    static func declarations() throws -> [(name: String, raw: String)] {
        let declaration = #/static let (?<name>[A-Za-z0-9]+) = DiagnosticCode\(\s*"(?<raw>[^"]*)"/#
        var found: [(name: String, raw: String)] = []
        for file in try FileManager.default.contentsOfDirectory(at: catalogDirectory, includingPropertiesForKeys: nil) {
            let text = try String(contentsOf: file, encoding: .utf8)
            found += text.matches(of: declaration).map { (String($0.name), String($0.raw)) }
        }
        return found
    }
}
