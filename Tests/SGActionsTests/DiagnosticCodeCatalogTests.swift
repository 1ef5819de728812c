import SGActions
import SGCloudFormation
import SGConfig
import SGDeploy
import SGDiagnostics
import SGImport
import SGInventory
import SGValidation
import SGYAML
import Testing

/// Codes are the stable contract with users' CI scripts: one meaning each, forever.
@Suite struct DiagnosticCodeCatalogTests {
    static let catalogs: [(String, [DiagnosticCode])] = [
        ("yaml", DiagnosticCode.yamlCodes),
        ("config", DiagnosticCode.configCodes),
        ("cloudformation", DiagnosticCode.cloudFormationCodes),
        ("actions", DiagnosticCode.actionCodes),
        ("deploy", DiagnosticCode.deployCodes),
        ("aws", DiagnosticCode.awsCodes),
        ("inventory", DiagnosticCode.inventoryCodes),
        ("validation", DiagnosticCode.validationCodes),
        ("import", DiagnosticCode.importCodes),
    ]

    @Test func everyCodeIsUniqueAcrossModules() {
        var owner: [String: String] = [:]
        for (module, codes) in Self.catalogs {
            for code in codes {
                #expect(owner[code.rawValue] == nil, "\(code) is declared by both \(owner[code.rawValue] ?? "") and \(module)")
                owner[code.rawValue] = module
            }
        }
        #expect(owner.count > 60)
    }

    @Test func codesAreWellFormedAndInTheirModulesRange() {
        let ranges: [String: Set<Character>] = [
            "yaml": ["1"], "config": ["2", "3"], "cloudformation": ["4"], "actions": ["5"], "deploy": ["5"], "aws": ["6"], "inventory": ["7"],
            "validation": ["8"], "import": ["5"],
        ]
        for (module, codes) in Self.catalogs {
            for code in codes {
                #expect(code.rawValue.wholeMatch(of: #/[EW][1-8]\d\d/#) != nil, "\(code) is not E/W + three digits")
                #expect(ranges[module]?.contains(code.rawValue.dropFirst().first!) == true, "\(code) is outside \(module)'s range")
            }
        }
    }
}

@Suite struct DeployDiagnosticCodeTests {
    @Test func deployCodesAreUniqueAcrossTheActionLayer() {
        let codes = DiagnosticCode.deployCodes + DiagnosticCode.actionCodes + DiagnosticCode.awsCodes
            + DiagnosticCode.cloudFormationCodes + [.cfnTemplateText]
        #expect(Set(codes.map(\.description)).count == codes.count, "\(codes)")
    }
}
