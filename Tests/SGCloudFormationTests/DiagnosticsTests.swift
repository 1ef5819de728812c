import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

/// Every diagnostic of a compilation, rendered the way the tool prints them (no source lines).
func renderedDiagnostics(_ deployment: Deployment, limits: StackLimits = .inlineTemplateBody) -> [String] {
    let renderer = DiagnosticRenderer(useColor: false, sourceLine: { _, _ in nil })
    return TemplateCompiler(toolVersion: "1.0.0-test", limits: limits).compile(deployment).diagnostics.sorted
        .map { renderer.render($0) }
}

@Suite struct DiagnosticsTests {
    static let cases: [(String, [TierDraft], [String])] = [
        ("unknown tier", [TierDraft(name: "app", ingress: [ingress(.tcp, .port(80), .tier("cache"))])], [
            "scenarios/test.yaml:3:50: error: rule refers to tier 'cache', which is not in the deployment [E313]\n",
        ]),
        ("duplicate rule", [TierDraft(name: "web", ingress: [
            ingress(.tcp, .port(443), cidr("0.0.0.0/0"), "one"), ingress(.tcp, .port(443), cidr("0.0.0.0/0"), "two"),
        ])], [
            "scenarios/test.yaml:4:7: error: duplicate rule ingress tcp/443 from 0.0.0.0/0 on tier 'web'; AWS rejects it (InvalidPermission.Duplicate) [E315]\nscenarios/test.yaml:3:7: note: first written here\n",
        ]),
        ("ports on icmp", [TierDraft(name: "web", ingress: [ingress(.icmp, .port(8), cidr("10.0.0.0/8"))])], [
            "scenarios/test.yaml:3:35: error: protocol icmp has no ports, but the rule gives port 8 [E407]\n",
        ]),
        ("icmp code without type", [TierDraft(name: "web", ingress: [ingress(.icmp, .icmp(type: -1, code: 3), cidr("10.0.0.0/8"))])], [
            "scenarios/test.yaml:3:35: error: icmp code 3 needs a type; with any type the code must be any [E407]\n",
        ]),
        ("icmp type on tcp", [TierDraft(name: "web", ingress: [ingress(.tcp, .icmp(type: 8, code: 0), cidr("10.0.0.0/8"))])], [
            "scenarios/test.yaml:3:35: error: protocol tcp has no icmp type or code [E407]\n",
        ]),
        ("rule description", [TierDraft(name: "web", ingress: [ingress(.tcp, .port(80), cidr("10.0.0.0/8"), "a<b")])], [
            "scenarios/test.yaml:3:7: error: rule description contains '<', which is not one of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*; AWS rejects it [E314]\n",
        ]),
        ("group description", [TierDraft(name: "web", description: "Web tier – public")], [
            "scenarios/test.yaml:2:3: error: description of tier 'web' contains '–', which is not one of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*; AWS rejects it as a group description [E314]\n",
        ]),
        ("group description length", [TierDraft(name: "web", description: String(repeating: "d", count: 256))], [
            "scenarios/test.yaml:2:3: error: description of tier 'web' is 256 characters long (at most 255); AWS rejects it as a group description [E314]\n",
        ]),
        ("duplicate tier", [TierDraft(name: "web"), TierDraft(name: "web")], [
            "scenarios/test.yaml:3:3: error: tier 'web' is defined twice [E410]\nscenarios/test.yaml:2:3: note: first defined here\n",
        ]),
        ("too many ingress", [TierDraft(name: "web", ingress: (1...61).map { ingress(.tcp, .port($0), cidr("10.0.0.0/8")) })], [
            "scenarios/test.yaml:2:3: error: tier 'web' has 61 ingress rules; AWS allows at most 60 per direction on a security group [E401]\n",
        ]),
        ("placeholder counts", [
            TierDraft(name: "web", egress: (1...60).map { egress(.tcp, .port($0), .tier("app")) }),
            TierDraft(name: "app"),
        ], [
            "scenarios/test.yaml:2:3: error: tier 'web' has 61 egress rules (including the placeholder that closes default egress); AWS allows at most 60 per direction on a security group [E401]\n",
        ]),
    ]

    @Test(arguments: cases.indices)
    func inputErrorsArePinned(index: Int) {
        let (name, tiers, expected) = Self.cases[index]
        #expect(renderedDiagnostics(DeploymentBuilder(tiers).build()) == expected, "\(name)")
    }

    @Test func sixtyRulesPerDirectionIsAllowed() {
        let tiers = [TierDraft(
            name: "web", ingress: (1...60).map { ingress(.tcp, .port($0), cidr("10.0.0.0/8")) },
            egress: (1...60).map { egress(.tcp, .port($0), cidr("10.0.0.0/8")) })]
        #expect(renderedDiagnostics(DeploymentBuilder(tiers).build()) == [])
    }

    @Test(arguments: [
        ("Name", "x", "configs/test.yaml:11:3: error: tag key 'Name' is set by sg-provisioner itself [E218]\n"),
        ("sg-provisioner:tier", "x", "configs/test.yaml:11:3: error: tag key 'sg-provisioner:tier' is set by sg-provisioner itself [E218]\n"),
        ("AWS:owner", "x", "configs/test.yaml:11:3: error: tag key 'AWS:owner' uses the prefix aws:, which AWS reserves [E218]\n"),
        ("team", "R&D", "configs/test.yaml:11:3: error: tag 'team' contains '&'; tags allow letters, digits, spaces and _.:/=+-@ [E217]\n"),
        ("team", String(repeating: "v", count: 257), "configs/test.yaml:11:3: error: value of tag 'team' is 257 characters long (at most 256) [E217]\n"),
        (String(repeating: "k", count: 129), "x", "configs/test.yaml:11:3: error: tag key '\(String(repeating: "k", count: 129))' must be 1-128 characters long [E217]\n"),
        // AWSText's rule, the config reader's too: no line or paragraph separators.
        ("team", "a\u{2028}b", "configs/test.yaml:11:3: error: tag 'team' contains '\u{2028}'; tags allow letters, digits, spaces and _.:/=+-@ [E217]\n"),
    ])
    func invalidTagsArePinned(key: String, value: String, expected: String) {
        var builder = DeploymentBuilder([TierDraft(name: "web")])
        builder.tags = [(key, value)]
        #expect(renderedDiagnostics(builder.build()) == [expected])
    }

    @Test func duplicateTagKeyNamesTheFirst() {
        var builder = DeploymentBuilder([TierDraft(name: "web")])
        builder.tags = [("owner", "a"), ("owner", "b")]
        #expect(renderedDiagnostics(builder.build()) == [
            "configs/test.yaml:12:3: error: tag key 'owner' is given twice [E104]\nconfigs/test.yaml:11:3: note: first given here\n",
        ])
    }

    /// Rejected rules are left out of the template and the rules around them kept in order; a
    /// duplicate's note names the first kept rule with its key, even after a rejected one.
    @Test func rejectedRulesAreLeftOutAndTheRestKeptInOrder() throws {
        let deployment = DeploymentBuilder([TierDraft(name: "web", ingress: [
            ingress(.tcp, .port(22), cidr("10.0.0.0/8"), "first"),
            ingress(.icmp, .port(8), cidr("10.0.0.0/8")),
            ingress(.tcp, .port(443), cidr("10.0.0.0/8"), "kept"),
            ingress(.tcp, .port(443), cidr("10.0.0.0/8"), "again"),
            ingress(.udp, .port(53), cidr("10.0.0.0/8"), "last"),
        ])]).build()
        let result = TemplateCompiler(toolVersion: "1.0.0-test").compile(deployment)
        #expect(result.diagnostics.all.map(\.code) == [.cfnInvalidPorts, .duplicateRule])
        let duplicate = try #require(result.diagnostics.all.last)
        #expect(duplicate.notes.map(\.location?.line) == [deployment.tiers[0].ingress[2].location.line])
        let group = try #require(result.mainStack?.template.resource("WebSecurityGroup"))
        let descriptions = group["SecurityGroupIngress"]?.listValue?.map { $0["Description"]?.stringValue }
        #expect(descriptions == ["first", "kept", "last"])
    }

    @Test func overlongGroupNameIsReported() {
        var builder = DeploymentBuilder([TierDraft(name: "web")])
        builder.identity.company = String(repeating: "c", count: 250)
        let name = String(repeating: "c", count: 250) + "-prod-c001-web"
        #expect(renderedDiagnostics(builder.build()) == [
            "scenarios/test.yaml:2:3: error: group name '\(name)' is not a valid security group name (at most 255 characters of a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*, not starting with sg-) [E409]\n",
        ])
    }

    @Test func groupTooLargeForAnyStackIsReported() {
        let limits = StackLimits(maxResources: 500, maxTemplateBytes: 1500, maxOutputs: 200, maxRulesPerDirection: 60)
        let found = renderedDiagnostics(DeploymentBuilder([TierDraft(name: "web")]).build(), limits: limits)
        #expect(found.count == 3)
        #expect(found.first?.hasPrefix("configs/test.yaml:7:11: error: stack globalbank-prod-c001-us-west-2-sg-stack needs ") == true)
        #expect(found.contains { $0.hasPrefix("scenarios/test.yaml:2:3: error: the security group of tier 'web' needs ") && $0.hasSuffix(" bytes even with its rules moved to other stacks; a stack holds at most 1500 [E404]\n") })
        #expect(found.contains { $0.hasPrefix("configs/test.yaml:7:11: warning: the deployment does not fit one CloudFormation stack") })
    }

    /// The compiler repeats four checks of the config reader for models built without it (as
    /// here): it reports the reader's code for each, never a code of its own (E402, E403, E405,
    /// E406 and E408 are retired), and leaves the rule, tier description or tag out.
    @Test func backstopsReportTheConfigReadersCodes() {
        var builder = DeploymentBuilder([
            TierDraft(name: "web", description: "a<b", ingress: [
                ingress(.tcp, .port(80), .tier("cache")),
                ingress(.tcp, .port(443), cidr("10.0.0.0/8"), "x>y"),
                ingress(.tcp, .port(22), cidr("10.0.0.0/8")), ingress(.tcp, .port(22), cidr("10.0.0.0/8")),
            ]),
        ])
        builder.tags = [("Name", "x"), ("team", "R&D"), ("owner", "a"), ("owner", "b")]
        let codes = TemplateCompiler(toolVersion: "1.0.0-test").compile(builder.build()).diagnostics.all.map(\.code.rawValue)
        #expect(codes.sorted() == ["E104", "E217", "E218", "E313", "E314", "E314", "E315"])
        #expect(DiagnosticCode.reservedTagKey.stage == .config && DiagnosticCode.unknownTierReference.stage == .config)
    }

    @Test func badRulesAreLeftOutButTheRestStillCompiles() throws {
        let deployment = DeploymentBuilder([TierDraft(name: "app", ingress: [
            ingress(.tcp, .port(80), .tier("cache")), ingress(.tcp, .port(443), cidr("10.0.0.0/8")),
        ])]).build()
        let result = compiler.compile(deployment)
        #expect(result.diagnostics.hasErrors)
        let group = try #require(result.stacks.first?.template.resource("AppSecurityGroup"))
        #expect(group["SecurityGroupIngress"]?.listValue?.count == 1)
        #expect(result.stacks.first?.template.resources.count == 2)
    }
}
