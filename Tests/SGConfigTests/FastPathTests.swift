import SGDiagnostics
import Testing

@testable import SGConfig

/// The byte-level fast paths of input validation must give the answers of the character-level
/// rules they short-cut, and reading many broken rules must report each of them.
@Suite struct FastPathTests {
    /// The character rule the byte fast path of `firstInvalidDescriptionCharacter` short-cuts.
    static func referenceFirstInvalid(_ text: String) -> Character? {
        text.first { character in
            !(character.isASCII && (character.isLetter || character.isNumber))
                && !AWSTextRules.descriptionPunctuation.contains(character)
        }
    }

    @Test func descriptionCharacterCheckMatchesTheCharacterRule() {
        var texts = (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        texts += ["", "Allow HTTPS (web) #1", "café", "e\u{301}", "a\r\nb", "tab\there", "x😀", "ok: [a,b] {c} $d *e!", "ü-ber"]
        for text in texts {
            #expect(AWSTextRules.firstInvalidDescriptionCharacter(text) == Self.referenceFirstInvalid(text), "\(text.debugDescription)")
        }
    }

    /// 3,000 rules with an unknown protocol: one located error each, in file order (the error
    /// bookkeeping per rule looks only at what that rule added).
    @Test func everyBrokenRuleOfABigTierIsReported() {
        let count = 3_000
        var scenario = "name: web\ntiers:\n  web:\n    ingress:\n"
        for index in 0..<count { scenario += "      - { protocol: tpx, port: \(index), source: 10.0.0.0/8 }\n" }
        let result = makeLoader([configPath: config(), scenarioPath: scenario]).load(config: configPath)
        let errors = result.diagnostics.all.filter { $0.code.rawValue == "E301" }
        #expect(errors.count == count)
        #expect(errors.map { $0.location?.line ?? 0 } == Array(5..<(5 + count)))
        #expect(result.deployment == nil)
    }
}
