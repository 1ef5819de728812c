import SGModel
import Testing

private func block(_ text: String) -> CIDRBlock { try! CIDRBlock.parse(text).get() }
private func reach(_ text: String, space: PublicAddressSpace = .standard) -> PublicReach { space.reach(of: block(text)) }

/// IPv4 outside `excluded`, decomposed into the largest aligned CIDR blocks. Without RFC 1918 and
/// multicast that is the well-known 31-block "every public IPv4 range" list (VPN AllowedIPs);
/// without the whole special-purpose table, 103 blocks.
func ipv4Blocks(excluding excluded: [CIDRBlock]) -> [CIDRBlock] {
    var holes = excluded.map { (lower: $0.low, upper: $0.low + (UInt64(1) << UInt64($0.sizeLog2)) - 1) }
    holes.sort { $0.lower < $1.lower }
    var blocks: [CIDRBlock] = []
    var cursor: UInt64 = 0
    func cover(_ lower: UInt64, _ upper: UInt64) {
        var start = lower
        while start <= upper {
            var size = 32
            while size > 0 {
                let span = UInt64(1) << UInt64(size)
                if start % span == 0, start + span - 1 <= upper { break }
                size -= 1
            }
            blocks.append(.ipv4(UInt32(start), prefix: 32 - size))
            start += UInt64(1) << UInt64(size)
        }
    }
    for hole in holes {
        if hole.lower > cursor { cover(cursor, hole.lower - 1) }
        cursor = max(cursor, hole.upper + 1)
    }
    if cursor <= 0xFFFF_FFFF { cover(cursor, 0xFFFF_FFFF) }
    return blocks
}

@Suite("Public address space")
struct PublicAddressSpaceTests {
    @Test("public IPv4 is 2^32 minus the special-purpose table, and 2000::/3 minus its special ranges")
    func totals() {
        let space = PublicAddressSpace.standard
        #expect(space.totalIPv4 == AddressCount(low: 3_702_258_688))
        // 2^125 minus Teredo /32, benchmarking /48, documentation /32, 6to4 /16 and documentation /20.
        let holes = AddressCount.power(96) + .power(80) + .power(96) + .power(112) + .power(108)
        #expect(space.totalIPv6 + holes == AddressCount.power(125))
    }

    @Test("the special tables are sorted and disjoint")
    func tablesAreDisjoint() {
        for table in [PublicAddressSpace.ipv4Special, PublicAddressSpace.ipv6Special] {
            for (a, b) in zip(table, table.dropFirst()) {
                #expect(a.block < b.block, "\(a.block) before \(b.block)")
                #expect(!a.block.overlaps(b.block), "\(a.block) overlaps \(b.block)")
            }
        }
    }

    @Test("near-world IPv4 blocks are counted by public addresses, not by prefix", arguments: [
        ("0.0.0.0/0", UInt64(3_702_258_688), Exposure.worldEquivalent),
        ("0.0.0.0/1", 2_092_957_696, .worldEquivalent),        // minus 0/8, 10/8, 100.64/10, 127/8
        ("128.0.0.0/1", 1_609_300_992, .worldEquivalent),
        ("11.0.0.0/9", 8_388_608, .worldEquivalent),           // a whole public /9 is 2^23: the threshold
        ("10.0.0.0/7", 16_777_216, .worldEquivalent),          // looks private, half of it is 11/8
        ("172.0.0.0/8", 15_728_640, .worldEquivalent),         // 172.16/12 inside is private
        ("11.0.0.0/10", 4_194_304, .widePublic),
        ("198.51.0.0/16", 65_280, .widePublic),                // minus TEST-NET-2
        ("8.8.8.0/23", 512, .widePublic),
        ("8.8.8.0/24", 256, .narrowPublic),
        ("8.8.8.8/32", 1, .narrowPublic),
        ("10.0.0.0/8", 0, .internal),
        ("100.64.0.0/10", 0, .internal),
        ("203.0.113.0/24", 0, .internal),
        ("224.0.0.0/3", 0, .internal),                         // multicast and reserved
    ])
    func ipv4(_ text: String, _ count: UInt64, _ exposure: Exposure) {
        let result = reach(text)
        #expect(result.ipv4 == AddressCount(low: count))
        #expect(result.ipv6 == .zero)
        #expect(result.exposure == exposure)
    }

    @Test("IPv6: only global unicast is public, and disguised prefixes reach the IPv4 hosts they embed", arguments: [
        ("::/0", Exposure.worldEquivalent, true, true),
        ("2000::/3", .worldEquivalent, true, true),            // global unicast, and Teredo + 6to4 inside it
        ("2600::/12", .worldEquivalent, false, false),
        ("2a00:1450::/40", .widePublic, false, false),
        ("2a00:1450:4001::/48", .narrowPublic, false, false),
        ("64:ff9b::/96", .worldEquivalent, true, false),       // NAT64 (RFC 6052) wraps 0.0.0.0/0
        ("64:ff9b:1::/48", .worldEquivalent, true, false),     // NAT64 local use (RFC 8215)
        ("2002::/16", .worldEquivalent, true, false),          // 6to4 (RFC 3056)
        ("2001::/32", .worldEquivalent, true, false),          // Teredo (RFC 4380)
        ("::ffff:0:0/96", .worldEquivalent, true, false),      // IPv4-mapped
        ("2001:db8::/32", .internal, false, false),
        ("3fff::/20", .internal, false, false),
        ("fc00::/7", .internal, false, false),
        ("4000::/2", .internal, false, false),                 // reserved by the IETF
    ])
    func ipv6(_ text: String, _ exposure: Exposure, _ everyIPv4: Bool, _ everyIPv6: Bool) {
        let result = reach(text)
        #expect(result.exposure == exposure)
        #expect((result.ipv4 == PublicAddressSpace.standard.totalIPv4) == everyIPv4)
        #expect((result.ipv6 == PublicAddressSpace.standard.totalIPv6) == everyIPv6)
    }

    @Test("a block inside a disguise reaches exactly the IPv4 block it embeds", arguments: [
        ("64:ff9b::808:800/120", UInt64(256)),          // 8.8.8.0/24
        ("64:ff9b::a00:0/104", 0),                      // 10.0.0.0/8: private, nothing public
        ("64:ff9b::b00:0/104", 16_777_216),             // 11.0.0.0/8
        ("2002:808:808::/48", 1),                       // the 6to4 site behind 8.8.8.8
        ("2002:a00::/24", 0),                           // 6to4 sites behind 10.0.0.0/8
        ("2002:b00::/24", 16_777_216),                  // behind 11.0.0.0/8
        ("2001:0:1:2:3:4:f7f7:f7f7/128", 1),            // Teredo client 8.8.8.8 (inverted)
        ("2001:0:1:2::/64", 3_702_258_688),             // every client of one Teredo server
        ("::ffff:808:808/128", 1),
    ])
    func embedded(_ text: String, _ count: UInt64) {
        #expect(reach(text).ipv4 == AddressCount(low: count))
        #expect(reach(text).ipv6 == .zero)
    }

    @Test("the 31 blocks of 'every public IPv4 range', and the exact 103-block complement, reach every public address")
    func publicBlockLists() {
        let space = PublicAddressSpace.standard
        let common = ipv4Blocks(excluding: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4"].map(block))
        #expect(common.count == 31)
        #expect(space.reach(of: common).ipv4 == space.totalIPv4)
        #expect(space.reach(of: common).exposure == .worldEquivalent)
        let exact = ipv4Blocks(excluding: PublicAddressSpace.ipv4Special.map(\.block))
        #expect(exact.count == 103)
        #expect(space.reach(of: exact).ipv4 == space.totalIPv4)
        #expect(exact.allSatisfy { space.reach(of: $0).ipv4 == AddressCount(low: UInt64(1) << UInt64($0.sizeLog2)) })
    }

    @Test("unions count overlaps once and add embedded IPv4 to the IPv4 side")
    func unions() {
        let space = PublicAddressSpace.standard
        #expect(space.reach(of: [block("11.0.0.0/10"), block("11.0.0.0/10"), block("11.0.0.0/11")]).ipv4 == AddressCount(low: 4_194_304))
        let halves = space.reach(of: [block("11.0.0.0/10"), block("11.64.0.0/10")])
        #expect(halves.ipv4 == AddressCount(low: 8_388_608))
        #expect(halves.exposure == .worldEquivalent)
        // 0.0.0.0/1 over IPv4, the other half through NAT64: every public IPv4 address.
        let mixed = space.reach(of: [block("0.0.0.0/1"), block("64:ff9b::8000:0/97")])
        #expect(mixed.ipv4 == space.totalIPv4)
        // 257 narrow /24s of one /16 are a wide union; 256 are not.
        let slash24s = (0..<257).map { CIDRBlock.ipv4(UInt32(0x0B00_0000 + $0 * 256), prefix: 24) }
        #expect(space.reach(of: slash24s).isWideUnion)
        #expect(!space.reach(of: Array(slash24s.prefix(256))).isWideUnion)
    }

    @Test("a VPC built on public space is internal, and only the VPC")
    func publicVPC() {
        let space = PublicAddressSpace(treatingAsInternal: block("52.0.0.0/16"))
        #expect(space.reach(of: block("52.0.0.0/16")).exposure == .internal)
        #expect(space.reach(of: block("52.0.0.0/15")).ipv4 == AddressCount(low: 65_536))
        #expect(space.totalIPv4 == AddressCount(low: 3_702_258_688 - 65_536))
        #expect(space.holdsHosts(block("52.0.1.0/24")))
        #expect(!PublicAddressSpace.standard.holdsHosts(block("203.0.113.0/24")))
        #expect(PublicAddressSpace.standard.holdsHosts(block("10.0.0.0/8")))
    }

    @Test("special ranges are named with their references")
    func names() {
        #expect(PublicAddressSpace.specialRange(containing: block("10.1.0.0/16"))?.label == "private-use (RFC 1918)")
        #expect(PublicAddressSpace.specialRange(containing: block("64:ff9b::/96"))?.label == "NAT64 well-known prefix (RFC 6052)")
        #expect(PublicAddressSpace.specialRange(containing: block("2002::/16"))?.reference == "RFC 3056")
        #expect(PublicAddressSpace.specialRange(containing: block("8.8.8.0/24")) == nil)
    }
}

@Suite("Address arithmetic")
struct AddressArithmeticTests {
    @Test func countsPrintExactlyOrAsPowers() {
        #expect(AddressCount(low: 2_092_957_696).description == "2,092,957,696")
        #expect(AddressCount(low: 1).description == "1")
        #expect(AddressCount.power(80).description == "2^80")
        #expect((AddressCount.power(80) + AddressCount(low: 1)).description == "more than 2^80")
        #expect(AddressCount.between(Address128(high: 0, low: 0), Address128(high: 0, low: 255)) == AddressCount(low: 256))
        #expect(AddressCount.between(.zero, Address128(high: .max, low: .max)) == nil)  // 2^128 does not fit
        #expect(AddressCount(high: .max, low: .max).adding(AddressCount(low: 1)) == nil)
    }

    @Test func rangesMerge() {
        var ranges = [block("10.0.1.0/24"), block("10.0.0.0/24"), block("10.0.3.0/24"), block("10.0.0.0/23")].map(AddressRange.init)
        AddressRange.mergeSorted(&ranges)
        #expect(ranges == [AddressRange(block("10.0.0.0/23")), AddressRange(block("10.0.3.0/24"))])
    }
}

@Suite("Finding fingerprint")
struct FindingFingerprintTests {
    let key = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(block("0.0.0.0/0")))

    @Test func stableWellFormedAndDistinct() {
        let fingerprint = FindingFingerprint.make(findingID: "SG-WORLD-ADMIN", tier: "bastion", rule: key)
        #expect(fingerprint == FindingFingerprint.make(findingID: "SG-WORLD-ADMIN", tier: "bastion", subject: "ingress tcp/22 from 0.0.0.0/0"))
        #expect(FindingFingerprint.isWellFormed(fingerprint))
        #expect(fingerprint.count == 32)
        #expect(fingerprint != FindingFingerprint.make(findingID: "SG-WORLD-ADMIN", tier: "web", rule: key))
        #expect(fingerprint != FindingFingerprint.make(findingID: "SG-WORLD-APP", tier: "bastion", rule: key))
        // Fields are separated, so moving text between them changes the fingerprint.
        #expect(FindingFingerprint.make(findingID: "A", tier: "bc", subject: "") != FindingFingerprint.make(findingID: "Ab", tier: "c", subject: ""))
    }

    @Test("spellings of the same rule give the same fingerprint")
    func canonicalSpelling() {
        let spelt = RuleKey(
            direction: .ingress, ipProtocol: IPProtocol(text: "6")!, ports: .ports(PortRange(22, 22)),
            peer: .cidr(block("2001:DB8:0::/32")))
        let canonical = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(block("2001:db8::/32")))
        #expect(FindingFingerprint.make(findingID: "X", tier: "t", rule: spelt) == FindingFingerprint.make(findingID: "X", tier: "t", rule: canonical))
    }

    @Test func wellFormedness() {
        #expect(!FindingFingerprint.isWellFormed("ABCDEF0123456789abcdef0123456789"))
        #expect(!FindingFingerprint.isWellFormed("abc"))
        #expect(!FindingFingerprint.isWellFormed("SG-WORLD-ADMIN|bastion|ingress tcp/22 from 0.0.0.0/0"))
        #expect(FindingFingerprint.isWellFormed("0123456789abcdef0123456789abcdef"))
    }
}
