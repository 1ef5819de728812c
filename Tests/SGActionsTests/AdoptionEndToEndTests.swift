import Foundation
import SGAWS
import SGTestSupport
import Testing

/// One imported deployment through show-changes, create-security-groups --adopt, check-drift and
/// delete-security-groups, with the BUILT BINARY: EC2 is the local AWS (moto: the groups made by
/// hand, their rule ids, the tags and the rule the preparation adds), CloudFormation is the stub
/// (moto has no IMPORT change sets), which checks every request against botocore's model and
/// botocore's signer, and refuses imports as CloudFormation does. The stub does not carry a
/// template's changes out in EC2; what it takes in and what it is sent is asserted here.
@Suite(.serialized) struct AdoptionEndToEndTests {
    /// A deployment id of this run only: the local AWS may hold groups tagged by earlier runs, and
    /// the delete check looks at every group tagged with the deployment in the region.
    static let name = "shop-dev-a\(UUID().uuidString.prefix(6).lowercased())-us-east-1"
    static let secret = "adopt-e2e-secret-77c1"
    static let other = "shop-dev-b\(UUID().uuidString.prefix(6).lowercased())-us-east-1"

    struct Peer {
        var moto: MotoServer
        var stub: CloudFormationStub
        var ec2: EC2Client
        var environment: [String: String]
    }

    static func peer() async throws -> Peer {
        let moto = try await MotoServer.shared()
        let stub = try CloudFormationStub.start(credentials: ["testing": secret], region: "us-east-1", ec2Endpoint: moto.endpoint)
        let ec2 = try AWSSession(
            region: "us-east-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport()
        ).ec2()
        let environment = [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ENDPOINT_URL_CLOUDFORMATION": stub.endpoint.absoluteString,
        ]
        return Peer(moto: moto, stub: stub, ec2: ec2, environment: environment)
    }

    /// web (world HTTPS, AWS's default egress, a Name and a team tag), app (from web, ping, egress
    /// to db only), db (from app, no egress): what teams build by hand.
    static func handMade(_ ec2: EC2Client) async throws -> (vpc: String, web: String, app: String, db: String) {
        let vpc = try await ec2.createVpc(cidrBlock: "10.62.0.0/16").vpcID
        let web = try await ec2.createSecurityGroup(name: "launch-wizard-1", description: "web: made by hand", vpcID: vpc)
        let app = try await ec2.createSecurityGroup(name: "App Servers", description: "App tier", vpcID: vpc)
        let db = try await ec2.createSecurityGroup(name: "db", description: "Database", vpcID: vpc)
        try await ec2.createTags(resourceIDs: [web], tags: [AWSTag(key: "Name", value: "Web Front"), AWSTag(key: "team", value: "shop")])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: web, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 443, toPort: 443, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "HTTPS")]),
        ])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 8080, toPort: 8080, groupPairs: [SecurityGroupPair(groupID: web)]),
            IPPermission(ipProtocol: "icmp", fromPort: 8, toPort: 0, ipv4Ranges: [SecurityGroupRange("10.62.0.0/16", description: "Ping")]),
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

    /// The rule id of the one rule of `group` matching `port` and direction.
    static func ruleID(_ ec2: EC2Client, _ group: String, port: Int, egress: Bool) async throws -> String {
        let rules = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [group])])
        return try #require(rules.first { $0.isEgress == egress && $0.fromPort == port }?.ruleID)
    }

    @Test func anImportedDeploymentIsAdoptedWithoutReplacingAnything() async throws {
        let peer = try await Self.peer()
        defer { peer.stub.stop() }
        let groups = try await Self.handMade(peer.ec2)
        let rules = (
            appFromWeb: try await Self.ruleID(peer.ec2, groups.app, port: 8080, egress: false),
            appToDb: try await Self.ruleID(peer.ec2, groups.app, port: 5432, egress: true),
            dbFromApp: try await Self.ruleID(peer.ec2, groups.db, port: 5432, egress: false))
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        func run(_ arguments: [String]) throws -> ToolRunner.Outcome {
            try tool.run(["-con", Self.name] + arguments, environment: peer.environment)
        }
        let stack = "\(Self.name)-sg-stack"

        let imported = try run(["-act", "import-security-groups", "--vpc-id", groups.vpc])
        #expect(imported.exitCode == 0, "\(imported.stdout)\n\(imported.stderr)")

        // Without --adopt: refused, and told what to add.
        let plain = try run(["-act", "create-security-groups"])
        #expect(plain.exitCode == 1)
        #expect(plain.stderr.contains("Add --adopt to take them into the stack by CloudFormation resource import, without replacing them; -act show-changes shows what that does [E547]"), "\(plain.stderr)")

        // show-changes: what adoption does, step by step, and that no group is replaced.
        let preview = try run(["-act", "show-changes"])
        #expect(preview.exitCode == 3, "\(preview.stdout)\n\(preview.stderr)")
        #expect(!preview.stderr.contains("REPLACEMENT"), "\(preview.stderr)")
        #expect(preview.stdout.contains("adoption (create-security-groups --adopt): 3 existing groups taken into the stack, none replaced\n"), "\(preview.stdout)")
        #expect(preview.stdout.contains("     tag \(groups.web) (web-front): sg-provisioner:deployment=\(Self.name), sg-provisioner:tier=web-front\n"))
        #expect(preview.stdout.contains("     add the egress rule that matches no traffic to \(groups.db) (db): its declared egress has nothing else on the group\n"))
        #expect(preview.stdout.contains("  2. import into stack \(stack) (new stack; IMPORT change set, 6 resources; changes nothing in AWS):\n"))
        #expect(preview.stdout.contains("     WebFrontSecurityGroup  AWS::EC2::SecurityGroup  \(groups.web)  group launch-wizard-1  DeletionPolicy Retain\n"))
        #expect(preview.stdout.contains("     AppServersIngressTcp8080FromWebFront  AWS::EC2::SecurityGroupIngress  \(rules.appFromWeb)  ingress tcp/8080 from tier web-front  DeletionPolicy Retain\n"))
        #expect(preview.stdout.contains("     tier web-front: - tag team=shop (not in the config)\n"))
        #expect(preview.stdout.contains("  no group is replaced: each adopted group keeps its id, GroupName, GroupDescription and VpcId\n"))
        #expect(preview.stdout.contains("  rules already live are imported by rule id (sgr-), never authorised again (no InvalidPermission.Duplicate)\n"))
        let previewJSON = try run(["-act", "show-changes", "--output", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(previewJSON.stdout.utf8)) as? [String: Any])
        let adoption = try #require((document["plan"] as? [String: Any])?["adoption"] as? [String: Any])
        #expect(adoption["replaces_groups"] as? Bool == false && adoption["deployable"] as? Bool == true)
        #expect((adoption["imports"] as? [[String: Any]])?.first?["stack"] as? String == stack)
        #expect(try await peer.stub.requests().allSatisfy { $0.action.hasPrefix("Describe") || $0.action == "GetTemplate" }, "show-changes changes nothing")

        // --adopt: prepare, import, update, verify.
        let adopt = try run(["-act", "create-security-groups", "--adopt"])
        #expect(adopt.exitCode == 0, "\(adopt.stdout)\n\(adopt.stderr)")
        #expect(adopt.stderr.isEmpty, "no warning, no verification difference: \(adopt.stderr)")
        #expect(adopt.stdout.contains("adopted group \(groups.db) (tier db): egress rule that matches no traffic added (egress icmp type 252 code 86 to 255.255.255.255/32)\n"))
        #expect(adopt.stdout.contains("  Import  AWS::EC2::SecurityGroupEgress  AppServersEgressTcp5432ToDb  \(rules.appToDb)\n"), "\(adopt.stdout)")
        #expect(adopt.stdout.contains("IMPORT_COMPLETE  AWS::CloudFormation::Stack  \(stack)"))
        #expect(adopt.stdout.contains("updating stack \(stack)\n"))
        #expect(adopt.stdout.hasSuffix("create-security-groups: \(Self.name): \(stack) imported, updated; OK\n"), "\(adopt.stdout)")

        let requests = try await peer.stub.requests()
        #expect(requests.allSatisfy { $0.signatureOK }, "botocore verifies every signature")
        let failed = requests.filter { $0.error != nil }
        #expect(failed.allSatisfy { $0.action == "DescribeStacks" }, "only the lookups of stacks that do not exist fail: \(failed)")
        let sent = requests.map(\.action).filter { !$0.hasPrefix("Describe") && $0 != "GetTemplate" }
        #expect(sent == ["CreateChangeSet", "ExecuteChangeSet", "UpdateStack"], "\(sent)")
        let importRequest = try #require(requests.first { $0.action == "CreateChangeSet" }?.params)
        #expect(importRequest["ChangeSetType"] == "IMPORT")
        let identifiers = (1...6).map { index in
            "\(importRequest["ResourcesToImport.member.\(index).LogicalResourceId"] ?? "")=\(importRequest["ResourcesToImport.member.\(index).ResourceIdentifier.entry.1.value"] ?? "")"
        }
        #expect(identifiers == [
            "AppServersSecurityGroup=\(groups.app)", "DbSecurityGroup=\(groups.db)", "WebFrontSecurityGroup=\(groups.web)",
            "AppServersIngressTcp8080FromWebFront=\(rules.appFromWeb)", "AppServersEgressTcp5432ToDb=\(rules.appToDb)",
            "DbIngressTcp5432FromAppServers=\(rules.dbFromApp)",
        ])
        #expect((1...6).allSatisfy { importRequest["ResourcesToImport.member.\($0).ResourceIdentifier.entry.1.key"] == "Id" })
        // The import template: cfn-lint finds no error, and it states the live groups as they are.
        let importTemplate = try #require(importRequest["TemplateBody"])
        try tool.write(importTemplate, to: "reports/import-template.yaml")
        let lint = try CfnLint.run([tool.directory.appendingPathComponent("reports/import-template.yaml").path])
        #expect(lint.filter { $0.level == "Error" }.isEmpty, "\(lint)")
        #expect(lint.isEmpty, "not even a warning: \(lint)")
        #expect(importTemplate.contains("        - Key: team\n          Value: shop\n"), "live tags as they are")
        #expect(importTemplate.contains("          Description: Ping\n"))
        #expect(!importTemplate.contains("Outputs:") && !importTemplate.contains("AWS::SSM::Parameter"), "an import adds nothing else")
        // The update is the compiled template, exactly as create-prov-template writes it.
        let compiled = try run(["-act", "create-prov-template"])
        #expect(compiled.exitCode == 0)
        let update = try #require(requests.first { $0.action == "UpdateStack" }?.params)
        #expect(update["TemplateBody"] == (try tool.read("reports/\(stack)-template.yaml")))

        // EC2 after the preparation: tagged, closed tiers closed the way the template says.
        let live = try await peer.ec2.describeSecurityGroups(groupIDs: [groups.web, groups.app, groups.db])
        #expect(live.allSatisfy { $0.tags.contains(AWSTag(key: "sg-provisioner:deployment", value: Self.name)) })
        let dbEgress = try await peer.ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [groups.db])]).filter(\.isEgress)
        #expect(dbEgress.map { "\($0.ipProtocol) \($0.fromPort ?? 0)/\($0.toPort ?? 0) \($0.cidrIPv4 ?? "")" } == ["icmp 252/86 255.255.255.255/32"])

        let drift = try run(["-act", "check-drift"])
        #expect(drift.exitCode == 0, "\(drift.stdout)\n\(drift.stderr)")
        let settled = try run(["-act", "show-changes"])
        #expect(settled.exitCode == 0 && settled.stdout == "show-changes: \(Self.name): no changes\n", "\(settled.stdout)\n\(settled.stderr)")

        // Nothing left to adopt: an ordinary update, which needs --force like any.
        let again = try run(["-act", "create-security-groups", "--adopt"])
        #expect(again.exitCode == 1)
        #expect(again.stdout.contains("--adopt: every adopted group is in a stack already; nothing to import\n"))
        #expect(again.stderr.contains("stack \(stack) already exists; updating needs --force"))

        // Delete: the adopted groups stay, reported as retained, not as a failure.
        let deleted = try run(["-act", "delete-security-groups", "--force"])
        #expect(deleted.exitCode == 0, "\(deleted.stdout)\n\(deleted.stderr)")
        #expect(deleted.stdout.contains("stack \(stack): deleting it also revokes 3 rule(s) it holds as resources of their own on the groups it retains:"
            + " AppServersIngressTcp8080FromWebFront, AppServersEgressTcp5432ToDb, DbIngressTcp5432FromAppServers; the groups and their inline rules stay\n"), "\(deleted.stdout)")
        for (logical, id, name, tier) in [("WebFrontSecurityGroup", groups.web, "launch-wizard-1", "web-front"), ("DbSecurityGroup", groups.db, "db", "db")] {
            #expect(deleted.stdout.contains("retained (DeletionPolicy Retain, stack \(stack) resource \(logical)): \(id) (\(name), tier \(tier), \(groups.vpc))\n"),
                    "\(deleted.stdout)")
        }
        #expect(try await peer.ec2.describeSecurityGroups(groupIDs: [groups.web, groups.app, groups.db]).count == 3)
        // With no stack left, the config's adopted groups are still not "remaining".
        let nothing = try run(["-act", "delete-security-groups", "--force"])
        #expect(nothing.exitCode == 0, "\(nothing.stdout)\n\(nothing.stderr)")
        #expect(nothing.stdout.contains("retained (adopted_groups.app-servers of "), "\(nothing.stdout)")

        for outcome in [imported, plain, preview, adopt, drift, deleted] {
            #expect(!outcome.stdout.contains(Self.secret) && !outcome.stderr.contains(Self.secret))
        }
        for log in try tool.reports() where log.hasSuffix(".log") {
            #expect(!(try tool.read("reports/\(log)")).contains(Self.secret))
        }
    }

    @Test func anAdoptionThatWouldReplaceAGroupIsRefusedBeforeAnythingIsSent() async throws {
        let peer = try await Self.peer()
        defer { peer.stub.stop() }
        let groups = try await Self.handMade(peer.ec2)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        func run(_ arguments: [String]) throws -> ToolRunner.Outcome {
            try tool.run(["-con", Self.other] + arguments, environment: peer.environment)
        }
        #expect(try run(["-act", "import-security-groups", "--vpc-id", groups.vpc]).exitCode == 0)
        let config = try tool.read("configs/\(Self.other).yaml")
        try tool.write(config.replacingOccurrences(of: "group_description: Database", with: "group_description: Databases"), to: "configs/\(Self.other).yaml")

        let preview = try run(["-act", "show-changes"])
        #expect(preview.exitCode == 3)
        #expect(preview.stderr.contains("!! REPLACEMENT"), "\(preview.stderr)")
        #expect(preview.stderr.contains("warning: create-security-groups --adopt would refuse: tier db: GroupDescription \"Databases\" in the compiled template, \"Database\" on the live group \(groups.db): CloudFormation would replace the group; set group_description under adopted_groups.db back to it [W570]"), "\(preview.stderr)")
        #expect(preview.stdout.contains("3 existing groups taken into the stack, 1 would be REPLACED (refused)\n"))

        let adopt = try run(["-act", "create-security-groups", "--adopt"])
        #expect(adopt.exitCode == 1)
        #expect(adopt.stderr.contains("configs/\(Self.other).yaml:"), "located at the adopted_groups entry: \(adopt.stderr)")
        #expect(adopt.stderr.contains("error: tier db: GroupDescription \"Databases\" in the compiled template, \"Database\" on the live group \(groups.db)"))
        #expect(adopt.stderr.contains("[E570]"))
        #expect(try await peer.stub.requests().allSatisfy { $0.action.hasPrefix("Describe") || $0.action == "GetTemplate" }, "nothing sent to CloudFormation")
        let live = try await peer.ec2.describeSecurityGroups(groupIDs: [groups.db]).first
        #expect(live?.tags.contains { $0.key == "sg-provisioner:deployment" } == false, "and nothing prepared in EC2")
    }

    @Test func theDeployPolicyLetsAdoptTagTheAdoptedGroupsByIDOnly() async throws {
        let peer = try await Self.peer()
        defer { peer.stub.stop() }
        let groups = try await Self.handMade(peer.ec2)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        #expect(try tool.run(["-con", Self.other, "-act", "import-security-groups", "--vpc-id", groups.vpc], environment: peer.environment).exitCode == 0)
        let policy = try tool.run(["-con", Self.other, "-act", "create-iam-policy"], environment: peer.environment)
        #expect(policy.exitCode == 0, "\(policy.stderr)")
        let text = try tool.read("reports/\(Self.other)-iam-deploy-policy.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let statements = try #require(document["Statement"] as? [[String: Any]])
        let tagging = try #require(statements.first { $0["Sid"] as? String == "TagAdoptedGroupsForTheDeployment" })
        #expect(tagging["Action"] as? [String] == ["ec2:CreateTags"])
        #expect(tagging["Resource"] as? [String] == [groups.app, groups.db, groups.web].sorted().map { "arn:aws:ec2:us-east-1:*:security-group/\($0)" })
        let changeSets = try #require(statements.first { $0["Sid"] as? String == "ChangeSetsImportOnlySecurityGroupsAndRules" })
        let condition = changeSets["Condition"] as? [String: [String: Any]]
        #expect(condition?["ForAllValues:StringEquals"]?["cloudformation:ImportResourceTypes"] as? [String]
            == ["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroupIngress"])
    }

    @Test func aDeploymentWithTargetsHasNothingToAdopt() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write("""
            company_prefix: fleettest
            environment: dev
            deployment_id: a01
            region: us-east-1
            scenario: three-tier-web
            targets:
              - { account: "111111111111", region: us-east-1, vpc_id: vpc-0a1b2c3d4e5f60001, vpc_cidr: 10.1.0.0/16 }

            """, to: "configs/fleet.yaml")
        let refused = try tool.run(["-con", "fleet", "-act", "create-security-groups", "--adopt"], environment: OptionsWalkTests.unreachable)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("error: --adopt takes existing groups of one account and VPC (adopted_groups) into a stack; a deployment with targets has none and creates its groups in every target [E560]"), "\(refused.stderr)")
    }
}
