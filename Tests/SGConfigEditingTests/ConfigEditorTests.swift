import SGConfig
import SGConfigEditing
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// `ConfigEditor`: entries appended where the lists are, every other byte kept, and the result
/// loads as the config plus exactly those entries.
@Suite struct ConfigEditorTests {
    static let here = SGDiagnostics.SourceLocation.file(configPath)

    /// An override on tier app adding SSH from the world (with a description that needs quoting)
    /// and removing the 8080 rule.
    static let override = Override(
        tier: "app",
        addIngress: [Rule(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(.anyIPv4),
                          description: "debug: ops #4711", locations: RuleLocations(rule: here))],
        removeIngress: [Rule(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 8080)), peer: .tier("web"),
                             locations: RuleLocations(rule: here))],
        description: "SEC-1234 \"break-glass\" (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)", location: here)

    static let risk = AcceptedRisk(
        findingID: "SG-WORLD-ADMIN", tier: "app",
        binding: .rule(RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: .cidr(.anyIPv4))),
        reason: "SEC-1234 (accepted drift)", expires: CalendarDate(year: 2026, month: 12, day: 31), location: here)

    /// Edits `text` and returns the new text, asserting every original byte is still there in order.
    /// `keepsEveryByte`: false where the edit rewrites the list's own empty value (`~`, `[]`).
    private func edit(_ text: String, overrides: [Override] = [override], risks: [AcceptedRisk] = [], keepsEveryByte: Bool = true) throws -> String {
        let editor = try ConfigEditor(source: SourceFile(path: configPath, text: text))
        let bytes = try editor.appending(overrides: overrides, acceptedRisks: risks)
        if keepsEveryByte { #expect(isSubsequence(Array(text.utf8), of: bytes), "original bytes kept in order") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The edited config loads, and its app tier has SSH and no 8080 any more.
    private func expectLoads(_ text: String, risks: Int = 0, sourceLine: Testing.SourceLocation = #_sourceLocation) throws {
        let result = makeLoader([configPath: text, scenarioPath: baseScenario]).load(config: configPath)
        let deployment = try #require(result.deployment, "\(result.diagnostics.all.map(\.message))\n\(text)", sourceLocation: sourceLine)
        let app = try #require(deployment.tier(named: "app"))
        #expect(app.ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0"], sourceLocation: sourceLine)
        #expect(app.ingress.first?.description == "debug: ops #4711", sourceLocation: sourceLine)
        #expect(deployment.config.overrides.last?.description == Self.override.description, sourceLocation: sourceLine)
        #expect(deployment.config.acceptedRisks.count == risks, sourceLocation: sourceLine)
    }

    @Test func appendsToABlockListKeepingCommentsAndOrder() throws {
        let original = config(append: """
            # overrides reviewed by SEC, 2026-04
            overrides:   # keep in ticket order
              - tier: web
                add_ingress:
                  - { protocol: tcp, port: 80, source: 0.0.0.0/0 }   # redirect only
                description: HTTP redirect
              # - tier: app   (retired)
            tags:
              owner: fraud-team

            """)
        let edited = try edit(original)
        #expect(edited == config(append: """
            # overrides reviewed by SEC, 2026-04
            overrides:   # keep in ticket order
              - tier: web
                add_ingress:
                  - { protocol: tcp, port: 80, source: 0.0.0.0/0 }   # redirect only
                description: HTTP redirect
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 22, source: "0.0.0.0/0", description: "debug: ops #4711" }
                remove_ingress:
                  - { protocol: tcp, port: 8080, source_tier: web }
                description: "SEC-1234 \\"break-glass\\" (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)"
              # - tier: app   (retired)
            tags:
              owner: fraud-team

            """))
        try expectLoads(edited)
    }

    @Test func addsTheKeyWhenTheConfigHasNone() throws {
        let original = config(append: "tags:\n  owner: fraud-team\naccepted_risks:\n    - finding: SG-DEFAULT-EGRESS\n      tier: web\n      reason: legacy\n      expires: 2026-12-01\n# end of file\n")
        let edited = try edit(original)
        // The new key follows the root's last entry, its list indented as the file indents lists (4).
        #expect(edited == original.replacingOccurrences(of: "# end of file\n", with: "") + """
            overrides:
                - tier: app
                  add_ingress:
                    - { protocol: tcp, port: 22, source: "0.0.0.0/0", description: "debug: ops #4711" }
                  remove_ingress:
                    - { protocol: tcp, port: 8080, source_tier: web }
                  description: "SEC-1234 \\"break-glass\\" (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)"
            # end of file

            """)
        let result = makeLoader([configPath: edited, scenarioPath: baseScenario]).load(config: configPath)
        #expect(result.deployment?.tier(named: "app")?.ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0"], "\(result.diagnostics.all.map(\.message))")
    }

    @Test(arguments: [
        ("overrides:", "overrides:"), ("overrides: ~", "overrides:"), ("overrides: []", "overrides:"),
        ("overrides:   # none yet", "overrides:   # none yet"), ("overrides: [ ]  # none yet", "overrides:  # none yet"),
    ])
    func anEmptyListBecomesABlockList(line: String, keyLine: String) throws {
        let original = config(append: "\(line)\ntags:\n  owner: fraud-team\n")
        let edited = try edit(original, keepsEveryByte: line == keyLine)
        #expect(edited == config(append: """
            \(keyLine)
              - tier: app
                add_ingress:
                  - { protocol: tcp, port: 22, source: "0.0.0.0/0", description: "debug: ops #4711" }
                remove_ingress:
                  - { protocol: tcp, port: 8080, source_tier: web }
                description: "SEC-1234 \\"break-glass\\" (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)"
            tags:
              owner: fraud-team

            """), "\(edited)")
        try expectLoads(edited)
    }

    @Test func appendsInsideAFlowList() throws {
        let original = config(append: "overrides: [ { tier: web, add_ingress: [ { protocol: tcp, port: 80, source: 0.0.0.0/0 } ], description: redirect } ]  # flow\n")
        let edited = try edit(original)
        #expect(edited.contains("description: redirect }, { tier: app, add_ingress: [{ protocol: tcp, port: 22, source: \"0.0.0.0/0\", description: \"debug: ops #4711\" }], remove_ingress: [{ protocol: tcp, port: 8080, source_tier: web }], description: "), "\(edited)")
        #expect(edited.hasSuffix(" ]  # flow\n"))
        try expectLoads(edited)
    }

    @Test func editsAFlowRootMapping() throws {
        let original = "{ company_prefix: globalbank, environment: prod, deployment_id: c001, region: us-west-2,\n  vpc_id: vpc-0a1b2c3d4e5f67890, scenario: web }  # one flow mapping\n"
        let edited = try edit(original, risks: [Self.risk])
        #expect(edited.hasPrefix("{ company_prefix: globalbank, environment: prod, deployment_id: c001, region: us-west-2,\n  vpc_id: vpc-0a1b2c3d4e5f67890, scenario: web, overrides: [{ tier: app, "), "\(edited)")
        #expect(edited.hasSuffix("expires: 2026-12-31 }] }  # one flow mapping\n"), "\(edited)")
        try expectLoads(edited, risks: 1)
    }

    @Test func keepsCRLFAndTheByteOrderMarkAndAddsALineBreakAtTheEnd() throws {
        let original = "\u{FEFF}" + config().replacingOccurrences(of: "\n", with: "\r\n") + "overrides:\r\n  - tier: web\r\n    add_ingress: [ { protocol: tcp, port: 80, source: 0.0.0.0/0 } ]\r\n    description: redirect"
        let edited = try edit(original)
        #expect(edited.hasPrefix("\u{FEFF}company_prefix: globalbank\r\n"))
        #expect(edited.hasSuffix("    description: redirect\r\n  - tier: app\r\n    add_ingress:\r\n      - { protocol: tcp, port: 22, source: \"0.0.0.0/0\", description: \"debug: ops #4711\" }\r\n    remove_ingress:\r\n      - { protocol: tcp, port: 8080, source_tier: web }\r\n    description: \"SEC-1234 \\\"break-glass\\\" (accepted drift on 2026-05-06: + ingress tcp/22 from 0.0.0.0/0)\"\r\n"), "\(edited.debugDescription)")
        #expect(!edited.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line break is CRLF")
        try expectLoads(edited)
    }

    @Test func writesBothListsAtOnceAndBindsTheRiskToTheRule() throws {
        let original = config(append: "accepted_risks: []\n")
        let edited = try edit(original, risks: [Self.risk], keepsEveryByte: false)
        #expect(edited.contains("""
            accepted_risks:
              - finding: SG-WORLD-ADMIN
                tier: app
                ingress: { protocol: tcp, port: 22, source: "0.0.0.0/0" }
                reason: "SEC-1234 (accepted drift)"
                expires: 2026-12-31
            overrides:
              - tier: app
            """), "\(edited)")
        try expectLoads(edited, risks: 1)
    }

    @Test func refusesAliasesAndMergedKeys() throws {
        let aliased = config(append: "tags: &t\n  owner: x\noverrides: *t\n")
        #expect(throws: ConfigEditError.self) { try ConfigEditor(source: SourceFile(path: configPath, text: aliased)).appending(overrides: [Self.override], acceptedRisks: []) }
        let merged = config(append: "<<: { overrides: [] }\n")
        do {
            _ = try ConfigEditor(source: SourceFile(path: configPath, text: merged)).appending(overrides: [Self.override], acceptedRisks: [])
            Issue.record("a merged key must not be edited")
        } catch {
            #expect(error.message == "overrides comes from a merge key (<<); add the entries by hand")
            #expect(error.location?.line == 7)
        }
    }

    /// A noncharacter (U+FFFE) in an accepted risk's reason is written as an escape, as the importer
    /// writes it (one `YAMLText.doubleQuoted`): libyaml refuses it raw, and the edited config must load.
    @Test func noncharactersAreEscapedSoTheEditedConfigStillLoads() throws {
        var risk = Self.risk
        risk.reason = "SEC-1234 \u{FFFE}"
        let edited = try edit(config(), risks: [risk])
        #expect(edited.contains(#"reason: "SEC-1234 \uFFFE""#))
        let result = makeLoader([configPath: edited, scenarioPath: baseScenario]).load(config: configPath)
        #expect(result.deployment?.config.acceptedRisks.first?.reason == "SEC-1234 \u{FFFE}", "\(result.diagnostics.all.map(\.message))")
    }

    @Test func scalarsAreQuotedWhenYAMLWouldReadThemOtherwise() {
        let rule = Rule(direction: .egress, ipProtocol: .number(50), ports: .all, peer: .cidr(.anyIPv6), description: "line\nbreak \u{1B}[31m",
                        locations: RuleLocations(rule: Self.here))
        #expect(ConfigYAMLWriter.rule(rule) == #"{ protocol: 50, destination: "::/0", description: "line\nbreak \u001B[31m" }"#)
        let icmp = Rule(direction: .ingress, ipProtocol: .icmp, ports: .icmp(type: 8, code: -1), peer: .prefixList("pl-0123abcd"),
                        locations: RuleLocations(rule: Self.here))
        #expect(ConfigYAMLWriter.rule(icmp) == "{ protocol: icmp, icmp_type: 8, source_prefix_list: pl-0123abcd }")
        let all = Rule(direction: .ingress, ipProtocol: .tcp, ports: .ports(.all), peer: .tier("no"), locations: RuleLocations(rule: Self.here))
        #expect(ConfigYAMLWriter.rule(all) == #"{ protocol: tcp, port_range: 0-65535, source_tier: "no" }"#)
    }
}

@Suite struct UnifiedDiffTests {
    @Test func insertionsAreHunksWithContext() {
        let old = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...12).map { "line \($0)" }
        lines.insert("new A", at: 2)
        lines.insert("new B", at: 11)
        let new = lines.joined(separator: "\n") + "\n"
        #expect(UnifiedDiff.render(old: old, new: new, oldName: "a/c.yaml", newName: "b/c.yaml", context: 2) == """
            --- a/c.yaml
            +++ b/c.yaml
            @@ -1,4 +1,5 @@
             line 1
             line 2
            +new A
             line 3
             line 4
            @@ -9,4 +10,5 @@
             line 9
             line 10
            +new B
             line 11
             line 12

            """)
        #expect(UnifiedDiff.render(old: old, new: old, oldName: "a", newName: "b").isEmpty)
    }

    @Test func replacementsAndEmptyFiles() {
        #expect(UnifiedDiff.render(old: "a\nb\nc\n", new: "a\nx\nc\n", oldName: "o", newName: "n") == "--- o\n+++ n\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n")
        #expect(UnifiedDiff.render(old: "", new: "a\n", oldName: "o", newName: "n") == "--- o\n+++ n\n@@ -0,0 +1 @@\n+a\n")
    }
}

/// True when `small` appears in `large` in order (with anything between).
private func isSubsequence(_ small: [UInt8], of large: [UInt8]) -> Bool {
    var index = 0
    for byte in large where index < small.count && byte == small[index] { index += 1 }
    return index == small.count
}
