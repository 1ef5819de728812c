import Testing

@testable import SGModel

/// AWS's limits on the text the tool sends it, one home for the config reader and the compiler.
@Suite struct AWSTextTests {
    @Test(arguments: [
        ("HTTPS from internet", true),
        ("a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*", true),
        (String(repeating: "d", count: 255), true),
        (String(repeating: "d", count: 256), false),
        ("caf\u{E9}", false),          // only ASCII letters
        ("tab\there", false),
        ("quote's", false),
        ("percent %", false),
        ("", true),
    ])
    func descriptions(text: String, valid: Bool) {
        #expect(AWSText.isValidDescription(text) == valid)
        #expect((AWSText.firstInvalidDescriptionCharacter(text) == nil) == (valid || text.count > 255))
    }

    @Test func groupNamesAreDescriptionsThatDoNotLookLikeGroupIDs() {
        #expect(AWSText.isValidGroupName("acme-prod-a01-web"))
        #expect(!AWSText.isValidGroupName("sg-web"))
        #expect(!AWSText.isValidGroupName("acme web!?"))
        #expect(!AWSText.isValidGroupName(String(repeating: "n", count: 256)))
    }

    @Test(arguments: [
        ("Fraud Operations", nil),
        ("k8s.io/cluster=main+1@x_y:z-w", nil),
        ("Zürich 東京 ٣", nil),             // letters and digits of any script
        ("R&D", "&"),
        ("line\u{2028}separator", "\u{2028}"),   // \p{Zl}: breaks lines in YAML 1.1 and JavaScript
        ("para\u{2029}separator", "\u{2029}"),
        ("no\ttabs", "\t"),
    ] as [(String, Character?)])
    func tagCharacters(text: String, firstInvalid: Character?) {
        #expect(AWSText.firstInvalidTagCharacter(text) == firstInvalid)
    }
}
