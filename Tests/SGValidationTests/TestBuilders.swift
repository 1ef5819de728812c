import SGDiagnostics
import SGModel
@testable import SGValidation

/// The scenario file every test tier pretends to come from.
let testFile = "scenarios/test.yaml"

/// A fixed "today" so acceptance expiry never depends on the clock.
let testToday = CalendarDate.parse("2026-05-05")!

/// Column of the rule mapping and of the peer value in every built rule, so expected locations
/// read `scenarios/test.yaml:LINE:11` (rule) and `scenarios/test.yaml:LINE:40` (peer).
let ruleColumn = 11
let peerColumn = 40

/// Builds a rule from `DIRECTION PROTOCOL PORTS from|to PEER` (PORTS: `22`, `5000-6000`, `all`,
/// `any` or `TYPE/CODE` for ICMP; PEER: CIDR, `tier:NAME`, `sg-...`, `pl-...`) written on `line`.
func rule(_ text: String, line: Int, description: String? = nil) -> Rule {
    let words = text.split(separator: " ").map(String.init)
    precondition(words.count == 5, "bad test rule: \(text)")
    let direction = Direction(rawValue: words[0])!
    let ipProtocol = IPProtocol(text: words[1])!
    let ports: PortSpec
    if words[2] == "all" {
        ports = .all
    } else if words[2] == "any" {
        ports = .icmp(type: -1, code: -1)
    } else if ipProtocol == .icmp || ipProtocol == .icmpv6 {
        let parts = words[2].split(separator: "/").map { Int($0)! }
        ports = .icmp(type: parts[0], code: parts[1])
    } else {
        let bounds = words[2].split(separator: "-").map { Int($0)! }
        ports = .ports(PortRange(bounds[0], bounds.last!))
    }
    let peerText = words[4]
    let peer: Peer
    if peerText.hasPrefix("tier:") {
        peer = .tier(String(peerText.dropFirst(5)))
    } else if peerText.hasPrefix("sg-") {
        peer = .securityGroup(peerText)
    } else if peerText.hasPrefix("pl-") {
        peer = .prefixList(peerText)
    } else {
        peer = .cidr(try! CIDRBlock.parse(peerText).get())
    }
    return Rule(
        direction: direction, ipProtocol: ipProtocol, ports: ports, peer: peer, description: description,
        locations: RuleLocations(
            rule: SourceLocation(file: testFile, line: line, column: ruleColumn),
            peer: SourceLocation(file: testFile, line: line, column: peerColumn)))
}

/// How a test tier's egress is written.
enum EgressMode {
    /// `egress: []`.
    case closed
    /// `egress` omitted.
    case awsDefault
}

/// Builds a tier whose key is on `line`; rules are written on the following lines, in order,
/// and split into ingress and egress by their direction. Egress is closed unless a rule is an
/// egress rule or `egress` is `.awsDefault`.
func tier(_ name: String, line: Int, isPublic: Bool = false, egress: EgressMode = .closed, _ rules: [String] = []) -> Tier {
    let built = rules.enumerated().map { rule($1, line: line + 1 + $0) }
    return Tier(
        name: name, isPublic: isPublic, ingress: built.filter { $0.direction == .ingress }, egress: built.filter { $0.direction == .egress },
        usesDefaultEgress: egress == .awsDefault, location: SourceLocation(file: testFile, line: line, column: 3))
}

/// A context with the built-in catalog and the fixed today.
func context(vpc: String? = nil, accepted: [AcceptedRisk] = [], catalog: PortCatalog = .builtIn) -> ValidationContext {
    ValidationContext(vpcCIDR: vpc.map { try! CIDRBlock.parse($0).get() }, acceptedRisks: accepted, today: testToday, catalog: catalog)
}

/// Runs the validator over tiers.
func validate(_ tiers: [Tier], vpc: String? = nil, accepted: [AcceptedRisk] = [], catalog: PortCatalog = .builtIn) -> ValidationResult {
    ScenarioValidator().validate(tiers: tiers, context: context(vpc: vpc, accepted: accepted, catalog: catalog))
}

/// A deployment around tiers, for the config-driven entry point.
func deployment(_ tiers: [Tier], vpc: String? = nil, accepted: [AcceptedRisk] = [], portCatalog: [PortCatalogExtension] = []) -> Deployment {
    let config = DeploymentConfig(
        identity: DeploymentIdentity(company: "globalbank", environment: "prod", deploymentID: "c001", region: "us-west-2"),
        vpcID: "vpc-0a1b2c3d4e5f67890", vpcCIDR: vpc.map { try! CIDRBlock.parse($0).get() }, scenario: "test",
        scenarioLocation: SourceLocation(file: "configs/test.yaml", line: 7, column: 11), acceptedRisks: accepted,
        portCatalog: portCatalog, file: "configs/test.yaml")
    return Deployment(config: config, scenario: Scenario(name: "test", tiers: tiers, file: testFile), tiers: tiers)
}

/// An accepted risk written in the config at `line`, bound to the rule `rule` names
/// (`DIRECTION PROTOCOL PORTS from|to PEER`, as for `rule(_:line:)`), to a fingerprint, or to
/// the tier only; `expires` is written on the line after.
func acceptedRisk(_ id: String, tier: String, rule ruleText: String? = nil, fingerprint: String? = nil, expires: String, line: Int) -> AcceptedRisk {
    let binding: AcceptanceBinding
    if let ruleText {
        binding = .rule(rule(ruleText, line: line).key)
    } else if let fingerprint {
        binding = .fingerprint(fingerprint)
    } else {
        binding = .tierOnly
    }
    return AcceptedRisk(
        findingID: id, tier: tier, binding: binding, reason: "ticket SEC-\(line)", expires: CalendarDate.parse(expires)!,
        location: SourceLocation(file: "configs/test.yaml", line: line, column: 5),
        expiresLocation: SourceLocation(file: "configs/test.yaml", line: line + 1, column: 14))
}
