import Testing

@testable import SGModel

/// EC2's spelling of a rule, read and written in one place.
@Suite struct EC2PermissionTests {
    @Test(arguments: [
        // (IpProtocol, FromPort, ToPort, the model's rule text or the problem)
        ("tcp", 22, 22, "tcp 22"),
        ("6", 8000, 8080, "tcp 8000-8080"),
        ("TCP", nil, nil, "tcp 0-65535"),
        ("udp", -1, -1, "udp 0-65535"),
        ("-1", 22, 22, "all all"),
        ("all", nil, nil, "all all"),
        ("icmp", 8, 0, "icmp type 8 code 0"),
        ("icmp", -1, 5, "icmp type any"),
        ("1", 3, -1, "icmp type 3"),
        ("58", nil, nil, "icmpv6 type any"),
        ("ipv6-icmp", 128, 0, "icmpv6 type 128 code 0"),
        ("50", nil, nil, "50 all"),
        ("tcp", 90, 80, "invalid FromPort/ToPort 90/80"),
        ("udp", 0, 65536, "invalid FromPort/ToPort 0/65536"),
        ("tcp", -1, 80, "invalid FromPort/ToPort -1/80"),
        ("icmp", 256, 0, "invalid FromPort/ToPort 256/0"),
        ("gre", nil, nil, "unknown IpProtocol 'gre'"),
        ("256", nil, nil, "unknown IpProtocol '256'"),
        ("", nil, nil, "unknown IpProtocol ''"),
    ] as [(String, Int?, Int?, String)])
    func decodesEC2sConventions(ipProtocol: String, from: Int?, to: Int?, expected: String) {
        switch EC2Permission.decode(ipProtocol: ipProtocol, fromPort: from, toPort: to) {
        case .success(let (proto, ports)): #expect("\(proto) \(ports)" == expected)
        case .failure(let problem): #expect(problem.description == expected)
        }
    }

    /// Every protocol and port form the model can hold is written so that reading it back gives
    /// the same rule: what the compiler emits is what drift and verification read.
    @Test(arguments: [
        (IPProtocol.tcp, PortSpec.ports(PortRange(port: 443))), (.tcp, .ports(.all)), (.udp, .ports(PortRange(1024, 2047))),
        (.icmp, .icmp(type: 8, code: 0)), (.icmp, .icmp(type: 3, code: -1)), (.icmp, .icmp(type: -1, code: -1)),
        (.icmpv6, .icmp(type: 128, code: 0)), (.icmpv6, .icmp(type: -1, code: -1)), (.all, .all), (.number(50), .all),
    ])
    func whatIsWrittenReadsBackAsTheSameRule(ipProtocol: IPProtocol, ports: PortSpec) throws {
        #expect(EC2Permission.encodingProblem(ipProtocol, ports) == nil)
        let wire = EC2Permission.wirePorts(ipProtocol, ports)
        let decoded = try EC2Permission.decode(ipProtocol: ipProtocol.wireValue, fromPort: wire?.from, toPort: wire?.to).get()
        #expect(decoded.0 == ipProtocol)
        #expect(decoded.1 == ports)
    }

    @Test func portsAreOmittedWhereEC2IgnoresThemOrDocumentsTheirAbsence() {
        #expect(EC2Permission.wirePorts(.all, .all) == nil)
        #expect(EC2Permission.wirePorts(.number(47), .all) == nil)
        #expect(EC2Permission.wirePorts(.icmpv6, .icmp(type: -1, code: -1)) == nil)
        #expect(EC2Permission.wirePorts(.icmp, .icmp(type: -1, code: -1))! == (-1, -1))
        #expect(EC2Permission.wirePorts(.tcp, .all)! == (0, 65535))
    }

    @Test(arguments: [
        (IPProtocol.icmp, PortSpec.icmp(type: 256, code: 0), "icmp type 256 code 0 is out of range -1-255"),
        (.icmpv6, .icmp(type: -1, code: 4), "icmp code 4 needs a type; with any type the code must be any"),
        (.number(50), .ports(PortRange(port: 22)), "protocol 50 has no ports, but the rule gives port 22"),
        (.all, .ports(PortRange(port: 22)), "protocol all has no ports, but the rule gives port 22"),
        (.tcp, .icmp(type: 8, code: 0), "protocol tcp has no icmp type or code"),
    ])
    func combinationsEC2CannotHoldAreNamed(ipProtocol: IPProtocol, ports: PortSpec, expected: String) {
        #expect(EC2Permission.encodingProblem(ipProtocol, ports) == expected)
    }

    @Test func peerCIDRsAreReadAsEC2StoresThem() throws {
        let read = try EC2Permission.peerCIDR("10.1.2.3/8").get()
        #expect(read.block.description == "10.0.0.0/8")
        #expect(read.hadHostBits)
        #expect(try EC2Permission.peerCIDR("2001:DB8::/32").get().block.description == "2001:db8::/32")
        #expect(EC2Permission.peerCIDR("10.0.0.0/33").failure == .badCIDR("10.0.0.0/33", "prefix length /33 is out of range 0-32"))
        #expect(EC2Permission.peerCIDR("nonsense").failure?.description
            == "invalid CIDR 'nonsense': 'nonsense' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32)")
        #expect(EC2Permission.Problem.noPeer.description == "rule without a peer")
    }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// The one label of a hop's ports.
@Suite struct PortsLabelTests {
    static func rule(_ ipProtocol: IPProtocol, _ ports: PortSpec) -> Rule {
        Rule(direction: .ingress, ipProtocol: ipProtocol, ports: ports, peer: .tier("web"), locations: RuleLocations(rule: .file("s.yaml")))
    }

    @Test func labelsNameEveryProtocolOnceInRuleOrder() {
        let rules = [
            Self.rule(.tcp, .ports(PortRange(port: 443))), Self.rule(.tcp, .ports(PortRange(8000, 8080))), Self.rule(.tcp, .ports(.all)),
            Self.rule(.udp, .ports(PortRange(port: 53))), Self.rule(.udp, .ports(.all)), Self.rule(.icmp, .icmp(type: 8, code: 0)),
            Self.rule(.icmpv6, .icmp(type: -1, code: -1)), Self.rule(.number(50), .all), Self.rule(.all, .all),
            Self.rule(.tcp, .ports(PortRange(port: 443))),
        ]
        #expect(rules.portsLabel == "443,8000-8080,tcp/all,udp/53,udp/0-65535,icmp,icmpv6,50,all")
        #expect([Rule]().portsLabel == "")
    }
}
