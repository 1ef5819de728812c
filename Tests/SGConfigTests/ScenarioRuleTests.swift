import Foundation
import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// A rule case: the rule text on line 5 of the scenario and the diagnostics it must produce.
private func ruleCase(_ name: String, _ flow: String, direction: Direction = .ingress, _ expected: Expected...) -> InputCase {
    var input = InputCase(name, scenario: scenario(rule: flow, direction: direction))
    input.expected = expected
    return input
}

/// An expected diagnostic on the rule line (line 5) of the scenario file.
private func onRule(_ code: String, _ message: String, at token: String) -> Expected {
    Expected(code, message, scenarioPath, line: 5, at: token)
}

@Suite struct ScenarioRuleTests {
    static let protocolAndPortCases: [InputCase] = [
        ruleCase("protocol upper case", "{ protocol: TCP, port: 22, source: 10.0.0.0/8 }",
                 onRule("E301", "unknown protocol 'TCP'; did you mean 'tcp'?", at: "TCP")),
        ruleCase("protocol transposed", "{ protocol: tpc, port: 22, source: 10.0.0.0/8 }",
                 onRule("E301", "unknown protocol 'tpc'; did you mean 'tcp'?", at: "tpc")),
        ruleCase("protocol unknown", "{ protocol: gre, source: 10.0.0.0/8 }",
                 onRule("E301", "unknown protocol 'gre'", at: "gre")),
        ruleCase("protocol number 256", "{ protocol: 256, source: 10.0.0.0/8 }",
                 onRule("E301", "protocol number 256 is out of range 0-255", at: "256")),
        ruleCase("protocol leading zero", "{ protocol: '06', port: 22, source: 10.0.0.0/8 }",
                 onRule("E301", "protocol number '06' must not have leading zeros", at: "'06'")),
        ruleCase("protocol missing", "{ port: 22, source: 10.0.0.0/8 }",
                 onRule("E206", "ingress rule is missing required key 'protocol'", at: "{")),
        ruleCase("port sexagesimal", "{ protocol: tcp, port: 22:80, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '22:80'", at: "22:80")),
        ruleCase("port hex", "{ protocol: tcp, port: 0x16, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '0x16'", at: "0x16")),
        ruleCase("port underscore", "{ protocol: tcp, port: 1_000, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '1_000'", at: "1_000")),
        ruleCase("port float", "{ protocol: tcp, port: 22.0, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '22.0'", at: "22.0")),
        ruleCase("port plus sign", "{ protocol: tcp, port: +22, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '+22'", at: "+22")),
        ruleCase("port leading zero", "{ protocol: tcp, port: 022, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '022'", at: "022")),
        ruleCase("port negative", "{ protocol: tcp, port: -1, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '-1'", at: "-1")),
        ruleCase("port range in port", "{ protocol: tcp, port: 22-80, source: 10.0.0.0/8 }",
                 onRule("E209", "port must be a decimal integer, found '22-80'; use port_range for a range of ports", at: "22-80")),
        ruleCase("port null", "{ protocol: tcp, port: ~, source: 10.0.0.0/8 }",
                 onRule("E207", "expected an integer for port, found null", at: "~")),
        ruleCase("port 70000", "{ protocol: tcp, port: 70000, source: 10.0.0.0/8 }",
                 onRule("E305", "port 70000 is out of range 0-65535", at: "70000")),
        ruleCase("port huge", "{ protocol: tcp, port: 99999999999999999999999, source: 10.0.0.0/8 }",
                 onRule("E305", "port 99999999999999999999999 is out of range 0-65535", at: "999")),
        ruleCase("port_range reversed", "{ protocol: tcp, port_range: 90-80, source: 10.0.0.0/8 }",
                 onRule("E306", "port_range 90-80 is reversed; write 80-90", at: "90-80")),
        ruleCase("port_range single number", "{ protocol: tcp, port_range: 80, source: 10.0.0.0/8 }",
                 onRule("E306", "port_range must be two ports joined by '-' (e.g. 8000-8080), found '80'", at: "80,")),
        ruleCase("port_range leading zero", "{ protocol: tcp, port_range: 08-80, source: 10.0.0.0/8 }",
                 onRule("E306", "port_range must be two ports joined by '-' (e.g. 8000-8080), found '08-80'", at: "08-80")),
        ruleCase("port_range upper out of range", "{ protocol: udp, port_range: 1000-70000, source: 10.0.0.0/8 }",
                 onRule("E305", "port 70000 in port_range is out of range 0-65535", at: "1000-")),
        ruleCase("port and port_range", "{ protocol: tcp, port: 80, port_range: 80-90, source: 10.0.0.0/8 }",
                 onRule("E304", "give either port or port_range, not both", at: "port_range")),
        ruleCase("tcp without port", "{ protocol: tcp, source: 10.0.0.0/8 }",
                 onRule("E302", "protocol tcp needs port or port_range", at: "tcp")),
        ruleCase("udp by number without port", "{ protocol: 17, source: 10.0.0.0/8 }",
                 onRule("E302", "protocol udp needs port or port_range", at: "17")),
        ruleCase("all with port", "{ protocol: all, port: 22, source: 10.0.0.0/8 }",
                 onRule("E303", "protocol all opens every port; remove port", at: "port")),
        ruleCase("numbered protocol with port_range", "{ protocol: 50, port_range: 1-2, source: 10.0.0.0/8 }",
                 onRule("E303", "protocol 50 has no ports; remove port_range", at: "port_range")),
        ruleCase("icmp with port", "{ protocol: icmp, port: 8, source: 10.0.0.0/8 }",
                 onRule("E303", "protocol icmp has no ports; remove port and use icmp_type and icmp_code", at: "port")),
        ruleCase("icmp_code without icmp_type", "{ protocol: icmp, icmp_code: 0, source: 10.0.0.0/8 }",
                 onRule("E307", "icmp_code needs icmp_type", at: "icmp_code")),
        ruleCase("icmp_type 300", "{ protocol: icmpv6, icmp_type: 300, source: \"::/0\" }",
                 onRule("E307", "icmp_type 300 is out of range 0-255", at: "300")),
        ruleCase("icmp_type on tcp", "{ protocol: tcp, port: 22, icmp_type: 8, source: 10.0.0.0/8 }",
                 onRule("E307", "icmp_type applies only to icmp and icmpv6 rules, not protocol tcp", at: "icmp_type")),
        ruleCase("explicit !!int tag on port", "{ protocol: tcp, port: !!int 22, source: 10.0.0.0/8 }",
                 onRule("E208", "explicit YAML tag '!!int' is not allowed; remove it (the field decides the type)", at: "!!int")),
    ]

    @Test(arguments: protocolAndPortCases) func protocolAndPortErrors(_ input: InputCase) { input.check() }

    static let peerAndDescriptionCases: [InputCase] = [
        ruleCase("no source", "{ protocol: tcp, port: 22 }",
                 onRule("E308", "ingress rule has no source; give one of source, source_tier, source_security_group, source_prefix_list", at: "{")),
        ruleCase("no destination", "{ protocol: tcp, port: 22 }", direction: .egress,
                 onRule("E308", "egress rule has no destination; give one of destination, destination_tier, destination_security_group, destination_prefix_list", at: "{")),
        ruleCase("two sources", "{ protocol: tcp, port: 22, source: 10.0.0.0/8, source_tier: app }",
                 onRule("E308", "ingress rule has more than one source (source and source_tier); give exactly one", at: "source_tier")),
        ruleCase("destination on ingress", "{ protocol: tcp, port: 22, destination: 10.0.0.0/8 }",
                 onRule("E309", "destination is not allowed on an ingress rule; use source", at: "destination")),
        ruleCase("source_tier on egress", "{ protocol: tcp, port: 22, source_tier: app }", direction: .egress,
                 onRule("E309", "source_tier is not allowed on an egress rule; use destination_tier", at: "source_tier")),
        ruleCase("source host bits", "{ protocol: tcp, port: 22, source: 10.0.0.1/16 }",
                 onRule("E310", "invalid source '10.0.0.1/16': host bits are set; the network is 10.0.0.0/16", at: "10.0")),
        ruleCase("source ipv6 prefix too long", "{ protocol: tcp, port: 22, source: \"2001:db8::/129\" }",
                 onRule("E310", "invalid source '2001:db8::/129': prefix length /129 is out of range 0-128", at: "\"2001")),
        ruleCase("source without prefix", "{ protocol: tcp, port: 22, source: 10.0.0.1 }",
                 onRule("E310", "invalid source: '10.0.0.1' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32)", at: "10.0")),
        ruleCase("destination ipv6 host bits", "{ protocol: tcp, port: 443, destination: \"2001:db8::1/32\" }", direction: .egress,
                 onRule("E310", "invalid destination '2001:db8::1/32': host bits are set; the network is 2001:db8::/32", at: "\"2001")),
        ruleCase("security group id", "{ protocol: tcp, port: 22, source_security_group: sg-123 }",
                 onRule("E311", "invalid source_security_group 'sg-123': expected 'sg-' followed by 8 or 17 lowercase hex digits", at: "sg-123")),
        ruleCase("prefix list id", "{ protocol: tcp, port: 443, destination_prefix_list: pl-xyz12345 }", direction: .egress,
                 onRule("E312", "invalid destination_prefix_list 'pl-xyz12345': expected 'pl-' followed by 8 or 17 lowercase hex digits", at: "pl-")),
        ruleCase("unknown source tier", "{ protocol: tcp, port: 22, source_tier: ap }",
                 onRule("E313", "unknown tier 'ap' in source_tier; did you mean 'app'?", at: "ap }")),
        ruleCase("unknown destination tier", "{ protocol: tcp, port: 22, destination_tier: cache }", direction: .egress,
                 onRule("E313", "unknown tier 'cache' in destination_tier", at: "cache")),
        ruleCase("description character", "{ protocol: tcp, port: 22, source: 10.0.0.0/8, description: Café access }",
                 onRule("E314", "rule description contains 'é', which AWS does not allow", at: "Caf")),
        ruleCase("description 256 characters", "{ protocol: tcp, port: 22, source: 10.0.0.0/8, description: \(String(repeating: "d", count: 256)) }",
                 onRule("E314", "rule description is 256 characters; AWS allows at most 255", at: "ddd")),
        ruleCase("unknown key in rule", "{ protocol: tcp, port: 22, sorce: 10.0.0.0/8 }",
                 onRule("E308", "ingress rule has no source; give one of source, source_tier, source_security_group, source_prefix_list", at: "{"),
                 onRule("E205", "unknown key 'sorce' in ingress rule; did you mean 'source'?", at: "sorce")),
        ruleCase("misspelt key suggests this direction's peer", "{ protocol: tcp, port: 22, destinaton: 10.0.0.0/8 }", direction: .egress,
                 onRule("E308", "egress rule has no destination; give one of destination, destination_tier, destination_security_group, destination_prefix_list", at: "{"),
                 onRule("E205", "unknown key 'destinaton' in egress rule; did you mean 'destination'?", at: "destinaton")),
        ruleCase("misspelt key does not suggest the other direction's peer", "{ protocol: tcp, port: 22, destinaton: 10.0.0.0/8 }",
                 onRule("E308", "ingress rule has no source; give one of source, source_tier, source_security_group, source_prefix_list", at: "{"),
                 onRule("E205", "unknown key 'destinaton' in ingress rule", at: "destinaton")),
        ruleCase("rule is a scalar", "tcp/22 from 10.0.0.0/8",
                 onRule("E207", "expected a mapping for each item of ingress, found a scalar", at: "tcp")),
    ]

    @Test(arguments: peerAndDescriptionCases) func peerAndDescriptionErrors(_ input: InputCase) { input.check() }

    static let tierCases: [InputCase] = [
        InputCase("no tiers", scenario: "name: web\ntiers: {}\n",
                  Expected("E317", "tiers must define at least one tier", scenarioPath, line: 2, at: "{")),
        InputCase("tiers missing", scenario: "name: web\ndescription: x\n",
                  Expected("E206", "scenario is missing required key 'tiers'", scenarioPath, line: 1)),
        InputCase("scenario name invalid", scenario: baseScenario.replacingOccurrences(of: "name: web", with: "name: Web"),
                  Expected("E320", "invalid scenario name 'Web': uppercase letter 'W' is not allowed; use lowercase", scenarioPath, line: 1, at: "Web")),
        InputCase("scenario name differs from file", scenario: baseScenario.replacingOccurrences(of: "name: web", with: "name: three-tier"),
                  Expected("W301", "scenario name 'three-tier' differs from its file name 'web'; configs refer to scenarios by file name", scenarioPath, line: 1, at: "three")),
        InputCase("tier name upper case", scenario: "name: web\ntiers:\n  Web: {}\n",
                  Expected("E318", "invalid tier name 'Web': uppercase letter 'W' is not allowed; use lowercase", scenarioPath, line: 3, at: "Web")),
        InputCase("tier name underscore", scenario: "name: web\ntiers:\n  app_tier: {}\n",
                  Expected("E318", "invalid tier name 'app_tier': character '_' is not allowed", scenarioPath, line: 3, at: "app")),
        InputCase("egress null", scenario: "name: web\ntiers:\n  web:\n    egress:\n",
                  Expected("E319", "egress has no value; write 'egress: []' for no outbound traffic, or omit the key for AWS's default (allow all)", scenarioPath, line: 4, at: "egress")),
        InputCase("ingress null", scenario: "name: web\ntiers:\n  web:\n    ingress:\n    egress: []\n",
                  Expected("E319", "ingress has no value; write 'ingress: []' for no inbound traffic, or omit the key", scenarioPath, line: 4, at: "ingress")),
        InputCase("public yes", scenario: "name: web\ntiers:\n  web:\n    public: yes\n",
                  Expected("E210", "public must be true or false, found 'yes'", scenarioPath, line: 4, at: "yes")),
        InputCase("public True", scenario: "name: web\ntiers:\n  web:\n    public: True\n",
                  Expected("E210", "public must be true or false, found 'True'", scenarioPath, line: 4, at: "True")),
        InputCase("public on", scenario: "name: web\ntiers:\n  web:\n    public: on\n",
                  Expected("E210", "public must be true or false, found 'on'", scenarioPath, line: 4, at: "on")),
        InputCase("unknown tier key", scenario: "name: web\ntiers:\n  web:\n    ingres: []\n",
                  Expected("E205", "unknown key 'ingres' in tier 'web'; did you mean 'ingress'?", scenarioPath, line: 4, at: "ingres")),
        InputCase("tier description character", scenario: "name: web\ntiers:\n  web:\n    description: Web <prod>\n",
                  Expected("E314", "tier description contains '<', which AWS does not allow", scenarioPath, line: 4, at: "Web")),
        InputCase("tier description 256 characters", scenario: "name: web\ntiers:\n  web:\n    description: \(String(repeating: "w", count: 256))\n",
                  Expected("E314", "tier description is 256 characters; AWS allows at most 255", scenarioPath, line: 4, at: "www")),
        InputCase("tier is a sequence", scenario: "name: web\ntiers:\n  web: [a]\n",
                  Expected("E207", "expected a mapping for tier 'web', found a sequence", scenarioPath, line: 3, at: "[")),
        InputCase("ingress is a mapping", scenario: "name: web\ntiers:\n  web:\n    ingress: {protocol: tcp}\n",
                  Expected("E207", "expected a sequence for ingress, found a mapping", scenarioPath, line: 4, at: "{")),
        InputCase("scenario root key unknown", scenario: baseScenario + "owner: me\n",
                  Expected("E205", "unknown key 'owner' in scenario", scenarioPath, line: 10, at: "owner")),
        InputCase("duplicate rule", scenario: """
            name: web
            tiers:
              web:
                ingress:
                  - { protocol: tcp, port: 443, source: 0.0.0.0/0, description: HTTPS }
                  - { protocol: "6", port: "443", source: 0.0.0.0/0, description: again }

            """,
                  Expected("E315", "duplicate rule in tier 'web': ingress tcp/443 from 0.0.0.0/0", scenarioPath, line: 6, at: "{")),
    ]

    @Test(arguments: tierCases) func tierErrors(_ input: InputCase) { input.check() }

    @Test func unknownRuleKeyNoteListsThisDirectionsKeys() throws {
        let input = Self.peerAndDescriptionCases.first { $0.name == "unknown key in rule" }!
        let result = makeLoader(input.files).load(config: "c")
        let unknown = try #require(result.diagnostics.all.first { $0.code == .unknownKey })
        #expect(unknown.notes.map(\.message) == [
            // An ingress rule also takes the owner account of a source group in another account.
            "allowed keys: protocol, port, port_range, icmp_type, icmp_code, description, source, source_tier, source_security_group, source_prefix_list, source_security_group_owner",
        ])
    }

    @Test func duplicateRuleNotePointsAtTheFirst() throws {
        let input = Self.tierCases.last!
        let result = makeLoader(input.files).load(config: "c")
        let note = try #require(result.diagnostics.errors.first?.notes.first)
        #expect(note.message == "first defined here")
        #expect(note.location == SGDiagnostics.SourceLocation(file: scenarioPath, line: 5, column: 9))
    }

    // MARK: - Limits

    /// `count` tiers named t1...tN, each with `rules` ingress rules on distinct ports.
    static func bigScenario(tiers count: Int, rules: Int = 0) -> String {
        var text = "name: web\ntiers:\n"
        for tier in 1...count {
            if rules == 0 {
                text += "  t\(tier): {}\n"
                continue
            }
            text += "  t\(tier):\n    ingress:\n"
            for port in 1...rules { text += "      - { protocol: tcp, port: \(port), source: 10.0.0.0/8 }\n" }
        }
        return text
    }

    @Test func tierLimitIsFiveThousand() {
        #expect(ModelLimits.default.maxTiers == 5_000)
        InputCase("5000 tiers", scenario: Self.bigScenario(tiers: 5_000)).check()
        InputCase("5001 tiers", scenario: Self.bigScenario(tiers: 5_001),
                  Expected("E321", "scenario has 5001 tiers; the limit is 5000", scenarioPath, line: 3, at: "t1")).check()
    }

    @Test func rulesPerDirectionFollowTheAWSQuota() {
        #expect(ModelLimits.default.maxRulesPerDirection == 60)
        InputCase("60 rules", scenario: Self.bigScenario(tiers: 1, rules: 60)).check()
        InputCase("61 rules", scenario: Self.bigScenario(tiers: 1, rules: 61),
                  Expected("E316", "tier 't1' has 61 ingress rules; AWS allows 60 per direction per security group (default quota)", scenarioPath, line: 3, at: "t1")).check()
    }

    @Test func totalRulesLimit() {
        #expect(ModelLimits.default.maxTotalRules == 100_000)
        var limits = ModelLimits.default
        limits.maxTotalRules = 5
        InputCase("5 rules", scenario: Self.bigScenario(tiers: 1, rules: 5), limits: limits).check()
        InputCase("6 rules", scenario: Self.bigScenario(tiers: 2, rules: 3), limits: limits,
                  Expected("E321", "deployment has 6 rules in total; the limit is 5", scenarioPath, line: 3, at: "t1")).check()
    }

    @Test func groupNameLengthLimit() {
        #expect(ModelLimits.default.maxGroupNameLength == 255)
        var limits = ModelLimits.default
        limits.maxGroupNameLength = 23  // "globalbank-prod-c001-web" is 24
        InputCase("group name too long", limits: limits,
                  Expected("E318", "security group name 'globalbank-prod-c001-web' is 24 characters; AWS allows at most 23", scenarioPath, line: 3, at: "web"),
                  Expected("E318", "security group name 'globalbank-prod-c001-app' is 24 characters; AWS allows at most 23", scenarioPath, line: 6, at: "app")).check()
    }
}
