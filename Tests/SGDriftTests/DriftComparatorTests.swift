import SGDiagnostics
import SGInventory
import SGModel
import SGReports
import Testing

@testable import SGDrift

/// The drift comparison, case by case: each case edits an in-sync copy of the live groups and
/// names exactly the drift it must produce.
@Suite struct DriftComparatorTests {
    // MARK: A small deployment: public web, private app, closed db, worker on AWS default egress.

    static let identity = DeploymentIdentity(company: "acme", environment: "prod", deploymentID: "d01", region: "eu-west-1")
    static let scenarioFile = "scenarios/drift.yaml"

    static func at(_ line: Int) -> RuleLocations { RuleLocations(rule: SourceLocation(file: scenarioFile, line: line, column: 9)) }

    static func rule(_ direction: Direction, _ proto: IPProtocol, _ ports: PortSpec, _ peer: Peer, _ description: String?, line: Int) -> Rule {
        Rule(direction: direction, ipProtocol: proto, ports: ports, peer: peer, description: description, locations: at(line))
    }

    static func cidr(_ text: String) -> Peer {
        guard case .success(let block) = CIDRBlock.parse(text) else { fatalError("bad test CIDR \(text)") }
        return .cidr(block)
    }

    static func port(_ number: Int) -> PortSpec { .ports(PortRange(port: number)) }

    static let deployment: Deployment = {
        let tiers = [
            Tier(name: "web", isPublic: true,
                 ingress: [rule(.ingress, .tcp, port(443), cidr("0.0.0.0/0"), "HTTPS from internet", line: 5)],
                 egress: [rule(.egress, .tcp, port(8080), .tier("app"), "To app", line: 7)],
                 location: SourceLocation(file: scenarioFile, line: 3, column: 3)),
            Tier(name: "app",
                 ingress: [rule(.ingress, .tcp, port(8080), .tier("web"), "From web", line: 11)],
                 egress: [rule(.egress, .tcp, port(5432), .tier("db"), "PostgreSQL", line: 13),
                          rule(.egress, .udp, port(53), cidr("2001:db8::/32"), "DNS", line: 14)],
                 location: SourceLocation(file: scenarioFile, line: 9, column: 3)),
            Tier(name: "db",
                 ingress: [rule(.ingress, .tcp, port(5432), .tier("app"), "From app", line: 18)],
                 egress: [], location: SourceLocation(file: scenarioFile, line: 16, column: 3)),
            Tier(name: "worker",
                 ingress: [rule(.ingress, .icmp, .icmp(type: 8, code: 0), cidr("10.0.0.0/24"), "Ping", line: 22)],
                 usesDefaultEgress: true, location: SourceLocation(file: scenarioFile, line: 20, column: 3)),
        ]
        let config = DeploymentConfig(
            identity: identity, vpcID: "vpc-1", vpcCIDR: nil, scenario: "drift",
            scenarioLocation: SourceLocation(file: "configs/drift.yaml", line: 6, column: 11), file: "configs/drift.yaml")
        return Deployment(config: config, scenario: Scenario(name: "drift", tiers: tiers, file: scenarioFile), tiers: tiers)
    }()

    static let liveLocation = SourceLocation(file: "snapshot.json", line: 1, column: 1)

    static func live(_ key: RuleKey, _ description: String?, id: String) -> LiveRule {
        LiveRule(key: key, description: description, ruleID: id, location: liveLocation)
    }

    static let placeholder = RuleKey(direction: .egress, ipProtocol: .icmp, ports: .icmp(type: 252, code: 86), peer: .cidr(.ipv4(0xFFFF_FFFF, prefix: 32)))

    /// The groups exactly as the config wants them: tier peers as group ids, db with the no-op
    /// egress rule, worker with AWS's default egress.
    static func inSyncGroups() -> [LiveSecurityGroup] {
        deployment.tiers.map { tier in
            func liveRules(_ rules: [Rule]) -> [LiveRule] {
                rules.enumerated().map { index, rule in
                    var key = rule.key
                    if case .tier(let name) = key.peer { key.peer = .securityGroup("sg-\(name)") }
                    return live(key, rule.description, id: "sgr-\(tier.name)-\(rule.direction.rawValue)-\(index)")
                }
            }
            var egress = liveRules(tier.egress)
            if tier.name == "db" { egress.append(live(placeholder, "closed", id: "sgr-db-placeholder")) }
            if tier.usesDefaultEgress { egress.append(live(DriftComparator.awsDefaultEgress, nil, id: "sgr-worker-default")) }
            return LiveSecurityGroup(
                groupID: "sg-\(tier.name)", name: identity.groupName(tier: tier.name), vpcID: "vpc-1",
                tags: [DeploymentIdentity.deploymentTagKey: identity.qualifiedName, DeploymentIdentity.tierTagKey: tier.name],
                ingress: liveRules(tier.ingress), egress: egress, location: liveLocation)
        }
    }

    static func key(_ direction: Direction, _ proto: IPProtocol, _ ports: PortSpec, _ peer: Peer) -> RuleKey {
        RuleKey(direction: direction, ipProtocol: proto, ports: ports, peer: peer)
    }

    static func editing(_ tier: String, _ edit: @escaping @Sendable (inout LiveSecurityGroup) -> Void) -> @Sendable ([LiveSecurityGroup]) -> [LiveSecurityGroup] {
        { groups in groups.map { group in
            var group = group
            if group.tierTag == tier { edit(&group) }
            return group
        } }
    }

    static func group(_ id: String, tier: String?, deployment: String? = identity.qualifiedName, vpc: String = "vpc-1",
                      ingress: [LiveRule] = []) -> LiveSecurityGroup {
        var tags: [String: String] = [:]
        if let deployment { tags[DeploymentIdentity.deploymentTagKey] = deployment }
        if let tier { tags[DeploymentIdentity.tierTagKey] = tier }
        return LiveSecurityGroup(groupID: id, name: "other-\(id)", vpcID: vpc, tags: tags, ingress: ingress, location: liveLocation)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var edit: @Sendable ([LiveSecurityGroup]) -> [LiveSecurityGroup]
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "in sync, closed egress shown as the no-op rule", edit: { $0 }, expected: []),
        Case(name: "closed egress shown as no egress at all",
             edit: editing("db") { $0.egress.removeAll() }, expected: []),
        Case(name: "closed group that kept AWS's allow-all egress",
             edit: editing("db") { $0.egress = [live(DriftComparator.awsDefaultEgress, nil, id: "sgr-x")] },
             expected: ["+ db egress all traffic to 0.0.0.0/0 MEDIUM [SG-EGRESS-WORLD-ALL] sgr-x"]),
        Case(name: "default egress removed",
             edit: editing("worker") { $0.egress.removeAll() },
             expected: ["- worker egress all traffic to 0.0.0.0/0 @AWS default"]),
        Case(name: "default egress with its IPv6 twin",
             edit: editing("worker") { $0.egress.append(live(DriftComparator.awsDefaultEgressIPv6, nil, id: "sgr-v6")) },
             expected: []),
        Case(name: "protocol spelled 17 and port range as AWS numbers",
             edit: editing("app") { group in
                 guard case .success(let decoded) = PermissionDecoder.decode(ipProtocol: "17", fromPort: 53, toPort: 53) else { return }
                 group.egress[1].key = key(.egress, decoded.0, decoded.1, cidr("2001:db8::/32"))
             },
             expected: []),
        Case(name: "IPv6 spelled in upper case with a zero run",
             edit: editing("app") { group in
                 group.egress[1].key.peer = cidr("2001:DB8:0:0::/32")
             },
             expected: []),
        Case(name: "description changed out of band",
             edit: editing("web") { $0.ingress[0].description = "temporarily edited" },
             expected: ["~ web ingress tcp/443 from 0.0.0.0/0 \"HTTPS from internet\" -> \"temporarily edited\""]),
        Case(name: "description removed out of band (AWS reports it empty)",
             edit: editing("web") { $0.ingress[0].description = "" },
             expected: ["~ web ingress tcp/443 from 0.0.0.0/0 \"HTTPS from internet\" -> nil"]),
        Case(name: "SSH from the world added out of band",
             edit: editing("app") { $0.ingress.append(live(key(.ingress, .tcp, port(22), .cidr(.anyIPv4)), "debug", id: "sgr-ssh")) },
             expected: ["+ app ingress tcp/22 from 0.0.0.0/0 HIGH [SG-WORLD-ADMIN] sgr-ssh"]),
        Case(name: "database port from the world added out of band",
             edit: editing("db") { $0.ingress.append(live(key(.ingress, .tcp, port(5432), .cidr(.anyIPv6)), nil, id: "sgr-pg")) },
             expected: ["+ db ingress tcp/5432 from ::/0 CRITICAL [SG-WORLD-DB] sgr-pg"]),
        Case(name: "tier reference added out of band is LOW (preferred)",
             edit: editing("db") { $0.ingress.append(live(key(.ingress, .tcp, port(5432), .securityGroup("sg-web")), nil, id: "sgr-w")) },
             expected: ["+ db ingress tcp/5432 from tier web LOW (preferred) sgr-w"]),
        Case(name: "rule removed out of band",
             edit: editing("web") { $0.ingress.removeAll() },
             expected: ["- web ingress tcp/443 from 0.0.0.0/0 @scenarios/drift.yaml:5:9"]),
        Case(name: "port widened: one removed, one added",
             edit: editing("app") { $0.ingress[0].key.ports = .ports(PortRange(8000, 8100)) },
             expected: ["+ app ingress tcp/8000-8100 from tier web LOW (preferred) sgr-app-ingress-0",
                        "- app ingress tcp/8080 from tier web @scenarios/drift.yaml:11:9"]),
        Case(name: "missing group",
             edit: { groups in
                 editing("app") { $0.egress.remove(at: 0) }(groups).filter { $0.tierTag != "db" }
             },
             expected: ["- app egress tcp/5432 to tier db @scenarios/drift.yaml:13:9", "missing db acme-prod-d01-db"]),
        Case(name: "extra group tagged for a tier the config lacks, rated",
             edit: { $0 + [group("sg-cache", tier: "cache", ingress: [live(key(.ingress, .tcp, port(6379), .cidr(.anyIPv4)), nil, id: "sgr-c")])] },
             expected: ["extra sg-cache tagged for tier 'cache', which the config does not have",
                        "+ cache (sg-cache) ingress tcp/6379 from 0.0.0.0/0 CRITICAL [SG-WORLD-DB]"]),
        Case(name: "second group tagged for a tier",
             edit: { $0 + [group("sg-0web2", tier: "web")] },
             expected: ["extra sg-0web2 a second group tagged for tier 'web' (sg-web is the one compared)"]),
        Case(name: "group of this deployment without a tier tag",
             edit: { $0 + [group("sg-notier", tier: nil)] },
             expected: ["extra sg-notier tagged for this deployment without an sg-provisioner:tier tag"]),
        Case(name: "other deployments, untagged groups and other VPCs are ignored",
             edit: { $0 + [group("sg-o1", tier: "web", deployment: "acme-prod-d02-eu-west-1"), group("sg-o2", tier: nil, deployment: nil),
                           group("sg-o3", tier: "web", vpc: "vpc-2")] },
             expected: ["note sg-o3 is tagged for this deployment but is in vpc-2, not the config's vpc-1; ignored"]),
    ]

    /// The comparison in one line per difference, so each case reads as its expected drift.
    static func lines(_ comparison: DriftComparator.Comparison) -> [String] {
        var out: [String] = []
        func added(_ rule: DriftAddedRule) -> String {
            let ids = Array(Set(rule.findings.map(\.id))).sorted()
            return "+ \(rule.tier) \(rule.key) \(rule.riskLabel)" + (ids.isEmpty ? "" : " [\(ids.joined(separator: ", "))]")
                + (rule.ruleID.map { " \($0)" } ?? "")
        }
        for group in comparison.groups {
            out += group.added.map(added)
            out += group.removed.map { "- \($0.tier) \($0.key) @\($0.configLocation?.description ?? "AWS default")" }
            out += group.changed.map { "~ \($0.tier) \($0.key) \($0.expectedDescription.map { "\"\($0)\"" } ?? "nil") -> \($0.liveDescription.map { "\"\($0)\"" } ?? "nil")" }
        }
        out += comparison.missingGroups.map { "missing \($0.tier) \($0.expectedName)" }
        for extra in comparison.extraGroups {
            out.append("extra \(extra.groupID) \(extra.reason)")
            out += extra.rules.map(added)
        }
        out += comparison.notes.map { "note \($0)" }
        return out
    }

    static let today = CalendarDate(year: 2026, month: 6, day: 1)

    @Test(arguments: cases)
    func comparison(_ testCase: Case) {
        let comparator = DriftComparator(deployment: Self.deployment, today: Self.today)
        let comparison = comparator.compare(liveGroups: testCase.edit(Self.inSyncGroups()), keepLocations: true)
        #expect(Self.lines(comparison) == testCase.expected)
    }

    @Test func tierPeersMapThroughTheDeploymentsOwnGroupsOnly() {
        // sg-web is ours, so the reference reads as tier web; sg-foreign stays a group id.
        var groups = Self.inSyncGroups()
        groups[2].ingress.append(Self.live(Self.key(.ingress, .tcp, Self.port(5432), .securityGroup("sg-foreign")), nil, id: "sgr-f"))
        let comparison = DriftComparator(deployment: Self.deployment, today: Self.today).compare(liveGroups: groups, keepLocations: false)
        #expect(Self.lines(comparison) == ["+ db ingress tcp/5432 from sg-foreign LOW sgr-f"])
        #expect(comparison.groupIDsByTier == ["web": "sg-web", "app": "sg-app", "db": "sg-db", "worker": "sg-worker"])
    }

    @Test func snapshotLocationsAreKeptOnlyWhenAsked() {
        var groups = Self.inSyncGroups()
        groups[1].ingress.append(Self.live(Self.key(.ingress, .tcp, Self.port(22), .cidr(.anyIPv4)), nil, id: "sgr-1"))
        let comparator = DriftComparator(deployment: Self.deployment, today: Self.today)
        #expect(comparator.compare(liveGroups: groups, keepLocations: true).groups[1].added.first?.location == Self.liveLocation)
        #expect(comparator.compare(liveGroups: groups, keepLocations: false).groups[1].added.first?.location == nil)
    }

    // MARK: Revert plan

    @Test func revertPlanRevokesAddedRulesByIDBeforeRestoringRemovedOnes() {
        var groups = Self.inSyncGroups()
        groups[0].ingress.removeAll()  // web loses HTTPS
        groups[1].ingress.append(Self.live(Self.key(.ingress, .tcp, Self.port(22), .cidr(.anyIPv4)), "debug", id: "sgr-ssh"))
        groups[1].egress.remove(at: 0)  // app loses PostgreSQL to tier db
        let comparison = DriftComparator(deployment: Self.deployment, today: Self.today).compare(liveGroups: groups, keepLocations: false)
        let (plan, steps) = DriftRevertPlanner(deployment: Self.deployment).plan(comparison)
        let lines = plan.commands.map { command in
            "\(command.id) \(command.action) \(command.resource) \(DriftPhrases.parameters(command.parameters)) | "
                + "\(command.rollback.map { "\($0.action) \(DriftPhrases.parameters($0.parameters))" } ?? "-")"
        }
        #expect(lines == [
            #"1 RevokeSecurityGroupIngress sg-app {"GroupId": "sg-app", "SecurityGroupRuleIds": ["sgr-ssh"]} | AuthorizeSecurityGroupIngress {"GroupId": "sg-app", "IpPermissions": [{"FromPort": 22, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "debug"}], "ToPort": 22}]}"#,
            #"2 AuthorizeSecurityGroupIngress sg-web {"GroupId": "sg-web", "IpPermissions": [{"FromPort": 443, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from internet"}], "ToPort": 443}]} | RevokeSecurityGroupIngress {"GroupId": "sg-web", "IpPermissions": [{"FromPort": 443, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from internet"}], "ToPort": 443}]}"#,
            #"3 AuthorizeSecurityGroupEgress sg-app {"GroupId": "sg-app", "IpPermissions": [{"FromPort": 5432, "IpProtocol": "tcp", "ToPort": 5432, "UserIdGroupPairs": [{"Description": "PostgreSQL", "GroupId": "sg-db"}]}]} | RevokeSecurityGroupEgress {"GroupId": "sg-app", "IpPermissions": [{"FromPort": 5432, "IpProtocol": "tcp", "ToPort": 5432, "UserIdGroupPairs": [{"Description": "PostgreSQL", "GroupId": "sg-db"}]}]}"#,
        ])
        #expect(plan.finding.severity == .high)
        #expect(plan.id.wholeMatch(of: #/revert-[0-9a-f]{12}/#) != nil)
        #expect(steps.allSatisfy { $0.operation != nil }, "live rules have ids, so every step can run")
        #expect(plan.warnings.isEmpty)
    }

    @Test func snapshotPlansNamePermissionsAndCannotRun() {
        var groups = Self.inSyncGroups()
        groups[1].ingress.append(LiveRule(
            key: Self.key(.ingress, .tcp, Self.port(3389), .cidr(.anyIPv4)), description: nil, ruleID: nil, location: Self.liveLocation))
        let comparison = DriftComparator(deployment: Self.deployment, today: Self.today).compare(liveGroups: groups, keepLocations: true)
        let (plan, steps) = DriftRevertPlanner(deployment: Self.deployment).plan(comparison)
        #expect(plan.commands.map { DriftPhrases.parameters($0.parameters) } == [
            #"{"GroupId": "sg-app", "IpPermissions": [{"FromPort": 3389, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "ToPort": 3389}]}"#,
        ])
        #expect(steps.map { $0.operation == nil } == [true])
        #expect(plan.notes.first?.hasPrefix("compared with a snapshot") == true)
    }

    @Test func driftThePlanCannotRevertBecomesWarnings() {
        var groups = Self.inSyncGroups().filter { $0.tierTag != "db" }
        groups[1].egress.remove(at: 0)
        groups[0].ingress[0].description = "edited"
        groups.append(Self.group("sg-cache", tier: "cache"))
        let comparison = DriftComparator(deployment: Self.deployment, today: Self.today).compare(liveGroups: groups, keepLocations: false)
        let (plan, steps) = DriftRevertPlanner(deployment: Self.deployment).plan(comparison)
        #expect(steps.isEmpty)
        #expect(plan.summary == "nothing to revert at rule level")
        #expect(plan.warnings == [
            "cannot restore egress tcp/5432 to tier db on tier app: its peer tier has no live group; redeploy with create-security-groups",
            "description of ingress tcp/443 from 0.0.0.0/0 on tier web (sg-web) differs from the config; not reverted here: redeploy with create-security-groups or restore \"HTTPS from internet\" by hand",
            "tier db has no live group; redeploy with create-security-groups",
            "sg-cache (other-sg-cache) is tagged for tier 'cache', which the config does not have; review it and delete it by hand if nobody needs it",
        ])
    }
}
