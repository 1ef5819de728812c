import Foundation
import SGModel
import SGYAML
import Testing

@testable import SGCloudFormation

/// A template read back from text, with YAML short-form tags expanded to the long form and
/// scalars typed the way CloudFormation reads them, so YAML and JSON compare equal.
indirect enum ReadBack: Equatable, CustomStringConvertible {
    case string(String)
    case number(String)
    case bool(Bool)
    case list([ReadBack])
    case map([String], [String: ReadBack])

    var description: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .number(let text): return text
        case .bool(let flag): return "\(flag)"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let keys, let values): return "{" + keys.map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    static func parse(_ text: String, path: String) throws -> ReadBack {
        let document = try YAMLParser().parse(text, path: path)
        return try convert(#require(document.root))
    }

    private static func convert(_ node: YAMLNode) throws -> ReadBack {
        let plain: ReadBack
        switch node.content {
        case .scalar(let scalar):
            if scalar.style == .plain, node.tag == nil {
                if scalar.value == "true" || scalar.value == "false" { plain = .bool(scalar.value == "true") }
                else if Int(scalar.value) != nil { plain = .number(scalar.value) }
                else { plain = .string(scalar.value) }
            } else {
                plain = .string(scalar.value)
            }
        case .sequence(let items): plain = .list(try items.map(convert))
        case .mapping(let entries):
            var keys: [String] = []
            var values: [String: ReadBack] = [:]
            for entry in entries {
                let key = try #require(entry.key.string)
                keys.append(key)
                values[key] = try convert(entry.value)
            }
            plain = .map(keys, values)
        }
        guard let tag = node.tag, tag.hasPrefix("!") else { return plain }
        let name = String(tag.dropFirst())
        switch (name, plain) {
        case ("Ref", _): return .map(["Ref"], ["Ref": plain])
        case ("GetAtt", .string(let path)):
            let parts = path.split(separator: ".", maxSplits: 1).map { ReadBack.string(String($0)) }
            return .map(["Fn::GetAtt"], ["Fn::GetAtt": .list(parts)])
        default: return .map(["Fn::" + name], ["Fn::" + name: plain])
        }
    }
}

@Suite struct RenderingTests {
    /// Strings that must be quoted, and strings that may stay plain.
    @Test(arguments: [
        ("web", "web"), ("Fraud Operations", "Fraud Operations"), ("sg-provisioner:tier", "sg-provisioner:tier"),
        ("/globalbank/prod/c001/sg/web", "/globalbank/prod/c001/sg/web"), ("vpc-0a1b", "vpc-0a1b"),
        ("443", "\"443\""), ("0.0.0.0/0", "\"0.0.0.0/0\""), ("::/0", "\"::/0\""), ("1e3", "\"1e3\""),
        ("0x1F", "\"0x1F\""), ("+1", "\"+1\""), (".5", "\".5\""), ("-1", "\"-1\""), ("2027-03-31", "\"2027-03-31\""),
        ("12:30", "\"12:30\""), (".inf", "\".inf\""),
        ("true", "\"true\""), ("False", "\"False\""), ("yes", "\"yes\""), ("NO", "\"NO\""), ("on", "\"on\""),
        ("off", "\"off\""), ("y", "\"y\""), ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""),
        ("a: b", "\"a: b\""), ("a #b", "\"a #b\""), ("key:", "\"key:\""), (" lead", "\" lead\""), ("trail ", "\"trail \""),
        ("!Ref x", "\"!Ref x\""), ("*alias", "\"*alias\""), ("&anchor", "\"&anchor\""), ("{x}", "\"{x}\""),
        ("[x]", "\"[x]\""), ("#x", "\"#x\""), ("|x", "\"|x\""), (">x", "\">x\""), ("%x", "\"%x\""), ("@x", "\"@x\""),
        ("`x", "\"`x\""), ("'x", "\"'x\""), ("\"x", "\"\\\"x\""), ("? x", "\"? x\""), ("<<", "\"<<\""), ("=", "\"=\""),
        ("a\nb", "\"a\\nb\""), ("tab\there", "\"tab\\there\""), ("bell\u{7}", "\"bell\\x07\""), ("back\\slash", "back\\slash"),
        ("del\u{7F}", "\"del\\x7F\""), ("line\u{2028}sep", "\"line\\Lsep\""), ("café", "\"café\""),
    ])
    func yamlScalarsAreQuotedWhenAmbiguous(text: String, expected: String) throws {
        #expect(YAMLScalarStyle.quoted(text) == expected)
        // Whatever the style, a YAML reader gets the original text back as a string.
        let document = try YAMLParser().parse("k: \(YAMLScalarStyle.quoted(text))\n", path: "q.yaml")
        let node = try #require(document.root?["k"])
        #expect(node.string == text)
        #expect(node.scalar?.style == (expected.hasPrefix("\"") ? .doubleQuoted : .plain))
    }

    @Test(arguments: [
        ("a\"b\\c\n", "\"a\\\"b\\\\c\\n\""), ("\u{1}", "\"\\u0001\""), ("café", "\"café\""),
    ])
    func jsonStringsAreEscaped(text: String, expected: String) throws {
        #expect(TemplateJSONWriter.string(text) == expected)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(expected)]".utf8), options: []) as? [String]
        #expect(decoded == [text])
    }

    @Test func intrinsicsUseShortFormInYAMLAndLongFormInJSON() {
        let template = Template(description: "d", resources: [TemplateResource(logicalID: "R", type: "AWS::SSM::Parameter", properties: [
            ("A", .ref("AWS::Region")), ("B", .getAtt("G", "GroupId")), ("C", .importValue(.string("x-sg-id"))),
            ("D", .sub("${AWS::StackName}-x")), ("E", .join("-", [.string("a"), .ref("B")])),
            ("F", .importValue(.sub("${P}-id"))), ("G", .list([.map([]), .list([]), .list([.int(1), .bool(true)])])),
            ("H", .list([.join(",", [.string("a")]), .importValue(.sub("s"))])),
        ])])
        #expect(template.renderYAML() == """
            AWSTemplateFormatVersion: "2010-09-09"
            Description: d
            Resources:
              R:
                Type: AWS::SSM::Parameter
                Properties:
                  A: !Ref AWS::Region
                  B: !GetAtt G.GroupId
                  C: !ImportValue x-sg-id
                  D: !Sub ${AWS::StackName}-x
                  E: !Join
                    - "-"
                    - - a
                      - !Ref B
                  F:
                    "Fn::ImportValue": !Sub ${P}-id
                  G:
                    - {}
                    - []
                    - - 1
                      - true
                  H:
                    - !Join
                      - ","
                      - - a
                    - "Fn::ImportValue": !Sub s

            """)
        #expect(template.renderJSON().contains("""
                    "B": {
                      "Fn::GetAtt": [
                        "G",
                        "GroupId"
                      ]
                    },
                    "C": {
                      "Fn::ImportValue": "x-sg-id"
                    },
            """))
        #expect(template.renderJSON().hasSuffix("}\n"))
    }

    @Test(arguments: ["threeTier", "mixedPeers", "cycle"])
    func yamlAndJSONReadBackToTheSameStructure(name: String) throws {
        let deployment = [
            "threeTier": SampleDeployments.threeTier, "mixedPeers": SampleDeployments.mixedPeers,
            "cycle": SampleDeployments.cycle,
        ][name]!
        for stack in compiler.compile(deployment).stacks {
            let yaml = stack.template.renderYAML()
            let json = stack.template.renderJSON()
            #expect(yaml.hasSuffix("\n") && json.hasSuffix("\n"))
            _ = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [])
            let fromYAML = try ReadBack.parse(yaml, path: "t.yaml")
            let fromJSON = try ReadBack.parse(json, path: "t.json")
            #expect(fromYAML == fromJSON)
        }
    }

    @Test func splitStacksReadBackToTheSameStructureToo() throws {
        let result = compiler.compile(SampleDeployments.generated(tiers: 60, rulesPerTier: 20))
        #expect(result.stacks.count > 2)
        for stack in result.stacks {
            let fromYAML = try ReadBack.parse(stack.template.renderYAML(), path: "t.yaml")
            let fromJSON = try ReadBack.parse(stack.template.renderJSON(), path: "t.json")
            #expect(fromYAML == fromJSON, "\(stack.stackName)")
        }
    }
}
