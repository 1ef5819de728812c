import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

let compiler = TemplateCompiler(toolVersion: "1.0.0-test")

/// Compiles and requires exactly one stack with no diagnostics.
func singleTemplate(_ deployment: Deployment) throws -> Template {
    let result = compiler.compile(deployment)
    #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.all)")
    try #require(result.stacks.count == 1)
    return result.stacks[0].template
}

@Suite struct TemplateCompilerTests {
    @Test func threeTierNamesTagsParametersAndOutputs() throws {
        let template = try singleTemplate(SampleDeployments.threeTier)
        #expect(template.description == "sg-provisioner globalbank-prod-c001-us-west-2 (three-tier-web)")
        #expect(template.metadata["sg-provisioner"]?["ToolVersion"] == .string("1.0.0-test"))
        #expect(template.metadata["sg-provisioner"]?["Scenario"] == .string("three-tier-web"))
        #expect(template.resources(ofType: "AWS::EC2::SecurityGroup").map(\.logicalID)
            == ["WebSecurityGroup", "AppSecurityGroup", "DbSecurityGroup"])

        let web = try #require(template.resource("WebSecurityGroup"))
        #expect(web.properties.keys == ["GroupName", "GroupDescription", "VpcId", "SecurityGroupIngress", "SecurityGroupEgress", "Tags"])
        #expect(web["GroupName"] == .string("globalbank-prod-c001-web"))
        #expect(web["GroupDescription"] == .string("Internet-facing load balancers"))
        #expect(web["VpcId"] == .string("vpc-0a1b2c3d4e5f67890"))
        let tags = try #require(web["Tags"]?.listValue).map { "\($0["Key"]?.stringValue ?? "")=\($0["Value"]?.stringValue ?? "")" }
        #expect(tags == [
            "Name=globalbank-prod-c001-web", "cost_center=Fraud Operations", "owner=fraud-team",
            "sg-provisioner:deployment=globalbank-prod-c001-us-west-2", "sg-provisioner:tier=web",
        ])
        let app = try #require(template.resource("AppSecurityGroup"))
        #expect(app["GroupDescription"] == .string("sg-provisioner globalbank-prod-c001-us-west-2 tier app"))

        let parameter = try #require(template.resource("DbGroupIdParameter"))
        #expect(parameter.type == "AWS::SSM::Parameter")
        #expect(parameter["Name"] == .string("/globalbank/prod/c001/sg/db"))
        #expect(parameter["Type"] == .string("String"))
        #expect(parameter["Value"] == .getAtt("DbSecurityGroup", "GroupId"))
        #expect(parameter["Description"] == .string("Security group id of tier db of globalbank-prod-c001-us-west-2"))
        #expect(parameter["Tags"]?["sg-provisioner:tier"] == .string("db"))
        #expect(parameter["Tags"]?.keys == ["Name", "cost_center", "owner", "sg-provisioner:deployment", "sg-provisioner:tier"])

        #expect(template.outputs.map(\.logicalID) == ["WebSecurityGroupId", "AppSecurityGroupId", "DbSecurityGroupId"])
        let output = try #require(template.output("AppSecurityGroupId"))
        #expect(output.value == .getAtt("AppSecurityGroup", "GroupId"))
        #expect(output.exportName == "globalbank-prod-c001-us-west-2-app-sg-id")
    }

    @Test func tierReferencesBecomeStandaloneResources() throws {
        let template = try singleTemplate(SampleDeployments.threeTier)
        let rule = try #require(template.resource("AppIngressTcp8080FromWeb"))
        #expect(rule.type == "AWS::EC2::SecurityGroupIngress")
        #expect(rule.properties == .map([
            ("GroupId", .getAtt("AppSecurityGroup", "GroupId")),
            ("IpProtocol", .string("tcp")), ("FromPort", .int(8080)), ("ToPort", .int(8080)),
            ("SourceSecurityGroupId", .getAtt("WebSecurityGroup", "GroupId")),
            ("Description", .string("From web tier")),
        ]))
        let out = try #require(template.resource("WebEgressTcp8080ToApp"))
        #expect(out.type == "AWS::EC2::SecurityGroupEgress")
        #expect(out["DestinationSecurityGroupId"] == .getAtt("AppSecurityGroup", "GroupId"))
        // No group names another group inside its own properties: that is what would make a cycle.
        for group in template.resources(ofType: "AWS::EC2::SecurityGroup") {
            #expect(!"\(group.properties)".contains("getAtt"), "\(group.logicalID) references another resource")
        }
    }

    @Test func mutualAndSelfReferencesHaveNoInlineReferences() throws {
        let template = try singleTemplate(SampleDeployments.cycle)
        #expect(template.resources(ofType: "AWS::EC2::SecurityGroupIngress").map(\.logicalID).sorted() == [
            "AppIngressTcp7000To7100FromApp", "AppIngressTcp8080FromDb", "DbIngressTcp5432FromApp",
        ])
        #expect(template.resources(ofType: "AWS::EC2::SecurityGroupEgress").map(\.logicalID).sorted() == [
            "AppEgressTcp5432ToDb", "AppEgressTcp7000To7100ToApp", "DbEgressTcp8080ToApp",
        ])
        let gossip = try #require(template.resource("AppIngressTcp7000To7100FromApp"))
        #expect(gossip["GroupId"] == .getAtt("AppSecurityGroup", "GroupId"))
        #expect(gossip["SourceSecurityGroupId"] == .getAtt("AppSecurityGroup", "GroupId"))
        #expect(gossip["FromPort"] == .int(7000) && gossip["ToPort"] == .int(7100))
    }

    @Test func closedEgressHasExactlyThePlaceholder() throws {
        let template = try singleTemplate(SampleDeployments.threeTier)
        let db = try #require(template.resource("DbSecurityGroup"))
        #expect(db["SecurityGroupEgress"] == .list([.map([
            ("IpProtocol", .string("icmp")), ("FromPort", .int(252)), ("ToPort", .int(86)),
            ("CidrIp", .string("255.255.255.255/32")),
            ("Description", .string("no egress: placeholder that matches no traffic")),
        ])]))
        #expect(template.resources(ofType: "AWS::EC2::SecurityGroupEgress").allSatisfy {
            $0["GroupId"] != .getAtt("DbSecurityGroup", "GroupId")
        })
    }

    @Test func tierOnlyEgressKeepsPlaceholderPlusStandaloneRules() throws {
        let template = try singleTemplate(SampleDeployments.threeTier)
        let web = try #require(template.resource("WebSecurityGroup"))
        #expect(web["SecurityGroupEgress"]?.listValue?.count == 1)
        #expect(web["SecurityGroupEgress"]?.listValue?.first?["Description"]
            == .string("no egress: placeholder that matches no traffic"))
        #expect(template.resource("WebEgressTcp8080ToApp") != nil)
        // app has a CIDR egress rule: it closes default egress itself, no placeholder.
        let app = try #require(template.resource("AppSecurityGroup"))
        #expect(app["SecurityGroupEgress"] == .list([.map([
            ("IpProtocol", .string("tcp")), ("FromPort", .int(443)), ("ToPort", .int(443)),
            ("CidrIp", .string("0.0.0.0/0")), ("Description", .string("AWS APIs")),
        ])]))
    }

    @Test func defaultEgressEmitsNoEgress() throws {
        let template = try singleTemplate(SampleDeployments.mixedPeers)
        let batch = try #require(template.resource("BatchSecurityGroup"))
        #expect(batch["SecurityGroupEgress"] == nil)
        #expect(batch["SecurityGroupIngress"] == nil)
        #expect(template.resource("BatchIngressTcp22FromEdge") != nil)
    }

    /// One row per inline rule of the `edge` tier: the exact EC2 fields emitted.
    @Test(arguments: [
        (0, "IpProtocol=icmp FromPort=8 ToPort=0 CidrIp=10.0.0.0/8 Description=Ping"),
        (1, "IpProtocol=icmp FromPort=3 ToPort=-1 CidrIp=10.0.0.0/8"),
        (2, "IpProtocol=icmp FromPort=-1 ToPort=-1 CidrIp=192.168.0.0/16"),
        (3, "IpProtocol=icmpv6 CidrIpv6=2001:db8::/32 Description=All ICMPv6"),
        (4, "IpProtocol=tcp FromPort=1024 ToPort=65535 CidrIpv6=2001:db8:abcd::/48"),
        (5, "IpProtocol=udp FromPort=53 ToPort=53 SourcePrefixListId=pl-0a1b2c3d Description=DNS from prefix list"),
        (6, "IpProtocol=-1 SourceSecurityGroupId=sg-0123456789abcdef0 Description=Monitoring"),
        (7, "IpProtocol=50 CidrIp=172.16.0.0/12 Description=ESP"),
    ])
    func inlineIngressFields(index: Int, expected: String) throws {
        let template = try singleTemplate(SampleDeployments.mixedPeers)
        let rules = try #require(template.resource("EdgeSecurityGroup")?["SecurityGroupIngress"]?.listValue)
        #expect(flatten(rules[index]) == expected)
    }

    @Test(arguments: [
        (0, "IpProtocol=-1 CidrIp=0.0.0.0/0"),
        (1, "IpProtocol=tcp FromPort=443 ToPort=443 DestinationPrefixListId=pl-0a1b2c3d"),
        (2, "IpProtocol=udp FromPort=123 ToPort=123 DestinationSecurityGroupId=sg-0123456789abcdef0"),
    ])
    func inlineEgressFields(index: Int, expected: String) throws {
        let template = try singleTemplate(SampleDeployments.mixedPeers)
        let rules = try #require(template.resource("EdgeSecurityGroup")?["SecurityGroupEgress"]?.listValue)
        #expect(flatten(rules[index]) == expected)
    }

    @Test func icmpv6WithATypeKeepsTypeAndCode() throws {
        let deployment = DeploymentBuilder([TierDraft(
            name: "v6", ingress: [ingress(.icmpv6, .icmp(type: 128, code: 0), cidr("2001:db8::/32"))], egress: nil)]).build()
        let template = try singleTemplate(deployment)
        let rules = try #require(template.resource("V6SecurityGroup")?["SecurityGroupIngress"]?.listValue)
        #expect(flatten(rules[0]) == "IpProtocol=icmpv6 FromPort=128 ToPort=0 CidrIpv6=2001:db8::/32")
    }

    @Test func compilingTwiceGivesTheSameBytes() {
        for deployment in [SampleDeployments.threeTier, SampleDeployments.mixedPeers, SampleDeployments.cycle] {
            let first = compiler.compile(deployment).stacks.map { $0.template.renderYAML() + $0.template.renderJSON() }
            let second = TemplateCompiler(toolVersion: "1.0.0-test").compile(deployment).stacks.map {
                $0.template.renderYAML() + $0.template.renderJSON()
            }
            #expect(first == second)
        }
    }

    @Test func logicalIDsAreCamelCaseAndCollisionFree() {
        var taken = Set<String>()
        #expect(LogicalID.forTier("app-db", taken: &taken) == "AppDbSecurityGroup")
        #expect(LogicalID.forTier("web", taken: &taken) == "WebSecurityGroup")
        let clash = LogicalID.forTier("app_db", taken: &taken)
        #expect(clash != "AppDbSecurityGroup")
        #expect(clash.hasPrefix("AppDbSecurityGroupX") && clash.count == "AppDbSecurityGroupX".count + 8)
        #expect(clash.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        var again = Set<String>(["AppDbSecurityGroup"])
        #expect(LogicalID.forTier("app_db", taken: &again) == clash)  // same input, same id
        #expect(LogicalID.camelCase("1tier--x") == "1tierX")
        #expect(LogicalID.camelCase("---") == "X")
    }

    @Test func tierNamesThatCamelCaseAlikeStillGetDistinctResources() throws {
        let deployment = DeploymentBuilder([
            TierDraft(name: "app-1", ingress: [ingress(.tcp, .port(80), .tier("app1"))], egress: nil),
            TierDraft(name: "app1", ingress: [ingress(.tcp, .port(80), .tier("app-1"))], egress: nil),
        ]).build()
        let template = try singleTemplate(deployment)
        let ids = template.resources.map(\.logicalID)
        #expect(Set(ids).count == ids.count)
        #expect(template.resources(ofType: "AWS::EC2::SecurityGroup").count == 2)
    }
}

/// `Key=value` pairs of a flat map, in order, for compact table rows.
func flatten(_ value: TemplateValue) -> String {
    (value.mapEntries ?? []).map { key, value -> String in
        switch value {
        case .string(let text): return "\(key)=\(text)"
        case .int(let number): return "\(key)=\(number)"
        default: return "\(key)=\(value)"
        }
    }.joined(separator: " ")
}
