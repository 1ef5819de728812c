import Foundation
import SGCloudFormation
import SGDiagnostics
import SGModel

// Small deployments for the deploy and StackSet tests: three tiers whose ports and descriptions a
// test can vary.

/// Where the fixtures' rules and tiers are written.
package let here = SourceLocation(file: "scenarios/t.yaml", line: 1, column: 1)

/// One rule of one port (nil: all traffic).
package func rule(_ direction: Direction, _ ipProtocol: IPProtocol, _ port: Int?, _ peer: Peer, _ description: String? = nil) -> Rule {
    Rule(direction: direction, ipProtocol: ipProtocol, ports: port.map { .ports(PortRange(port: $0)) } ?? .all, peer: peer,
         description: description, locations: RuleLocations(rule: here))
}

/// A deployment acme-dev-d01 in eu-west-1 of these tiers.
package func deployment(_ tiers: [Tier], environment: String = "dev") -> Deployment {
    let identity = DeploymentIdentity(company: "acme", environment: environment, deploymentID: "d01", region: "eu-west-1")
    let config = DeploymentConfig(identity: identity, vpcID: "vpc-1", scenario: "t", scenarioLocation: here, file: "configs/t.yaml")
    return Deployment(config: config, scenario: Scenario(name: "t", tiers: tiers, file: "scenarios/t.yaml"), tiers: tiers)
}

/// 0.0.0.0/0.
package let world = Peer.cidr(.anyIPv4)

/// web (443 from the world) -> app (8080) -> db (dbPort).
package func threeTiers(dbPort: Int = 5432, appDescription: String = "Application servers", pgDescription: String = "PostgreSQL") -> Deployment {
    deployment([
        Tier(name: "web", description: "Load balancers", ingress: [rule(.ingress, .tcp, 443, world, "HTTPS")],
             egress: [rule(.egress, .tcp, 8080, .tier("app"))], location: here),
        Tier(name: "app", description: appDescription, ingress: [rule(.ingress, .tcp, 8080, .tier("web"), "From web")],
             egress: [rule(.egress, .tcp, dbPort, .tier("db"), pgDescription)], location: here),
        Tier(name: "db", description: "Database", ingress: [rule(.ingress, .tcp, dbPort, .tier("app"))], egress: [], location: here),
    ])
}

/// The rules of the deployment's compiled template, as the template reader reads them back.
package func rules(_ deployment: Deployment) -> TemplateRules {
    TemplateRuleReader.read(TemplateCompiler(toolVersion: "test").compile(deployment).stacks)
}
