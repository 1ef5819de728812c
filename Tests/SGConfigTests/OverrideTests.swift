import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// Overrides, accepted risks and the port catalog: every error with its code, message and location.
@Suite struct OverrideTests {
    /// A config whose `overrides` list (line 7) holds `body` (items start on line 8).
    static func overrides(_ body: String) -> String { config(append: "overrides:\n" + body) }

    static let overrideCases: [InputCase] = [
        InputCase("description missing", config: overrides("""
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 8443, source_tier: web }

            """),
                  Expected("E206", "override is missing required key 'description'", line: 8, at: "tier")),
        InputCase("description empty", config: overrides("""
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 8443, source_tier: web }
                description: "  "

            """),
                  Expected("E220", "override description must not be empty", line: 11, at: "\"")),
        InputCase("unknown tier", config: overrides("""
              - tier: ap
                add_ingress:
                  - { protocol: tcp, port: 8443, source_tier: web }
                description: TLS

            """),
                  Expected("E221", "override names unknown tier 'ap'; did you mean 'app'?", line: 8, at: "ap")),
        InputCase("stale removal", config: overrides("""
              - tier: app
                remove_ingress:
                  - { protocol: tcp, port: 9090, source_tier: web }
                description: Drop the old port

            """),
                  Expected("E222", "stale override: tier 'app' has no rule ingress tcp/9090 from tier web to remove", line: 10, at: "{")),
        InputCase("stale removal of egress from a default-egress tier", config: overrides("""
              - tier: web
                remove_egress:
                  - { protocol: all, destination: 0.0.0.0/0 }
                description: Close egress

            """),
                  Expected("E222", "stale override: tier 'web' has no rule egress all traffic to 0.0.0.0/0 to remove", line: 10, at: "{")),
        InputCase("changes nothing", config: overrides("""
              - tier: app
                description: Nothing

            """),
                  Expected("E223", "override changes nothing; give at least one rule in add_ingress, remove_ingress, add_egress or remove_egress", line: 8, at: "tier")),
        InputCase("empty lists change nothing", config: overrides("""
              - tier: app
                add_ingress: []
                description: Nothing

            """),
                  Expected("E223", "override changes nothing; give at least one rule in add_ingress, remove_ingress, add_egress or remove_egress", line: 8, at: "tier")),
        InputCase("null rule list", config: overrides("""
              - tier: app
                add_ingress:
                description: Nothing

            """),
                  Expected("E319", "add_ingress has no value; list at least one rule or omit the key", line: 9, at: "add")),
        InputCase("added rule invalid", config: overrides("""
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 70000, source_tier: web }
                description: TLS

            """),
                  Expected("E305", "port 70000 is out of range 0-65535", line: 10, at: "70000")),
        InputCase("added rule duplicates the scenario", config: overrides("""
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 8080, source_tier: web, description: same again }
                description: Again

            """),
                  Expected("E315", "duplicate rule in tier 'app': ingress tcp/8080 from tier web", line: 10, at: "{")),
        InputCase("added rule names unknown tier", config: overrides("""
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 8443, source_tier: wbe }
                description: TLS

            """),
                  Expected("E313", "unknown tier 'wbe' in source_tier; did you mean 'web'?", line: 10, at: "wbe")),
        InputCase("removal with wrong direction key", config: overrides("""
              - tier: app
                remove_egress:
                  - { protocol: tcp, port: 8080, source_tier: web }
                description: Wrong list

            """),
                  Expected("E309", "source_tier is not allowed on an egress rule; use destination_tier", line: 10, at: "source_tier")),
        InputCase("unknown override key", config: overrides("""
              - tier: app
                add_ingres:
                  - { protocol: tcp, port: 8443, source_tier: web }
                description: TLS

            """),
                  Expected("E223", "override changes nothing; give at least one rule in add_ingress, remove_ingress, add_egress or remove_egress", line: 8, at: "tier"),
                  Expected("E205", "unknown key 'add_ingres' in override; did you mean 'add_ingress'?", line: 9, at: "add_ingres")),
        InputCase("override is a scalar", config: overrides("  - app\n"),
                  Expected("E207", "expected a mapping for each item of overrides, found a scalar", line: 8, at: "app")),
        InputCase("adding egress to a default-egress tier warns", config: overrides("""
              - tier: web
                add_egress:
                  - { protocol: tcp, port: 443, destination: 0.0.0.0/0 }
                description: Restrict egress to HTTPS

            """),
                  Expected("W201", "tier 'web' uses AWS's default egress (allow all); the override's add_egress rules replace it", line: 10, at: "{")),
    ]

    @Test(arguments: overrideCases) func overrideErrors(_ input: InputCase) { input.check() }

    @Test func duplicateFromOverrideNotesTheScenarioRule() throws {
        let input = Self.overrideCases.first { $0.name == "added rule duplicates the scenario" }!
        let note = try #require(makeLoader(input.files).load(config: "c").diagnostics.errors.first?.notes.first)
        #expect(note.location == SGDiagnostics.SourceLocation(file: scenarioPath, line: 8, column: 9))
    }

    @Test func overrideLimit() {
        #expect(ModelLimits.default.maxOverrides == 1_000)
        var limits = ModelLimits.default
        limits.maxOverrides = 1
        let item = "  - { tier: app, remove_ingress: [{ protocol: tcp, port: 8080, source_tier: web }], description: x }\n"
        InputCase("1 override", config: Self.overrides(item), limits: limits).check()
        InputCase("2 overrides", config: Self.overrides(item + item), limits: limits,
                  Expected("E228", "overrides has 2 entries; the limit is 1", line: 8, at: "-")).check()
    }

    /// A config whose `accepted_risks` list (line 7) holds one risk with the given fields;
    /// `binding` lines (e.g. `ingress: { ... }`) come after `reason` (line 10), before `expires`.
    static func risk(
        finding: String = "SG-WORLD-ADMIN", tier: String = "web", reason: String = "Break-glass SSH", binding: [String] = [],
        expires: String? = "2027-03-31"
    ) -> String {
        var body = "  - finding: \(finding)\n    tier: \(tier)\n    reason: \(reason)\n"
        for line in binding { body += "    \(line)\n" }
        if let expires { body += "    expires: \(expires)\n" }
        return config(append: "accepted_risks:\n" + body)
    }

    static let acceptedRiskCases: [InputCase] = [
        InputCase("finding lower case", config: risk(finding: "sg-world-admin"),
                  Expected("E224", "invalid finding id 'sg-world-admin'; finding ids look like SG-WORLD-ADMIN", line: 8, at: "sg-")),
        InputCase("finding without suffix", config: risk(finding: "SG-"),
                  Expected("E224", "invalid finding id 'SG-'; finding ids look like SG-WORLD-ADMIN", line: 8, at: "SG-")),
        InputCase("unknown tier", config: risk(tier: "wbe"),
                  Expected("E225", "accepted risk names unknown tier 'wbe'; did you mean 'web'?", line: 9, at: "wbe")),
        InputCase("empty reason", config: risk(reason: "''"),
                  Expected("E220", "reason must not be empty", line: 10, at: "''")),
        InputCase("impossible date", config: risk(expires: "2027-02-30"),
                  Expected("E211", "expires '2027-02-30' is not a real date", line: 11, at: "2027")),
        InputCase("not a date", config: risk(expires: "31/03/2027"),
                  Expected("E211", "expires must be a date YYYY-MM-DD, found '31/03/2027'", line: 11, at: "31")),
        InputCase("expires missing", config: risk(expires: nil),
                  Expected("E206", "accepted risk is missing required key 'expires'", line: 8, at: "finding")),
        InputCase("ingress and fingerprint", config: risk(binding: ["ingress: { protocol: tcp, port: 22, source: 0.0.0.0/0 }", "fingerprint: 0123456789abcdef0123456789abcdef"]),
                  Expected("E229", "accepted risk gives ingress and fingerprint; bind it with exactly one of ingress, egress or fingerprint", line: 12, at: "fingerprint")),
        InputCase("ingress and egress", config: risk(binding: ["ingress: { protocol: tcp, port: 22, source: 0.0.0.0/0 }", "egress: { protocol: tcp, port: 22, destination: 0.0.0.0/0 }"]),
                  Expected("E229", "accepted risk gives ingress and egress; bind it with exactly one of ingress, egress or fingerprint", line: 12, at: "egress")),
        InputCase("fingerprint upper case", config: risk(binding: ["fingerprint: 0123456789ABCDEF0123456789ABCDEF"]),
                  Expected("E230", "invalid fingerprint '0123456789ABCDEF0123456789ABCDEF': expected 32 lowercase hexadecimal digits, as validate prints them", line: 11, at: "0123")),
        InputCase("fingerprint in the old text form", config: risk(binding: ["fingerprint: 'SG-WORLD-ADMIN|web|ingress tcp/22 from 0.0.0.0/0'"]),
                  Expected("E230", "invalid fingerprint 'SG-WORLD-ADMIN|web|ingress tcp/22 from 0.0.0.0/0': expected 32 lowercase hexadecimal digits, as validate prints them", line: 11, at: "'SG")),
        InputCase("selector rule checked like a scenario rule", config: risk(binding: ["ingress: { protocol: tcp, port: 70000, source: 0.0.0.0/0 }"]),
                  Expected("E305", "port 70000 is out of range 0-65535", line: 11, at: "70000")),
        InputCase("selector with a destination on ingress", config: risk(binding: ["ingress: { protocol: tcp, port: 22, destination: 0.0.0.0/0 }"]),
                  Expected("E309", "destination is not allowed on an ingress rule; use source", line: 11, at: "destination")),
        InputCase("selector naming an unknown tier", config: risk(binding: ["ingress: { protocol: tcp, port: 22, source_tier: wbe }"]),
                  Expected("E313", "unknown tier 'wbe' in source_tier; did you mean 'web'?", line: 11, at: "wbe")),
    ]

    @Test("an accepted risk binds by ingress/egress rule or by fingerprint, or names the tier only")
    func acceptedRiskBindings() throws {
        let byRule = makeLoader([configPath: Self.risk(binding: ["ingress: { protocol: 6, port_range: 22-22, source: 0.0.0.0/0, description: ignored }"]), scenarioPath: baseScenario])
            .load(config: "c")
        let rule = try #require(byRule.deployment?.config.acceptedRisks.first)
        #expect(rule.binding == .rule(RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(.anyIPv4))))
        #expect(rule.expiresLocation?.line == 12)
        let byFingerprint = makeLoader([configPath: Self.risk(binding: ["fingerprint: 0123456789abcdef0123456789abcdef"]), scenarioPath: baseScenario])
            .load(config: "c")
        #expect(byFingerprint.deployment?.config.acceptedRisks.first?.binding == .fingerprint("0123456789abcdef0123456789abcdef"))
        let tierOnly = makeLoader([configPath: Self.risk(), scenarioPath: baseScenario]).load(config: "c")
        #expect(tierOnly.deployment?.config.acceptedRisks.first?.binding == .tierOnly)
    }

    @Test(arguments: acceptedRiskCases) func acceptedRiskErrors(_ input: InputCase) { input.check() }

    @Test func acceptedRiskLimit() {
        #expect(ModelLimits.default.maxAcceptedRisks == 1_000)
        var limits = ModelLimits.default
        limits.maxAcceptedRisks = 1
        let item = "  - { finding: SG-WORLD-ADMIN, tier: web, reason: ok, expires: 2027-01-01 }\n"
        InputCase("1 risk", config: config(append: "accepted_risks:\n" + item), limits: limits).check()
        InputCase("2 risks", config: config(append: "accepted_risks:\n" + item + item), limits: limits,
                  Expected("E228", "accepted_risks has 2 entries; the limit is 1", line: 8, at: "-")).check()
    }

    /// A config whose `port_catalog` (line 7) holds one entry (line 8).
    static func catalog(_ flow: String) -> String { config(append: "port_catalog:\n  - \(flow)\n") }

    static let portCatalogCases: [InputCase] = [
        InputCase("category typo", config: catalog("{ port: 9092, name: Kafka, category: databse }"),
                  Expected("E226", "unknown port category 'databse'; did you mean 'database'?", line: 8, at: "databse")),
        InputCase("protocol icmp", config: catalog("{ port: 9092, protocol: icmp, name: Kafka, category: other }"),
                  Expected("E226", "port_catalog protocol must be tcp, udp or all, found 'icmp'", line: 8, at: "icmp")),
        InputCase("no port", config: catalog("{ name: Kafka, category: other }"),
                  Expected("E302", "port_catalog entry needs port or port_range", line: 8, at: "{")),
        InputCase("port and port_range", config: catalog("{ port: 1, port_range: 1-2, name: Kafka, category: other }"),
                  Expected("E304", "give either port or port_range, not both", line: 8, at: "port_range")),
        InputCase("empty name", config: catalog("{ port: 9092, name: '', category: other }"),
                  Expected("E220", "name must not be empty", line: 8, at: "''")),
        InputCase("unknown key", config: catalog("{ port: 9092, name: Kafka, category: other, risk: high }"),
                  Expected("E205", "unknown key 'risk' in port_catalog entry", line: 8, at: "risk")),
    ]

    @Test(arguments: portCatalogCases) func portCatalogErrors(_ input: InputCase) { input.check() }
}
