import SGDiagnostics
import SGModel
import Testing
@testable import SGValidation

@Suite("Port catalog")
struct PortCatalogTests {
    static let securityHubEC219 = [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300]
    static let trustedAdvisor = [20, 21, 1433, 1434, 3306, 3389, 4333, 5432, 5500]
    static let prowler = [1521, 2483, 6379, 7199, 9092, 9160, 11211, 27017, 27018]
    static let seed = [5439, 8443, 9090]
    static let common = [
        2484, 5984, 6380, 7000, 7001, 8000, 8081, 8200, 9000, 9042, 9100, 9418, 11214, 11215, 50000, 2375, 2376, 2379, 2380,
        6443, 10250, 5900, 5985, 5986, 3000, 53, 123, 161, 389, 636, 873, 1080, 1194, 3128, 4369, 5672, 15672, 8086, 8500,
    ]

    private func entry(_ port: Int) -> PortCatalogEntry? {
        PortCatalog.builtIn.worstEntry(in: PortRange(port: port), protocol: .all)
    }

    @Test("every listed port is cataloged, with its list named in the sources")
    func coverage() {
        let lists: [(name: String, ports: [Int])] = [
            ("EC2.19", Self.securityHubEC219), ("TrustedAdvisor", Self.trustedAdvisor), ("Prowler", Self.prowler), ("seed", Self.seed),
        ]
        for list in lists {
            for port in list.ports {
                let found = PortCatalog.builtIn.entries.filter { $0.ports.contains(port) }
                #expect(!found.isEmpty, "port \(port) missing")
                #expect(found.contains { $0.sources.contains(list.name) }, "port \(port) does not cite \(list.name)")
            }
        }
        for port in Self.common {
            #expect(entry(port) != nil, "port \(port) missing")
        }
        #expect(PortCatalog.builtIn.entries.count >= 70)
    }

    @Test("categories follow the guide", arguments: [
        (3306, PortCategory.database), (5432, .database), (1521, .database), (1433, .database), (5439, .database), (27017, .database),
        (6379, .database), (22, .admin), (3389, .admin), (23, .admin), (5900, .admin), (5985, .admin), (5986, .admin),
        (2375, .admin), (10250, .admin), (8080, .application), (8443, .application), (9090, .application), (80, .web), (443, .web),
        (53, .other), (25, .other),
    ])
    func category(_ port: Int, _ category: PortCategory) {
        #expect(entry(port)?.category == category)
    }

    @Test("entries are sorted and carry a name and at least one source")
    func wellFormed() {
        let entries = PortCatalog.builtIn.entries
        #expect(entries.map(\.ports) == entries.map(\.ports).sorted())
        #expect(entries.allSatisfy { !$0.name.isEmpty && !$0.sources.isEmpty && $0.location == nil })
        #expect(entry(5432)?.label == "5432 PostgreSQL")
    }

    @Test("worstEntry agrees with a brute-force scan over many ranges")
    func worstEntryMatchesBruteForce() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed seed: the same ranges every run
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        let catalog = PortCatalog.builtIn
        for index in 0..<2000 {
            let lower = next() % 65536
            let width = index % 4 == 0 ? next() % 65536 : next() % 200
            let range = PortRange(lower, min(65535, lower + width))
            for ipProtocol in [IPProtocol.tcp, .udp, .all] {
                let expected = catalog.entries
                    .filter { $0.ports.overlaps(range) && $0.protocols.matches(ipProtocol) }
                    .min(by: PortCatalog.isWorse)
                #expect(catalog.worstEntry(in: range, protocol: ipProtocol) == expected, "\(ipProtocol) \(range)")
            }
        }
    }

    @Test("udp and tcp are separate; protocols without ports have no entry")
    func protocols() {
        #expect(PortCatalog.builtIn.worstEntry(in: PortRange(port: 123), protocol: .udp)?.name == "NTP")
        #expect(PortCatalog.builtIn.worstEntry(in: PortRange(port: 123), protocol: .tcp) == nil)
        #expect(PortCatalog.builtIn.worstEntry(in: PortRange(port: 5432), protocol: .number(50)) == nil)
        #expect(PortCatalog.builtIn.worstEntry(in: PortRange(40000, 40100), protocol: .tcp) == nil)
    }
}

@Suite("Port catalog extensions")
struct PortCatalogExtensionTests {
    let configFile = "configs/test.yaml"

    @Test("a new port from the config becomes a database exposure")
    func addEntry() throws {
        let kafkaTLS = PortCatalogExtension(
            ports: PortRange(port: 9093), ipProtocol: .tcp, name: "Kafka TLS", category: "database",
            location: SourceLocation(file: configFile, line: 30, column: 5))
        let tiers = [tier("stream", line: 3, ["ingress tcp 9093 from 0.0.0.0/0"])]
        let plain = ScenarioValidator().validate(deployment(tiers), today: testToday)
        #expect(plain.findings.map(\.id) == ["SG-WORLD-PORT"])
        let extended = ScenarioValidator().validate(deployment(tiers, portCatalog: [kafkaTLS]), today: testToday)
        let finding = try #require(extended.findings.first)
        #expect(finding.id == "SG-WORLD-DB")
        #expect(finding.description.hasPrefix("tcp port 9093 (Kafka TLS) is open"))
        let entry = try #require(PortCatalog.builtIn.extended(with: [kafkaTLS]).worstEntry(in: PortRange(port: 9093), protocol: .tcp))
        #expect(entry.sources == ["config"])
        #expect(entry.location?.description == "configs/test.yaml:30:5")
    }

    @Test("an extension cannot lower a built-in port: the built-in rating stays and the config gets E804")
    func loweringIsRefused() throws {
        let proxy = PortCatalogExtension(
            ports: PortRange(port: 5432), ipProtocol: .tcp, name: "PgBouncer health page", category: "application",
            location: SourceLocation(file: configFile, line: 31, column: 5))
        let catalog = PortCatalog.builtIn.extended(with: [proxy])
        #expect(catalog.worstEntry(in: PortRange(port: 5432), protocol: .tcp)?.name == "PostgreSQL")
        #expect(catalog.entries.contains { $0.name == "PostgreSQL" })
        let tiers = [tier("db", line: 3, ["ingress tcp 5432 from 0.0.0.0/0"])]
        #expect(validate(tiers, catalog: catalog).findings.map(\.id) == ["SG-WORLD-DB"])
        let result = ScenarioValidator().validate(deployment(tiers, portCatalog: [proxy]), today: testToday)
        #expect(result.findings.map(\.id) == ["SG-WORLD-DB"])
        let error = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(error.severity == .error)
        #expect(error.code == .portCatalogLowersBuiltIn)
        #expect(error.location?.description == "configs/test.yaml:31:5")
        #expect(error.message == "port_catalog entry 'PgBouncer health page' (tcp 5432, application) would lower built-in ports: 5432 PostgreSQL (database)")
        #expect(error.notes.map(\.message) == ["an entry may add names and raise a category, never lower one; leave these ports out of its range, or give it a category at least as high"])
    }

    @Test("0-65535 as web is refused and changes nothing: world SSH and PostgreSQL on a public tier keep their verdicts")
    func everyPortAsWeb() throws {
        let everything = PortCatalogExtension(
            ports: .all, ipProtocol: .all, name: "everything", category: "web",
            location: SourceLocation(file: configFile, line: 40, column: 5))
        let tiers = [tier("web", line: 3, isPublic: true, ["ingress tcp 22 from 0.0.0.0/0", "ingress tcp 5432 from 0.0.0.0/0"])]
        let result = ScenarioValidator().validate(deployment(tiers, portCatalog: [everything]), today: testToday)
        #expect(result.findings.map { "\($0.id) \($0.severity)" } == ["SG-WORLD-DB critical", "SG-WORLD-ADMIN high"])
        let error = try #require(result.diagnostics.first)
        #expect(error.code == .portCatalogLowersBuiltIn)
        #expect(error.message.hasPrefix("port_catalog entry 'everything' (all 0-65535, web) would lower built-in ports: 20-21 FTP (other), 22 SSH (admin), 23 Telnet (admin), 25 SMTP (other), 53 DNS (other) and "))
        #expect(error.message.hasSuffix(" more"))
    }

    @Test("an extension may rename a port at the same category and raise one")
    func renameAndRaise() {
        let aurora = PortCatalogExtension(
            ports: PortRange(port: 5432), ipProtocol: .tcp, name: "Aurora PostgreSQL", category: "database",
            location: SourceLocation(file: configFile, line: 31, column: 5))
        let statsd = PortCatalogExtension(
            ports: PortRange(port: 8080), ipProtocol: .tcp, name: "admin console", category: "admin",
            location: SourceLocation(file: configFile, line: 35, column: 5))
        let catalog = PortCatalog.builtIn.extended(with: [aurora, statsd])
        #expect(catalog.worstEntry(in: PortRange(port: 5432), protocol: .tcp)?.name == "Aurora PostgreSQL")
        #expect(catalog.worstEntry(in: PortRange(port: 8080), protocol: .tcp)?.category == .admin)
        #expect(PortCatalog.builtIn.loweringDiagnostics(for: [aurora, statsd]).isEmpty)
        let result = validate([tier("app", line: 3, ["ingress tcp 8080 from 0.0.0.0/0"])], catalog: catalog)
        #expect(result.findings.map(\.id) == ["SG-WORLD-ADMIN"])
    }

    @Test("an extension overlapping part of a built-in range raises only where it overlaps")
    func partialOverride() {
        let custom = PortCatalogExtension(
            ports: PortRange(port: 7001), ipProtocol: .all, name: "custom admin", category: "ADMIN",
            location: SourceLocation(file: configFile, line: 32, column: 5))
        // 7001 is Cassandra inter-node (database): admin would lower it, so the built-in stays.
        let catalog = PortCatalog.builtIn.extended(with: [custom])
        #expect(catalog.worstEntry(in: PortRange(port: 7001), protocol: .tcp)?.name == "Cassandra inter-node")
        #expect(PortCatalog.builtIn.loweringDiagnostics(for: [custom]).map(\.code) == [.portCatalogLowersBuiltIn])
        // On udp, where nothing is cataloged, the entry applies.
        #expect(catalog.worstEntry(in: PortRange(port: 7001), protocol: .udp)?.name == "custom admin")
        let widened = PortCatalogExtension(
            ports: PortRange(9000, 9100), ipProtocol: .tcp, name: "team services", category: "database",
            location: SourceLocation(file: configFile, line: 33, column: 5))
        let raised = PortCatalog.builtIn.extended(with: [widened])
        #expect(raised.worstEntry(in: PortRange(port: 9090), protocol: .tcp)?.category == .database)
        #expect(raised.worstEntry(in: PortRange(port: 8080), protocol: .tcp)?.category == .application)
    }

    @Test("an unknown category counts as other")
    func unknownCategory() {
        let odd = PortCatalogExtension(
            ports: PortRange(port: 40001), ipProtocol: .udp, name: "game server", category: "games",
            location: SourceLocation(file: configFile, line: 33, column: 5))
        #expect(PortCatalog.builtIn.extended(with: [odd]).worstEntry(in: PortRange(port: 40001), protocol: .udp)?.category == .other)
    }
}
