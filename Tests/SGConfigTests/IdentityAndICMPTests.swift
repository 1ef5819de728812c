import SGConfig
import SGModel
import SGTestSupport
import Testing

/// One identity per deployment (no `-` in company_prefix, environment, deployment_id), and ICMP
/// written as AWS writes it (`-1` for any type or code).
@Suite struct IdentityAndICMPTests {
    static let identityNote = "they are joined with '-' into stack, group, export and tag names, so a '-' inside one lets two "
        + "deployments share a name ('acme'/'prod-eu' and 'acme-prod'/'eu' both give 'acme-prod-eu-...'); "
        + "use lowercase letters and digits only (e.g. 'prodeu')"

    static let hyphenCases: [InputCase] = [
        InputCase("company with a hyphen", config: config("company_prefix", "company_prefix: acme-prod"),
                  Expected("E212", "invalid company_prefix 'acme-prod': '-' is not allowed in company_prefix, environment or deployment_id", line: 1, at: "acme-prod")),
        InputCase("environment with a hyphen", config: config("environment", "environment: prod-eu"),
                  Expected("E212", "invalid environment 'prod-eu': '-' is not allowed in company_prefix, environment or deployment_id", line: 2, at: "prod-eu")),
        InputCase("deployment id with a hyphen", config: config("deployment_id", "deployment_id: c-001"),
                  Expected("E212", "invalid deployment_id 'c-001': '-' is not allowed in company_prefix, environment or deployment_id", line: 3, at: "c-001")),
    ]

    @Test(arguments: hyphenCases)
    func aHyphenInAnIdentityFieldIsRefusedWhereItIsWritten(_ input: InputCase) {
        input.check()
        let result = makeLoader(input.files).load(config: "c")
        #expect(result.diagnostics.sorted.first?.notes.map(\.message) == [Self.identityNote])
    }

    /// The property the rule buys: over every way of writing identity fields from a small
    /// alphabet that the reader accepts, no two identities share a stack name, deployment tag,
    /// group name (per region), export name or SSM parameter.
    @Test func acceptedIdentitiesNeverShareANameOrScope() {
        let words = ["a", "b", "ab", "a-b", "b-a", "a1"]
        let regions = ["us-east-1", "us-gov-east-1", "eu-west-1"]
        let tiers = ["web", "web-a", "a-web"]
        var accepted: [DeploymentIdentity] = []
        for company in words {
            for environment in words {
                for deploymentID in words {
                    for region in regions {
                        let text = config("company_prefix", "company_prefix: \(company)")
                            .replacingOccurrences(of: "environment: prod", with: "environment: \(environment)")
                            .replacingOccurrences(of: "deployment_id: c001", with: "deployment_id: \(deploymentID)")
                            .replacingOccurrences(of: "region: us-west-2", with: "region: \(region)")
                        let result = makeLoader([configPath: text, scenarioPath: baseScenario]).load(config: "c")
                        if let identity = result.deployment?.identity { accepted.append(identity) }
                    }
                }
            }
        }
        #expect(accepted.count == 4 * 4 * 4 * 3, "every hyphen-free combination loads")
        var stacks: [String: DeploymentIdentity] = [:], tags: [String: DeploymentIdentity] = [:]
        var groups: [String: DeploymentIdentity] = [:], exports: [String: DeploymentIdentity] = [:]
        for identity in accepted {
            #expect(stacks.updateValue(identity, forKey: identity.stackName) == nil, "\(identity.stackName)")
            #expect(tags.updateValue(identity, forKey: identity.qualifiedName) == nil, "\(identity.qualifiedName)")
            for tier in tiers {
                // Group names and SSM parameters are regional, like the groups themselves.
                let group = identity.region + "/" + identity.groupName(tier: tier)
                #expect(groups[group] == nil || groups[group] == identity, "\(group)")
                groups[group] = identity
                let export = "\(identity.qualifiedName)-\(tier)-sg-id"
                #expect(exports[export] == nil || exports[export] == identity, "\(export)")
                exports[export] = identity
            }
        }
        // And the IAM scope `stack/{company}-*` of one company matches no other company's stacks.
        for identity in accepted {
            for other in accepted where other.company != identity.company {
                #expect(!other.stackName.hasPrefix(identity.company + "-"))
            }
        }
    }

    @Test(arguments: [
        ("{ protocol: icmp, icmp_type: -1, source: 10.0.0.0/8 }", IPProtocol.icmp),
        ("{ protocol: icmp, icmp_type: -1, icmp_code: -1, source: 10.0.0.0/8 }", IPProtocol.icmp),
        ("{ protocol: icmpv6, icmp_type: 128, icmp_code: -1, source: \"::/0\" }", IPProtocol.icmpv6),
    ])
    func minusOneMeansAnyAsInAWS(flow: String, expectedProtocol: IPProtocol) throws {
        let result = makeLoader([configPath: config(), scenarioPath: scenario(rule: flow)]).load(config: "c")
        #expect(rendered(result.diagnostics) == [])
        let rule = try #require(result.deployment?.tiers.first { $0.name == "web" }?.ingress.first)
        let expected: Int = flow.contains("128") ? 128 : -1
        #expect(rule.ports == .icmp(type: expected, code: -1))
    }

    @Test func everyTypeWithOneCodeIsRefusedAsAWSRefusesIt() {
        InputCase("icmp type -1 code 3", scenario: scenario(rule: "{ protocol: icmp, icmp_type: -1, icmp_code: 3, source: 10.0.0.0/8 }"),
                  Expected("E307", "icmp_code 3 with icmp_type -1: every type means every code; remove icmp_code or set it to -1",
                           scenarioPath, line: 5, at: "3,")).check()
        InputCase("icmp type -2", scenario: scenario(rule: "{ protocol: icmp, icmp_type: -2, source: 10.0.0.0/8 }"),
                  Expected("E209", "icmp_type must be a decimal integer, found '-2' (or -1 for any)", scenarioPath, line: 5, at: "-2")).check()
    }
}
