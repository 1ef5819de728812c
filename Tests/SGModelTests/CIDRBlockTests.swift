import Testing

@testable import SGModel

/// CIDRBlock: what it accepts, the one text it prints for each network, and the address
/// arithmetic every verdict rests on (containment, overlap, sizes, intervals), at the edges of
/// both families.
@Suite struct CIDRBlockTests {
    static func block(_ text: String) -> CIDRBlock { try! CIDRBlock.parse(text).get() }

    // MARK: - Parsing

    @Test(arguments: [
        ("0.0.0.0/0", "0.0.0.0/0"), ("10.0.0.0/8", "10.0.0.0/8"), ("192.168.1.0/24", "192.168.1.0/24"),
        ("255.255.255.255/32", "255.255.255.255/32"), ("100.64.0.0/10", "100.64.0.0/10"),
        ("::/0", "::/0"), ("::1/128", "::1/128"), ("2001:DB8::/32", "2001:db8::/32"),
        ("2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32"),
        ("fe80::/10", "fe80::/10"), ("::ffff:10.0.0.0/104", "::ffff:a00:0/104"),
        ("64:ff9b::192.0.2.0/120", "64:ff9b::c000:200/120"), ("1:2:3:4:5:6:7::/128", "1:2:3:4:5:6:7:0/128"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
    ])
    func acceptsNetworksAndPrintsThemCanonically(text: String, canonical: String) throws {
        let parsed = try CIDRBlock.parse(text).get()
        #expect(parsed.description == canonical)
        #expect(try CIDRBlock.parse(canonical).get() == parsed, "the canonical text reads back as the same block")
    }

    @Test(arguments: [
        // No prefix, empty prefix, too long or not decimal.
        "10.0.0.0", "10.0.0.0/", "/8", "10.0.0.0/0008", "10.0.0.0/+8", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8",
        // IPv4 octets: leading zeros (octal to some tools), out of range, wrong count, empty.
        "010.0.0.0/8", "10.00.0.0/16", "256.0.0.0/8", "10.0.0/8", "10.0.0.0.0/8", "10..0.0/8", " 10.0.0.0/8", "1e1.0.0.0/8",
        // IPv6: two gaps, a group too long or not hex, too many groups, a stray colon, an IPv4
        // tail that is not last, a bare address, too long.
        "2001:db8::1::/64", ":::/0", "12345::/16", "g::/16", "1:2:3:4:5:6:7:8:9/128", "1::2:3:4:5:6:7:8/128",
        ":1::/16", "1:/16", "1:2:3:4:5:6:7/112", "::1.2.3.4:5/128", "::1.2.3/128", "2001:db8::",
        "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000/0",
        "", "not a cidr",
    ])
    func rejectsWhatIsNotACIDRBlock(text: String) {
        guard case .failure(.malformed(let echoed)) = CIDRBlock.parse(text) else {
            Issue.record("'\(text)' was not reported as malformed: \(CIDRBlock.parse(text))")
            return
        }
        #expect(echoed == text)
    }

    @Test(arguments: [
        ("10.0.0.0/33", CIDRBlock.ParseError.prefixOutOfRange(prefix: 33, max: 32)),
        ("10.0.0.0/999", .prefixOutOfRange(prefix: 999, max: 32)),
        ("::/129", .prefixOutOfRange(prefix: 129, max: 128)),
        ("10.0.0.1/8", .hostBitsSet(suggestion: "10.0.0.0/8")),
        ("192.168.1.1/0", .hostBitsSet(suggestion: "0.0.0.0/0")),
        ("10.0.0.129/25", .hostBitsSet(suggestion: "10.0.0.128/25")),
        ("2001:db8::1/32", .hostBitsSet(suggestion: "2001:db8::/32")),
        ("2001:db8:0:0:8000::/64", .hostBitsSet(suggestion: "2001:db8::/64")),
        ("::1/127", .hostBitsSet(suggestion: "::/127")),
    ])
    func namesPrefixAndHostBitProblems(text: String, expected: CIDRBlock.ParseError) {
        #expect(CIDRBlock.parse(text) == .failure(expected))
    }

    @Test func errorTextsSayWhatToWrite() {
        #expect(CIDRBlock.ParseError.malformed("x").description == "'x' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32)")
        #expect(CIDRBlock.ParseError.prefixOutOfRange(prefix: 33, max: 32).description == "prefix length /33 is out of range 0-32")
        #expect(CIDRBlock.ParseError.hostBitsSet(suggestion: "10.0.0.0/8").description == "host bits are set; the network is 10.0.0.0/8")
    }

    // MARK: - Canonical IPv6 text (RFC 5952)

    @Test(arguments: [
        ("2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128"),   // one zero group is not compressed
        ("2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128"),           // the longest run
        ("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"),     // the first of equal runs
        ("0:0:0:0:0:0:0:1/128", "::1/128"),
        ("1:0:0:0:0:0:0:0/16", "1::/16"),
        ("1:0:0:0:0:0:0:2/128", "1::2/128"),
        ("ABCD:EF01::/32", "abcd:ef01::/32"),
        ("0:0:0:0:0:0:0:0/0", "::/0"),
    ])
    func ipv6IsPrintedInRFC5952Form(text: String, canonical: String) {
        #expect(Self.block(text).description == canonical)
    }

    @Test func spellingsOfOneNetworkAreOneValue() {
        let spellings = ["2001:db8::/32", "2001:DB8::/32", "2001:0db8::/32", "2001:db8:0:0::/32", "2001:db8:0:0:0:0:0:0/32"]
        #expect(Set(spellings.map(Self.block)).count == 1)
        #expect(Self.block("10.0.0.0/8") != Self.block("10.0.0.0/9"), "the prefix is part of the value")
        #expect(Self.block("::/0") != Self.block("0.0.0.0/0"), "so is the family")
        #expect(Self.block("::ffff:0.0.0.0/96") != Self.block("0.0.0.0/0"))
    }

    // MARK: - Building from bits

    @Test func buildingClearsHostBitsAtEveryPrefixBoundary() {
        let ones = UInt64.max
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 0) == .anyIPv6)
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 1).description == "8000::/1")
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 63).description == "ffff:ffff:ffff:fffe::/63")
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 64).description == "ffff:ffff:ffff:ffff::/64")
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 65).description == "ffff:ffff:ffff:ffff:8000::/65")
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 127).description == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127")
        #expect(CIDRBlock(family: .ipv6, high: ones, low: ones, prefixLength: 128).low == ones)
        #expect(CIDRBlock.ipv4(0xFFFF_FFFF, prefix: 0) == .anyIPv4)
        #expect(CIDRBlock.ipv4(0xFFFF_FFFF, prefix: 31).description == "255.255.255.254/31")
        #expect(CIDRBlock.ipv4(0xFFFF_FFFF, prefix: 32).description == "255.255.255.255/32")
        #expect(CIDRBlock.ipv4(0x0A01_0203, prefix: 16).description == "10.1.0.0/16")
        // IPv4 keeps to the low 32 bits whatever it is given.
        #expect(CIDRBlock(family: .ipv4, high: ones, low: ones, prefixLength: 8).description == "255.0.0.0/8")
    }

    // MARK: - Arithmetic

    @Test(arguments: [
        ("10.0.0.0/8", "10.1.0.0/16", true), ("10.0.0.0/8", "10.0.0.0/8", true), ("10.0.0.0/8", "11.0.0.0/16", false),
        ("10.1.0.0/16", "10.0.0.0/8", false), ("0.0.0.0/0", "255.255.255.255/32", true), ("0.0.0.0/0", "::/0", false),
        ("::/0", "0.0.0.0/0", false), ("::/0", "2001:db8::/32", true), ("2001:db8::/32", "2001:db8:ffff:ffff::/64", true),
        ("2001:db8::/32", "2001:db9::/32", false), ("2001:db8::/64", "2001:db8::1/128", true),
        ("2001:db8::/64", "2001:db8:0:1::/64", false), ("8000::/1", "ffff::/16", true), ("8000::/1", "7fff::/16", false),
    ])
    func containment(outer: String, inner: String, contains: Bool) {
        let a = Self.block(outer), b = Self.block(inner)
        #expect(a.contains(b) == contains)
        // Blocks overlap exactly when one holds the other.
        #expect(a.overlaps(b) == (a.contains(b) || b.contains(a)))
        #expect(a.overlaps(b) == b.overlaps(a))
    }

    @Test func sizesAndFamilies() {
        #expect(Self.block("10.0.0.0/8").sizeLog2 == 24)
        #expect(Self.block("10.0.0.0/8").addressBits == 32)
        #expect(Self.block("2001:db8::/32").sizeLog2 == 96)
        #expect(Self.block("::1/128").sizeLog2 == 0)
        #expect(Self.block("0.0.0.0/0").isEntireFamily && Self.block("::/0").isEntireFamily)
        #expect(!Self.block("0.0.0.0/1").isEntireFamily)
    }

    @Test func orderIsFamilyThenAddressThenPrefix() {
        let sorted = ["2001:db8::/32", "10.0.0.0/16", "::/0", "10.0.0.0/8", "9.255.255.255/32", "0.0.0.0/0"].map(Self.block).sorted()
        #expect(sorted.map(\.description) == ["0.0.0.0/0", "9.255.255.255/32", "10.0.0.0/8", "10.0.0.0/16", "::/0", "2001:db8::/32"])
    }

    @Test(arguments: [
        ("10.0.0.0/24", (0, 0x0A00_0000), (0, 0x0A00_00FF)),
        ("255.255.255.255/32", (0, 0xFFFF_FFFF), (0, 0xFFFF_FFFF)),
        ("0.0.0.0/0", (0, 0), (0, 0xFFFF_FFFF)),
        ("::/0", (0, 0), (UInt64.max, UInt64.max)),
        ("2001:db8::/64", (0x2001_0DB8_0000_0000, 0), (0x2001_0DB8_0000_0000, UInt64.max)),
        ("2001:db8::/63", (0x2001_0DB8_0000_0000, 0), (0x2001_0DB8_0000_0001, UInt64.max)),
        ("2001:db8::/65", (0x2001_0DB8_0000_0000, 0), (0x2001_0DB8_0000_0000, 0x7FFF_FFFF_FFFF_FFFF)),
        ("::1/128", (0, 1), (0, 1)),
    ] as [(String, (UInt64, UInt64), (UInt64, UInt64))])
    func intervalsRunFromTheNetworkToItsLastAddress(text: String, lower: (UInt64, UInt64), upper: (UInt64, UInt64)) {
        let range = AddressRange(Self.block(text))
        #expect(range.lower == Address128(high: lower.0, low: lower.1))
        #expect(range.upper == Address128(high: upper.0, low: upper.1))
    }

    @Test func addressStepsCarryAcrossTheHalvesAndStopAtTheEnds() {
        #expect(Address128(high: 0, low: .max).successor == Address128(high: 1, low: 0))
        #expect(Address128(high: 1, low: 0).predecessor == Address128(high: 0, low: .max))
        #expect(Address128(high: .max, low: .max).successor == nil)
        #expect(Address128.zero.predecessor == nil)
        #expect(Address128(high: 0, low: 5) < Address128(high: 1, low: 0))
    }

    @Test func intervalsIntersectAndContainAsSets() {
        let a = AddressRange(Self.block("10.0.0.0/16")), b = AddressRange(Self.block("10.0.128.0/17")), c = AddressRange(Self.block("10.1.0.0/16"))
        #expect(a.intersection(b) == b)
        #expect(a.intersection(c) == nil)
        #expect(a.contains(b) && !b.contains(a))
        // Adjacent ranges merge; the top of the IPv6 space has no successor and still merges.
        var ranges = [AddressRange(Self.block("ffff::/16")), AddressRange(Self.block("fffe::/16")), AddressRange(Self.block("::/1"))]
        AddressRange.mergeSorted(&ranges)
        #expect(ranges == [AddressRange(Self.block("::/1")), AddressRange(Self.block("fffe::/15"))])
    }
}
