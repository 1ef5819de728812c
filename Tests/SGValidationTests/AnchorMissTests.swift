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
        #expect(finding.fingerprint == "SG-WORLD-DB|api|ingress tcp/5000-6000 from 0.0.0.0/0")
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

    @Test("0.0.0.0/1 + 128.0.0.0/1 together are the world")
    func halvesOfIPv4() throws {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 128.0.0.0/1", "ingress tcp 5432 from 0.0.0.0/1"])])
        // One finding for the set, and no separate "wide public CIDR" noise for its halves.
        #expect(result.findings.map(\.id) == ["SG-WORLD-DB"])
        let finding = try #require(result.findings.first)
        #expect(finding.severity == .critical)
        #expect(finding.location.description == "scenarios/test.yaml:4:40")  // the first CIDR written
        #expect(finding.ruleText == "ingress tcp/5432 from 0.0.0.0/1 + 128.0.0.0/1")
        #expect(finding.description == "tcp port 5432 (PostgreSQL) is open to 0.0.0.0/1 + 128.0.0.0/1, which together cover every IPv4 address; a database must never be reachable from the internet")
        // Both halves carry the coverage finding in their assessments.
        #expect(result.assessments.map(\.risk) == [.critical, .critical])
        #expect(result.assessments.allSatisfy { $0.findingIDs == ["SG-WORLD-DB"] })
    }
}

/// Coverage beyond the two halves: more pieces, IPv6, shared ports, egress.
@Suite("World coverage")
struct WorldCoverageTests {
    @Test("four /2 blocks in any order cover IPv4")
    func fourQuarters() {
        let result = validate([tier("bastion", line: 3, [
            "ingress tcp 22 from 192.0.0.0/2", "ingress tcp 22 from 64.0.0.0/2", "ingress tcp 22 from 0.0.0.0/2", "ingress tcp 22 from 128.0.0.0/2",
        ])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-ADMIN"])
        #expect(result.findings.first?.ruleText == "ingress tcp/22 from 0.0.0.0/2 + 64.0.0.0/2 + 128.0.0.0/2 + 192.0.0.0/2")
    }

    @Test("::/1 + 8000::/1 cover IPv6")
    func ipv6Halves() {
        let result = validate([tier("app", line: 3, ["ingress tcp 8443 from ::/1", "ingress tcp 8443 from 8000::/1"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-APP"])
        #expect(result.findings.first?.description.contains("::/1 + 8000::/1, which together cover every IPv6 address") == true)
    }

    @Test("a gap anywhere means no coverage")
    func gapIsNotCoverage() {
        let result = validate([tier("db", line: 3, ["ingress tcp 5432 from 0.0.0.0/1", "ingress tcp 5432 from 128.0.0.0/2", "ingress tcp 5432 from 224.0.0.0/3"])])
        #expect(!result.findings.contains { $0.type == "world-exposure" })
    }

    @Test("only the ports all pieces share count as the world")
    func sharedPortsOnly() throws {
        let result = validate([tier("ops", line: 3, ["ingress tcp 20-30 from 0.0.0.0/1", "ingress tcp 22 from 128.0.0.0/1"])])
        let world = result.findings.filter { $0.type == "world-exposure" }
        #expect(world.map(\.id) == ["SG-WORLD-ADMIN"])
        #expect(world.first?.ruleText == "ingress tcp/22 from 0.0.0.0/1 + 128.0.0.0/1")
    }

    @Test("different protocols do not combine; protocol all combines with each")
    func protocolsCombine() {
        let tcpAndUDP = validate([tier("dns", line: 3, ["ingress tcp 53 from 0.0.0.0/1", "ingress udp 53 from 128.0.0.0/1"])])
        #expect(!tcpAndUDP.findings.contains { $0.type == "world-exposure" })
        let allAndTCP = validate([tier("dns", line: 3, ["ingress all all from 0.0.0.0/1", "ingress tcp 53 from 128.0.0.0/1"])])
        #expect(allAndTCP.findings.filter { $0.type == "world-exposure" }.map(\.ruleText) == ["ingress tcp/53 from 0.0.0.0/1 + 128.0.0.0/1"])
    }

    @Test("protocol all halves are one SG-WORLD-ALL")
    func allProtocolHalves() {
        let result = validate([tier("web", line: 3, ["ingress all all from 0.0.0.0/1", "ingress all all from 128.0.0.0/1"])])
        #expect(result.findings.map(\.id) == ["SG-WORLD-ALL"])
    }

    @Test("egress halves are egress to the world")
    func egressCoverage() {
        let result = validate([tier("app", line: 3, ["egress all all to 0.0.0.0/1", "egress all all to 128.0.0.0/1"])])
        #expect(result.findings.map(\.id) == ["SG-EGRESS-WORLD-ALL"])
        #expect(result.findings.first?.direction == .egress)
    }

    @Test("coverage sets are computed per tier")
    func perTier() {
        let result = validate([tier("a", line: 3, ["ingress tcp 22 from 0.0.0.0/1"]), tier("b", line: 10, ["ingress tcp 22 from 128.0.0.0/1"])])
        #expect(!result.findings.contains { $0.id == "SG-WORLD-ADMIN" })
    }
}
