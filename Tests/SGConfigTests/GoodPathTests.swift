import Foundation
import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// A loader over a fixture directory on disk (the way the executable wires it).
private func fixtureLoader(_ name: String) -> DeploymentLoader {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/config/\(name)").path
    return DeploymentLoader(
        readFile: { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw InMemoryReadError(description: "cannot open") }
            return Array(data)
        },
        fileExists: { FileManager.default.fileExists(atPath: $0) },
        configsDirectory: root + "/configs", scenariosDirectory: root + "/scenarios",
        listFiles: { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] })
}

@Suite struct GoodPathTests {
    @Test func designExampleLoadsWithOverridesApplied() throws {
        let loader = fixtureLoader("good")
        let result = loader.load(config: "globalbank-prod")
        #expect(result.diagnostics.all.isEmpty, "\(rendered(result.diagnostics))")
        let deployment = try #require(result.deployment)
        let config = deployment.config

        #expect(deployment.identity == DeploymentIdentity(company: "globalbank", environment: "prod", deploymentID: "c001", region: "us-west-2"))
        #expect(config.vpcID == "vpc-0a1b2c3d4e5f67890")
        #expect(config.vpcCIDR == CIDRBlock.ipv4(0x0A00_0000, prefix: 16))
        #expect(config.scenario == "three-tier-web")
        #expect(config.tags.map { "\($0.key)=\($0.value)" } == [
            "cost_center=Fraud Operations", "project=Fraud Detection", "owner=fraud-team", "compliance=pci-dss",
            "data_classification=confidential",
        ])
        #expect(config.overrides.map(\.description) == ["Move app listener to TLS"])
        #expect(config.acceptedRisks.map(\.findingID) == ["SG-WORLD-ADMIN"])
        #expect(config.acceptedRisks.first?.expires == CalendarDate.parse("2027-03-31"))
        #expect(config.acceptedRisks.first?.reason == "Break-glass SSH, ticket SEC-1234")
        #expect(config.portCatalog.map(\.name) == ["Kafka", "Cassandra gossip"])
        #expect(config.portCatalog.last?.ports == PortRange(7000, 7001))
        #expect(config.portCatalog.last?.ipProtocol == .udp)
        #expect(config.portCatalog.first?.ipProtocol == .tcp)
        #expect(result.sources.count == 2)

        #expect(deployment.tiers.map(\.name) == ["web", "app", "db", "bastion"])
        let web = try #require(deployment.tier(named: "web"))
        #expect(web.isPublic)
        #expect(web.description == "Internet-facing load balancers")
        #expect(web.ingress.map(\.peer) == [.cidr(.anyIPv4), .cidr(.anyIPv6)])
        #expect(web.egress.map(\.key.description) == ["egress tcp/8080 to tier app"])
        #expect(!web.usesDefaultEgress)

        // Override: 8080 removed, 8443 appended with its origin; the scenario keeps 8080.
        let app = try #require(deployment.tier(named: "app"))
        #expect(app.ingress.map(\.key.description) == ["ingress tcp/8443 from tier web"])
        #expect(app.ingress.first?.origin == .override(index: 0))
        #expect(app.ingress.first?.description == "TLS from web tier")
        #expect(deployment.scenario.tier(named: "app")?.ingress.map(\.key.description) == ["ingress tcp/8080 from tier web"])
        #expect(app.egress.count == 2)

        let db = try #require(deployment.tier(named: "db"))
        #expect(db.isEgressClosed)
        let bastion = try #require(deployment.tier(named: "bastion"))
        #expect(bastion.usesDefaultEgress)
        #expect(!bastion.isEgressClosed)
        #expect(!bastion.isPublic)
    }

    @Test func ruleLocationsPointAtTheirParts() throws {
        let deployment = try #require(fixtureLoader("good").load(config: "globalbank-prod").deployment)
        let rule = try #require(deployment.tier(named: "web")?.ingress.first)
        let file = deployment.scenario.file
        #expect(rule.locations.rule == SGDiagnostics.SourceLocation(file: file, line: 8, column: 9))
        #expect(rule.locations.ipProtocol == SGDiagnostics.SourceLocation(file: file, line: 8, column: 21))
        #expect(rule.locations.ports == SGDiagnostics.SourceLocation(file: file, line: 8, column: 32))
        #expect(rule.locations.peer == SGDiagnostics.SourceLocation(file: file, line: 8, column: 45))
        let added = try #require(deployment.tier(named: "app")?.ingress.first)
        #expect(added.location.file == deployment.config.file)
        #expect(added.location.line == 19)
    }

    @Test func badFixtureReportsEveryProblem() {
        let loader = fixtureLoader("bad")
        let result = loader.load(config: "injection")
        let configFile = loader.configsDirectory + "/injection.yaml"
        let scenarioFile = loader.scenariosDirectory + "/three-tier.yaml"
        #expect(result.deployment == nil)
        #expect(result.diagnostics.sorted.map { "\($0.location!) \($0.code)" } == [
            "\(configFile):2:17 E212",  // ../ path traversal
            "\(configFile):3:14 E212",  // ; shell metacharacter
            "\(configFile):5:9 E213",  // us-west2
            "\(configFile):9:11 E221",  // override of tier 'ap'
            "\(scenarioFile):4:13 E210",  // public: yes
            "\(scenarioFile):7:9 E315",  // duplicate 443 rule
            "\(scenarioFile):8:5 E319",  // egress: with no value
            "\(scenarioFile):11:51 E313",  // source_tier: wbe
            "\(scenarioFile):12:26 E303",  // all with a port
        ])
    }

    @Test func mixedProtocolsPortsAndPeers() throws {
        let mixed = """
            name: web
            tiers:
              web:
                description: Mixed protocols
                ingress:
                  - { protocol: tcp, port_range: 8000-8080, source: 10.0.0.0/8 }
                  - { protocol: udp, port: "53", source: 10.0.0.0/8 }
                  - { protocol: icmp, icmp_type: 8, icmp_code: 0, source: 10.0.0.0/8 }
                  - { protocol: icmpv6, source: "2001:DB8::/32" }
                  - { protocol: "50", source_security_group: sg-0123456789abcdef0 }
                  - { protocol: "-1", source_prefix_list: pl-12345678 }
                  - { protocol: "6", port: 22, source_tier: web }
                  - { protocol: all, source: 192.168.0.0/16 }
                  - { protocol: icmp, icmp_type: 3, source: 10.0.0.0/8 }
                  - { protocol: tcp, port: 0, source: 10.0.0.0/8 }
                  - { protocol: tcp, port_range: 0-65535, source: 172.16.0.0/12, description: "All ports a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*" }
                egress:
                  - { protocol: udp, port: 123, destination_prefix_list: pl-0123456789abcdef0 }

            """
        let result = makeLoader([configPath: config(), scenarioPath: mixed]).load(config: "c")
        #expect(result.diagnostics.all.isEmpty, "\(rendered(result.diagnostics))")
        let web = try #require(result.deployment?.tier(named: "web"))
        #expect(web.ingress.map(\.ipProtocol) == [.tcp, .udp, .icmp, .icmpv6, .number(50), .all, .tcp, .all, .icmp, .tcp, .tcp])
        #expect(web.ingress.map(\.ports) == [
            .ports(PortRange(8000, 8080)), .ports(PortRange(port: 53)), .icmp(type: 8, code: 0), .icmp(type: -1, code: -1),
            .all, .all, .ports(PortRange(port: 22)), .all, .icmp(type: 3, code: -1), .ports(PortRange(port: 0)), .ports(.all),
        ])
        #expect(web.ingress[3].peer == .cidr(try CIDRBlock.parse("2001:db8::/32").get()))
        #expect(web.ingress[4].peer == .securityGroup("sg-0123456789abcdef0"))
        #expect(web.ingress[5].peer == .prefixList("pl-12345678"))
        #expect(web.ingress[6].peer == .tier("web"))
        #expect(web.ingress.last?.description == "All ports a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
        #expect(web.egress.first?.peer == .prefixList("pl-0123456789abcdef0"))
    }

    /// Strings stay strings whatever YAML 1.1 would have guessed; the field decides.
    @Test func valuesAreTypedByTheirField() throws {
        let text = """
            company_prefix: 123
            environment: no
            deployment_id: "0x1f"
            region: us-gov-west-1
            vpc_id: vpc-0a1b2c3d
            scenario: web
            tags:
              enabled: yes
              count: 010
              empty:

            """
        let result = makeLoader([configPath: text, scenarioPath: baseScenario]).load(config: "c")
        #expect(result.diagnostics.all.isEmpty, "\(rendered(result.diagnostics))")
        let deployment = try #require(result.deployment)
        #expect(deployment.identity.company == "123")
        #expect(deployment.identity.environment == "no")
        #expect(deployment.identity.deploymentID == "0x1f")
        #expect(deployment.config.tags.map(\.value) == ["yes", "010", ""])
        #expect(deployment.config.vpcCIDR == nil)
    }

    @Test func overridesApplyInOrderRemovalsFirst() throws {
        let text = config(append: """
            overrides:
              - tier: app
                remove_ingress:
                  - { protocol: tcp, port: 8080, source_tier: web, description: ignored }
                add_ingress:
                  - { protocol: tcp, port: 8080, source_tier: web, description: re-described }
                description: Replace the description
              - tier: app
                add_egress:
                  - { protocol: tcp, port: 443, destination: 0.0.0.0/0 }
                description: Open HTTPS egress
              - tier: app
                remove_egress:
                  - { protocol: tcp, port: 443, destination: 0.0.0.0/0 }
                add_ingress:
                  - { protocol: tcp, port: 9090, source: "::/0" }
                description: Changed our mind

            """)
        let result = makeLoader([configPath: text, scenarioPath: baseScenario]).load(config: "c")
        #expect(result.diagnostics.all.isEmpty, "\(rendered(result.diagnostics))")
        let app = try #require(result.deployment?.tier(named: "app"))
        #expect(app.ingress.map(\.description) == ["re-described", nil])
        #expect(app.ingress.map(\.origin) == [.override(index: 0), .override(index: 2)])
        #expect(app.isEgressClosed)
        #expect(result.deployment?.config.overrides.first?.removeIngress.first?.description == nil)
    }
}
