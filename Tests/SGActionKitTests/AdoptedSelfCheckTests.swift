import SGCloudFormation
import SGConfig
import SGDiagnostics
import SGModel
import Testing

@testable import SGActionKit

/// The template self-check's second look at adopted tiers: a compiled group that would not keep the
/// live description, or that the stack could delete, is refused before anything is written.
@Suite struct AdoptedSelfCheckTests {
    static func deployment() throws -> Deployment {
        let files: [String: [UInt8]] = [
            "configs/c.yaml": Array("""
                company_prefix: acme
                environment: prod
                deployment_id: d1
                region: us-east-1
                vpc_id: vpc-0a1b2c3d4e5f60001
                scenario: s
                adopted_groups:
                  web:
                    group_id: sg-0aa00001
                    group_name: launch-wizard-1
                    group_description: made by hand

                """.utf8),
            "scenarios/s.yaml": Array("""
                name: s
                tiers:
                  web:
                    ingress:
                      - { protocol: tcp, port: 443, source: 10.0.0.0/8 }
                    egress: []

                """.utf8),
        ]
        let loader = DeploymentLoader(readFile: { files[$0] ?? [] }, fileExists: { files[$0] != nil })
        let result = loader.load(config: "c")
        return try #require(result.deployment, "\(result.diagnostics.all)")
    }

    @Test func aCompiledAdoptedGroupPassesAndATamperedOneFails() throws {
        let deployment = try Self.deployment()
        let stacks = TemplateCompiler(toolVersion: "t").compile(deployment).stacks
        #expect(TemplateSelfCheck.check(stacks, deployment: deployment).all.isEmpty)

        var unretained = stacks
        let index = try #require(unretained[0].template.resources.firstIndex { $0.logicalID == "WebSecurityGroup" })
        unretained[0].template.resources[index].deletionPolicy = nil
        #expect(TemplateSelfCheck.check(unretained, deployment: deployment).all.map(\.message) == [
            "template self-check: group of adopted tier 'web' is not retained when the stack is deleted or replaces it (stack acme-prod-d1-us-east-1-sg-stack)",
        ])

        var renamed = deployment
        renamed.config.adoptedGroups[0].groupDescription = "something else"
        #expect(TemplateSelfCheck.check(stacks, deployment: renamed).all.map(\.code) == [.templateSelfCheck])
    }
}
