import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

/// The fast paths of the renderers (byte-level quoting decisions, sizes counted without building
/// text) must agree exactly with the straightforward definitions they replaced.
@Suite struct RenderingEquivalenceTests {
    /// The character-level quoting rule the byte-level `needsQuotes` replaced, kept as the oracle.
    static func referenceNeedsQuotes(_ text: String) -> Bool {
        let specialWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        let leadingIndicators: Set<Character> = [
            "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "<", "=",
        ]
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " { return true }
        if text.unicodeScalars.contains(where: { !($0.value >= 0x20 && $0.value < 0x7F) }) { return true }
        if leadingIndicators.contains(first) { return true }
        if first.isASCII, first.isNumber || first == "+" || first == "." { return true }
        if text.contains(": ") || text.contains(" #") || last == ":" { return true }
        return specialWords.contains(text.lowercased())
    }

    /// Escaping is needed exactly when the escaper changes something besides adding the quotes.
    static func referenceNeedsEscaping(_ text: String) -> Bool {
        JSONText.quoted(text) != "\"" + text + "\""
    }

    /// Deterministic strings over an alphabet that hits every rule: indicators, digits, spaces,
    /// colons, hashes, special words' letters in both cases, control and non-ASCII characters.
    static var generatedStrings: [String] {
        let alphabet: [String] = [
            "a", "b", "Y", "N", "o", "n", "u", "l", "t", "r", "e", "f", "s", "~", " ", ":", "#", "-", "?", ",", "[",
            "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "<", "=", "0", "9", "+", ".", "/", "_",
            "\\", "\n", "\t", "\u{7F}", "\u{1}", "é", "\u{2028}", "\u{2029}", "\u{301}", "😀", "\r\n",
        ]
        var generator = SplitMix(seed: 6)
        var strings = ["", "true", "TRUE", "Null", "n", "N", "~", "yes", "off", "On", "nulls", "truE", "a: b", "a:b", "a #b", "a#b"]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 7)
            strings.append((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined())
        }
        return strings
    }

    @Test func byteLevelQuotingMatchesTheCharacterLevelRule() {
        for text in Self.generatedStrings {
            #expect(YAMLScalarStyle.needsQuotes(text) == Self.referenceNeedsQuotes(text), "\(text.debugDescription)")
            var written = TemplateByteSink()
            YAMLScalarStyle.write(text, to: &written)
            #expect(written.text == YAMLScalarStyle.quoted(text))
            #expect(YAMLScalarStyle.quoted(text) == (Self.referenceNeedsQuotes(text) ? YAMLScalarStyle.doubleQuoted(text) : text))
            #expect(YAMLScalarStyle.quotedKey(text) == (text.contains(":") ? YAMLScalarStyle.doubleQuoted(text) : YAMLScalarStyle.quoted(text)))
        }
    }

    @Test func jsonEscapingCheckMatchesTheEscaper() {
        for text in Self.generatedStrings {
            #expect(JSONText.needsEscaping(text) == Self.referenceNeedsEscaping(text), "\(text.debugDescription)")
        }
    }

    /// Every stack of a split deployment, of one that fits a stack, and of hand-made edge cases:
    /// the counted size is the rendered size, in both formats, for documents and single entries.
    @Test(arguments: ["three tiers", "cycle", "mixed peers", "generated"])
    func countedSizesAreRenderedSizes(name: String) throws {
        // Named arguments keep the test log short (a Deployment prints in full).
        let deployments = [
            "three tiers": SampleDeployments.threeTier, "cycle": SampleDeployments.cycle,
            "mixed peers": SampleDeployments.mixedPeers, "generated": SampleDeployments.generated(tiers: 40, rulesPerTier: 30),
        ]
        let deployment = try #require(deployments[name])
        let stacks = TemplateCompiler(toolVersion: "1.0.0-test").compile(deployment).stacks
        #expect(!stacks.isEmpty)
        for stack in stacks {
            let template = stack.template
            let yaml = template.renderYAML()
            let json = template.renderJSON()
            #expect(TemplateYAMLWriter.documentSize(template.value) == yaml.utf8.count, "\(name) \(stack.stackName)")
            #expect(TemplateJSONWriter.documentSize(template.value) == json.utf8.count, "\(name) \(stack.stackName)")
            #expect(template.renderedSize == max(yaml.utf8.count, json.utf8.count))
            var skeleton = template
            skeleton.resources = []
            var accumulated = TemplateSizeAccumulator(skeleton: skeleton)
            #expect(accumulated.renderedSize == skeleton.renderedSize)
            for resource in template.resources { accumulated.add(resource) }
            #expect(accumulated.renderedSize == template.renderedSize, "\(name) \(stack.stackName)")
            #expect(accumulated.resourceCount == template.resources.count)
            for resource in template.resources {
                #expect(TemplateYAMLWriter.entrySize(key: resource.logicalID, value: resource.value, indent: 2)
                    == TemplateYAMLWriter.entry(key: resource.logicalID, value: resource.value, indent: 2).utf8.count)
                #expect(TemplateJSONWriter.entrySize(key: resource.logicalID, value: resource.value, depth: 2)
                    == TemplateJSONWriter.entry(key: resource.logicalID, value: resource.value, depth: 2).utf8.count)
            }
        }
    }

    /// Block items inside lists (the "- Key: value" form), joins, imports, empty collections and
    /// quoted keys, as a reader of the YAML writer would expect them.
    @Test func nestedBlocksRenderExactly() {
        let value: TemplateValue = .map([
            ("List", .list([
                .map([("A", .string("1")), ("B", .list([.int(2), .map([])]))]),
                .list([.string("x"), .list([])]),
                .join(",", [.string("a"), .ref("R")]),
                .importValue(.sub("${AWS::StackName}-x")),
                .importValue(.string("plain")),
            ])),
            ("key:colon", .bool(true)),
            ("Joined", .join("-", [.getAtt("G", "GroupId")])),
            ("Imported", .importValue(.join("", [.string("a")]))),
        ])
        // Both texts as the string-concatenating writers rendered them before the byte sinks.
        let expectedYAML = """
            List:
              - A: "1"
                B:
                  - 2
                  - {}
              - - x
                - []
              - !Join
                - ","
                - - a
                  - !Ref R
              - "Fn::ImportValue": !Sub ${AWS::StackName}-x
              - !ImportValue plain
            "key:colon": true
            Joined: !Join
              - "-"
              - - !GetAtt G.GroupId
            Imported:
              "Fn::ImportValue": !Join
                - ""
                - - a

            """
        let expectedJSON = """
            {
              "List": [
                {
                  "A": "1",
                  "B": [
                    2,
                    {}
                  ]
                },
                [
                  "x",
                  []
                ],
                {
                  "Fn::Join": [
                    ",",
                    [
                      "a",
                      {
                        "Ref": "R"
                      }
                    ]
                  ]
                },
                {
                  "Fn::ImportValue": {
                    "Fn::Sub": "${AWS::StackName}-x"
                  }
                },
                {
                  "Fn::ImportValue": "plain"
                }
              ],
              "key:colon": true,
              "Joined": {
                "Fn::Join": [
                  "-",
                  [
                    {
                      "Fn::GetAtt": [
                        "G",
                        "GroupId"
                      ]
                    }
                  ]
                ]
              },
              "Imported": {
                "Fn::ImportValue": {
                  "Fn::Join": [
                    "",
                    [
                      "a"
                    ]
                  ]
                }
              }
            }

            """
        #expect(TemplateYAMLWriter.document(value) == expectedYAML)
        #expect(TemplateJSONWriter.document(value) == expectedJSON)
        #expect(TemplateYAMLWriter.documentSize(value) == expectedYAML.utf8.count)
        #expect(TemplateJSONWriter.documentSize(value) == expectedJSON.utf8.count)
        #expect(TemplateYAMLWriter.document(.list([])) == "[]\n")
        #expect(TemplateYAMLWriter.document(.map([])) == "{}\n")
    }
}

/// A small deterministic generator (SplitMix64), so generated cases are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
