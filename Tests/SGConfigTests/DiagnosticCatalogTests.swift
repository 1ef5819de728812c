import SGConfig
import SGDiagnostics
import SGYAML
import Testing

@Suite struct DiagnosticCatalogTests {
    @Test func codesAreUniqueAndInTheirRanges() {
        let raw = DiagnosticCode.configCodes.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(Set(raw).isDisjoint(with: DiagnosticCode.yamlCodes.map(\.rawValue)))
        for code in raw {
            let digits = code.dropFirst()
            #expect(code.first == "E" || code.first == "W", "\(code)")
            #expect(digits.count == 3 && (digits.first == "2" || digits.first == "3"), "\(code)")
        }
    }

    @Test func everyErrorInTheTablesUsesACatalogedCode() {
        let tables = ConfigFieldTests.nameCases + ConfigFieldTests.fieldCases + ConfigFieldTests.tagCases
            + ScenarioRuleTests.protocolAndPortCases + ScenarioRuleTests.peerAndDescriptionCases + ScenarioRuleTests.tierCases
            + OverrideTests.overrideCases + OverrideTests.acceptedRiskCases + OverrideTests.portCatalogCases
        let known = Set((DiagnosticCode.configCodes + DiagnosticCode.yamlCodes).map(\.rawValue))
        for input in tables {
            for expected in input.expected { #expect(known.contains(expected.code), "\(input.name)") }
        }
        // The brief asks for at least 80 distinct input-error cases.
        #expect(tables.count >= 80)
    }
}
