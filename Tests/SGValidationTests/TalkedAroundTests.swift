import SGDiagnostics
import SGFindings
import SGModel
import Testing
@testable import SGValidation

/// Attempts to talk the verdict down, as a careless or a motivated author would: each one must
/// get the verdict of what it really opens.
@Suite("The verdict cannot be talked around")
struct TalkedAroundTests {
    /// Peers that open as much of the internet as a /0, however they are spelt.
    static let worldEquivalents = [
        "0.0.0.0/1", "128.0.0.0/1", "11.0.0.0/9", "10.0.0.0/7", "172.0.0.0/8", "2000::/3", "::/1", "2600::/12",
        "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::ffff:0:0/96",
    ]
    /// Traffic of every row of the table: database, admin, application, other, web, ranges, all, ICMP, portless.
    static let traffic = [
        "tcp 5432", "tcp 22", "udp 3389", "tcp 8080", "tcp 25", "tcp 443", "tcp 80", "tcp 5000-6000", "tcp 1-65535", "all all",
        "icmp any", "47 all", "132 all",
    ]

    private func severity(_ direction: String, _ traffic: String, _ peer: String, isPublic: Bool) -> (String, RiskLevel)? {
        let words = traffic.split(separator: " ")
        let preposition = direction == "ingress" ? "from" : "to"
        let result = validate([tier("t", line: 3, isPublic: isPublic, ["\(direction) \(words[0]) \(words[1]) \(preposition) \(peer)"])])
        return result.findings.first { $0.type != "exposure-path" }.map { ($0.id, $0.severity) }
    }

    @Test("a world-equivalent peer gets exactly the /0 verdict, in both directions, for every row of the table", arguments: worldEquivalents)
    func worldEquivalentIsTheWorld(_ peer: String) throws {
        for direction in ["ingress", "egress"] {
            for traffic in Self.traffic {
                for isPublic in [false, true] {
                    let zero = peer.contains(":") ? "::/0" : "0.0.0.0/0"
                    let world = try #require(severity(direction, traffic, zero, isPublic: isPublic))
                    let spelt = try #require(severity(direction, traffic, peer, isPublic: isPublic), "\(direction) \(traffic) \(peer): no finding")
                    #expect(spelt.0 == world.0 && spelt.1 == world.1, "\(direction) \(traffic) \(peer) public=\(isPublic): \(spelt) vs /0 \(world)")
                }
            }
        }
    }

    @Test("a wide public peer never rates above the /0 form, in both directions", arguments: ["11.0.0.0/10", "198.51.0.0/16", "2a00:1450::/40", "64:ff9b::b00:0/106"])
    func wideIsNeverWorseThanTheWorld(_ peer: String) throws {
        for direction in ["ingress", "egress"] {
            for traffic in Self.traffic {
                for isPublic in [false, true] {
                    let zero = peer.contains(":") && !peer.hasPrefix("64:ff9b") ? "::/0" : "0.0.0.0/0"
                    let world = try #require(severity(direction, traffic, zero, isPublic: isPublic))
                    let wide = try #require(severity(direction, traffic, peer, isPublic: isPublic), "\(direction) \(traffic) \(peer): no finding")
                    #expect(wide.1 <= world.1, "\(direction) \(traffic) \(peer): \(wide) above \(world)")
                    #expect([FindingKind.publicWideCIDR.id, FindingKind.egressPublicWide.id].contains(wide.0))
                }
            }
        }
    }

    @Test("the 31 blocks of 'every public IPv4 range', one rule each on 5432, are CRITICAL; only the reserved 240.0.0.0/4, which matches nothing, is LOW")
    func thirtyOnePublicBlocks() {
        let blocks = ipv4Blocks(excluding: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4"])
        #expect(blocks.count == 31)
        let result = validate([tier("db", line: 3, blocks.map { "ingress tcp 5432 from \($0)" })])
        #expect(result.failing(at: .critical).count >= 1)
        #expect(result.assessments.count == 31)
        #expect(result.assessments.filter { $0.risk < .high }.map(\.rule.peer.description) == ["240.0.0.0/4"])
        #expect(result.findings.allSatisfy { $0.id == "SG-WORLD-DB" || $0.id == "SG-PUBLIC-WIDE-CIDR" })
    }

    @Test("halves over GRE, SCTP and an unnamed protocol number are the world for that protocol", arguments: ["47", "132", "253"])
    func splitOverProtocolNumbers(_ number: String) {
        let result = validate([tier("t", line: 3, ["ingress \(number) all from 11.0.0.0/10", "ingress \(number) all from 11.64.0.0/10"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-PORT"])
        #expect(result.findings.first?.severity == .high)
    }

    @Test("mixed IPv4 and IPv6 halves: 0.0.0.0/1 for the low half, NAT64 and 6to4 for the rest")
    func mixedFamilies() {
        // Each piece alone is a /10's worth: wide. Together, through the prefixes that embed IPv4, the world.
        let result = validate([tier("db", line: 3, [
            "ingress tcp 5432 from 11.0.0.0/10", "ingress tcp 5432 from 64:ff9b::b40:0/106",
        ])])
        #expect(result.findings.map { "\($0.id) \($0.severity)" } == ["SG-WORLD-DB critical"])
        let sixToFour = validate([tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/10", "ingress tcp 5432 from 2002:b40::/26"])])
        #expect(sixToFour.findings.map(\.id) == ["SG-WORLD-DB"])
    }

    @Test("egress to the world in disguise is egress to the world")
    func egressDisguises() {
        for peer in ["0.0.0.0/1", "2000::/3", "64:ff9b::/96", "::ffff:0:0/96", "2001::/32"] {
            let result = validate([tier("app", line: 3, ["egress all all to \(peer)"])])
            #expect(result.findings.map { "\($0.id) \($0.severity)" } == ["SG-EGRESS-WORLD-ALL medium"], "\(peer)")
        }
    }

    @Test("a VPC on public space makes only itself internal: the /16 next to it is still wide public")
    func publicVPCDoesNotSwallowTheInternet() {
        let result = validate([tier("ops", line: 3, ["ingress tcp 22 from 52.94.0.0/16", "ingress tcp 22 from 52.94.0.0/15", "ingress tcp 22 from 0.0.0.0/0"])], vpc: "52.94.0.0/16")
        #expect(result.findings.map { "\($0.ruleText ?? "") \($0.id) \($0.severity)" } == [
            "ingress tcp/22 from 52.94.0.0/15 SG-PUBLIC-WIDE-CIDR high",
            "ingress tcp/22 from 0.0.0.0/0 SG-WORLD-ADMIN high",
        ])
        #expect(result.assessments[0].reason == "internal CIDR 52.94.0.0/16, inside the VPC 52.94.0.0/16")
    }

    @Test("documentation and reserved space open nothing, so it is neither world nor finding; a private /7 is no hiding place")
    func specialSpace() {
        let quiet = validate([tier("t", line: 3, ["ingress all all from 203.0.113.0/24", "ingress tcp 22 from 2001:db8::/32", "ingress tcp 22 from 240.0.0.0/4"])])
        #expect(quiet.findings.isEmpty)
        // 10.0.0.0/7 looks like a private range; half of it is 11.0.0.0/8.
        let disguised = validate([tier("t", line: 3, ["ingress tcp 5432 from 10.0.0.0/7"])])
        #expect(disguised.findings.map(\.id) == ["SG-WORLD-DB"])
    }

    @Test("least privilege inside the network is never SAFE and never 'preferred'")
    func insideIsNeverPreferred() {
        let result = validate([
            tier("app", line: 3, ["ingress all all from tier:web", "ingress tcp 1024-65535 from tier:web", "ingress tcp 22 from 10.0.0.0/8"]),
            tier("web", line: 10, ["egress all all to tier:app", "egress all all to tier:web"]),
        ], vpc: "10.0.0.0/16")
        #expect(result.assessments.count == 5)
        #expect(result.assessments.allSatisfy { !$0.isPreferred && !$0.findingIDs.isEmpty && ($0.risk == .low || $0.risk == .medium) })
    }
}

/// IPv4 outside `excluded`, decomposed into the largest aligned CIDR blocks.
func ipv4Blocks(excluding excluded: [String]) -> [CIDRBlock] {
    let holes = excluded.map { try! CIDRBlock.parse($0).get() }
        .map { (lower: $0.low, upper: $0.low + (UInt64(1) << UInt64($0.sizeLog2)) - 1) }.sorted { $0.lower < $1.lower }
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
