import SGDiagnostics
import SGModel

/// A rule as a test writes it; the builder gives it a location.
struct RuleDraft {
    var direction: Direction
    var ipProtocol: IPProtocol
    var ports: PortSpec
    var peer: Peer
    var description: String?
}

/// A tier as a test writes it. `egress == nil` means the scenario omitted `egress`.
struct TierDraft {
    var name: String
    var description: String?
    var isPublic = false
    var ingress: [RuleDraft] = []
    var egress: [RuleDraft]? = []
}

func ingress(_ ipProtocol: IPProtocol, _ ports: PortSpec, _ peer: Peer, _ description: String? = nil) -> RuleDraft {
    RuleDraft(direction: .ingress, ipProtocol: ipProtocol, ports: ports, peer: peer, description: description)
}

func egress(_ ipProtocol: IPProtocol, _ ports: PortSpec, _ peer: Peer, _ description: String? = nil) -> RuleDraft {
    RuleDraft(direction: .egress, ipProtocol: ipProtocol, ports: ports, peer: peer, description: description)
}

func cidr(_ text: String) -> Peer { .cidr(try! CIDRBlock.parse(text).get()) }

extension PortSpec {
    static func port(_ number: Int) -> PortSpec { .ports(PortRange(port: number)) }
    static func range(_ lower: Int, _ upper: Int) -> PortSpec { .ports(PortRange(lower, upper)) }
}

/// Builds Deployments without the config loader. Locations are predictable: in
/// `scenarios/test.yaml`, each tier takes the next line (column 3, starting at line 2) and each
/// of its rules the lines after it (column 7), ingress then egress. A rule's ports are at
/// column 35 and its peer at column 50 of its line. Config tags start at line 11.
struct DeploymentBuilder {
    static let scenarioFile = "scenarios/test.yaml"
    static let configFile = "configs/test.yaml"

    var identity = DeploymentIdentity(company: "globalbank", environment: "prod", deploymentID: "c001", region: "us-west-2")
    var vpcID = "vpc-0a1b2c3d4e5f67890"
    var scenarioName = "three-tier-web"
    var tags: [(String, String)] = [("cost_center", "Fraud Operations"), ("owner", "fraud-team")]
    var tiers: [TierDraft] = []

    init(_ tiers: [TierDraft] = []) { self.tiers = tiers }

    func build() -> Deployment {
        var line = 1
        func next() -> Int {
            line += 1
            return line
        }
        var built: [Tier] = []
        for draft in tiers {
            let tierLocation = SourceLocation(file: Self.scenarioFile, line: next(), column: 3)
            func rule(_ draft: RuleDraft) -> Rule {
                let at = SourceLocation(file: Self.scenarioFile, line: next(), column: 7)
                return Rule(
                    direction: draft.direction, ipProtocol: draft.ipProtocol, ports: draft.ports, peer: draft.peer,
                    description: draft.description,
                    locations: RuleLocations(
                        rule: at, ipProtocol: SourceLocation(file: at.file, line: at.line, column: 20),
                        ports: SourceLocation(file: at.file, line: at.line, column: 35),
                        peer: SourceLocation(file: at.file, line: at.line, column: 50)))
            }
            let ingressRules = draft.ingress.map(rule)
            let egressRules = (draft.egress ?? []).map(rule)
            built.append(Tier(
                name: draft.name, description: draft.description, isPublic: draft.isPublic,
                ingress: ingressRules, egress: egressRules, usesDefaultEgress: draft.egress == nil, location: tierLocation))
        }
        var tagLine = 10
        let configTags = tags.map { key, value -> Tag in
            tagLine += 1
            return Tag(key: key, value: value, location: SourceLocation(file: Self.configFile, line: tagLine, column: 3))
        }
        let config = DeploymentConfig(
            identity: identity, vpcID: vpcID, scenario: scenarioName,
            scenarioLocation: SourceLocation(file: Self.configFile, line: 7, column: 11), tags: configTags,
            file: Self.configFile)
        let scenario = Scenario(name: scenarioName, description: nil, tiers: built, file: Self.scenarioFile)
        return Deployment(config: config, scenario: scenario, tiers: built)
    }
}

/// Deployments the tests share; every one of them is also linted by cfn-lint.
enum SampleDeployments {
    /// DESIGN.md's three-tier example.
    static var threeTier: Deployment {
        DeploymentBuilder([
            TierDraft(
                name: "web", description: "Internet-facing load balancers", isPublic: true,
                ingress: [
                    ingress(.tcp, .port(443), cidr("0.0.0.0/0"), "HTTPS from internet"),
                    ingress(.tcp, .port(443), cidr("::/0"), "HTTPS from internet IPv6"),
                ],
                egress: [egress(.tcp, .port(8080), .tier("app"), "To app tier")]),
            TierDraft(
                name: "app",
                ingress: [ingress(.tcp, .port(8080), .tier("web"), "From web tier")],
                egress: [
                    egress(.tcp, .port(5432), .tier("db"), "PostgreSQL"),
                    egress(.tcp, .port(443), cidr("0.0.0.0/0"), "AWS APIs"),
                ]),
            TierDraft(
                name: "db",
                ingress: [ingress(.tcp, .port(5432), .tier("app"), "PostgreSQL from app tier only")],
                egress: []),
        ]).build()
    }

    /// app and db reference each other both ways, and app references itself.
    static var cycle: Deployment {
        DeploymentBuilder([
            TierDraft(
                name: "app",
                ingress: [
                    ingress(.tcp, .port(8080), .tier("db"), "Callbacks from db"),
                    ingress(.tcp, .range(7000, 7100), .tier("app"), "Cluster gossip"),
                ],
                egress: [egress(.tcp, .port(5432), .tier("db")), egress(.tcp, .range(7000, 7100), .tier("app"))]),
            TierDraft(
                name: "db",
                ingress: [ingress(.tcp, .port(5432), .tier("app"))],
                egress: [egress(.tcp, .port(8080), .tier("app"))]),
        ]).build()
    }

    /// Every peer kind and protocol shape, plus a tier with the default egress.
    static var mixedPeers: Deployment {
        DeploymentBuilder([
            TierDraft(
                name: "edge", description: "Edge proxies", isPublic: true,
                ingress: [
                    ingress(.icmp, .icmp(type: 8, code: 0), cidr("10.0.0.0/8"), "Ping"),
                    ingress(.icmp, .icmp(type: 3, code: -1), cidr("10.0.0.0/8")),
                    ingress(.icmp, .icmp(type: -1, code: -1), cidr("192.168.0.0/16")),
                    ingress(.icmpv6, .icmp(type: -1, code: -1), cidr("2001:db8::/32"), "All ICMPv6"),
                    ingress(.tcp, .range(1024, 65535), cidr("2001:db8:abcd::/48")),
                    ingress(.udp, .port(53), .prefixList("pl-0a1b2c3d"), "DNS from prefix list"),
                    ingress(.all, .all, .securityGroup("sg-0123456789abcdef0"), "Monitoring"),
                    ingress(.number(50), .all, cidr("172.16.0.0/12"), "ESP"),
                ],
                egress: [
                    egress(.all, .all, cidr("0.0.0.0/0")),
                    egress(.tcp, .port(443), .prefixList("pl-0a1b2c3d")),
                    egress(.udp, .port(123), .securityGroup("sg-0123456789abcdef0")),
                ]),
            TierDraft(name: "batch", ingress: [ingress(.tcp, .port(22), .tier("edge"), "SSH from edge")], egress: nil),
            TierDraft(name: "queue", ingress: [], egress: [egress(.tcp, .port(5672), .tier("batch"))]),
        ]).build()
    }

    /// `count` tiers with `rulesPerTier` rules each: tier refs, IPv4 and IPv6 CIDRs, ranges.
    static func generated(tiers count: Int, rulesPerTier: Int) -> Deployment {
        var drafts: [TierDraft] = []
        for index in 0..<count {
            var ingressRules: [RuleDraft] = []
            var egressRules: [RuleDraft] = []
            for ruleIndex in 0..<rulesPerTier {
                let peerTier = "t\((index + ruleIndex + 1) % count)"
                switch ruleIndex % 5 {
                case 0: ingressRules.append(ingress(.tcp, .port(8000 + ruleIndex), .tier(peerTier), "From \(peerTier)"))
                case 1: ingressRules.append(ingress(.tcp, .range(9000 + ruleIndex, 9100 + ruleIndex), cidr("10.\(index % 256).\(ruleIndex).0/24")))
                case 2: ingressRules.append(ingress(.udp, .port(5000 + ruleIndex), cidr("2001:db8:\(String(index, radix: 16))::/48"), "IPv6 peers"))
                case 3: egressRules.append(egress(.tcp, .port(6000 + ruleIndex), .tier(peerTier)))
                default: egressRules.append(egress(.tcp, .range(443, 444 + ruleIndex), cidr("172.16.\(ruleIndex).0/24"), "Outbound"))
                }
            }
            drafts.append(TierDraft(name: "t\(index)", ingress: ingressRules, egress: egressRules))
        }
        return DeploymentBuilder(drafts).build()
    }
}
