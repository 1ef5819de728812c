import Foundation
import SGTestSupport
import Testing

/// Inputs saved by other editors load exactly like the originals: CRLF line endings and a UTF-8
/// byte-order mark are accepted and change nothing in the template. (A UTF-16 BOM is an error:
/// see Tests/Fixtures/bad/c-utf16le-bom.yaml.)
@Suite struct LineEndingAndBOMTests {
    static let config = "globalbank-prod-c001-us-west-2"
    static let scenario = "three-tier-web"
    static let template = "reports/globalbank-prod-c001-us-west-2-sg-stack-template.yaml"

    enum Variant: String, CaseIterable, Sendable {
        case crlf, utf8BOM, crlfAndUTF8BOM, bareCR

        func apply(_ text: String) -> [UInt8] {
            switch self {
            case .crlf: return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            case .utf8BOM: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
            case .crlfAndUTF8BOM: return [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            case .bareCR: return Array(text.replacingOccurrences(of: "\n", with: "\r").utf8)
            }
        }
    }

    @Test(arguments: Variant.allCases)
    func variantLoadsAndCompilesToTheSameTemplate(_ variant: Variant) throws {
        let plain = try ToolRunner(), changed = try ToolRunner()
        defer { plain.cleanUp(); changed.cleanUp() }
        for path in ["configs/\(Self.config).yaml", "scenarios/\(Self.scenario).yaml"] {
            try changed.write(bytes: variant.apply(try changed.read(path)), to: path)
        }
        let validated = try changed.run(["-con", Self.config, "-act", "validate-prov-template"])
        #expect(validated.exitCode == 0, "\(validated.stdout)\n\(validated.stderr)")
        let a = try plain.run(["-con", Self.config, "-act", "create-prov-template"])
        let b = try changed.run(["-con", Self.config, "-act", "create-prov-template"])
        #expect(a.exitCode == 0 && b.exitCode == 0, "\(b.stderr)")
        #expect(try changed.read(Self.template) == (try plain.read(Self.template)))
    }

    @Test(arguments: Variant.allCases)
    func errorLocationsAreUnchangedByTheVariant(_ variant: Variant) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let path = "configs/\(Self.config).yaml"
        let broken = try tool.read(path).replacingOccurrences(of: "region: us-west-2", with: "region: us-west2")
        let line = broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("region:") }! + 1
        try tool.write(bytes: variant.apply(broken), to: path)
        let outcome = try tool.run(["-con", Self.config, "-act", "validate-prov-template"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("\(path):\(line):9: error: unknown AWS region 'us-west2'"), "\(outcome.stderr)")
    }
}
