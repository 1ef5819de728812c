import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGConfig
import SGModel
import SGTestSupport
import Testing

@testable import SGActions

/// `import-security-groups --template`: the template's groups resolved as the audit resolves them,
/// and the round trip the issue asks for — the template deployed to the local AWS, imported again
/// from the live VPC, check-drift in sync — with the two imports holding the same rules.
@Suite(.serialized) struct ImportTemplateEndToEndTests {
    static let template = FixturePaths.root.appendingPathComponent("import/web-app.template.yaml")

    private func clients(_ moto: MotoServer) throws -> (ec2: EC2Client, cloudFormation: CloudFormationClient) {
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        let session = AWSSession(
            region: "us-east-1", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
        return (try session.ec2(), try session.cloudFormation())
    }

    private func environment(_ moto: MotoServer) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto.endpoint.absoluteString,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PROFILE": "",
        ]
    }

    private func load(_ name: String, in tool: ToolRunner) throws -> Deployment {
        let root = tool.directory.path
        let loader = DeploymentLoader(
            readFile: { try LocalFileSystem().read(root + "/" + $0) }, fileExists: { LocalFileSystem().fileExists(root + "/" + $0) })
        let result = loader.load(config: name)
        return try #require(result.deployment, "\(result.diagnostics.all)")
    }

    /// Each tier's rules as text, tiers and tier peers renamed by `rename` (so two imports that name
    /// the same groups differently can be compared).
    private func rules(_ deployment: Deployment, rename: (String) -> String) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for tier in deployment.tiers {
            out[rename(tier.name)] = Set(tier.rules.map { rule in
                var key = rule.key
                if case .tier(let name) = key.peer { key.peer = .tier(rename(name)) }
                return key.description
            })
        }
        return out
    }

    @Test func aTemplateImportsAsTheAuditReadsIt() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(try String(contentsOf: Self.template, encoding: .utf8), to: "web-app.yaml")
        let name = "tmpl-dev-t01-us-east-1"
        let missingVPC = try tool.run(["-con", name, "-act", "import-security-groups", "--template", "web-app.yaml"])
        #expect(missingVPC.exitCode == 1)
        #expect(missingVPC.stderr.hasPrefix("sg-provisioner: error: a template does not say which VPC its groups go in; give --vpc-id for the config's vpc_id [E544]\n"))

        let imported = try tool.run(
            ["-con", name, "-act", "import-security-groups", "--template", "web-app.yaml", "--vpc-id", "vpc-0a1b2c3d4e5f60001"],
            environment: ["SOURCE_DATE_EPOCH": "1767225600"])
        #expect(imported.exitCode == 0, "\(imported.stdout)\n\(imported.stderr)")
        #expect(imported.stdout.hasSuffix("wrote configs/\(name).yaml and scenarios/\(name).yaml: 2 tiers, 7 rules; findings: 0 critical, 0 high, 2 medium, 2 low, 1 info\n"))
        // The audit's W702 for the parameter's host bits, located in the template.
        #expect(imported.stderr.hasPrefix("web-app.yaml:27:19: warning: CidrIp '10.20.30.40/16' in WebSecurityGroup when AdminLocation = 10.20.30.40/16 (its Default) has host bits set; EC2 stores the network 10.20.0.0/16, and that is what is judged [W702]\n"))
        let config = try tool.read("configs/\(name).yaml")
        #expect(!config.contains("adopted_groups"), "a template's groups do not exist yet: nothing is adopted")
        let scenario = try tool.read("scenarios/\(name).yaml")
        #expect(scenario.contains("""
              web-security-group:  # template resource WebSecurityGroup
                description: "Web tier: HTTPS from anywhere"
                ingress:
                  - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: "HTTPS: public & {partners} [v2] *!#" }
                  - { protocol: tcp, port: 22, source: 10.20.0.0/16, description: Admin SSH }  # judged at AdminLocation = 10.20.30.40/16 (its Default); the source wrote 10.20.30.40/16; AWS applies the network 10.20.0.0/16
                egress:
                  - { protocol: all, destination: 0.0.0.0/0 }  # AWS's default egress: the template gives the group no SecurityGroupEgress

            """), "\(scenario)")
        #expect(scenario.contains("      - { protocol: all, source_tier: app-security-group, description: Cluster peers }\n"))
        #expect(scenario.contains("      - { protocol: tcp, port: 8080, source_tier: web-security-group, description: From web }\n"))
        // The imported deployment is an ordinary one: the compiled template keeps the default egress
        // explicitly, and the tool's own names (nothing is adopted).
        #expect(try tool.run(["-con", name, "-act", "create-prov-template"]).exitCode == 0)
        let compiled = try tool.read("reports/\(name)-sg-stack-template.yaml")
        #expect(compiled.contains("      GroupName: tmpl-dev-t01-web-security-group\n"))
        #expect(compiled.contains("      SecurityGroupEgress:\n        - IpProtocol: \"-1\"\n          CidrIp: \"0.0.0.0/0\"\n"))
        #expect(!compiled.contains("Retain"))
    }

    @Test func theDeployedTemplateImportsFromTheVPCInSyncAndWithTheSameRules() async throws {
        let moto = try await MotoServer.shared()
        let (ec2, cloudFormation) = try clients(moto)
        let vpc = try await ec2.createVpc(cidrBlock: "10.62.0.0/16").vpcID
        let stack = "import-web-app-\(UInt32.random(in: 0...UInt32.max))"
        var request = CreateStackRequest(stackName: stack, templateBody: try String(contentsOf: Self.template, encoding: .utf8))
        request.parameters = [StackParameter(key: "VpcId", value: vpc)]
        _ = try await cloudFormation.createStack(request)
        var status = ""
        for _ in 0..<120 {
            status = try await cloudFormation.describeStack(stack)?.status.rawValue ?? ""
            if !status.hasSuffix("IN_PROGRESS") { break }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        #expect(status == "CREATE_COMPLETE")
        let physical = Dictionary(uniqueKeysWithValues: try await cloudFormation.describeStackResources(stackName: stack)
            .filter { $0.resourceType == "AWS::EC2::SecurityGroup" }.compactMap { resource in resource.physicalResourceID.map { ($0, resource.logicalResourceID) } })
        #expect(physical.count == 2)

        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(try String(contentsOf: Self.template, encoding: .utf8), to: "web-app.yaml")
        let env = environment(moto)
        // The stack's groups carry aws:cloudformation:stack-name: --force takes them, with a warning each.
        let live = try tool.run(["-con", "tmpl-dev-l01-us-east-1", "-act", "import-security-groups", "--vpc-id", vpc, "--force"], environment: env)
        #expect(live.exitCode == 0, "\(live.stdout)\n\(live.stderr)")
        #expect(live.stderr.components(separatedBy: "[W542]").count - 1 == 2, "\(live.stderr)")
        let drift = try tool.run(["-con", "tmpl-dev-l01-us-east-1", "-act", "check-drift"], environment: env)
        #expect(drift.exitCode == 0, "\(drift.stdout)\n\(drift.stderr)")
        #expect(drift.stdout.contains(": in sync (2 groups, "), "\(drift.stdout)")

        // The same rules as the template import: the audit's reading is what CloudFormation created.
        #expect(try tool.run(
            ["-con", "tmpl-dev-t02-us-east-1", "-act", "import-security-groups", "--template", "web-app.yaml", "--vpc-id", vpc]).exitCode == 0)
        let fromLive = try load("tmpl-dev-l01-us-east-1", in: tool)
        let fromTemplate = try load("tmpl-dev-t02-us-east-1", in: tool)
        let logicalByTier = Dictionary(uniqueKeysWithValues: fromLive.config.adoptedGroups.map { ($0.tier, physical[$0.groupID] ?? $0.groupID) })
        let templateTierByLogical = ["WebSecurityGroup": "web-security-group", "AppSecurityGroup": "app-security-group"]
        let liveRules = rules(fromLive) { templateTierByLogical[logicalByTier[$0] ?? ""] ?? $0 }
        let templateRules = rules(fromTemplate) { $0 }
        #expect(liveRules == templateRules)
        try await cloudFormation.deleteStack(stackName: stack)
    }
}
