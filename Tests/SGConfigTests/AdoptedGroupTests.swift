import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// `adopted_groups` (the existing group each tier is) and `source_security_group_owner`: what
/// loads, and every error with its exact code, text and location.
@Suite struct AdoptedGroupTests {
    /// The base config with an `adopted_groups` block appended from line 7 on.
    static func adopted(_ lines: String) -> String {
        config(append: "adopted_groups:\n" + lines)
    }

    static let goodBlock = """
          web:
            group_id: sg-0123456789abcdef0
            group_name: launch-wizard-1
            group_description: "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00"
            name_tag: Web Front (prod)
          app:
            group_id: sg-0aa00002
            group_name: App Servers
            group_description: "App tier: made by hand"

        """

    @Test func adoptedGroupsLoadInFileOrderWithTheirLocations() throws {
        let files = [configPath: Self.adopted(Self.goodBlock), scenarioPath: baseScenario]
        let result = makeLoader(files).load(config: "c")
        let deployment = try #require(result.deployment, "\(rendered(result.diagnostics))")
        #expect(result.diagnostics.all.isEmpty)
        let groups = deployment.config.adoptedGroups
        #expect(groups.map(\.tier) == ["web", "app"])
        #expect(groups[0] == AdoptedGroup(
            tier: "web", groupID: "sg-0123456789abcdef0", groupName: "launch-wizard-1",
            groupDescription: "launch-wizard-1 created 2021-03-04T10:11:12.000+01:00", nameTag: "Web Front (prod)",
            location: SourceLocation(file: configPath, line: 8, column: 3)))
        #expect(groups[1].nameTag == nil)
        #expect(deployment.groupName(ofTier: "web") == "launch-wizard-1")
        #expect(deployment.groupName(ofTier: "app") == "App Servers")
        #expect(deployment.config.adoptedGroup(tier: "app")?.groupID == "sg-0aa00002")
    }

    @Test func aConfigWithoutAdoptedGroupsNamesGroupsAsBefore() throws {
        let result = makeLoader([configPath: config(), scenarioPath: baseScenario]).load(config: "c")
        let deployment = try #require(result.deployment)
        #expect(deployment.config.adoptedGroups.isEmpty)
        #expect(deployment.groupName(ofTier: "web") == "globalbank-prod-c001-web")
    }

    @Test func anEmptyAdoptedGroupsKeyAdoptsNothing() throws {
        let result = makeLoader([configPath: config(append: "adopted_groups:\n"), scenarioPath: baseScenario]).load(config: "c")
        #expect(try #require(result.deployment).config.adoptedGroups.isEmpty)
    }

    static let errorCases: [InputCase] = [
        InputCase(
            "unknown tier", config: adopted("  wbe:\n    group_id: sg-0123456789abcdef0\n    group_name: a\n    group_description: b\n"),
            Expected("E231", "adopted_groups names unknown tier 'wbe'; did you mean 'web'?", line: 8, at: "wbe")),
        InputCase(
            "same group twice",
            config: adopted("""
                  web:
                    group_id: sg-0123456789abcdef0
                    group_name: a
                    group_description: b
                  app:
                    group_id: sg-0123456789abcdef0
                    group_name: a
                    group_description: b

                """),
            Expected("E232", "tiers 'web' and 'app' both adopt sg-0123456789abcdef0; a group can be one tier only", line: 12, at: "app")),
        InputCase(
            "the default group", config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: default\n    group_description: b\n"),
            Expected(
                "E233",
                "group_name 'default' is the VPC's default group, which AWS creates with the VPC and CloudFormation cannot manage; it cannot be adopted",
                line: 10, at: "default")),
        InputCase(
            "sg- prefix", config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: sg-web\n    group_description: b\n"),
            Expected("E233", "group_name 'sg-web' starts with 'sg-', which AWS does not allow in a group name", line: 10, at: "sg-web")),
        InputCase(
            "name character", config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: \"web|front\"\n    group_description: b\n"),
            Expected(
                "E233",
                "group_name 'web|front' contains '|', which AWS does not allow in a group name (allowed: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*)",
                line: 10, at: "\"web")),
        InputCase(
            "empty description", config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: a\n    group_description: \"\"\n"),
            Expected("E233", "group_description must not be empty (AWS requires a group description)", line: 11, at: "\"\"")),
        InputCase(
            "description too long",
            config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: a\n    group_description: \(String(repeating: "d", count: 256))\n"),
            Expected("E233", "group_description is 256 characters; AWS allows at most 255", line: 11, at: "ddd")),
        InputCase(
            "name tag control character",
            config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_name: a\n    group_description: b\n    name_tag: \"a\\tb\"\n"),
            Expected("E233", "name_tag contains '\\t' (tab), a control character", line: 12, at: "\"a")),
        InputCase(
            "bad group id", config: adopted("  web:\n    group_id: sg-xyz\n    group_name: a\n    group_description: b\n"),
            Expected("E311", "invalid group_id 'sg-xyz': expected 'sg-' followed by 8 or 17 lowercase hex digits", line: 9, at: "sg-xyz")),
        InputCase(
            "missing and unknown keys", config: adopted("  web:\n    group_id: sg-0123456789abcdef0\n    group_nam: a\n"),
            Expected("E206", "adopted group of tier 'web' is missing required key 'group_name'", line: 9, at: "group_id"),
            Expected("E206", "adopted group of tier 'web' is missing required key 'group_description'", line: 9, at: "group_id"),
            Expected(
                "E205", "unknown key 'group_nam' in adopted group of tier 'web'; did you mean 'group_name'?", line: 10, at: "group_nam")),
        InputCase(
            "not a mapping", config: config(append: "adopted_groups: [web]\n"),
            Expected("E207", "expected a mapping for adopted_groups, found a sequence", line: 7, at: "[")),
        InputCase(
            "invalid tier name key", config: adopted("  Web:\n    group_id: sg-0123456789abcdef0\n    group_name: a\n    group_description: b\n"),
            Expected("E318", "invalid tier name 'Web': uppercase letter 'W' is not allowed; use lowercase", line: 8, at: "Web")),
    ]

    @Test(arguments: errorCases) func adoptedGroupErrors(_ input: InputCase) {
        input.check()
    }

    // MARK: - Owner account

    @Test func anOwnerAccountQualifiesAGroupOfAnotherAccount() throws {
        let files = [
            configPath: config(),
            scenarioPath: scenario(rule: "{ protocol: tcp, port: 9443, source_security_group: sg-0bb00000000000009, source_security_group_owner: \"999988887777\" }"),
        ]
        let result = makeLoader(files).load(config: "c")
        let deployment = try #require(result.deployment, "\(rendered(result.diagnostics))")
        let rule = try #require(deployment.tier(named: "web")?.ingress.first)
        #expect(rule.peer == .securityGroup("sg-0bb00000000000009"))
        #expect(rule.peerAccount == "999988887777")
        // The owner does not change what the rule allows.
        #expect(rule.key == RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 9443)), peer: .securityGroup("sg-0bb00000000000009")))
    }

    static let ownerCases: [InputCase] = [
        InputCase(
            "owner not 12 digits",
            scenario: scenario(rule: "{ protocol: tcp, port: 1, source_security_group: sg-0bb00000000000009, source_security_group_owner: \"12345\" }"),
            Expected("E322", "invalid source_security_group_owner '12345': expected a 12-digit AWS account id", scenarioPath, line: 5, at: "\"12345")),
        InputCase(
            "owner of a CIDR",
            scenario: scenario(rule: "{ protocol: tcp, port: 1, source: 10.0.0.0/8, source_security_group_owner: \"999988887777\" }"),
            Expected(
                "E323", "source_security_group_owner names the account of source_security_group; this rule's source is 10.0.0.0/8", scenarioPath,
                line: 5, at: "source_security_group_owner")),
        InputCase(
            "owner on egress",
            scenario: scenario(
                rule: "{ protocol: tcp, port: 1, destination_security_group: sg-0bb00000000000009, destination_security_group_owner: \"999988887777\" }",
                direction: .egress),
            Expected(
                "E323",
                "destination_security_group_owner is not supported: CloudFormation's egress rules have no owner account field; name the group by destination_security_group alone",
                scenarioPath, line: 5, at: "destination_security_group_owner")),
    ]

    @Test(arguments: ownerCases) func ownerErrors(_ input: InputCase) {
        input.check()
    }
}
