import SGModel
import Testing
@testable import SGValidation

/// Patterns that checkov and cfn_nag miss (they look at the first port or only at 0.0.0.0/0).
@Suite("What the anchors miss")
struct AnchorMissTests {
    @Test("a range hiding 5432 is a database exposure naming PostgreSQL")
    func rangeHidingPostgreSQL() throws {
        let result = validate([tier("api", line: 3, ["ingress tcp 5000-6000 from 0.0.0.0/0"])])
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.id == "SG-WORLD-DB")
        #expect(finding.severity == .critical)
        #expect(finding.location.description == "scenarios/test.yaml:4:40")
        #expect(finding.description == "tcp port range 5000-6000 includes 5432 PostgreSQL and is open to 0.0.0.0/0 (every IPv4 address); a database must never be reachable from the internet")
        #expect(finding.ruleText == "ingress tcp/5000-6000 from 0.0.0.0/0")
        #expect(finding.fingerprint == FindingFingerprint.make(findingID: "SG-WORLD-DB", tier: "api", subject: "ingress tcp/5000-6000 from 0.0.0.0/0"))
    }

    @Test("protocol -1 from the world is all traffic")
    func minusOneIsAllTraffic() throws {
        let minusOne = IPProtocol(text: "-1")
        #expect(minusOne == .all)
        let result = validate([tier("web", line: 3, ["ingress -1 all from 0.0.0.0/0"])])
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.id) == ["SG-WORLD-ALL"])
        #expect(finding.severity == .critical)
        #expect(finding.ruleText == "ingress all traffic from 0.0.0.0/0")
    }

    @Test("tcp 0-65535 from the world is all traffic, not the first port")
    func fullRangeIsAllTraffic() {
        let result = validate([tier("web", line: 3, ["ingress tcp 0-65535 from 0.0.0.0/0"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-ALL"])
        #expect(result.findings.first?.description.contains("tcp port range 0-65535 covers every port, including 1433 Microsoft SQL Server,") == true)
    }

    @Test("MongoDB open only to ::/0 is as critical as to 0.0.0.0/0")
    func ipv6OnlyMongoDB() throws {
        let result = validate([tier("docs", line: 3, ["ingress tcp 27017 from ::/0"])])
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.id == "SG-WORLD-DB")
        #expect(finding.severity == .critical)
        #expect(finding.description.hasPrefix("tcp port 27017 (MongoDB) is open to ::/0 (every IPv6 address)"))
    }

    @Test("0.0.0.0/1 + 128.0.0.0/1: each half is world-equivalent on its own, so each is the world")
    func halvesOfIPv4() throws {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 128.0.0.0/1", "ingress tcp 5432 from 0.0.0.0/1"])])
        // One finding per rule, each anchored at its own peer, and no union restating them.
        #expect(result.findings.map(\.id) == ["SG-WORLD-DB", "SG-WORLD-DB"])
        #expect(result.findings.map(\.severity) == [.critical, .critical])
        #expect(result.findings.map(\.location.description) == ["scenarios/test.yaml:4:40", "scenarios/test.yaml:5:40"])
        #expect(result.findings.map(\.ruleText) == ["ingress tcp/5432 from 128.0.0.0/1", "ingress tcp/5432 from 0.0.0.0/1"])
        #expect(result.findings[1].description == "tcp port 5432 (PostgreSQL) is open to 0.0.0.0/1, which reaches 56.5% of public IPv4 addresses (2,092,957,696); a database must never be reachable from the internet")
        #expect(result.assessments.map(\.risk) == [.critical, .critical])
    }
}

/// Unions of a tier's public peers, per protocol and port set: pieces below world-equivalent that
/// add up to it, and narrow blocks that add up to a wide allowlist.
@Suite("Unions of peers")
struct PeerUnionTests {
    @Test("two /10s on 5432 are the world together: one finding for the set, no wide-CIDR noise for its pieces")
    func twoSlashTens() throws {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 11.64.0.0/10", "ingress tcp 5432 from 11.0.0.0/10"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-DB"])
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        #expect(finding.location.description == "scenarios/test.yaml:4:40")  // the first CIDR written
        #expect(finding.ruleText == "ingress tcp/5432 from 11.0.0.0/10 + 11.64.0.0/10")
        #expect(finding.description == "tcp port 5432 (PostgreSQL) is open to 11.0.0.0/10 + 11.64.0.0/10, which together reach 0.2% of public IPv4 addresses (8,388,608); a database must never be reachable from the internet")
        #expect(finding.memberRules?.count == 2)
        // Both pieces carry the union's finding in their assessments.
        #expect(result.assessments.map(\.risk) == [.critical, .critical])
        #expect(result.assessments.allSatisfy { $0.findingIDs == ["SG-WORLD-DB"] })
    }

    @Test("one /10 alone is wide public: HIGH for a database port, not the world")
    func oneSlashTen() {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/10"])])
        #expect(result.findings.map { "\($0.id) \($0.severity)" } == ["SG-PUBLIC-WIDE-CIDR high"])
    }

    @Test("only the ports all pieces share count as the world")
    func sharedPortsOnly() throws {
        let result = validate([tier("ops", line: 3, ["ingress tcp 20-30 from 11.0.0.0/10", "ingress tcp 22 from 11.64.0.0/10"])])
        let world = result.findings.filter { $0.type == "world-exposure" }
        #expect(world.map(\.id) == ["SG-WORLD-ADMIN"])
        #expect(world.first?.ruleText == "ingress tcp/22 from 11.0.0.0/10 + 11.64.0.0/10")
    }

    @Test("different protocols do not combine; protocol all combines with each")
    func protocolsCombine() {
        let tcpAndUDP = validate([tier("dns", line: 3, ["ingress tcp 53 from 11.0.0.0/10", "ingress udp 53 from 11.64.0.0/10"])])
        #expect(!tcpAndUDP.findings.contains { $0.type == "world-exposure" })
        let allAndTCP = validate([tier("dns", line: 3, ["ingress all all from 11.0.0.0/10", "ingress tcp 53 from 11.64.0.0/10"])])
        #expect(allAndTCP.findings.filter { $0.type == "world-exposure" }.map(\.ruleText) == ["ingress tcp/53 from 11.0.0.0/10 + 11.64.0.0/10"])
    }

    @Test("protocol-all pieces are one SG-WORLD-ALL")
    func allProtocolPieces() {
        let result = validate([tier("web", line: 3, ["ingress all all from 11.0.0.0/10", "ingress all all from 11.64.0.0/10"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-ALL"])
        #expect(result.findings.first?.ruleText == "ingress all traffic from 11.0.0.0/10 + 11.64.0.0/10")
    }

    @Test("egress pieces are egress to the world")
    func egressUnion() {
        let result = validate([tier("app", line: 3, ["egress all all to 11.0.0.0/10", "egress all all to 11.64.0.0/10"])])
        #expect(result.findings.map(\.id) == ["SG-EGRESS-WORLD-ALL"])
        #expect(result.findings.first?.direction == .egress)
    }

    @Test("unions are computed per tier")
    func perTier() {
        let result = validate([tier("a", line: 3, ["ingress tcp 22 from 11.0.0.0/10"]), tier("b", line: 10, ["ingress tcp 22 from 11.64.0.0/10"])])
        #expect(!result.findings.contains { $0.id == "SG-WORLD-ADMIN" })
        #expect(result.findings.map(\.id) == ["SG-PUBLIC-WIDE-CIDR", "SG-PUBLIC-WIDE-CIDR"])
    }

    @Test("a gap means no union: the pieces stay wide")
    func gapIsNoUnion() {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/11", "ingress tcp 5432 from 11.64.0.0/11"])])
        #expect(!result.findings.contains { $0.type == "world-exposure" })
    }

    @Test("GRE split in two pieces is the world for GRE, and only for GRE")
    func greSplit() throws {
        let result = validate([tier("vpn", line: 3, ["ingress 47 all from 11.0.0.0/10", "ingress 47 all from 11.64.0.0/10", "ingress 132 all from 11.0.0.0/10"])])
        let world = try #require(result.findings.first { $0.type == "world-exposure" })
        #expect(world.id == "SG-WORLD-PORT")
        #expect(world.ruleText == "ingress 47 from 11.0.0.0/10 + 11.64.0.0/10")
        #expect(world.description.hasPrefix("all of protocol 47 is open to 11.0.0.0/10 + 11.64.0.0/10, which together reach"))
        // SCTP (132) has one piece: wide, not the world.
        #expect(result.findings.filter { $0.ruleText == "ingress 132 from 11.0.0.0/10" }.map(\.id) == ["SG-PUBLIC-WIDE-CIDR"])
    }

    @Test("ICMP pieces combine by type and code; a type-any piece covers specific types")
    func icmpPieces() {
        let result = validate([tier("web", line: 3, isPublic: true, [
            "ingress icmp 3/4 from 11.0.0.0/10", "ingress icmp any from 11.64.0.0/10", "ingress icmp 8/0 from 12.0.0.0/10",
        ])])
        let world = result.findings.filter { $0.id == "SG-WORLD-ICMP" }
        #expect(world.map(\.ruleText) == ["ingress icmp type 3 code 4 from 11.0.0.0/10 + 11.64.0.0/10", "ingress icmp type 8 code 0 from 11.64.0.0/10 + 12.0.0.0/10"])
    }

    @Test("IPv4 and NAT64 pieces combine: half over IPv4, the rest through 64:ff9b::/96")
    func mixedFamilies() throws {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/10", "ingress tcp 5432 from 64:ff9b::b40:0/106"])])
        let finding = try #require(result.findings.first)
        #expect(result.findings.map(\.id) == ["SG-WORLD-DB"])
        #expect(finding.ruleText == "ingress tcp/5432 from 11.0.0.0/10 + 64:ff9b::b40:0/106")
    }

    @Test("257 narrow /24s add up to a wide allowlist (quota raised); 3 /24s do not")
    func wideUnionOfNarrowBlocks() throws {
        let many = (0..<257).map { "ingress tcp 443 from 11.\($0 / 256).\($0 % 256).0/24" }
        let result = validate([tier("partner", line: 3, many)])
        let wide = try #require(result.findings.first)
        #expect(result.findings.map(\.id) == ["SG-PUBLIC-WIDE-CIDR"])
        #expect(wide.severity == .medium)
        #expect(wide.description.contains("narrow blocks which together reach 65,792 public IPv4 addresses (more than 256 sites)"))
        #expect(wide.memberRules?.count == 257)
        let few = validate([tier("partner", line: 3, ["ingress tcp 22 from 8.8.8.0/24", "ingress tcp 22 from 8.8.9.0/24", "ingress tcp 22 from 1.1.1.0/24"])])
        #expect(few.findings.isEmpty)
    }
}
