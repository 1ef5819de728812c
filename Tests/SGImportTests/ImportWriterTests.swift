import Foundation
import SGConfig
import SGInventory
import SGModel
import Testing

@testable import SGImport

/// The written files: they load through the tool's own loader with nothing reported, say exactly
/// what was imported, and are byte-identical for the same source.
@Suite struct ImportWriterTests {
    static let web = "sg-0aa00001", app = "sg-0aa00002", db = "sg-0aa00003"

    /// Every kind of rule the issue lists, over three groups that reference each other.
    static let groups: [LiveSecurityGroup] = [
        Live.group(web, "launch-wizard-1", description: "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00",
                   tags: ["Name": "Web Front (prod)"], ingress: [
            Live.tcp(443, Live.cidr("0.0.0.0/0"), "HTTPS: public & {partners} [v2] *!#"),
            Live.tcp(443, Live.cidr("::/0"), "yes"),
            Live.tcp(80, .prefixList("pl-0123456789abcdef0"), "CloudFront"),
            Live.rule(.ingress, .tcp, .ports(PortRange(port: 22)), Live.cidr("10.20.0.0/16"), "VPN", spelling: "10.20.30.40/16"),
        ], egress: [Live.allToWorld, Live.allToWorldIPv6]),
        Live.group(app, "App Servers", description: "App tier: made by hand", ingress: [
            Live.tcp(8080, .securityGroup(web), "From web"),
            Live.rule(.ingress, .all, .all, .securityGroup(app), "self"),
            Live.tcp(9443, .securityGroup("sg-0bb00009"), "partner", account: "999988887777"),
            Live.rule(.ingress, .icmp, .icmp(type: 8, code: 0), Live.cidr("10.0.0.0/16"), "Ping"),
            Live.rule(.ingress, .icmp, .icmp(type: -1, code: -1), Live.cidr("10.9.0.0/16")),
            Live.rule(.ingress, .icmpv6, .icmp(type: 128, code: -1), Live.cidr("2001:db8::/32"), "Echo v6"),
            Live.rule(.ingress, .number(50), .all, Live.cidr("10.0.0.0/8"), "ESP"),
            Live.rule(.ingress, .udp, .ports(PortRange(0, 65535)), Live.cidr("10.0.0.0/8"), "null"),
        ], egress: [Live.tcp(5432, .securityGroup(db), "PostgreSQL", direction: .egress)]),
        Live.group(db, "db", description: "Database", ingress: [Live.tcp(5432, .securityGroup(app))], egress: []),
    ]

    @Test func theFilesLoadCleanlyWithEveryRuleAndGroupAsImported() throws {
        let (planned, _) = ImportPlanner().plan(Self.groups, request: Live.request(), locatedInFile: false)
        let plan = try #require(planned)
        let result = Live.load(plan)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.all)")
        let deployment = try #require(result.deployment)
        #expect(deployment.identity.qualifiedName == "acme-prod-d001-us-east-1")
        #expect(deployment.config.vpcID == Live.vpc)
        #expect(deployment.config.adoptedGroups.map { "\($0.tier) \($0.groupID) \($0.groupName)" } == [
            "app-servers sg-0aa00002 App Servers", "db sg-0aa00003 db", "web-front-prod sg-0aa00001 launch-wizard-1",
        ])
        #expect(deployment.config.adoptedGroup(tier: "web-front-prod")?.nameTag == "Web Front (prod)")
        #expect(deployment.config.adoptedGroup(tier: "web-front-prod")?.groupDescription == "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00")
        for tier in plan.tiers {
            let loaded = try #require(deployment.tier(named: tier.name))
            #expect(loaded.ingress.map(\.key) == tier.ingress.map(\.key), "\(tier.name)")
            #expect(loaded.egress.map(\.key) == tier.egress.map(\.key), "\(tier.name)")
            #expect(loaded.rules.map(\.description) == (tier.ingress + tier.egress).map(\.description), "\(tier.name)")
            #expect(loaded.rules.map(\.peerAccount) == (tier.ingress + tier.egress).map(\.peerAccount), "\(tier.name)")
            #expect(loaded.usesDefaultEgress == false, "egress is always written")
            #expect(loaded.description == tier.groupDescription)
        }
        #expect(deployment.tier(named: "db")?.isEgressClosed == true)
        #expect(deployment.tier(named: "app-servers")?.ingress.contains { $0.peer == .tier("app-servers") } == true)
    }

    @Test func theSameSourceGivesTheSameBytesWhateverItsOrder() throws {
        let (first, _) = ImportPlanner().plan(Self.groups, request: Live.request(), locatedInFile: false)
        let shuffled = Self.groups.reversed().map { group -> LiveSecurityGroup in
            var group = group
            group.ingress.reverse()
            group.egress.reverse()
            return group
        }
        let (second, _) = ImportPlanner().plan(shuffled, request: Live.request(), locatedInFile: false)
        let writer = ImportWriter()
        #expect(writer.config(try #require(first)) == writer.config(try #require(second)))
        #expect(writer.scenario(try #require(first)) == writer.scenario(try #require(second)))
    }

    @Test func theHeaderSaysWhenAndFromWhatAndWhatWasLeftOut() throws {
        let groups = Self.groups + [Live.group("sg-0aa0000d", "default")]
        let (planned, _) = ImportPlanner().plan(groups, request: Live.request(), locatedInFile: false)
        let text = ImportWriter().config(try #require(planned))
        let header = text.split(separator: "\n").prefix(6).map(String.init)
        #expect(header == [
            "# Imported by sg-provisioner 9.9.9 (import-security-groups) at 2026-01-01T00:00:00Z.",
            "# Source: snapshot snapshot.json (sha256 00).",
            "# 3 of 4 security group(s) in vpc-0a1b2c3d4e5f60001 imported.",
            "# Not imported:",
            "#   sg-0aa0000d (default): it is the VPC's default group: AWS creates it with the VPC and never deletes it, so CloudFormation cannot manage it; rules naming it keep its id",
            "# check-drift against the same source finds it in sync. Findings are printed by the import;",
        ])
    }

    @Test func aTemplatesTiersAdoptNothing() throws {
        let template = ImportSource.template(path: "t.yaml", sha256: "ab")
        let groups = [Live.group("WebSG", "WebSG", vpc: nil, ingress: [Live.tcp(443, Live.cidr("0.0.0.0/0"))])]
        let (planned, _) = ImportPlanner().plan(groups, request: Live.request(template, vpcID: Live.vpc), locatedInFile: true)
        let plan = try #require(planned)
        let config = ImportWriter().config(plan)
        #expect(!config.contains("adopted_groups"))
        #expect(config.contains("# The template's groups become tiers the tool creates (nothing in AWS is adopted).\n"))
        let result = Live.load(plan)
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.all)")
        #expect(result.deployment?.tiers.map(\.name) == ["web-sg"])
        #expect(ImportWriter().scenario(plan).contains("  web-sg:  # template resource WebSG\n"))
    }
}
