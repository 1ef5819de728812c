import SGDiagnostics
import SGFindings
import SGModel
import Testing
@testable import SGValidation

/// One triggering input per finding kind (and per interesting variant), with the exact id,
/// severity, location and the key words of the description.
struct TriggeringRow: CustomTestStringConvertible, Sendable {
    var name: String
    var tiers: [Tier]
    var vpc: String? = nil
    var id: String
    var severity: RiskLevel
    var location: String
    var keywords: [String]
    var testDescription: String { name }
}

/// Near misses: the id must not appear.
struct NonTriggeringRow: CustomTestStringConvertible, Sendable {
    var name: String
    var tiers: [Tier]
    var vpc: String? = nil
    var absentIDs: [String]
    var testDescription: String { name }
}

let triggeringRows: [TriggeringRow] = [
    TriggeringRow(
        name: "protocol all from 0.0.0.0/0", tiers: [tier("web", line: 3, ["ingress all all from 0.0.0.0/0"])],
        id: "SG-WORLD-ALL", severity: .critical, location: "scenarios/test.yaml:4:40",
        keywords: ["all traffic (every protocol and port, including 1433 Microsoft SQL Server) is open to 0.0.0.0/0 (every IPv4 address)"]),
    TriggeringRow(
        name: "tcp 1-65535 from ::/0", tiers: [tier("web", line: 3, ["ingress tcp 22 from 10.0.0.0/24", "ingress tcp 1-65535 from ::/0"])],
        id: "SG-WORLD-ALL", severity: .critical, location: "scenarios/test.yaml:5:40",
        keywords: ["tcp port range 1-65535 covers every port", "::/0 (every IPv6 address)"]),
    TriggeringRow(
        name: "MySQL from the world", tiers: [tier("db", line: 10, ["ingress tcp 3306 from 0.0.0.0/0"])],
        id: "SG-WORLD-DB", severity: .critical, location: "scenarios/test.yaml:11:40",
        keywords: ["tcp port 3306 (MySQL/MariaDB) is open to 0.0.0.0/0", "database must never be reachable from the internet"]),
    TriggeringRow(
        name: "Redis inside a range", tiers: [tier("cache", line: 10, ["ingress tcp 6000-6400 from 0.0.0.0/0"])],
        id: "SG-WORLD-DB", severity: .critical, location: "scenarios/test.yaml:11:40",
        keywords: ["port range 6000-6400 includes 6379 Redis"]),
    TriggeringRow(
        name: "SSH from the world", tiers: [tier("bastion", line: 20, ["ingress tcp 22 from 0.0.0.0/0"])],
        id: "SG-WORLD-ADMIN", severity: .high, location: "scenarios/test.yaml:21:40",
        keywords: ["tcp port 22 (SSH)", "remote administration"]),
    TriggeringRow(
        name: "RDP over udp from ::/0", tiers: [tier("win", line: 20, ["ingress udp 3389 from ::/0"])],
        id: "SG-WORLD-ADMIN", severity: .high, location: "scenarios/test.yaml:21:40", keywords: ["udp port 3389 (RDP)"]),
    TriggeringRow(
        name: "Telnet from the world", tiers: [tier("legacy", line: 20, ["ingress tcp 23 from 0.0.0.0/0"])],
        id: "SG-WORLD-ADMIN", severity: .high, location: "scenarios/test.yaml:21:40", keywords: ["tcp port 23 (Telnet)"]),
    TriggeringRow(
        name: "WinRM range from the world", tiers: [tier("win", line: 20, ["ingress tcp 5985-5986 from 0.0.0.0/0"])],
        id: "SG-WORLD-ADMIN", severity: .high, location: "scenarios/test.yaml:21:40",
        keywords: ["port range 5985-5986 includes 5985-5986 WinRM"]),
    TriggeringRow(
        name: "8080 from the world", tiers: [tier("app", line: 30, ["ingress tcp 8080 from 0.0.0.0/0"])],
        id: "SG-WORLD-APP", severity: .high, location: "scenarios/test.yaml:31:40",
        keywords: ["tcp port 8080 (HTTP alternate (8080))", "behind the public web tier"]),
    TriggeringRow(
        name: "9090 from ::/0", tiers: [tier("app", line: 30, ["ingress tcp 9090 from ::/0"])],
        id: "SG-WORLD-APP", severity: .high, location: "scenarios/test.yaml:31:40", keywords: ["tcp port 9090", "::/0"]),
    TriggeringRow(
        name: "SMTP from the world", tiers: [tier("mail", line: 40, isPublic: true, ["ingress tcp 25 from 0.0.0.0/0"])],
        id: "SG-WORLD-PORT", severity: .high, location: "scenarios/test.yaml:41:40",
        keywords: ["tcp port 25 (SMTP)", "only 80/443 belong on the internet"]),
    TriggeringRow(
        name: "uncataloged range from the world", tiers: [tier("media", line: 40, ["ingress udp 40000-40100 from 0.0.0.0/0"])],
        id: "SG-WORLD-PORT", severity: .high, location: "scenarios/test.yaml:41:40", keywords: ["udp port range 40000-40100 is open"]),
    TriggeringRow(
        name: "range 80-81 on a public tier is not just web", tiers: [tier("web", line: 40, isPublic: true, ["ingress tcp 80-81 from 0.0.0.0/0"])],
        id: "SG-WORLD-PORT", severity: .high, location: "scenarios/test.yaml:41:40", keywords: ["tcp port range 80-81"]),
    TriggeringRow(
        name: "ESP from the world", tiers: [tier("vpn", line: 40, ["ingress 50 all from 0.0.0.0/0"])],
        id: "SG-WORLD-PORT", severity: .high, location: "scenarios/test.yaml:41:40", keywords: ["all of protocol 50"]),
    TriggeringRow(
        name: "443 from the world on a private tier", tiers: [tier("app", line: 50, ["ingress tcp 443 from 0.0.0.0/0"])],
        id: "SG-WORLD-WEB", severity: .medium, location: "scenarios/test.yaml:51:40",
        keywords: ["tcp port 443 (HTTPS)", "tier app is not marked public: true"]),
    TriggeringRow(
        name: "80 from the world on a public tier", tiers: [tier("web", line: 50, isPublic: true, ["ingress tcp 80 from 0.0.0.0/0"])],
        id: "SG-WORLD-WEB-PUBLIC", severity: .low, location: "scenarios/test.yaml:51:40",
        keywords: ["tcp port 80 (HTTP)", "acceptable for the public tier web"]),
    TriggeringRow(
        name: "ICMP from the world", tiers: [tier("web", line: 50, isPublic: true, ["ingress icmp any from 0.0.0.0/0"])],
        id: "SG-WORLD-ICMP", severity: .low, location: "scenarios/test.yaml:51:40", keywords: ["icmp type any is open"]),
    TriggeringRow(
        name: "egress all to the world", tiers: [tier("app", line: 60, ["egress all all to 0.0.0.0/0"])],
        id: "SG-EGRESS-WORLD-ALL", severity: .medium, location: "scenarios/test.yaml:61:40",
        keywords: ["allowed out to 0.0.0.0/0", "send data anywhere"]),
    TriggeringRow(
        name: "default egress", tiers: [tier("app", line: 70, egress: .awsDefault, ["ingress tcp 8080 from tier:web"])],
        id: "SG-DEFAULT-EGRESS", severity: .medium, location: "scenarios/test.yaml:70:3",
        keywords: ["tier app omits egress", "all outbound traffic to 0.0.0.0/0"]),
    TriggeringRow(
        name: "egress 443 to the world", tiers: [tier("app", line: 80, ["egress tcp 443 to 0.0.0.0/0"])],
        id: "SG-EGRESS-WORLD-HTTPS", severity: .low, location: "scenarios/test.yaml:81:40",
        keywords: ["tcp port 443 (HTTPS) is allowed out to 0.0.0.0/0", "AWS API access"]),
    TriggeringRow(
        name: "egress 80 to the world", tiers: [tier("app", line: 80, ["egress tcp 80 to ::/0"])],
        id: "SG-EGRESS-WORLD-PORT", severity: .medium, location: "scenarios/test.yaml:81:40",
        keywords: ["tcp port 80 (HTTP) is allowed out to ::/0", "only HTTPS (443)"]),
    TriggeringRow(
        name: "PostgreSQL from the entire VPC", tiers: [tier("db", line: 90, ["ingress tcp 5432 from 10.0.0.0/16"])], vpc: "10.0.0.0/16",
        id: "SG-BROAD-INTERNAL-DB", severity: .medium, location: "scenarios/test.yaml:91:40",
        keywords: ["tcp port 5432 (PostgreSQL) is open to 10.0.0.0/16, the entire VPC"]),
    TriggeringRow(
        name: "PostgreSQL from a private /20 without a VPC CIDR", tiers: [tier("db", line: 90, ["ingress tcp 5432 from 10.0.0.0/20"])],
        id: "SG-BROAD-INTERNAL-DB", severity: .medium, location: "scenarios/test.yaml:91:40",
        keywords: ["10.0.0.0/20, a private range wider than /24"]),
    TriggeringRow(
        name: "wide public CIDR to 443", tiers: [tier("partner", line: 100, ["ingress tcp 443 from 198.51.0.0/16"])],
        id: "SG-PUBLIC-WIDE-CIDR", severity: .medium, location: "scenarios/test.yaml:101:40",
        keywords: ["198.51.0.0/16, which reaches 65,280 public IPv4 addresses (wider than one site: a /24 of IPv4, a /48 of IPv6)"]),
    TriggeringRow(
        name: "wide public CIDR to SSH is HIGH", tiers: [tier("partner", line: 100, ["ingress tcp 22 from 2a00:1450::/40"])],
        id: "SG-PUBLIC-WIDE-CIDR", severity: .high, location: "scenarios/test.yaml:101:40",
        keywords: ["2a00:1450::/40, which reaches 2^88 public IPv6 addresses", "database or admin port makes this HIGH"]),
    TriggeringRow(
        name: "wide public CIDR to 443 on a public tier is no worse than the world", tiers: [tier("web", line: 100, isPublic: true, ["ingress tcp 443 from 11.0.0.0/10"])],
        id: "SG-PUBLIC-WIDE-CIDR", severity: .low, location: "scenarios/test.yaml:101:40",
        keywords: ["tcp port 443 (HTTPS) is open to 11.0.0.0/10"]),
    TriggeringRow(
        name: "0.0.0.0/1 on 8080 is the world", tiers: [tier("app", line: 110, ["ingress tcp 8080 from 0.0.0.0/1"])],
        id: "SG-WORLD-APP", severity: .high, location: "scenarios/test.yaml:111:40",
        keywords: ["tcp port 8080 (HTTP alternate (8080)) is open to 0.0.0.0/1, which reaches 56.5% of public IPv4 addresses (2,092,957,696)"]),
    TriggeringRow(
        name: "2000::/3 on 5432 is the world", tiers: [tier("db", line: 110, ["ingress tcp 5432 from 2000::/3"])],
        id: "SG-WORLD-DB", severity: .critical, location: "scenarios/test.yaml:111:40",
        keywords: ["2000::/3, which reaches every public IPv4 address and every public IPv6 address"]),
    TriggeringRow(
        name: "NAT64 wrapping 0.0.0.0/0", tiers: [tier("db", line: 110, ["ingress tcp 3306 from 64:ff9b::/96"])],
        id: "SG-WORLD-DB", severity: .critical, location: "scenarios/test.yaml:111:40",
        keywords: ["64:ff9b::/96 (the NAT64 well-known prefix, RFC 6052), which reaches every public IPv4 address"]),
    TriggeringRow(
        name: "6to4 on SSH", tiers: [tier("ops", line: 110, ["ingress tcp 22 from 2002::/16"])],
        id: "SG-WORLD-ADMIN", severity: .high, location: "scenarios/test.yaml:111:40",
        keywords: ["2002::/16 (the 6to4 prefix, RFC 3056), which reaches every public IPv4 address"]),
    TriggeringRow(
        name: "egress all to 2000::/3", tiers: [tier("app", line: 110, ["egress all all to 2000::/3"])],
        id: "SG-EGRESS-WORLD-ALL", severity: .medium, location: "scenarios/test.yaml:111:40",
        keywords: ["all traffic (every protocol and port", "allowed out to 2000::/3"]),
    TriggeringRow(
        name: "egress all to a wide public range", tiers: [tier("app", line: 120, ["egress all all to 11.0.0.0/10"])],
        id: "SG-EGRESS-PUBLIC-WIDE", severity: .medium, location: "scenarios/test.yaml:121:40",
        keywords: ["allowed out to 11.0.0.0/10, which reaches 4,194,304 public IPv4 addresses", "anyone holding an address in it can receive"]),
    TriggeringRow(
        name: "egress 5432 to a wide public range is LOW", tiers: [tier("app", line: 120, ["egress tcp 5432 to 198.51.0.0/16"])],
        id: "SG-EGRESS-PUBLIC-WIDE", severity: .low, location: "scenarios/test.yaml:121:40",
        keywords: ["tcp port 5432 (PostgreSQL) is allowed out to 198.51.0.0/16"]),
    TriggeringRow(
        name: "SSH from all of 10.0.0.0/8", tiers: [tier("ops", line: 130, ["ingress tcp 22 from 10.0.0.0/8"])], vpc: "10.0.0.0/16",
        id: "SG-BROAD-INTERNAL-ADMIN", severity: .medium, location: "scenarios/test.yaml:131:40",
        keywords: ["tcp port 22 (SSH) is open to 10.0.0.0/8, an internal range broader than the VPC 10.0.0.0/16", "{ protocol: tcp, port: 22, source_tier: bastion }"]),
    TriggeringRow(
        name: "RDP from a /12 without vpc_cidr", tiers: [tier("win", line: 130, ["ingress tcp 3389 from 172.16.0.0/12"])],
        id: "SG-BROAD-INTERNAL-ADMIN", severity: .medium, location: "scenarios/test.yaml:131:40",
        keywords: ["172.16.0.0/12, an internal range shorter than /16 (no vpc_cidr given)"]),
    TriggeringRow(
        name: "all protocols between tiers", tiers: [tier("app", line: 140, ["ingress all all from tier:web"]), tier("web", line: 145, ["egress tcp 8080 to tier:app"])],
        id: "SG-INTERNAL-ALL-TRAFFIC", severity: .medium, location: "scenarios/test.yaml:141:40",
        keywords: ["all traffic (every protocol and port, including 1433 Microsoft SQL Server) is allowed from tier web", "e.g. { protocol: tcp, port: 8080, source_tier: web }"]),
    TriggeringRow(
        name: "every tcp port from the VPC", tiers: [tier("app", line: 140, ["ingress tcp 1-65535 from 10.0.0.0/16"])], vpc: "10.0.0.0/16",
        id: "SG-INTERNAL-ALL-TRAFFIC", severity: .medium, location: "scenarios/test.yaml:141:40",
        keywords: ["tcp port range 1-65535 covers every port", "allowed from 10.0.0.0/16 (private-use (RFC 1918))"]),
    TriggeringRow(
        name: "all protocols among a node group", tiers: [tier("nodes", line: 150, ["ingress all all from tier:nodes", "egress tcp 443 to tier:nodes"])],
        id: "SG-SELF-ALL-TRAFFIC", severity: .low, location: "scenarios/test.yaml:151:40",
        keywords: ["allowed among the members of tier nodes (it references itself)"]),
    TriggeringRow(
        name: "Kubernetes node ports between tiers", tiers: [tier("nodes", line: 160, ["ingress tcp 30000-32767 from tier:lb"]), tier("lb", line: 165, ["egress tcp 30080 to tier:nodes"])],
        id: "SG-INTERNAL-PORT-RANGE", severity: .low, location: "scenarios/test.yaml:161:40",
        keywords: ["tcp port range 30000-32767 (2,768 ports) is Kubernetes' NodePort range and is allowed from tier lb", "{ protocol: tcp, port: 30080, source_tier: lb }"]),
    TriggeringRow(
        name: "1024-65535 between tiers hides databases", tiers: [tier("app", line: 160, ["ingress tcp 1024-65535 from tier:web"]), tier("web", line: 165, ["egress tcp 443 to tier:app"])],
        id: "SG-INTERNAL-PORT-RANGE", severity: .medium, location: "scenarios/test.yaml:161:40",
        keywords: ["tcp port range 1024-65535 (64,512 ports) includes 1433 Microsoft SQL Server", "a database or admin port inside makes this MEDIUM"]),
]

let nonTriggeringRows: [NonTriggeringRow] = [
    NonTriggeringRow(
        name: "443 on a public tier is only LOW", tiers: [tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0"])],
        absentIDs: ["SG-WORLD-WEB", "SG-WORLD-PORT", "SG-WORLD-ALL"]),
    NonTriggeringRow(
        name: "SSH from one address", tiers: [tier("bastion", line: 3, ["ingress tcp 22 from 203.0.113.10/32"])],
        absentIDs: ["SG-WORLD-ADMIN", "SG-PUBLIC-WIDE-CIDR"]),
    NonTriggeringRow(
        name: "PostgreSQL from a /24", tiers: [tier("db", line: 3, ["ingress tcp 5432 from 10.0.11.0/24"])], vpc: "10.0.0.0/16",
        absentIDs: ["SG-BROAD-INTERNAL-DB"]),
    NonTriggeringRow(
        name: "8080 from the entire VPC is not a database port", tiers: [tier("app", line: 3, ["ingress tcp 8080 from 10.0.0.0/16"])],
        vpc: "10.0.0.0/16", absentIDs: ["SG-BROAD-INTERNAL-DB"]),
    NonTriggeringRow(
        name: "egress 443 to the world", tiers: [tier("app", line: 3, ["egress tcp 443 to 0.0.0.0/0"])],
        absentIDs: ["SG-EGRESS-WORLD-PORT", "SG-EGRESS-WORLD-ALL", "SG-DEFAULT-EGRESS"]),
    NonTriggeringRow(
        name: "closed egress", tiers: [tier("db", line: 3, egress: .closed, ["ingress tcp 5432 from tier:app"])],
        absentIDs: ["SG-DEFAULT-EGRESS", "SG-EGRESS-WORLD-ALL"]),
    NonTriggeringRow(
        name: "a /24 public partner range", tiers: [tier("partner", line: 3, ["ingress tcp 443 from 198.51.100.0/24"])],
        absentIDs: ["SG-PUBLIC-WIDE-CIDR"]),
    NonTriggeringRow(
        name: "a /10 alone is not the world", tiers: [tier("db", line: 3, ["ingress tcp 5432 from 11.0.0.0/10"])],
        absentIDs: ["SG-WORLD-DB", "SG-WORLD-ALL"]),
    NonTriggeringRow(
        name: "documentation ranges reach nothing", tiers: [tier("bastion", line: 3, ["ingress tcp 22 from 2001:db8:1200::/48", "ingress all all from 203.0.113.0/24"])],
        absentIDs: ["SG-PUBLIC-WIDE-CIDR", "SG-BROAD-INTERNAL-ADMIN", "SG-INTERNAL-ALL-TRAFFIC", "SG-WORLD-ADMIN"]),
    NonTriggeringRow(
        name: "SSH from the VPC itself", tiers: [tier("ops", line: 3, ["ingress tcp 22 from 10.0.0.0/16"])], vpc: "10.0.0.0/16",
        absentIDs: ["SG-BROAD-INTERNAL-ADMIN"]),
    NonTriggeringRow(
        name: "one port between tiers", tiers: [tier("app", line: 3, ["ingress tcp 8080 from tier:web"]), tier("web", line: 10, ["egress tcp 8080 to tier:app"])],
        absentIDs: ["SG-INTERNAL-ALL-TRAFFIC", "SG-INTERNAL-PORT-RANGE", "SG-SELF-ALL-TRAFFIC"]),
    NonTriggeringRow(
        name: "a narrow egress destination", tiers: [tier("app", line: 3, ["egress all all to 8.8.8.8/32"])],
        absentIDs: ["SG-EGRESS-PUBLIC-WIDE", "SG-EGRESS-WORLD-ALL"]),
    NonTriggeringRow(
        name: "egress to a prefix list", tiers: [tier("app", line: 3, ["egress tcp 443 to pl-0123456789abcdef0"])],
        absentIDs: ["SG-EGRESS-WORLD-HTTPS", "SG-EGRESS-WORLD-PORT"]),
]

@Suite("One row per finding kind")
struct FindingKindTableTests {
    @Test(arguments: triggeringRows)
    func triggers(_ row: TriggeringRow) throws {
        let result = validate(row.tiers, vpc: row.vpc)
        let matching = result.findings.filter { $0.id == row.id }
        #expect(matching.count == 1, "found: \(result.findings.map(\.id))")
        let finding = try #require(matching.first)
        let kind = try #require(FindingKind.kind(id: row.id))
        #expect(finding.severity == row.severity)
        #expect(finding.location.description == row.location)
        #expect(finding.type == kind.type)
        #expect(finding.title == kind.title)
        #expect(finding.remediation == kind.remediation)
        for keyword in row.keywords {
            #expect(finding.description.contains(keyword), "\(finding.description)")
        }
    }

    @Test(arguments: nonTriggeringRows)
    func doesNotTrigger(_ row: NonTriggeringRow) {
        let ids = Set(validate(row.tiers, vpc: row.vpc).findings.map(\.id))
        for id in row.absentIDs {
            #expect(!ids.contains(id), "\(id) raised for \(row.name)")
        }
    }

    @Test("every kind has a triggering row or a dedicated test")
    func everyKindCovered() {
        let covered = Set(triggeringRows.map(\.id)).union(["SG-EXPOSURE-PATH"])  // ExposurePathTests
        #expect(Set(FindingKind.all.map(\.id)) == covered)
    }
}
