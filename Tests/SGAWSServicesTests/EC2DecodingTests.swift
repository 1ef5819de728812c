import Testing

@testable import SGAWS
@testable import SGAWSServices

/// DescribeSecurityGroupRules as AWS documents it: a rule naming a group of another account carries
/// that account in `referencedGroupInfo/userId` (moto cannot create such a rule, so the response
/// is written out here).
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReferencedSecurityGroup.html
@Suite struct EC2DecodingTests {
    @Test func aCrossAccountReferenceKeepsItsOwner() throws {
        let root = try XMLTree.parse("""
            <DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r</requestId>
              <securityGroupRuleSet>
                <item>
                  <securityGroupRuleId>sgr-0aa00000000000001</securityGroupRuleId>
                  <groupId>sg-0aa00001</groupId>
                  <groupOwnerId>111122223333</groupOwnerId>
                  <isEgress>false</isEgress>
                  <ipProtocol>tcp</ipProtocol>
                  <fromPort>9443</fromPort>
                  <toPort>9443</toPort>
                  <referencedGroupInfo><groupId>sg-0bb00009</groupId><userId>999988887777</userId></referencedGroupInfo>
                  <description>partner</description>
                </item>
              </securityGroupRuleSet>
            </DescribeSecurityGroupRulesResponse>
            """)
        let rules = try root.list("securityGroupRuleSet").map(EC2Client.decodeRule)
        #expect(rules.count == 1)
        #expect(rules[0].referencedGroupID == "sg-0bb00009")
        #expect(rules[0].referencedGroupOwnerID == "999988887777")
        #expect(rules[0].groupOwnerID == "111122223333")
    }
}
