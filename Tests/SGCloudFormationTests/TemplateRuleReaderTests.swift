import Foundation
import SGConfig
import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

/// TemplateRuleReader must read back exactly what TemplateCompiler emitted: the same rules (keys
/// and descriptions) per tier, from the model and from rendered YAML and JSON text, for every
/// example and sample deployment, single and split.
@Suite struct TemplateRuleReaderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let exampleConfigs = [
        "globalbank-prod-c001-us-west-2", "acme-dev-d001-eu-west-1",
        "initech-staging-k01-eu-central-1", "hooli-prod-m01-us-east-1",
    ]

    static func loadExample(_ name: String) throws -> Deployment {
        let root = packageRoot.path
        let loader = DeploymentLoader(
            readFile: { path in
                guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
                return Array(data)
            },
            fileExists: { FileManager.default.fileExists(atPath: $0) },
            configsDirectory: root + "/configs", scenariosDirectory: root + "/scenarios",
            listFiles: { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] })
        let result = loader.load(config: name)
        return try #require(result.deployment, "\(result.diagnostics.all.map(\.message))")
    }

    /// What the model says each tier should hold: (key, description) sorted, and egress closed.
    static func expected(_ deployment: Deployment) -> [String: ([TemplateRule], Bool)] {
        var out: [String: ([TemplateRule], Bool)] = [:]
        for tier in deployment.tiers {
            let rules = tier.rules.map { TemplateRule(key: $0.key, description: $0.description) }.sorted { $0.key < $1.key }
            out[tier.name] = (rules, tier.isEgressClosed)
        }
        return out
    }

    /// Compares ignoring where each rule was emitted (inline vs standalone is the compiler's choice).
    static func check(_ read: TemplateRules, against deployment: Deployment, _ what: String) {
        #expect(read.problems.isEmpty, "\(what): \(read.problems)")
        let want = expected(deployment)
        #expect(read.tierNames == want.keys.sorted(), "\(what)")
        for (name, (rules, closed)) in want {
            let got = read.tiers[name]?.rules.map { TemplateRule(key: $0.key, description: $0.description) }
            #expect(got == rules, "\(what): tier \(name)")
            #expect(read.tiers[name]?.isEgressClosed == closed, "\(what): tier \(name) egress closed")
        }
    }

    static func readText(_ stacks: [StackTemplate], json: Bool) throws -> TemplateRules {
        let parsed = try stacks.map { stack -> (stackName: String?, template: Template) in
            let text = json ? stack.template.renderJSON() : stack.template.renderYAML()
            return (stack.stackName, try TemplateRuleReader.parse(text: text, path: stack.stackName))
        }
        return TemplateRuleReader.read(parsed)
    }

    @Test(arguments: exampleConfigs)
    func everyExampleReadsBackToTheModelRules(config: String) throws {
        let deployment = try Self.loadExample(config)
        let compiled = TemplateCompiler(toolVersion: "test").compile(deployment)
        #expect(!compiled.diagnostics.hasErrors)
        Self.check(TemplateRuleReader.read(compiled.stacks), against: deployment, "\(config) model")
        Self.check(try Self.readText(compiled.stacks, json: false), against: deployment, "\(config) YAML")
        Self.check(try Self.readText(compiled.stacks, json: true), against: deployment, "\(config) JSON")
    }

    @Test(arguments: ["threeTier", "cycle", "mixedPeers"])
    func sampleDeploymentsReadBack(name: String) throws {
        let deployment = name == "threeTier" ? SampleDeployments.threeTier : name == "cycle" ? SampleDeployments.cycle : SampleDeployments.mixedPeers
        let compiled = TemplateCompiler(toolVersion: "test").compile(deployment)
        Self.check(TemplateRuleReader.read(compiled.stacks), against: deployment, "\(name) model")
        Self.check(try Self.readText(compiled.stacks, json: false), against: deployment, "\(name) YAML")
        Self.check(try Self.readText(compiled.stacks, json: true), against: deployment, "\(name) JSON")
    }

    @Test func splitStacksResolveImportedGroupsAcrossStacks() throws {
        let deployment = SampleDeployments.generated(tiers: 12, rulesPerTier: 20)
        let limits = StackLimits(maxResources: 60, maxTemplateBytes: 20_000, maxOutputs: 200, maxRulesPerDirection: 60)
        let compiled = TemplateCompiler(toolVersion: "test", limits: limits).compile(deployment)
        #expect(compiled.stacks.count > 2, "the sample must split to test ImportValue")
        #expect(compiled.stacks.contains { if case .rules = $0.role { return true } else { return false } })
        Self.check(TemplateRuleReader.read(compiled.stacks), against: deployment, "split model")
        Self.check(try Self.readText(compiled.stacks, json: false), against: deployment, "split YAML")
        let read = TemplateRuleReader.read(compiled.stacks)
        #expect(read.tiers["t0"]?.stackName == compiled.stacks.first?.stackName)
    }

    @Test func groupPropertiesThatReplaceAreRead() throws {
        let compiled = TemplateCompiler(toolVersion: "test").compile(SampleDeployments.threeTier)
        let web = try #require(TemplateRuleReader.read(compiled.stacks).tiers["web"])
        #expect(web.groupLogicalID == "WebSecurityGroup")
        #expect(web.groupName == "globalbank-prod-c001-web")
        #expect(web.groupDescription == "Internet-facing load balancers")
        #expect(web.vpcID == "vpc-0a1b2c3d4e5f67890")
        #expect(web.hasEgressPlaceholder, "web's only direct egress is a tier reference, so the placeholder closes default egress")
    }

    /// Long-form intrinsics (as a hand-written or converted JSON template has them) and rules that
    /// cannot be placed: reported as problems, never dropped silently.
    @Test func longFormIntrinsicsAndUnplaceableRules() throws {
        let text = """
            {"Resources": {
              "AppSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "GroupName": "x-app", "GroupDescription": "app", "VpcId": "vpc-1",
                "SecurityGroupIngress": [{"IpProtocol": "6", "FromPort": "22", "ToPort": "22", "CidrIp": "10.0.0.0/8"}],
                "Tags": [{"Key": "sg-provisioner:tier", "Value": "app"}]}},
              "SelfRule": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Fn::GetAtt": ["AppSecurityGroup", "GroupId"]}, "IpProtocol": "-1",
                "SourceSecurityGroupId": {"Ref": "AppSecurityGroup"}}},
              "Stray": {"Type": "AWS::EC2::SecurityGroupEgress", "Properties": {
                "GroupId": {"Fn::ImportValue": "someone-else"}, "IpProtocol": "tcp", "FromPort": 1, "ToPort": 2,
                "CidrIp": "10.0.0.0/8"}}
            }}
            """
        let read = TemplateRuleReader.read([(stackName: "s", template: try TemplateRuleReader.parse(text: text, path: "t.json"))])
        #expect(read.ruleKeys(tier: "app").map(\.description) == ["ingress tcp/22 from 10.0.0.0/8", "ingress all traffic from tier app"])
        #expect(read.problems == ["s: Stray: rule on a group that is not part of the deployment"])
        #expect(read.tiers["app"]?.declaresEgress == false)
    }

    /// Rules are decoded by EC2Permission, as the live inventory and the audit decode them: a CIDR
    /// with host bits is the network EC2 stores, the placeholder is recognised by what it allows,
    /// and what cannot be decoded says why.
    @Test func rulesAreReadWithEC2sConventions() throws {
        let text = """
            {"Resources": {
              "DbSecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "GroupName": "x-db", "GroupDescription": "db", "VpcId": "vpc-1",
                "SecurityGroupIngress": [
                  {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "10.0.3.7/24"},
                  {"IpProtocol": "gre", "CidrIp": "10.0.0.0/8"},
                  {"IpProtocol": "icmp", "FromPort": 300, "ToPort": 0, "CidrIp": "10.0.0.0/8"},
                  {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/40"},
                  {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}],
                "SecurityGroupEgress": [{"IpProtocol": "1", "FromPort": 252, "ToPort": 86, "CidrIp": "255.255.255.255/32"}],
                "Tags": [{"Key": "sg-provisioner:tier", "Value": "db"}]}}
            }}
            """
        let read = TemplateRuleReader.read([(stackName: "s", template: try TemplateRuleReader.parse(text: text, path: "t.json"))])
        #expect(read.ruleKeys(tier: "db").map(\.description) == ["ingress tcp/5432 from 10.0.3.0/24"])
        #expect(read.tiers["db"]?.hasEgressPlaceholder == true)
        #expect(read.tiers["db"]?.isEgressClosed == true)
        #expect(read.problems == [
            "s: DbSecurityGroup SecurityGroupIngress: unknown IpProtocol 'gre'",
            "s: DbSecurityGroup SecurityGroupIngress: invalid FromPort/ToPort 300/0",
            "s: DbSecurityGroup SecurityGroupIngress: invalid CIDR '10.0.0.0/40': prefix length /40 is out of range 0-32",
            "s: DbSecurityGroup SecurityGroupIngress: rule without a peer",
        ])
    }

    @Test func notATemplateIsAnError() {
        #expect(throws: DiagnosticError.self) { try TemplateRuleReader.parse(text: "- just a list", path: "x.yaml") }
    }
}
