import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGImport

/// What the importer decides: which groups become tiers, and each rule as the scenario holds it.
@Suite struct ImportPlannerTests {
    let planner = ImportPlanner()

    @Test func theDefaultGroupAndAStacksGroupAreLeftOutWithTheirReasons() throws {
        let groups = [
            Live.group("sg-0aa00001", "web"),
            Live.group("sg-0aa0000d", "default"),
            Live.group("sg-0aa0000c", "other-Sg-1ABC", tags: ["aws:cloudformation:stack-name": "other"]),
        ]
        let (plan, diagnostics) = planner.plan(groups, request: Live.request(), locatedInFile: true)
        let result = try #require(plan)
        #expect(result.tiers.map(\.name) == ["web"])
        #expect(result.groupsInVPC == 3)
        #expect(result.skipped.map(\.sourceID) == ["sg-0aa0000c", "sg-0aa0000d"])
        #expect(Live.lines(diagnostics) == [
            "W540 sg-0aa0000c (other-Sg-1ABC) is not imported: it belongs to CloudFormation stack 'other' (tag aws:cloudformation:stack-name); importing it would put it under two stacks (--force imports it anyway); rules naming it keep its id",
            "W540 sg-0aa0000d (default) is not imported: it is the VPC's default group: AWS creates it with the VPC and never deletes it, so CloudFormation cannot manage it; rules naming it keep its id",
        ])
        #expect(diagnostics.all.allSatisfy { $0.location == SourceLocation(file: "snapshot.json", line: 3, column: 5) })
    }

    @Test func forceTakesAStacksGroupAndSaysSo() throws {
        let groups = [Live.group("sg-0aa0000c", "other-Sg-1ABC", tags: ["aws:cloudformation:stack-name": "other"])]
        let (plan, diagnostics) = planner.plan(groups, request: Live.request(force: true), locatedInFile: false)
        let tier = try #require(plan?.tiers.first)
        #expect(tier.comments == ["owned by CloudFormation stack 'other' (imported with --force)"])
        #expect(Live.lines(diagnostics) == [
            "W542 sg-0aa0000c (other-Sg-1ABC) belongs to CloudFormation stack 'other' and is imported because of --force; until that stack lets go of it (DeletionPolicy Retain, then remove it from the stack), both would manage it",
        ])
        #expect(diagnostics.all.first?.location == nil, "live groups have no file to point at")
    }

    @Test func groupsCloudFormationCouldNotTakeOverUnchangedAreLeftOut() throws {
        let groups = [
            Live.group("sg-0aa00001", "web"),
            Live.group("sg-zz", "bad-id"),
            Live.group("sg-0aa00003", "legacy", description: "café"),
            Live.group("sg-0aa00004", "huge", ingress: (1...61).map { Live.tcp($0, Live.cidr("10.0.0.0/8")) }),
        ]
        let (plan, diagnostics) = planner.plan(groups, request: Live.request(), locatedInFile: true)
        #expect(plan?.tiers.map(\.name) == ["web"])
        #expect(Live.lines(diagnostics) == [
            "W540 sg-0aa00003 (legacy) is not imported: its GroupDescription contains 'é', which AWS does not allow (allowed: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*), so CloudFormation could not take it over unchanged",
            "W540 sg-0aa00004 (huge) is not imported: it has 61 ingress rules; a tier holds at most 60 per direction (AWS's default quota)",
            "W540 sg-zz (bad-id) is not imported: its GroupId is not a security group id ('sg-' and 8 or 17 hex digits)",
        ])
    }

    @Test func referencesBecomeTiersAndOutsideGroupsKeepTheirIDAndOwner() throws {
        let web = "sg-0aa00001", app = "sg-0aa00002", partner = "sg-0bb00009", other = "sg-0aa0000d"
        let groups = [
            Live.group(app, "App Servers", ingress: [
                Live.tcp(8080, .securityGroup(web), "From web", account: Live.owner),
                Live.rule(.ingress, .all, .all, .securityGroup(app), "self", account: Live.owner),
                Live.tcp(9443, .securityGroup(partner), "partner", account: "999988887777"),
                Live.tcp(5000, .securityGroup(other), account: Live.owner),
            ], egress: [Live.tcp(9000, .securityGroup(partner), direction: .egress, account: "999988887777")]),
            Live.group(web, "web"),
            Live.group(other, "default"),
        ]
        let (plan, _) = planner.plan(groups, request: Live.request(), locatedInFile: false)
        let tier = try #require(plan?.tiers.first { $0.name == "app-servers" })
        #expect(tier.ingress.map(\.key.peer) == [.tier("app-servers"), .tier("web"), .securityGroup(other), .securityGroup(partner)])
        #expect(tier.ingress.map(\.peerAccount) == [nil, nil, nil, "999988887777"])
        // Egress cannot name an owner in CloudFormation: the account is kept in a comment.
        #expect(tier.egress.first?.peerAccount == nil)
        #expect(tier.egress.first?.comments == [
            "sg-0bb00009 is in account 999988887777; CloudFormation's egress rules cannot name the owner account",
        ])
    }

    @Test func egressIsWrittenAsItIs() throws {
        let groups = [
            Live.group("sg-0aa00001", "default-egress", egress: [Live.allToWorldIPv6, Live.allToWorld]),
            Live.group("sg-0aa00002", "closed", egress: []),
            Live.group("sg-0aa00003", "closed-by-the-tool", egress: [
                Live.rule(.egress, .icmp, .icmp(type: 252, code: 86), Live.cidr("255.255.255.255/32")),
            ]),
        ]
        let (plan, _) = planner.plan(groups, request: Live.request(), locatedInFile: false)
        let tiers = try #require(plan?.tiers)
        #expect(tiers.map(\.name) == ["closed", "closed-by-the-tool", "default-egress"])
        #expect(tiers[0].egress.isEmpty && tiers[1].egress.isEmpty)
        #expect(tiers[2].egress.map(\.key) == [Live.allToWorld.key, Live.allToWorldIPv6.key])
    }

    @Test func hostBitsAreClearedWithTheSpellingKeptAndTwinsWrittenOnce() throws {
        let groups = [Live.group("sg-0aa00001", "vpn", ingress: [
            Live.rule(.ingress, .tcp, .ports(PortRange(port: 22)), Live.cidr("10.0.0.0/8"), "SSH", spelling: "10.1.2.3/8"),
            Live.rule(.ingress, .tcp, .ports(PortRange(port: 22)), Live.cidr("10.0.0.0/8"), "SSH again"),
        ])]
        let (plan, _) = planner.plan(groups, request: Live.request(), locatedInFile: false)
        let rules = try #require(plan?.tiers.first?.ingress)
        #expect(rules.count == 1)
        #expect(rules[0].description == "SSH")
        #expect(rules[0].comments == [
            "the source wrote 10.1.2.3/8; AWS applies the network 10.0.0.0/8",
            "the source also has 10.0.0.0/8 with the same protocol and ports, description \"SSH again\"",
        ])
    }

    @Test func valuesTheConfigCannotHoldAreLeftOutAndNamed() throws {
        let groups = [Live.group("SourceSG", "SourceSG", description: "Allow <all>", vpc: nil, ingress: [
            Live.tcp(22, .securityGroup("ParamSG"), "from a parameter"),
            Live.tcp(80, .prefixList("pl-bad"), "bad prefix list"),
            Live.tcp(443, Live.cidr("0.0.0.0/0"), "it's \"quoted\""),
        ])]
        let template = ImportSource.template(path: "t.yaml", sha256: "00")
        let (plan, diagnostics) = planner.plan(groups, request: Live.request(template, vpcID: Live.vpc), locatedInFile: true)
        let tier = try #require(plan?.tiers.first)
        #expect(tier.name == "source-sg")
        #expect(tier.adopts == false)
        #expect(tier.tierDescription == nil)
        #expect(tier.ingress.count == 1)
        #expect(tier.ingress[0].description == nil)
        #expect(tier.ingress[0].comments == [
            #"description not written: it contains '\'', which AWS does not allow (allowed: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*): "it's \"quoted\"""#,
        ])
        // Rules point at their own entries (here the file itself), the group's description at the group.
        #expect(Live.lines(diagnostics) == [
            "W541 a rule of SourceSG names group 'ParamSG', which is neither an imported group nor a security group id; the rule is not written",
            "W541 a rule of SourceSG names prefix list 'pl-bad', which is not a prefix list id; the rule is not written",
            #"W541 a rule description of SourceSG contains '\'', which AWS does not allow (allowed: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*); the rule is written without it"#,
            "W541 the description of SourceSG contains '<', which AWS does not allow (allowed: a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*); the tier is written without it",
        ])
    }

    @Test func oneConfigDescribesOneVPC() throws {
        let groups = [
            Live.group("sg-0aa00001", "a", vpc: "vpc-0aa00001"),
            Live.group("sg-0aa00002", "b", vpc: "vpc-0aa00002"),
            Live.group("sg-0aa00003", "c", vpc: "vpc-0aa00002"),
        ]
        let (none, diagnostics) = planner.plan(groups, request: Live.request(), locatedInFile: false)
        #expect(none == nil)
        #expect(Live.lines(diagnostics) == [
            "E544 the groups to import are not in one VPC: vpc-0aa00001 (1 group), vpc-0aa00002 (2 groups); give --vpc-id (one config describes one VPC)",
        ])
        let (chosen, _) = planner.plan(groups, request: Live.request(vpcID: "vpc-0aa00002"), locatedInFile: false)
        #expect(chosen?.vpcID == "vpc-0aa00002")
        #expect(chosen?.tiers.map(\.name) == ["b", "c"])
        let (classic, classicDiagnostics) = planner.plan([Live.group("sg-0aa00001", "a", vpc: nil)], request: Live.request(), locatedInFile: false)
        #expect(classic == nil)
        #expect(Live.lines(classicDiagnostics) == [
            "E544 the groups to import are not in one VPC: (no VPC) (1 group); give --vpc-id (one config describes one VPC)",
        ])
        let template = ImportSource.template(path: "t.yaml", sha256: "00")
        let (noVPC, templateDiagnostics) = planner.plan(groups, request: Live.request(template), locatedInFile: true)
        #expect(noVPC == nil)
        #expect(Live.lines(templateDiagnostics) == [
            "E544 a template does not say which VPC its groups go in; give --vpc-id for the config's vpc_id",
        ])
    }

    @Test func nothingToImportIsAnError() {
        let (empty, diagnostics) = planner.plan([], request: Live.request(vpcID: Live.vpc), locatedInFile: false)
        #expect(empty == nil)
        #expect(Live.lines(diagnostics) == ["E543 no security group to import from snapshot snapshot.json (sha256 00) matching VPC \(Live.vpc)"])
        let (skippedAll, skippedDiagnostics) = planner.plan([Live.group("sg-0aa0000d", "default")], request: Live.request(), locatedInFile: false)
        #expect(skippedAll == nil)
        #expect(Live.lines(skippedDiagnostics) == [
            "E543 none of the 1 security group(s) in \(Live.vpc) can be imported (see the warnings)",
            "W540 sg-0aa0000d (default) is not imported: it is the VPC's default group: AWS creates it with the VPC and never deletes it, so CloudFormation cannot manage it; rules naming it keep its id",
        ])
    }

    @Test func tagFiltersSelectSnapshotGroups() throws {
        let groups = [
            Live.group("sg-0aa00001", "a", tags: ["team": "payments", "env": "prod"]),
            Live.group("sg-0aa00002", "b", tags: ["team": "search"]),
            Live.group("sg-0aa00003", "c", tags: ["team": "payments"]),
        ]
        let filters = [TagFilter("team=payments")!, TagFilter("env")!]
        let (plan, _) = planner.plan(groups, request: Live.request(tagFilters: filters), locatedInFile: false)
        #expect(plan?.tiers.map(\.name) == ["a"])
        #expect(TagFilter("team=payments")?.ec2Filter.name == "tag:team")
        #expect(TagFilter("env")?.ec2Filter.name == "tag-key")
        #expect(TagFilter("=x") == nil)
    }
}
