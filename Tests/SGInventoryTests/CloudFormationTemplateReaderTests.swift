import SGDiagnostics
import SGModel
import Testing

@testable import SGInventory

/// The template reader judges what AWS would create: every deployment the template allows, host
/// bits cleared, and AWS's default egress where EC2 would add it.
@Suite struct CloudFormationTemplateReaderTests {
    /// Ranks rules the way a reviewer would: world-open worst, then anything else.
    static let worldFirst: CloudFormationTemplateReader.RuleRanking = { key in
        guard case .cidr(let block) = key.peer else { return 0 }
        return block.isEntireFamily ? 10 : 1
    }

    static func read(_ template: String, rank: @escaping CloudFormationTemplateReader.RuleRanking = worldFirst) throws -> (groups: [LiveSecurityGroup], diagnostics: Diagnostics) {
        try CloudFormationTemplateReader().read(SourceFile(path: "t.yaml", text: template), rank: rank)
    }

    static func messages(_ diagnostics: Diagnostics, _ code: DiagnosticCode) -> [String] {
        diagnostics.all.filter { $0.code == code }.map(\.message)
    }

    static func group(_ groups: [LiveSecurityGroup], _ id: String) throws -> LiveSecurityGroup {
        try #require(groups.first { $0.groupID == id }, "no group \(id) in \(groups.map(\.groupID))")
    }

    // MARK: - Host bits

    @Test func hostBitsAreClearedAsEC2DoesAndTheCanonicalNetworkIsNamed() throws {
        let (groups, diagnostics) = try Self.read("""
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: ssh
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 203.0.113.7/0 }
                    - { IpProtocol: "-1", CidrIp: 1.2.3.5/16 }
                    - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: "2001:db8::1/32" }
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.ingress.map(\.key.description) == [
            "ingress tcp/22 from 0.0.0.0/0", "ingress all traffic from 1.2.0.0/16", "ingress tcp/443 from 2001:db8::/32",
        ])
        #expect(Self.messages(diagnostics, .hostBitsCanonicalised) == [
            "CidrIp '203.0.113.7/0' in Sg has host bits set; EC2 stores the network 0.0.0.0/0, and that is what is judged",
            "CidrIp '1.2.3.5/16' in Sg has host bits set; EC2 stores the network 1.2.0.0/16, and that is what is judged",
            "CidrIpv6 '2001:db8::1/32' in Sg has host bits set; EC2 stores the network 2001:db8::/32, and that is what is judged",
        ])
        #expect(diagnostics.all.filter { $0.code == .hostBitsCanonicalised }.map { $0.location?.line } == [7, 8, 9])
        #expect(Self.messages(diagnostics, .unresolvedTemplateValue).isEmpty)
    }

    // MARK: - Default egress

    @Test(arguments: [
        ("absent", ""),
        ("empty list", "      SecurityGroupEgress: []\n"),
        ("every item removed", "      SecurityGroupEgress:\n        - !Ref AWS::NoValue\n"),
        ("list removed", "      SecurityGroupEgress: !Ref AWS::NoValue\n"),
    ])
    func aGroupCreatedWithoutEgressGetsAWSsAllowAllRule(_ label: String, egress: String) throws {
        let (groups, _) = try Self.read("""
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
            \(egress)
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.egress.map(\.key) == [DefaultEgress.ipv4Rule], "\(label)")
        #expect(sg.egress.first?.judgedAt == nil)
    }

    @Test func egressRemovedByAFalseConditionIsTheDefaultAllowAllInThatDeployment() throws {
        let (groups, _) = try Self.read("""
            Parameters:
              Locked: { Type: String, Default: "yes", AllowedValues: ["yes", "no"] }
            Conditions:
              Restrict: !Equals [!Ref Locked, "yes"]
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupEgress:
                    - !If [Restrict, { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }, !Ref AWS::NoValue]
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.egress.map(\.key.description) == ["egress all traffic to 0.0.0.0/0", "egress tcp/443 to 10.0.0.0/8"])
        #expect(sg.egress[0].judgedAt == "when Locked = no (an AllowedValue) the group is created without egress")
        #expect(sg.egress[1].judgedAt == "judged at Locked = yes (its Default)")
    }

    @Test func aStandaloneEgressResourceRemovesTheDefaultUnlessItsConditionCanBeFalse() throws {
        let template = """
            Parameters:
              Extra: { Type: String, Default: "on", AllowedValues: ["on", "off"] }
            Conditions:
              WithExtra: !Equals [!Ref Extra, "on"]
            Resources:
              Always:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: x }
              Sometimes:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: y }
              AlwaysOut:
                Type: AWS::EC2::SecurityGroupEgress
                Properties: { GroupId: !GetAtt Always.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
              SometimesOut:
                Type: AWS::EC2::SecurityGroupEgress
                Condition: WithExtra
                Properties: { GroupId: !Ref Sometimes, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
            """
        let (groups, _) = try Self.read(template)
        #expect(try Self.group(groups, "Always").egress.map(\.key.description) == ["egress tcp/443 to 10.0.0.0/8"])
        #expect(try Self.group(groups, "Sometimes").egress.map(\.key.description) == ["egress all traffic to 0.0.0.0/0", "egress tcp/443 to 10.0.0.0/8"])
    }

    // MARK: - Every deployment

    @Test func bothBranchesOfAnIfAreJudgedEvenWhenTheConditionCannotBeDecided() throws {
        let (groups, diagnostics) = try Self.read("""
            Conditions:
              InUsEast: !Equals [!Ref AWS::Region, us-east-1]
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [InUsEast, 0.0.0.0/0, 0.0.0.0/0] }
                    - { IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: !If [InUsEast, 10.0.0.0/8, 0.0.0.0/0] }
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0", "ingress tcp/3306 from 0.0.0.0/0"])
        #expect(sg.ingress[0].judgedAt == nil, "world-open in every deployment")
        #expect(sg.ingress[1].judgedAt == "judged at AWS::Region != us-east-1, the worst of 2 forms")
        #expect(diagnostics.all.isEmpty)
    }

    @Test func aParameterIsJudgedAtItsDefaultAndEveryAllowedValue() throws {
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              OnlyWorld: { Type: String, AllowedValues: [0.0.0.0/0] }
              Location: { Type: String, Default: 10.0.0.0/8, AllowedValues: [10.0.0.0/8, 0.0.0.0/0, 192.168.0.0/16] }
              Office: { Type: String, Default: 198.51.100.0/24 }
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !Ref OnlyWorld }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Location }
                    - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref Office }
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.ingress.map(\.key.description) == [
            "ingress tcp/5432 from 0.0.0.0/0", "ingress tcp/22 from 0.0.0.0/0", "ingress tcp/443 from 198.51.100.0/24",
        ])
        #expect(sg.ingress.map(\.judgedAt) == [
            "judged at OnlyWorld = 0.0.0.0/0 (an AllowedValue)",
            "judged at Location = 0.0.0.0/0 (an AllowedValue), the worst of 3 forms",
            "judged at Office = 198.51.100.0/24 (its Default)",
        ])
        #expect(diagnostics.all.isEmpty)
    }

    @Test func findInMapIsJudgedAtEveryEntryItsKeysCanReach() throws {
        let (groups, _) = try Self.read("""
            Parameters:
              Env: { Type: String, Default: dev }
            Mappings:
              Sources:
                us-east-1: { Admin: 10.1.0.0/16 }
                eu-west-1: { Admin: 0.0.0.0/0 }
              ByEnv:
                dev: { Db: 10.0.0.0/8 }
                prod: { Db: "::/0" }
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [Sources, !Ref "AWS::Region", Admin] }
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIpv6: !FindInMap [ByEnv, !Ref Env, Db] }
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0", "ingress tcp/5432 from ::/0"])
        #expect(sg.ingress[0].judgedAt == "judged at AWS::Region = eu-west-1, the worst of 2 forms")
        // Env has no AllowedValues: only the keys of ByEnv deploy, so both are judged.
        #expect(sg.ingress[1].judgedAt?.hasPrefix("judged at Env = prod") == true)
    }

    @Test func valuesOfOneRuleAreCombinedOnlyWithinOneDeployment() throws {
        // Port 22 only ever goes with 10.0.0.0/8: the world-open form is 443. A reader that combined
        // the branches freely would report SSH from the world.
        let template = """
            Parameters:
              Stage: { Type: String, Default: prod, AllowedValues: [prod, test] }
            Conditions:
              Prod: !Equals [!Ref Stage, prod]
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - IpProtocol: tcp
                      FromPort: !If [Prod, 22, 443]
                      ToPort: !If [Prod, 22, 443]
                      CidrIp: !If [Prod, 10.0.0.0/8, 0.0.0.0/0]
            """
        let sshFromWorldIsWorst: CloudFormationTemplateReader.RuleRanking = { key in
            if key.ports == .ports(PortRange(port: 22)), key.peer == .cidr(.anyIPv4) { return 100 }
            return Self.worldFirst(key)
        }
        let (groups, _) = try Self.read(template, rank: sshFromWorldIsWorst)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.ingress.map(\.key.description) == ["ingress tcp/443 from 0.0.0.0/0"])
        #expect(sg.ingress[0].judgedAt == "judged at Stage = test (an AllowedValue), the worst of 2 forms")
    }

    @Test func aComparisonWithAParameterWithoutAllowedValuesCanGoEitherWay() throws {
        let (groups, _) = try Self.read("""
            Parameters:
              Mode: { Type: String, Default: closed }
            Conditions:
              Open: !Equals [!Ref Mode, open]
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !If [Open, 0.0.0.0/0, 10.0.0.0/8] }
            """)
        let rule = try #require(try Self.group(groups, "Sg").ingress.first)
        #expect(rule.key.description == "ingress tcp/3389 from 0.0.0.0/0")
        #expect(rule.judgedAt == "judged at Mode = open, the worst of 2 forms")
    }

    @Test func aResourceWhoseConditionIsNeverTrueIsNotCreated() throws {
        let (groups, _) = try Self.read("""
            Conditions:
              Never: !Equals [a, b]
            Resources:
              Ghost:
                Type: AWS::EC2::SecurityGroup
                Condition: Never
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress: [{ IpProtocol: "-1", CidrIp: 0.0.0.0/0 }]
              Real:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: y, SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }] }
            """)
        #expect(groups.map(\.groupID) == ["Real"])
    }

    @Test func theTemplatesOwnVPCGivesGetAttCidrBlock() throws {
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              VpcCidr: { Type: String, Default: 10.20.0.0/16 }
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: !Ref VpcCidr }
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !GetAtt Vpc.CidrBlock }]
            """)
        #expect(try Self.group(groups, "Sg").ingress.map(\.key.description) == ["ingress tcp/5432 from 10.20.0.0/16"])
        #expect(diagnostics.all.isEmpty)
    }

    // MARK: - What stays unknown, and what AWS would reject

    @Test func groupReferencesKnownOnlyAfterDeploymentAreJudgedAsReferences() throws {
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              Shared: { Type: "AWS::EC2::SecurityGroup::Id" }
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref Shared }
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !ImportValue shared-sg }
                    - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourcePrefixListId: !GetAtt Lb.PrefixList }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
              Outside:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupId: !Ref Shared, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
            """)
        #expect(try Self.group(groups, "Sg").ingress.map(\.key.description) == [
            "ingress tcp/5432 from Shared", "ingress tcp/5432 from import:shared-sg", "ingress tcp/443 from Lb.PrefixList",
        ])
        #expect(try Self.group(groups, "Shared").ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0"])
        #expect(diagnostics.all.isEmpty)
    }

    @Test func aCIDRKnownOnlyAtDeployTimeIsUnresolvedAndTheRuleSkipped() throws {
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              Peer: { Type: String }
              Ami: { Type: "AWS::SSM::Parameter::Value<String>", Default: /corp/office-cidr }
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupEgress: []
                  SecurityGroupIngress:
                    - { IpProtocol: "-1", CidrIp: !Ref Peer }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Ami }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !ImportValue office }
            """)
        #expect(try Self.group(groups, "Sg").ingress.isEmpty)
        #expect(Self.messages(diagnostics, .unresolvedTemplateValue) == [
            "cannot resolve CidrIp of a rule in Sg: parameter Peer has no Default or AllowedValues; rule skipped",
            "cannot resolve CidrIp of a rule in Sg: parameter Ami is read from SSM Parameter Store at deploy time; rule skipped",
            "cannot resolve CidrIp of a rule in Sg: Fn::ImportValue cannot be evaluated without deploying; rule skipped",
        ])
    }

    @Test func aValueUnresolvedInOneDeploymentOnlyLeavesTheOthersJudged() throws {
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              UseImport: { Type: String, Default: "no", AllowedValues: ["yes", "no"] }
            Conditions:
              Imported: !Equals [!Ref UseImport, "yes"]
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [Imported, !ImportValue office, 0.0.0.0/0] }
            """)
        #expect(try Self.group(groups, "Sg").ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0"])
        #expect(Self.messages(diagnostics, .unresolvedTemplateValue) == [
            "cannot resolve CidrIp of a rule in Sg when UseImport = yes (an AllowedValue): Fn::ImportValue cannot be evaluated without deploying; that deployment of the rule is not judged",
        ])
    }

    @Test func valuesAWSRejectsAreReportedAndNotJudged() throws {
        let (groups, diagnostics) = try Self.read("""
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupEgress: []
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: "23", ToPort: "21", CidrIp: 0.0.0.0/0 }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0 }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "::/0" }
                    - { IpProtocol: bogus, CidrIp: 0.0.0.0/0 }
                    - { FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
                    - { IpProtocol: tcp, FromPort: ssh, ToPort: 22, CidrIp: 0.0.0.0/0 }
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22 }
              Listless:
                Type: AWS::EC2::SecurityGroup
                Properties: { GroupDescription: y, SecurityGroupIngress: hello22 }
              Bare:
                Type: AWS::EC2::SecurityGroup
            """)
        #expect(try Self.group(groups, "Sg").ingress.isEmpty)
        #expect(try Self.group(groups, "Listless").ingress.isEmpty)
        #expect(Self.messages(diagnostics, .templateValueRejectedByAWS) == [
            "rule in Sg: invalid FromPort/ToPort 23/21; AWS would not create it, so it is not judged",
            "rule in Sg: CidrIp '0.0.0.0': '0.0.0.0' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32); AWS would not create it, so it is not judged",
            "rule in Sg: CidrIp '::/0' is an IPv6 block; AWS would not create it, so it is not judged",
            "rule in Sg: unknown IpProtocol 'bogus'; AWS would not create it, so it is not judged",
            "rule in Sg: IpProtocol is required; AWS would not create it, so it is not judged",
            "rule in Sg: port 'ssh' is not a number; AWS would not create it, so it is not judged",
            "rule in Sg: the rule names no peer (CidrIp, CidrIpv6, group or prefix list); AWS would not create it, so it is not judged",
            "Listless.SecurityGroupIngress is not a list; AWS rejects the group",
            "security group Bare has no GroupDescription (a required property); AWS would not create it, so it is not judged",
        ])
        #expect(!groups.contains { $0.groupID == "Bare" })
        #expect(Self.messages(diagnostics, .unresolvedTemplateValue).isEmpty)
    }

    @Test func aSingleRuleWrittenWhereTheListBelongsIsStillJudged() throws {
        let (groups, diagnostics) = try Self.read("""
            Resources:
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupIngress: { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
                  SecurityGroupEgress: { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
            """)
        let sg = try Self.group(groups, "Sg")
        #expect(sg.rules.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0", "egress tcp/443 to 10.0.0.0/8"])
        #expect(diagnostics.all.isEmpty)
    }

    @Test func selfReferencesAndCombinatorialTemplatesEndWithAWarningNotACrash() throws {
        let ten = (0..<10).map { "\"\($0)\"" }.joined(separator: ", ")
        let (groups, diagnostics) = try Self.read("""
            Parameters:
              A: { Type: String, Default: "0", AllowedValues: [\(ten)] }
              B: { Type: String, Default: "0", AllowedValues: [\(ten)] }
              C: { Type: String, Default: "0", AllowedValues: [\(ten)] }
            Conditions:
              Loop: !Not [!Condition Loop]
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties: { CidrBlock: !GetAtt Vpc.CidrBlock }
              Sg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: x
                  SecurityGroupEgress: []
                  SecurityGroupIngress:
                    - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [Loop, 0.0.0.0/0, 10.0.0.0/8] }
                    - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !GetAtt Vpc.CidrBlock }
                    - { IpProtocol: tcp, FromPort: !Sub "${A}${B}${C}", ToPort: 1000, CidrIp: 10.0.0.0/8 }
            """)
        let ingress = try Self.group(groups, "Sg").ingress
        #expect(ingress.map(\.key.description) == ["ingress tcp/22 from 0.0.0.0/0", "ingress tcp/0-1000 from 10.0.0.0/8"])
        let unresolved = Self.messages(diagnostics, .unresolvedTemplateValue)
        #expect(unresolved.contains("cannot resolve CidrIp of a rule in Sg: nesting deeper than 64 levels; rule skipped"), "\(unresolved)")
        #expect(unresolved.contains("a rule in Sg takes more than 256 forms over the template's parameters and conditions; only the first are judged"), "\(unresolved)")
    }
}
