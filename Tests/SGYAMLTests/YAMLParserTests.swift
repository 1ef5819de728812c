import SGDiagnostics
import Testing

@testable import SGYAML

@Suite struct YAMLParserTests {
    let parser = YAMLParser()

    private func errors(_ text: String) -> [Diagnostic] {
        do {
            _ = try parser.parse(text, path: "t.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func scalarsKeepTheirTextAndLocation() throws {
        let doc = try parser.parse("environment: no\nport: 22:80\n", path: "c.yaml")
        let root = try #require(doc.root)
        #expect(root["environment"]?.string == "no")
        #expect(root["port"]?.string == "22:80")
        #expect(root["port"]?.location == SourceLocation(file: "c.yaml", line: 2, column: 7))
    }

    @Test func duplicateKeyIsReportedAtSecondOccurrenceNamingTheFirst() {
        let found = errors("a: 1\nb: 2\na: 3\n")
        #expect(found.count == 1)
        #expect(found.first?.code == .yamlDuplicateKey)
        #expect(found.first?.location == SourceLocation(file: "t.yaml", line: 3, column: 1))
        #expect(found.first?.notes.first?.location == SourceLocation(file: "t.yaml", line: 1, column: 1))
    }

    /// Small mappings look for duplicates by scanning their entries, big ones through an index
    /// built when they pass the threshold: both report every duplicate at its second occurrence,
    /// naming the first, whether the first came before or after the index was built.
    @Test(arguments: [3, 15, 16, 17, 40])
    func duplicateKeysAreFoundInMappingsOfAnySize(keyCount: Int) {
        var lines = (0..<keyCount).map { "k\($0): v" }
        lines.append("k0: again")
        lines.append("k\(keyCount - 1): again")
        lines.append("k\(keyCount / 2): again")
        let found = errors(lines.joined(separator: "\n") + "\n")
        let firstLines = [1, keyCount, keyCount / 2 + 1]
        #expect(found.map(\.code) == Array(repeating: .yamlDuplicateKey, count: 3))
        #expect(found.map { $0.location?.line ?? 0 } == [keyCount + 1, keyCount + 2, keyCount + 3])
        #expect(found.map { $0.notes.first?.location?.line ?? 0 } == firstLines)
        #expect(found.map(\.message) == ["duplicate key 'k0'", "duplicate key 'k\(keyCount - 1)'", "duplicate key 'k\(keyCount / 2)'"])
    }

    /// Merged keys never count as duplicates, and explicit keys win over them in a big mapping too.
    @Test func mergeKeysInABigMappingKeepExplicitValues() throws {
        var text = "base: &b {x: 1, y: 2, z: 3}\nother:\n  <<: *b\n"
        for index in 0..<20 { text += "  k\(index): v\n" }
        text += "  y: 9\n"
        let root = try #require(try parser.parse(text, path: "t.yaml").root)
        let other = try #require(root["other"]?.mapping)
        #expect(other.compactMap(\.key.string) == (0..<20).map { "k\($0)" } + ["y", "x", "z"])
        #expect(root["other"]?["y"]?.string == "9")
        #expect(root["other"]?["x"]?.string == "1")
    }

    @Test func aliasesExpandAndMergeKeysMerge() throws {
        let doc = try parser.parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nref: *b\n", path: "t.yaml")
        let root = try #require(doc.root)
        #expect(root["other"]?["x"]?.string == "1")
        #expect(root["other"]?["y"]?.string == "3")
        #expect(root["ref"]?["y"]?.string == "2")
    }

    @Test func aliasBombFailsWithLocatedError() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let found = errors(text)
        #expect(found.first?.code == .yamlAliasBudget)
        #expect(found.first?.location?.line != nil)
    }

    @Test func deepNestingFailsFast() {
        let text = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        let found = errors(text)
        #expect(found.first?.code == .yamlTooDeep)
        #expect(found.first?.location == SourceLocation(file: "t.yaml", line: 1, column: 65))
    }

    @Test func multipleDocumentsAreRejected() {
        let found = errors("a: 1\n---\nb: 2\n")
        #expect(found.first?.code == .yamlMultipleDocuments)
        #expect(found.first?.location?.line == 2)
    }

    @Test func invalidUTF8IsRejectedWithPosition() {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        do {
            _ = try parser.parse(SourceFile(path: "t.yaml", bytes: bytes))
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.code == .yamlEncoding)
            #expect(error.diagnostics.first?.location == SourceLocation(file: "t.yaml", line: 2, column: 4))
        }
    }

    @Test func syntaxErrorsCarryLibyamlsPosition() {
        let found = errors("a: [1, 2\nb: 3\n")
        #expect(found.first?.code == .yamlSyntax)
        #expect(found.first?.location != nil)
    }

    @Test func emptyFileHasNoRoot() throws {
        #expect(try parser.parse("", path: "t.yaml").root == nil)
        #expect(try parser.parse("# only a comment\n", path: "t.yaml").root == nil)
    }

    @Test func shortFormTagsAreKept() throws {
        let doc = try parser.parse("v: !Ref SSHLocation\nw: !GetAtt [A, B]\n", path: "t.yaml")
        #expect(doc.root?["v"]?.tag == "!Ref")
        #expect(doc.root?["w"]?.tag == "!GetAtt")
    }
}

/// `parse(_:observing:onEntry:)` hands out the entries of one mapping as they complete and
/// returns the document `parse(_:)` returns.
@Suite struct YAMLEntryObserverTests {
    static let text = """
        name: x
        tiers:
          a: {k: 1}
          b:
            nested: {tiers: {c: 1}}
          <<: {m: 1}
          d: [1, 2]
        other: {a: 1}

        """

    /// Every observed entry: the key text, and the value's start line.
    static func observe(_ text: String, path: [String]) throws -> (seen: [String], document: YAMLDocument) {
        nonisolated(unsafe) var seen: [String] = []
        let document = try YAMLParser().parse(SourceFile(path: "t.yaml", text: text), observing: path) { entry in
            seen.append("\(entry.key.string ?? "?")@\(entry.value.location.line)")
        }
        return (seen, document)
    }

    @Test func entriesOfTheObservedMappingOnlyInDocumentOrderWithoutMergedOnes() throws {
        let (seen, document) = try Self.observe(Self.text, path: ["tiers"])
        #expect(seen == ["a@3", "b@5", "d@7"])
        let plain = try YAMLParser().parse(Self.text, path: "t.yaml")
        #expect(document.root == plain.root)
        #expect(document.root?["tiers"]?.mapping?.compactMap(\.key.string) == ["a", "b", "d", "m"])
    }

    @Test(arguments: [
        (["tiers", "b", "nested", "tiers"], ["c@5"]),
        ([], ["name@1", "tiers@3", "other@8"]),
        (["other"], ["a@8"]),
        (["missing"], []),
        (["name"], []),  // a scalar, not a mapping
    ])
    func anyPathOfMappingsCanBeObserved(path: [String], expected: [String]) throws {
        #expect(try Self.observe(Self.text, path: path).seen == expected)
    }

    /// A mapping reached through an alias is not parsed there, so nothing is handed out for it.
    @Test func aMappingReachedThroughAnAliasHandsOutNothing() throws {
        let (seen, document) = try Self.observe("base: &b {a: 1}\ntiers: *b\n", path: ["tiers"])
        #expect(seen.isEmpty)
        #expect(document.root?["tiers"]?["a"]?.string == "1")
    }
}

/// A UTF-8 byte-order mark in front of a key on line 1: libyaml, with the encoding forced, would
/// skip it as a character of the line and read the key one column in, ending the root mapping at
/// the next line's key ("did not find expected <document start>").
@Suite struct ByteOrderMarkTests {
    @Test func aKeyRightAfterTheMarkIsReadAtColumnOne() throws {
        let source = SourceFile(path: "c.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("company_prefix: globalbank\r\nenvironment: prod\r\n".utf8))
        let document = try YAMLParser().parse(source)
        let root = try #require(document.root)
        #expect(root["environment"]?.string == "prod")
        #expect(root.mapping?.first?.key.location == SourceLocation(file: "c.yaml", line: 1, column: 1))
        #expect(root["environment"]?.location == SourceLocation(file: "c.yaml", line: 2, column: 14))
    }

    @Test func aReaderErrorAfterTheMarkKeepsItsPosition() {
        let source = SourceFile(path: "c.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\nb: x\u{7}y\n".utf8))
        do {
            _ = try YAMLParser().parse(source)
            Issue.record("a control character is an error")
        } catch {
            #expect(error.diagnostics.first?.location == SourceLocation(file: "c.yaml", line: 2, column: 5), "\(error.diagnostics)")
        }
    }
}
