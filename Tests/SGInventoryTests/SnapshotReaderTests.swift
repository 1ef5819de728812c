import SGDiagnostics
import SGModel
import Testing

@testable import SGInventory

@Suite struct SnapshotReaderTests {
    static let snapshot = """
        {
            "SecurityGroups": [
                {
                    "Description": "web tier",
                    "GroupName": "acme-dev-d001-web",
                    "IpPermissions": [
                        {
                            "FromPort": 22,
                            "IpProtocol": "tcp",
                            "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "oops"}],
                            "Ipv6Ranges": [{"CidrIpv6": "2001:DB8:0:0::/32"}],
                            "PrefixListIds": [],
                            "ToPort": 22,
                            "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0", "UserId": "123456789012"}]
                        },
                        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
                        {"IpProtocol": "17", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.2/32"}]},
                        {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
                    ],
                    "IpPermissionsEgress": [
                        {"IpProtocol": "icmp", "FromPort": 252, "ToPort": 86, "IpRanges": [{"CidrIp": "255.255.255.255/32"}]}
                    ],
                    "OwnerId": "123456789012",
                    "GroupId": "sg-0aaaaaaaaaaaaaaaa",
                    "Tags": [{"Key": "sg-provisioner:tier", "Value": "web"}],
                    "VpcId": "vpc-0fedcba9876543210"
                }
            ]
        }
        """

    @Test func readsAndNormalisesEveryPeerKind() throws {
        let (groups, diagnostics) = try SnapshotReader().read(SourceFile(path: "snap.json", text: Self.snapshot))
        #expect(!diagnostics.hasErrors)
        let group = try #require(groups.first)
        #expect(group.groupID == "sg-0aaaaaaaaaaaaaaaa")
        #expect(group.tierTag == "web")
        let keys = group.ingress.map(\.key.description)
        #expect(keys == [
            "ingress tcp/22 from 0.0.0.0/0",
            "ingress tcp/22 from 2001:db8::/32",
            "ingress tcp/22 from sg-0123456789abcdef0",
            "ingress all traffic from 10.0.0.0/8",
            "ingress udp/53 from 10.0.0.2/32",
            "ingress icmp type any from 10.0.0.0/16",
        ])
        #expect(group.ingress[0].description == "oops")
        #expect(group.ingress[0].location == SourceLocation(file: "snap.json", line: 10, column: 34))
        #expect(group.egress.count == 1 && group.egress[0].isClosedEgressPlaceholder)
        #expect(group.asTier().egress.isEmpty, "the closed-egress placeholder is not a rule to judge")
    }

    @Test func groupReferencesMapToTiers() throws {
        let (groups, _) = try SnapshotReader().read(SourceFile(path: "snap.json", text: Self.snapshot))
        let tier = try #require(groups.first).asTier(tiersByGroupID: ["sg-0123456789abcdef0": "app"])
        #expect(tier.name == "web")
        #expect(tier.ingress.contains { $0.peer == .tier("app") })
    }

    @Test func notASnapshotIsALocatedError() {
        #expect(throws: DiagnosticError.self) {
            _ = try SnapshotReader().read(SourceFile(path: "x.json", text: "{\"Reservations\": []}"))
        }
        do {
            _ = try SnapshotReader().read(SourceFile(path: "x.json", text: "{\"Reservations\": []}"))
        } catch {
            #expect(error.diagnostics.first?.code == .snapshotShape)
            #expect(error.diagnostics.first?.location == SourceLocation(file: "x.json", line: 1, column: 1))
        }
    }

    @Test func badPermissionsAreReportedAndTheRestIsRead() throws {
        let text = """
            {"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "g", "IpPermissions": [
              {"IpProtocol": "tcp", "FromPort": 90, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
              {"IpProtocol": "bogus", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
              {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/33"}, {"CidrIp": "10.1.0.0/16"}]}
            ]}]}
            """
        let (groups, diagnostics) = try SnapshotReader().read(SourceFile(path: "s.json", text: text))
        #expect(diagnostics.errors.map(\.message) == [
            "invalid FromPort/ToPort 90/80", "unknown IpProtocol 'bogus'", "prefix length /33 is out of range 0-32",
        ])
        #expect(diagnostics.errors.map { $0.location?.line } == [2, 3, 4])
        #expect(groups.first?.ingress.map(\.key.description) == ["ingress tcp/443 from 10.1.0.0/16"])
    }
}

/// What the importer needs beyond the rules: who owns the group and each group peer, and how the
/// snapshot spelled a CIDR the reader canonicalised.
@Suite struct SnapshotOwnershipTests {
    @Test func ownersAndOriginalSpellingsAreKept() throws {
        let text = """
            {"SecurityGroups": [{
                "GroupId": "sg-0aa00001", "GroupName": "app", "Description": "d", "OwnerId": "111122223333",
                "VpcId": "vpc-0aa00001",
                "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 9443, "ToPort": 9443,
                     "UserIdGroupPairs": [{"GroupId": "sg-0bb00009", "UserId": "999988887777"}, {"GroupId": "sg-0aa00001", "UserId": "111122223333"}]},
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.1.2.3/8"}, {"CidrIp": "10.0.0.0/8"}],
                     "Ipv6Ranges": [{"CidrIpv6": "2001:DB8::/32"}]}
                ],
                "IpPermissionsEgress": []
            }]}
            """
        let (groups, diagnostics) = try SnapshotReader().read(SourceFile(path: "s.json", bytes: Array(text.utf8)))
        #expect(diagnostics.all.isEmpty)
        let group = try #require(groups.first)
        #expect(group.ownerID == "111122223333")
        #expect(group.ingress.map(\.peerAccount) == ["999988887777", "111122223333", nil, nil, nil])
        #expect(group.ingress.map(\.peerSpelling) == [nil, nil, "10.1.2.3/8", nil, "2001:DB8::/32"])
        #expect(group.ingress[2].key.peer.description == "10.0.0.0/8")
    }
}
