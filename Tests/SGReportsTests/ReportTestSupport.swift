import SGDiagnostics
import SGModel
import SGValidation

@testable import SGReports

/// Small builders for report tests: a deployment from one-line rules, validated on a fixed day.
enum ReportFixture {
    static let file = "scenarios/report-test.yaml"
    static let today = CalendarDate(year: 2027, month: 1, day: 1)

    /// `ingress tcp 5432 from 0.0.0.0/0`, `egress tcp 443 to tier:app`, ... on `line`, peer at column 30.
    static func rule(_ text: String, line: Int, description: String? = nil, origin: RuleOrigin = .scenario) -> Rule {
        let words = text.split(separator: " ").map(String.init)
        precondition(words.count == 5, "bad rule \(text)")
        let ipProtocol = IPProtocol(text: words[1])!
        let ports: PortSpec
        if words[2] == "all" {
            ports = .all
        } else {
            let bounds = words[2].split(separator: "-").map { Int($0)! }
            ports = .ports(PortRange(bounds[0], bounds.last!))
        }
        let peer: Peer = words[4].hasPrefix("tier:") ? .tier(String(words[4].dropFirst(5))) : .cidr(try! CIDRBlock.parse(words[4]).get())
        return Rule(
            direction: Direction(rawValue: words[0])!, ipProtocol: ipProtocol, ports: ports, peer: peer, description: description,
            locations: RuleLocations(rule: SourceLocation(file: file, line: line, column: 9), peer: SourceLocation(file: file, line: line, column: 30)),
            origin: origin)
    }

    static func tier(_ name: String, line: Int, isPublic: Bool = false, description: String? = nil, defaultEgress: Bool = false, _ rules: [Rule]) -> Tier {
        Tier(
            name: name, description: description, isPublic: isPublic, ingress: rules.filter { $0.direction == .ingress },
            egress: rules.filter { $0.direction == .egress }, usesDefaultEgress: defaultEgress,
            location: SourceLocation(file: file, line: line, column: 3))
    }

    static let governanceTags = TagCoverage.governanceKeys.enumerated().map {
        Tag(key: $0.element, value: "value \($0.offset)", location: SourceLocation(file: "configs/x.yaml", line: 10 + $0.offset, column: 3))
    }

    static func deployment(
        _ tiers: [Tier], tags: [Tag] = governanceTags, overrides: [Override] = [], accepted: [AcceptedRisk] = [], scenarioTiers: [Tier]? = nil
    ) -> Deployment {
        let identity = DeploymentIdentity(company: "acme", environment: "prod", deploymentID: "r01", region: "eu-west-1")
        let config = DeploymentConfig(
            identity: identity, vpcID: "vpc-0123456789abcdef0", vpcCIDR: try! CIDRBlock.parse("10.0.0.0/16").get(),
            scenario: "report-test", scenarioLocation: SourceLocation(file: "configs/x.yaml", line: 7, column: 11), tags: tags,
            overrides: overrides, acceptedRisks: accepted, file: "configs/x.yaml")
        let scenario = Scenario(name: "report-test", description: "test scenario", tiers: scenarioTiers ?? tiers, file: file)
        return Deployment(config: config, scenario: scenario, tiers: tiers)
    }

    static func report(_ deployment: Deployment, stacks: Int = 1) -> ReviewReport {
        let validation = ScenarioValidator().validate(deployment, today: today)
        let digests = (0..<stacks).map {
            TemplateDigest(stackName: deployment.identity.stackName + ($0 == 0 ? "" : "-\($0)"), fileName: "t\($0).yaml", text: "template \($0)\n")
        }
        return ReviewReport(deployment: deployment, validation: validation, templates: digests, toolVersion: "9.9.9", date: today)
    }

    /// web (public, 443 from the world) -> app (8080) -> db (5432), db closed.
    static var threeTier: Deployment {
        deployment([
            tier("web", line: 3, isPublic: true, [rule("ingress tcp 443 from 0.0.0.0/0", line: 5), rule("egress tcp 8080 to tier:app", line: 6)]),
            tier("app", line: 7, [rule("ingress tcp 8080 from tier:web", line: 9), rule("egress tcp 5432 to tier:db", line: 10)]),
            tier("db", line: 11, [rule("ingress tcp 5432 from tier:app", line: 13)]),
        ])
    }
}
