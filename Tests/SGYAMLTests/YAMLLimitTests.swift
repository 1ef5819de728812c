import SGDiagnostics
import Testing

@testable import SGYAML

/// Every `YAMLLimits` bound at its default value: an input exactly at the limit parses, one just
/// over it fails with the limit's code, message and location. (docs/LIMITS.md lists them.)
@Suite struct YAMLLimitTests {
    let limits = YAMLLimits.default

    /// The single error of parsing `bytes`, or nil when it parsed.
    private func failure(_ bytes: [UInt8], limits: YAMLLimits = .default) -> Diagnostic? {
        do {
            _ = try YAMLParser(limits: limits).parse(SourceFile(path: "t.yaml", bytes: bytes))
            return nil
        } catch {
            #expect(error.diagnostics.count == 1, "\(error.diagnostics)")
            return error.diagnostics.first
        }
    }

    private func failure(_ text: String, limits: YAMLLimits = .default) -> Diagnostic? {
        failure(Array(text.utf8), limits: limits)
    }

    @Test func defaultsAreThePublishedValues() {
        #expect(limits.maxFileBytes == 16 * 1024 * 1024)
        #expect(limits.maxDepth == 64)
        #expect(limits.maxAliasExpansion == 100_000)
        #expect(limits.maxNodes == 2_000_000)
        #expect(limits.maxScalarBytes == 64 * 1024)
    }

    @Test func fileSizeLimit() throws {
        // Just over: rejected before a single byte is decoded, so the content does not matter.
        let over = [UInt8](repeating: 0x20, count: limits.maxFileBytes + 1)
        let error = try #require(failure(over))
        #expect(error.code == .yamlFileTooLarge)
        #expect(error.message == "file is 16777217 bytes; the limit is 16777216 bytes")
        #expect(error.location == SourceLocation(file: "t.yaml", line: 1, column: 1))
        // Exactly at the limit the file is read: a comment line padded to 16 MiB parses.
        var atLimit = Array("a: 1\n#".utf8)
        atLimit += [UInt8](repeating: 0x63, count: limits.maxFileBytes - atLimit.count - 1) + [0x0A]
        #expect(atLimit.count == limits.maxFileBytes)
        #expect(failure(atLimit) == nil)
    }

    /// `depth` nested flow sequences as the value of key `a` (the root mapping is level 1).
    private func nested(_ depth: Int) -> String {
        "a: " + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "\n"
    }

    @Test func depthLimit() throws {
        #expect(failure(nested(64)) == nil)
        let error = try #require(failure(nested(65)))
        #expect(error.code == .yamlTooDeep)
        #expect(error.message == "nesting is deeper than 64 levels")
        // The 64th '[' (level 65) is at column 4 + 63.
        #expect(error.location == SourceLocation(file: "t.yaml", line: 1, column: 67))
    }

    @Test func twentyThousandLevelsFailAtTheSixtyFifth() throws {
        let error = try #require(failure(nested(20_000)))
        #expect(error.code == .yamlTooDeep)
        #expect(error.location == SourceLocation(file: "t.yaml", line: 1, column: 67))
    }

    /// An anchor of 9,999 scalars (10,000 nodes with its sequence), then `aliases` aliases of it,
    /// then `extra` aliases of a one-node anchor.
    private func aliasInput(aliases: Int, extra: Int) -> String {
        "a: &a [" + Array(repeating: "x", count: 9_999).joined(separator: ",") + "]\n"
            + "b: &b y\n"
            + "c: [" + (Array(repeating: "*a", count: aliases) + Array(repeating: "*b", count: extra)).joined(separator: ", ") + "]\n"
    }

    @Test func aliasExpansionLimit() throws {
        #expect(failure(aliasInput(aliases: 10, extra: 0)) == nil, "exactly 100,000 expanded nodes is allowed")
        let error = try #require(failure(aliasInput(aliases: 10, extra: 1)))
        #expect(error.code == .yamlAliasBudget)
        #expect(error.message == "aliases expand to more than 100000 nodes (alias bomb?)")
        // The eleventh alias, `*b`, tips it: "c: [" + 10 × "*a, " puts it at column 45.
        #expect(error.location == SourceLocation(file: "t.yaml", line: 3, column: 45))
    }

    @Test func billionLaughsFailsAtTheFirstOverflowingAlias() throws {
        var text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let error = try #require(failure(text))
        #expect(error.code == .yamlAliasBudget)
        #expect(error.location?.line == 5)
    }

    @Test func nodeCountLimit() throws {
        // 2,000,000 nodes would take seconds in a debug build; the check is the same at any value.
        var small = YAMLLimits.default
        small.maxNodes = 1_000
        let items = { (count: Int) in "[" + Array(repeating: "x", count: count).joined(separator: ",") + "]\n" }
        #expect(failure(items(999), limits: small) == nil, "999 scalars and their sequence are 1,000 nodes")
        let error = try #require(failure(items(1_000), limits: small))
        #expect(error.code == .yamlTooManyNodes)
        #expect(error.message == "document has more than 1000 nodes")
        // Node 1,001 is the 1,000th scalar, at column 2 + 2 × 999.
        #expect(error.location == SourceLocation(file: "t.yaml", line: 1, column: 2_000))
    }

    @Test func scalarSizeLimit() throws {
        let atLimit = "a: " + String(repeating: "s", count: limits.maxScalarBytes) + "\n"
        #expect(failure(atLimit) == nil)
        let over = "a: b\nc: " + String(repeating: "s", count: limits.maxScalarBytes + 1) + "\n"
        let error = try #require(failure(over))
        #expect(error.code == .yamlScalarTooLarge)
        #expect(error.message == "scalar is 65537 bytes; the limit is 65536 bytes")
        #expect(error.location == SourceLocation(file: "t.yaml", line: 2, column: 4))
    }

    @Test func readerErrorsAreLocatedAndNameTheCharacter() throws {
        let error = try #require(failure(Array("a: 1\nb: x".utf8) + [0x1B] + Array("y\n".utf8)))
        #expect(error.code == .yamlEncoding)
        #expect(error.message == "control characters are not allowed (U+001B)")
        #expect(error.location == SourceLocation(file: "t.yaml", line: 2, column: 5))
        let nul = try #require(failure(Array("\u{FEFF}é: ".utf8) + [0x00]))
        #expect(nul.location == SourceLocation(file: "t.yaml", line: 1, column: 4), "a BOM takes no column; é takes one")
    }

    @Test func unclosedQuoteNotesWhereItBegan() throws {
        let error = try #require(failure("a: 1\nb: \"open\nc: 2\n"))
        #expect(error.code == .yamlSyntax)
        #expect(error.location == SourceLocation(file: "t.yaml", line: 4, column: 1))
        #expect(error.notes.first?.location == SourceLocation(file: "t.yaml", line: 2, column: 4))
    }

    @Test func duplicateKeyMessagesEscapeControlCharacters() throws {
        let error = try #require(failure("\"a\\e[2Jb\": 1\n\"a\\e[2Jb\": 2\n"))
        #expect(error.code == .yamlDuplicateKey)
        #expect(error.message == "duplicate key 'a\\u{1B}[2Jb'")
    }
}

/// The unlocated UTF-8 check (eight ASCII bytes at a time) judges every text as the located
/// walk does, wherever the bad byte falls against the eight-byte steps.
@Suite struct EncodingFastPathTests {
    static let sequences: [[UInt8]] = [
        [], [0x41], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80],  // valid
        [0x80], [0xC0, 0xAF], [0xC3], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],  // invalid
        [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xFF],
    ]

    @Test(arguments: 0..<10)
    func fastCheckAgreesWithTheLocatedWalk(prefixLength: Int) {
        for sequence in Self.sequences {
            for suffix in [[UInt8](), Array("tail of ascii".utf8)] {
                let bytes = Array(repeating: UInt8(ascii: "a"), count: prefixLength) + sequence + suffix
                let source = SourceFile(path: "t.yaml", bytes: bytes)
                #expect(EncodingCheck.isValidUTF8(bytes) == (EncodingCheck.locatedProblem(in: source) == nil), "\(bytes)")
            }
        }
    }
}
