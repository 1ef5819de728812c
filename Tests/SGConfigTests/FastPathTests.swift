import SGDiagnostics
import SGTestSupport
import SGYAML
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

/// The byte fast paths of rule reading give the answers of the Character rules they replace.
@Suite struct RuleReadingFastPathTests {
    /// `NodeReader.isDecimal` against the Character rule, on ASCII and on combining marks.
    @Test(arguments: ["0", "7", "22", "65535", "007", "0x16", "", "-1", "1_000", "22:80", " 1", "١٢", "1\u{301}", "0\u{301}5", "9\u{301}"])
    func decimalTestMatchesTheCharacterRule(text: String) {
        let characterRule = !text.isEmpty && text.allSatisfy({ ("0"..."9").contains($0) }) && (text == "0" || !text.hasPrefix("0"))
        #expect(NodeReader.isDecimal(text) == characterRule)
    }

    /// A mapping that holds a key twice (SGYAML rejects such files; a tree built in code can
    /// hold one) reads the last value, as when fields were kept in a table.
    @Test func aRepeatedKeyReadsItsLastValue() throws {
        let at = SourceLocation(file: "t.yaml", line: 1, column: 1)
        func scalar(_ text: String, column: Int) -> YAMLNode {
            YAMLNode(.scalar(YAMLScalar(text)), location: SourceLocation(file: "t.yaml", line: 1, column: column))
        }
        let node = YAMLNode(.mapping([
            YAMLMappingEntry(key: scalar("protocol", column: 1), value: scalar("udp", column: 11)),
            YAMLMappingEntry(key: scalar("port", column: 16), value: scalar("53", column: 22)),
            YAMLMappingEntry(key: scalar("protocol", column: 26), value: scalar("tcp", column: 36)),
        ]), location: at)
        var reader = NodeReader()
        let read = reader.fields(node, of: "rule", label: "rule", allowed: ["protocol", "port", "source"], required: ["protocol", "source"])
        let fields = try #require(read)
        #expect(fields["protocol"]?.string == "tcp")
        #expect(fields.keyNode("protocol")?.location.column == 26)
        #expect(fields["port"]?.string == "53")
        #expect(!fields.has("source"))
        #expect(reader.diagnostics.all.map(\.message) == ["rule is missing required key 'source'"])
    }
}
