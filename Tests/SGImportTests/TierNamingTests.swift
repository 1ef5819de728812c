import SGDiagnostics
import SGInventory
import Testing

@testable import SGImport

/// Tier names from what people called their groups: valid, readable, unique.
@Suite struct TierNamingTests {
    @Test(arguments: [
        ("Web Front (prod)", "web-front-prod"), ("launch-wizard-1", "launch-wizard-1"), ("App Servers", "app-servers"),
        ("WebServerSecurityGroup", "web-server-security-group"), ("ELBSecurityGroup", "elb-security-group"),
        ("DBEC2SecurityGroup", "dbec2-security-group"), ("sg_for_RDS", "sg-for-rds"), ("--x--", "x"), ("日本", ""),
        ("Ünïcode name", "n-code-name"), ("sg-0123456789abcdef0", "sg-0123456789abcdef0"), ("a.b/c", "a-b-c"),
    ])
    func normalised(_ input: String, _ expected: String) {
        #expect(TierNaming.normalised(input) == expected)
    }

    static func group(_ id: String, name: String, nameTag: String? = nil) -> LiveSecurityGroup {
        LiveSecurityGroup(groupID: id, name: name, tags: nameTag.map { ["Name": $0] } ?? [:], location: .file("t"))
    }

    @Test func nameTagFirstThenGroupNameThenIdAndRepeatsNumbered() {
        let groups = [
            Self.group("sg-00000001", name: "launch-wizard-1", nameTag: "Web"),
            Self.group("sg-00000002", name: "web"),
            Self.group("sg-00000003", name: "WEB", nameTag: "日本"),
            Self.group("sg-00000004", name: "日本"),
            Self.group("sg-00000005", name: String(repeating: "long-", count: 20)),
        ]
        let names = TierNaming.names(for: groups, fromTemplate: false)
        #expect(names == ["web", "web-2", "web-3", "sg-00000004", "long-long-long-long-long-long-long-long-long-lon"])
        #expect(names.allSatisfy { $0.count <= TierNaming.maxLength })
    }

    @Test func aTemplateGroupIsNamedByItsLogicalIDOrGroupName() {
        let groups = [Self.group("WebServerSecurityGroup", name: "WebServerSecurityGroup", nameTag: "ignored")]
        #expect(TierNaming.names(for: groups, fromTemplate: true) == ["web-server-security-group"])
    }
}
