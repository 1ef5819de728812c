import Foundation
import SGAWS
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGActions

private let here = SourceLocation(file: "scenarios/t.yaml", line: 1, column: 1)

private func rule(_ direction: Direction, _ ipProtocol: IPProtocol, _ port: Int?, _ peer: Peer, _ description: String? = nil) -> Rule {
    Rule(direction: direction, ipProtocol: ipProtocol, ports: port.map { .ports(PortRange(port: $0)) } ?? .all, peer: peer,
         description: description, locations: RuleLocations(rule: here))
}

private func deployment(_ tiers: [Tier], environment: String = "dev") -> Deployment {
    let identity = DeploymentIdentity(company: "acme", environment: environment, deploymentID: "d01", region: "eu-west-1")
    let config = DeploymentConfig(identity: identity, vpcID: "vpc-1", scenario: "t", scenarioLocation: here, file: "configs/t.yaml")
    return Deployment(config: config, scenario: Scenario(name: "t", tiers: tiers, file: "scenarios/t.yaml"), tiers: tiers)
}

private let world = Peer.cidr(.anyIPv4)

private func threeTiers(dbPort: Int = 5432, appDescription: String = "Application servers", pgDescription: String = "PostgreSQL") -> Deployment {
    deployment([
        Tier(name: "web", description: "Load balancers", ingress: [rule(.ingress, .tcp, 443, world, "HTTPS")],
             egress: [rule(.egress, .tcp, 8080, .tier("app"))], location: here),
        Tier(name: "app", description: appDescription, ingress: [rule(.ingress, .tcp, 8080, .tier("web"), "From web")],
             egress: [rule(.egress, .tcp, dbPort, .tier("db"), pgDescription)], location: here),
        Tier(name: "db", description: "Database", ingress: [rule(.ingress, .tcp, dbPort, .tier("app"))], egress: [], location: here),
    ])
}

private func rules(_ deployment: Deployment) -> TemplateRules {
    TemplateRuleReader.read(TemplateCompiler(toolVersion: "test").compile(deployment).stacks)
}

@Suite struct ChangePlanTests {
    @Test func identicalTemplatesHaveNoChanges() {
        let plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers()))
        #expect(!plan.hasChanges)
        #expect(plan.renderText() == "")
    }

    @Test func ruleAndDescriptionChangesAndReplacementsAreListedPerTier() {
        let plan = ChangePlan.compare(
            deployed: rules(threeTiers()),
            desired: rules(threeTiers(dbPort: 5433, appDescription: "App servers", pgDescription: "PostgreSQL")))
        #expect(plan.renderText() == """
            tier app:
              - egress tcp/5432 to tier db (PostgreSQL)
              + egress tcp/5433 to tier db (PostgreSQL)
            tier db:
              - ingress tcp/5432 from tier app
              + ingress tcp/5433 from tier app

            """)
        #expect(plan.replacements.map(\.logicalID) == ["AppSecurityGroup"])
        #expect(plan.replacements.first?.reason == #"GroupDescription "Application servers" -> "App servers""#)
        #expect(plan.replacementBanner().contains("!! REPLACEMENT: CloudFormation would DELETE and RECREATE 1 resource(s)."))
        #expect(plan.hasChanges)
    }

    @Test func descriptionOnlyChangeIsATilde() {
        let plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(threeTiers(pgDescription: "PostgreSQL via pool")))
        #expect(plan.ruleChanges.map(ChangePlan.line) == [#"~ egress tcp/5432 to tier db: description "PostgreSQL" -> "PostgreSQL via pool""#])
        #expect(plan.replacements.isEmpty)
    }

    @Test func missingStackMeansEverythingIsNew() {
        var plan = ChangePlan.compare(deployed: TemplateRules(), desired: rules(threeTiers()))
        plan.newStacks = ["acme-dev-d01-eu-west-1-sg-stack"]
        #expect(plan.addedTiers == ["app", "db", "web"])
        let text = plan.renderText()
        #expect(text.hasPrefix("+ stack acme-dev-d01-eu-west-1-sg-stack (new)\n+ tier app (new security group)\n  + ingress tcp/8080 from tier web (From web)\n"))
        #expect(plan.json().rendered().contains(#""has_changes": true"#))
    }

    @Test func removedTierAndChangeSetReplacements() {
        var smaller = threeTiers()
        smaller.tiers.removeAll { $0.name == "web" }
        smaller.tiers[0].ingress = []
        var plan = ChangePlan.compare(deployed: rules(threeTiers()), desired: rules(smaller))
        #expect(plan.removedTiers == ["web"])
        #expect(plan.renderText().contains("- tier web (security group deleted)\n  - ingress tcp/443 from 0.0.0.0/0 (HTTPS)\n"))
        plan.add(changeSet: [
            ("Modify", "DbSecurityGroup", "AWS::EC2::SecurityGroup", "Conditional"),
            ("Modify", "AppGroupIdParameter", "AWS::SSM::Parameter", "False"),
            ("Remove", "WebEgressTcp8080ToApp", "AWS::EC2::SecurityGroupEgress", nil),
        ], stackName: "s")
        #expect(plan.replacements.map { "\($0.logicalID) \($0.replacement) \($0.source.rawValue)" } == ["DbSecurityGroup Conditional change-set"])
        #expect(plan.otherChanges == ["s: Modify AppGroupIdParameter (AWS::SSM::Parameter)"])
    }
}

@Suite struct TestStackNamingTests {
    @Test func everythingThatMustBeUniqueGetsTheSuffix() throws {
        let compiled = TemplateCompiler(toolVersion: "test").compile(threeTiers()).stacks
        let naming = TestStackNaming(hex: "0a1b2c3d", identity: threeTiers().identity)
        let renamed = naming.rename(compiled)
        let main = try #require(renamed.first)
        #expect(main.stackName == "acme-dev-d01-eu-west-1-sg-stack-test-0a1b2c3d")
        let group = try #require(main.template.resource("WebSecurityGroup"))
        #expect(group["GroupName"]?.stringValue == "acme-dev-d01-web-test-0a1b2c3d")
        let tags = Dictionary(uniqueKeysWithValues: (group["Tags"]?.listValue ?? []).compactMap { tag in
            tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
        })
        #expect(tags["sg-provisioner:deployment"] == "acme-dev-d01-eu-west-1-test-0a1b2c3d")
        #expect(tags["sg-provisioner:tier"] == "web", "the tier tag must stay, verification maps groups by it")
        #expect(main.template.resource("WebGroupIdParameter")?["Name"]?.stringValue == "/acme/dev/d01/sg/web-test-0a1b2c3d")
        #expect(main.template.outputs.allSatisfy { $0.exportName?.hasSuffix("-test-0a1b2c3d") == true })
        #expect(naming.stackName("acme-dev-d01-eu-west-1-sg-stack-rules-2") == "acme-dev-d01-eu-west-1-sg-stack-test-0a1b2c3d-rules-2")
        // Rules read back the same: the renamed templates deploy the same model.
        #expect(TemplateRuleReader.read(renamed).tiers.mapValues(\.ruleKeys) == TemplateRuleReader.read(compiled).tiers.mapValues(\.ruleKeys))
    }

    @Test func longGroupNamesAreCutToFitAWS() {
        let naming = TestStackNaming(hex: "0a1b2c3d", identity: threeTiers().identity)
        let name = naming.tagged(String(repeating: "g", count: 255), limit: TestStackNaming.maxGroupName)
        #expect(name.count == 255)
        #expect(name.hasSuffix("-test-0a1b2c3d"))
    }

    @Test func importsAreRenamedInSplitStacks() {
        let big = TemplateCompiler(
            toolVersion: "test", limits: StackLimits(maxResources: 8, maxTemplateBytes: 51_200, maxOutputs: 200, maxRulesPerDirection: 60)
        ).compile(threeTiers()).stacks
        let renamed = TestStackNaming(hex: "ff", identity: threeTiers().identity).rename(big)
        #expect(renamed.count > 1)
        let read = TemplateRuleReader.read(renamed)
        #expect(read.problems.isEmpty, "\(read.problems)")
        #expect(read.ruleKeys(tier: "db").map(\.description) == ["ingress tcp/5432 from tier app"])
    }
}

@Suite struct DeploymentVerifierTests {
    private func live(_ id: String, _ ingress: [RuleKey], _ egress: [RuleKey], descriptions: [RuleKey: String] = [:]) -> LiveSecurityGroup {
        let location = SourceLocation(file: "aws:\(id)", line: 1, column: 1)
        return LiveSecurityGroup(
            groupID: id, name: id, ingress: ingress.map { LiveRule(key: $0, description: descriptions[$0], location: location) },
            egress: egress.map { LiveRule(key: $0, description: descriptions[$0], location: location) }, location: location)
    }

    @Test func exactMatchHasNoDifferencesAndClosedEgressMayShowThePlaceholder() {
        let model = threeTiers()
        let ids = ["sg-w": "web", "sg-a": "app", "sg-d": "db"]
        let placeholder = RuleKey(direction: .egress, ipProtocol: .icmp, ports: .icmp(type: 252, code: 86), peer: .cidr(.ipv4(0xFFFF_FFFF, prefix: 32)))
        func key(_ rule: Rule, _ map: [String: String]) -> RuleKey {
            var key = rule.key
            if case .tier(let name) = key.peer { key.peer = .securityGroup(map.first { $0.value == name }!.key) }
            return key
        }
        var groups: [String: LiveSecurityGroup] = [:]
        for (id, name) in ids {
            let tier = model.tier(named: name)!
            var descriptions: [RuleKey: String] = [:]
            for rule in tier.rules { descriptions[key(rule, ids)] = rule.description }
            let egress = tier.egress.map { key($0, ids) } + (tier.isEgressClosed ? [placeholder] : [])
            groups[name] = live(id, tier.ingress.map { key($0, ids) }, egress, descriptions: descriptions)
        }
        #expect(DeploymentVerifier.compare(model, live: groups, tierByGroupID: ids).isEmpty)
    }

    @Test func everyKindOfDifferenceIsReported() {
        let model = threeTiers()
        let ids = ["sg-w": "web", "sg-a": "app"]
        let allOut = RuleKey(direction: .egress, ipProtocol: .all, ports: .all, peer: world)
        let https = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 443)), peer: world)
        let toApp = RuleKey(direction: .egress, ipProtocol: .tcp, ports: .ports(PortRange(port: 8080)), peer: .securityGroup("sg-a"))
        let groups = [
            "web": live("sg-w", [https], [toApp, allOut]),
            "app": live("sg-a", [], []),
        ]
        let found = DeploymentVerifier.compare(model, live: groups, tierByGroupID: ids).map(\.description)
        #expect(found == [
            "tier app: missing ingress tcp/8080 from tier web",
            "tier app: missing egress tcp/5432 to tier db",
            "tier db: no live security group",
            #"tier web: ingress tcp/443 from 0.0.0.0/0: description "HTTPS" expected, live (none)"#,
            "tier web: unexpected egress all traffic to 0.0.0.0/0",
        ])
    }
}

/// A scripted CloudFormation: each poll returns the next status; events accumulate.
private final class ScriptedProgress: StackProgressSource, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [(StackStatus, String?)?]
    private var eventsByPoll: [[StackEventLine]]
    private var poll = 0

    init(_ script: [((String, String?)?, [StackEventLine])]) {
        statuses = script.map { $0.0.map { (StackStatus($0.0), $0.1) } }
        eventsByPoll = script.map(\.1)
    }

    func status(of stack: String) async throws -> (status: StackStatus, reason: String?)? {
        lock.withLock {
            let index = min(poll, statuses.count - 1)
            poll += 1
            return statuses[index]
        }
    }

    func events(of stack: String) async throws -> [StackEventLine] {
        // Newest first, everything up to the current poll, like DescribeStackEvents.
        lock.withLock { eventsByPoll.prefix(max(1, poll)).flatMap { $0 }.reversed() }
    }
}

private func event(_ id: String, _ second: Int, _ logicalID: String, _ status: String, _ reason: String? = nil) -> StackEventLine {
    StackEventLine(
        eventID: id, timestamp: Date(timeIntervalSince1970: 1_777_975_154 + Double(second)), logicalID: logicalID,
        resourceType: logicalID == "s" ? "AWS::CloudFormation::Stack" : "AWS::EC2::SecurityGroup", status: status, reason: reason)
}

private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ line: String) { lock.lock(); storage.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}

@Suite struct StackWatcherTests {
    private func watcher(_ source: ScriptedProgress, lines: Lines, interrupt: InterruptFlag = InterruptFlag(), clock: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 0) }) -> StackWatcher {
        StackWatcher(source: source, print: { lines.append($0) }, now: clock, sleep: { _ in }, interrupt: interrupt)
    }

    @Test func printsEachNewEventOnceInTimeOrderWithAWSTimestamps() async throws {
        let source = ScriptedProgress([
            (("CREATE_IN_PROGRESS", nil), [event("e1", 0, "s", "CREATE_IN_PROGRESS", "User Initiated")]),
            (("CREATE_IN_PROGRESS", nil), [event("e2", 3, "AppSecurityGroup", "CREATE_IN_PROGRESS")]),
            (("CREATE_COMPLETE", nil), [event("e3", 9, "AppSecurityGroup", "CREATE_COMPLETE"), event("e4", 10, "s", "CREATE_COMPLETE")]),
        ])
        let lines = Lines()
        let outcome = try await watcher(source, lines: lines).wait(for: "s", seen: ["old"], timeout: 60)
        #expect(outcome == .finished(StackStatus("CREATE_COMPLETE"), reason: nil, failures: []))
        #expect(lines.all == [
            "  2026-05-05T09:59:14Z  CREATE_IN_PROGRESS  AWS::CloudFormation::Stack  s  User Initiated\n",
            "  2026-05-05T09:59:17Z  CREATE_IN_PROGRESS  AWS::EC2::SecurityGroup  AppSecurityGroup\n",
            "  2026-05-05T09:59:23Z  CREATE_COMPLETE  AWS::EC2::SecurityGroup  AppSecurityGroup\n",
            "  2026-05-05T09:59:24Z  CREATE_COMPLETE  AWS::CloudFormation::Stack  s\n",
        ])
    }

    @Test func rollbackCarriesTheFailingResourceAndItsReason() async throws {
        let failed = event("e2", 2, "DbSecurityGroup", "CREATE_FAILED", "Resource handler returned message: \"The vpc ID 'vpc-1' does not exist\"")
        let source = ScriptedProgress([
            (("ROLLBACK_COMPLETE", "The following resource(s) failed to create: [DbSecurityGroup]."),
             [event("e1", 0, "s", "CREATE_IN_PROGRESS"), failed, event("e3", 5, "s", "ROLLBACK_COMPLETE")]),
        ])
        let outcome = try await watcher(source, lines: Lines()).wait(for: "s", seen: [], timeout: 60)
        #expect(outcome == .finished(StackStatus("ROLLBACK_COMPLETE"), reason: "The following resource(s) failed to create: [DbSecurityGroup].", failures: [failed]))
        #expect(StackStatus("ROLLBACK_COMPLETE").isFailure)
    }

    @Test func previousEventsOfAnUpdateAreNotPrinted() async throws {
        let source = ScriptedProgress([(("UPDATE_COMPLETE", nil), [event("old", 0, "s", "CREATE_COMPLETE"), event("new", 5, "s", "UPDATE_COMPLETE")])])
        let lines = Lines()
        _ = try await watcher(source, lines: lines).wait(for: "s", seen: ["old"], timeout: 60)
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("UPDATE_COMPLETE") == true)
    }

    @Test func aDeletedStackIsGone() async throws {
        let source = ScriptedProgress([(("DELETE_IN_PROGRESS", nil), []), (nil, [])])
        #expect(try await watcher(source, lines: Lines()).wait(for: "s", seen: [], timeout: 60) == .gone)
    }

    @Test func waitingIsBoundedByTheTimeLimit() async throws {
        let source = ScriptedProgress([(("UPDATE_IN_PROGRESS", nil), [])])
        let start = Date(timeIntervalSince1970: 0)
        let ticks = Lines()
        let clock: @Sendable () -> Date = {
            ticks.append("t")
            return start.addingTimeInterval(Double(ticks.all.count) * 60)
        }
        let outcome = try await watcher(source, lines: Lines(), clock: clock).wait(for: "s", seen: [], timeout: 300)
        #expect(outcome == .timedOut(StackStatus("UPDATE_IN_PROGRESS")))
    }

    @Test func ctrlCStopsWatchingNotTheStack() async throws {
        let source = ScriptedProgress([(("CREATE_IN_PROGRESS", nil), [])])
        let interrupt = InterruptFlag()
        interrupt.raise()
        let outcome = try await watcher(source, lines: Lines(), interrupt: interrupt).wait(for: "s", seen: [], timeout: 600)
        #expect(outcome == .interrupted(StackStatus("CREATE_IN_PROGRESS")))
    }
}

@Suite struct StackPolicyTests {
    @Test func productionPolicyDeniesReplacingAndDeletingGroups() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(StackDeployer.productionStackPolicy.utf8)) as? [String: Any])
        let statements = try #require(object["Statement"] as? [[String: Any]])
        let deny = try #require(statements.first { $0["Effect"] as? String == "Deny" })
        #expect(deny["Action"] as? [String] == ["Update:Replace", "Update:Delete"])
        let condition = deny["Condition"] as? [String: [String: [String]]]
        #expect(condition?["StringEquals"]?["ResourceType"] == ["AWS::EC2::SecurityGroup"])
        #expect(statements.contains { $0["Effect"] as? String == "Allow" && $0["Action"] as? String == "Update:*" })
    }

    @Test func deleteOrderIsReverseDeploymentOrder() {
        let base = "a-sg-stack"
        let names = ["a-sg-stack", "a-sg-stack-rules-1", "a-sg-stack-groups-2", "a-sg-stack-rules-2"]
        let order = names.sorted { DeleteSecurityGroupsAction.rank($0, base: base) > DeleteSecurityGroupsAction.rank($1, base: base) }
        #expect(order == ["a-sg-stack-rules-2", "a-sg-stack-rules-1", "a-sg-stack-groups-2", "a-sg-stack"])
    }
}

@Suite struct DeployDiagnosticCodeTests {
    @Test func deployCodesAreUniqueAcrossTheActionLayer() {
        let codes = DiagnosticCode.deployCodes + DiagnosticCode.actionCodes + DiagnosticCode.awsCodes
            + DiagnosticCode.cloudFormationCodes + [.cfnTemplateText]
        #expect(Set(codes.map(\.description)).count == codes.count, "\(codes)")
    }
}
