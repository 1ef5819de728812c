import SGDiagnostics
import Testing

@testable import SGYAML

/// Scalars the importer writes read back as exactly the same text, in a block value and inside a
/// flow mapping (where `, [ ] { }` end a plain scalar), and stay on one line.
@Suite struct YAMLTextTests {
    /// Texts AWS descriptions and names really hold, plus everything YAML could misread.
    static let awkward: [String] = [
        "HTTPS from internet", "HTTPS: public & {partners} [v2] *!#", "a, b", "[x]", "{y}", "*alias", "&anchor", "!tag",
        "#not a comment", "a #b", "key: value", "- item", "? q", "| block", "> folded", "%directive", "@at", "`tick`",
        "'single'", "\"double\"", "back\\slash", "null", "Null", "~", "true", "False", "yes", "No", "on", "OFF", "y", "n",
        "443", "1e3", "0x1F", "1_000", ".inf", "-1", "+1", "12:30", "10.0.0.0/8", "::/0", "2001:db8::/32", " leading space",
        "trailing space ", "", "tab\there", "line\nbreak", "cr\rhere", "nel\u{85}here", "ls\u{2028}ps\u{2029}", "\u{FEFF}bom",
        "del\u{7F}", "bell\u{07}", "é ü 日本 🚀", "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00", "(x)", "=+", "a=b",
    ]

    @Test(arguments: awkward) func scalarReadsBackAsItself(_ text: String) throws {
        let rendered = YAMLText.scalar(text)
        #expect(!rendered.contains("\n") && !rendered.contains("\r"), "\(rendered)")
        let block = try YAMLParser().parse("key: \(rendered)\n", path: "t.yaml")
        #expect(block.root?["key"]?.scalar?.value == text, "block: \(rendered)")
        let flow = try YAMLParser().parse("- { a: \(rendered), b: after }\n", path: "t.yaml")
        let item = flow.root?.sequence?.first
        #expect(item?["a"]?.scalar?.value == text, "flow: \(rendered)")
        #expect(item?["b"]?.scalar?.value == "after", "flow: \(rendered) swallowed the next key")
        // Never read as null by the config reader's rule (plain "", "~", "null").
        #expect(block.root?["key"]?.isNull == false, "\(rendered)")
    }

    @Test func plainOnlyWhenEveryReaderAgrees() {
        #expect(YAMLText.scalar("HTTPS from internet") == "HTTPS from internet")
        #expect(YAMLText.scalar("10.0.0.0/8") == "10.0.0.0/8")
        #expect(YAMLText.scalar("sg-0123456789abcdef0") == "sg-0123456789abcdef0")
        #expect(YAMLText.scalar("Cluster peers (self)") == "Cluster peers (self)")
        #expect(YAMLText.scalar("::/0") == "\"::/0\"")
        #expect(YAMLText.scalar("yes") == "\"yes\"")
        #expect(YAMLText.scalar("443") == "\"443\"")
        #expect(YAMLText.scalar("a: b") == "\"a: b\"")
        #expect(YAMLText.scalar("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"")
        #expect(YAMLText.scalar("ls\u{2028}") == "\"ls\\u2028\"")
    }

    @Test func commentTextCannotLeaveItsLine() throws {
        let comment = YAMLText.commentText("x\ny: 1\r\u{85}\u{2028}z")
        #expect(!comment.contains("\n") && !comment.contains("\r"))
        let document = try YAMLParser().parse("a: 1  # \(comment)\n", path: "t.yaml")
        #expect(document.root?.mapping?.count == 1)
    }
}
