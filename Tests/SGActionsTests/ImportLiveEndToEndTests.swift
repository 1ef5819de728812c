import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGTestSupport
import Testing

/// `import-security-groups` from live EC2 (moto's EC2 API, faithful for groups and rules) through
/// the built binary: groups made by hand with EC2 calls, imported by VPC or by tag, and the round
/// trip — check-drift against the same VPC is in sync, later changes are drift, show-changes sees
/// the adopted groups by id, create-security-groups refuses to create them again.
@Suite(.serialized) struct ImportLiveEndToEndTests {
    static let name = "shop-prod-l01-us-east-1"
    static let secret = "import-test-secret-5b1d"

    private func ec2(_ moto: MotoServer) throws -> EC2Client {
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        return try AWSSession(
            region: "us-east-1", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
            transport: URLSessionTransport()
        ).ec2()
    }

    private func environment(_ moto: MotoServer) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_ENDPOINT_URL": moto.endpoint.absoluteString,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PROFILE": "",
        ]
    }

    /// Three hand-made groups in a new VPC: web (keeps AWS's default egress, world HTTPS with a
    /// description full of YAML's characters, IPv6, a prefix list), App Servers (a name with a
    /// space; a reference to web, one to itself, ICMP, ESP by number, every UDP port; egress to db
    /// only) and db (no egress at all). Returns the VPC and the group ids.
    private func handMade(_ ec2: EC2Client) async throws -> (vpc: String, web: String, app: String, db: String) {
        let vpc = try await ec2.createVpc(cidrBlock: "10.61.0.0/16").vpcID
        let web = try await ec2.createSecurityGroup(name: "launch-wizard-1", description: "web: made by hand [v2]", vpcID: vpc)
        let app = try await ec2.createSecurityGroup(name: "App Servers", description: "App tier", vpcID: vpc)
        let db = try await ec2.createSecurityGroup(name: "db", description: "Database", vpcID: vpc)
        try await ec2.createTags(resourceIDs: [web], tags: [AWSTag(key: "Name", value: "Web Front"), AWSTag(key: "team", value: "shop")])
        try await ec2.createTags(resourceIDs: [app], tags: [AWSTag(key: "team", value: "shop")])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: web, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 443, toPort: 443,
                         ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "HTTPS: public & {partners} [v2] *!#")],
                         ipv6Ranges: [SecurityGroupRange("::/0", description: "HTTPS v6")]),
            IPPermission(ipProtocol: "tcp", fromPort: 80, toPort: 80, prefixLists: [SecurityGroupRange("pl-0123456789abcdef0")]),
        ])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, groupPairs: [SecurityGroupPair(groupID: web)]),
            IPPermission(ipProtocol: "-1", fromPort: -1, toPort: -1, groupPairs: [SecurityGroupPair(groupID: app)]),
            IPPermission(ipProtocol: "icmp", fromPort: 8, toPort: 0, ipv4Ranges: [SecurityGroupRange("10.61.0.0/16", description: "Ping")]),
            IPPermission(ipProtocol: "50", fromPort: -1, toPort: -1, ipv4Ranges: [SecurityGroupRange("10.0.0.0/8", description: "ESP")]),
            IPPermission(ipProtocol: "udp", fromPort: 0, toPort: 65535, ipv4Ranges: [SecurityGroupRange("10.61.0.0/16")]),
        ])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: db, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, groupPairs: [SecurityGroupPair(groupID: app)]),
        ])
        for group in [app, db] {
            let defaults = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [group])]).filter(\.isEgress)
            try await ec2.revokeSecurityGroupEgress(groupID: group, ruleIDs: defaults.map(\.ruleID))
        }
        _ = try await ec2.authorizeSecurityGroupEgress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 5432, toPort: 5432, groupPairs: [SecurityGroupPair(groupID: db)]),
        ])
        return (vpc, web, app, db)
    }

    @Test func liveImportIsInSyncAndLaterChangesAreDrift() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try ec2(moto)
        let groups = try await handMade(ec2)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let env = environment(moto)

        let imported = try tool.run(["-con", Self.name, "-act", "import-security-groups", "--vpc-id", groups.vpc], environment: env)
        #expect(imported.exitCode == 0, "\(imported.stdout)\n\(imported.stderr)")
        #expect(imported.stdout.hasSuffix(": 3 tiers (3 adopted groups), 11 rules, 1 group not imported; findings: 0 critical, 0 high, 4 medium, 1 low, 2 info\n"), "\(imported.stdout)")
        #expect(imported.stderr.hasPrefix("sg-provisioner: warning: sg-"), "\(imported.stderr)")
        #expect(imported.stderr.contains(" (default) is not imported: it is the VPC's default group"))
        let config = try tool.read("configs/\(Self.name).yaml")
        #expect(config.contains("# Source: live EC2 in us-east-1 (vpc-id=\(groups.vpc)).\n"))
        #expect(config.contains("vpc_id: \(groups.vpc)\nvpc_cidr: 10.61.0.0/16\n"))
        #expect(config.contains("  app-servers:\n    group_id: \(groups.app)\n    group_name: App Servers\n    group_description: App tier\n"))
        #expect(config.contains("  web-front:\n    group_id: \(groups.web)\n    group_name: launch-wizard-1\n    group_description: \"web: made by hand [v2]\"\n    name_tag: Web Front\n"))
        let scenario = try tool.read("scenarios/\(Self.name).yaml")
        #expect(scenario.contains("      - { protocol: all, source_tier: app-servers }\n"))
        #expect(scenario.contains("      - { protocol: tcp, port: 8080, source_tier: web-front }\n"))
        #expect(scenario.contains(#"      - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: "HTTPS: public & {partners} [v2] *!#" }"#))
        #expect(scenario.contains("      - { protocol: tcp, port: 80, source_prefix_list: pl-0123456789abcdef0 }\n"))
        #expect(scenario.contains("      - { protocol: \"50\", source: 10.0.0.0/8, description: ESP }\n"))
        #expect(scenario.contains("  db:  # \(groups.db) db\n    description: Database\n    ingress:\n      - { protocol: tcp, port: 5432, source_tier: app-servers }\n    egress: []\n"))
        #expect(scenario.contains("    egress:\n      - { protocol: all, destination: 0.0.0.0/0 }\n"), "web keeps AWS's default egress as a rule")

        let check = ["-con", Self.name, "-act", "check-drift"]
        let clean = try tool.run(check, environment: env)
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout == "check-drift: \(Self.name) (live us-east-1): in sync (3 groups, 11 live rules checked)\n")

        // Out of band: SSH from the world on db, app's ping removed.
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: groups.db, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "debug")]),
        ])
        let ping = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [groups.app])])
            .filter { $0.ipProtocol == "icmp" }.map(\.ruleID)
        try await ec2.revokeSecurityGroupIngress(groupID: groups.app, ruleIDs: ping)
        let drifted = try tool.run(check, environment: env)
        #expect(drifted.exitCode == 3, "\(drifted.stdout)\n\(drifted.stderr)")
        let lines = drifted.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "check-drift: \(Self.name) (live us-east-1): DRIFT: 1 added, 1 removed, 0 changed, 0 missing groups, 0 extra groups; worst added rule HIGH")
        #expect(lines.contains("  tier db (\(groups.db) db):"), "\(drifted.stdout)")
        #expect(lines.contains { $0.hasPrefix(#"    + ingress tcp/22 from 0.0.0.0/0  "debug"  HIGH: "#) }, "\(drifted.stdout)")
        #expect(lines.contains { $0.hasPrefix(#"    - ingress icmp type 8 code 0 from 10.61.0.0/16  "Ping"  removed out of band"#) }, "\(drifted.stdout)")

        // show-changes finds the adopted groups by id: deploying would take them in and undo the SSH rule.
        let changes = try tool.run(["-con", Self.name, "-act", "show-changes"], environment: env)
        #expect(changes.exitCode == 3, "\(changes.stdout)\n\(changes.stderr)")
        #expect(changes.stdout.contains("~ tier db (adopts existing group \(groups.db) (db): taken into the stack, not created)\n  - ingress tcp/22 from 0.0.0.0/0 (debug)\n"), "\(changes.stdout)")
        #expect(changes.stdout.contains("~ tier app-servers (adopts existing group \(groups.app) (App Servers): taken into the stack, not created)\n  + ingress icmp type 8 code 0 from 10.61.0.0/16 (Ping)\n"), "\(changes.stdout)")
        #expect(!changes.stderr.contains("REPLACEMENT"), "the live names and descriptions are kept: \(changes.stderr)")

        let create = try tool.run(["-con", Self.name, "-act", "create-security-groups"], environment: env)
        #expect(create.exitCode == 1)
        #expect(create.stderr.contains("error: tiers app-servers (\(groups.app) App Servers), db (\(groups.db) db), web-front (\(groups.web) launch-wizard-1) adopt existing groups that no stack of \(Self.name) holds; creating the stack would create them again under the same name, which AWS refuses."), "\(create.stderr)")
        #expect(create.stderr.contains("[E547]"))

        for outcome in [imported, clean, drifted, changes, create] {
            #expect(!outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
        }
        for log in try tool.reports() where log.hasSuffix(".log") {
            #expect(!(try tool.read("reports/\(log)")).contains(Self.secret))
        }
    }

    @Test func aTagFilterImportsSomeGroupsAndKeepsTheOthersByID() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try ec2(moto)
        let groups = try await handMade(ec2)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let env = environment(moto)
        let imported = try tool.run(
            ["-con", "shop-prod-t01-us-east-1", "-act", "import-security-groups", "--vpc-id", groups.vpc, "--tag-filter", "team=shop"],
            environment: env)
        #expect(imported.exitCode == 0, "\(imported.stdout)\n\(imported.stderr)")
        #expect(imported.stderr.isEmpty, "the default group does not match the filter: \(imported.stderr)")
        let scenario = try tool.read("scenarios/shop-prod-t01-us-east-1.yaml")
        #expect(scenario.contains("      - { protocol: tcp, port: 5432, destination_security_group: \(groups.db) }\n"), "\(scenario)")
        #expect(try tool.read("configs/shop-prod-t01-us-east-1.yaml").contains("# Source: live EC2 in us-east-1 (vpc-id=\(groups.vpc), tag:team=shop).\n"))
        let clean = try tool.run(["-con", "shop-prod-t01-us-east-1", "-act", "check-drift"], environment: env)
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
    }
}
