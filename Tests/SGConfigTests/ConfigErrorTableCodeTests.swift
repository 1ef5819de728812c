import SGConfig
import SGDiagnostics
import SGYAML
import Testing

/// The config reader's error tables use codes of the catalog's YAML and config stages only.
@Suite struct ConfigErrorTableCodeTests {
    @Test func everyErrorInTheTablesUsesACodeOfTheReader() {
        let tables = ConfigFieldTests.nameCases + ConfigFieldTests.fieldCases + ConfigFieldTests.tagCases
            + ScenarioRuleTests.protocolAndPortCases + ScenarioRuleTests.peerAndDescriptionCases + ScenarioRuleTests.tierCases
            + OverrideTests.overrideCases + OverrideTests.acceptedRiskCases + OverrideTests.portCatalogCases
        for input in tables {
            for expected in input.expected {
                let stage = DiagnosticCode(cataloged: expected.code)?.stage
                #expect(stage == .config || stage == .yaml, "\(input.name): \(expected.code)")
            }
        }
        // The brief asks for at least 80 distinct input-error cases.
        #expect(tables.count >= 80)
    }
}
