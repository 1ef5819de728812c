import Foundation
import SGTestSupport
import Testing

/// One decision about AWS's default egress (`DefaultEgress`) governs the compiler, the audit and
/// drift alike, through the built binary: a tier that omits egress is compiled without egress, the
/// audit of that template finds AWS's allow-all on exactly that group, and check-drift calls a
/// snapshot holding what AWS creates from it in sync (and the default anywhere else drift).
@Suite(.serialized) struct DefaultEgressEndToEndTests {
    static let scenario = """
        name: egress-kinds
        description: One tier of each egress kind
        tiers:
          open:
            ingress:
              - { protocol: tcp, port: 443, source: 10.0.0.0/16, description: from the VPC }
          closed:
            ingress:
              - { protocol: tcp, port: 5432, source_tier: tiered, description: from tiered }
              - { protocol: tcp, port: 5432, source_tier: mixed, description: from mixed }
            egress: []
          tiered:
            egress:
              - { protocol: tcp, port: 5432, destination_tier: closed, description: to closed }
          mixed:
            egress:
              - { protocol: tcp, port: 443, destination: 10.0.0.0/16, description: inside the VPC }
              - { protocol: tcp, port: 5432, destination_tier: closed, description: to closed }

        """
    static let config = """
        company_prefix: acme
        environment: dev
        deployment_id: e01
        region: eu-west-1
        vpc_id: vpc-0123456789abcdef0
        vpc_cidr: 10.0.0.0/16
        scenario: egress-kinds
        tags:
          owner: platform-team

        """
    static let qualified = "acme-dev-e01-eu-west-1"

    static func project() throws -> ToolRunner {
        let tool = try ToolRunner()
        try tool.write(scenario, to: "scenarios/egress-kinds.yaml")
        try tool.write(config, to: "configs/egress.yaml")
        return tool
    }

    @Test func theCompiledTemplateAuditedHasAWSsDefaultEgressOnlyWhereTheTierOmitsEgress() throws {
        let tool = try Self.project()
        defer { tool.cleanUp() }
        #expect(try tool.run(["-con", "egress", "-act", "create-prov-template"]).exitCode == 0)
        let template = tool.directory.appendingPathComponent("reports/\(Self.qualified)-sg-stack-template.yaml").path
        let outcome = try tool.run(["-act", "audit-security-groups", "--template", template, "--output", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let allOut = (document["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "egress all traffic to 0.0.0.0/0" }
        let groups = allOut.compactMap { $0["tier"] as? String }
        #expect(groups.count == 1 && groups[0].lowercased().hasPrefix("open"), "\(groups)")
        #expect((document["warnings"] as? [Any])?.isEmpty == true)
    }

    /// What AWS creates from the compiled template: `open` keeps the default (both families in an
    /// IPv6 VPC), the others carry their rules and the no-op placeholder where nothing else is inline.
    static func snapshot(closedEgress: String = placeholder) -> String {
        func group(_ tier: String, _ id: String, ingress: String, egress: String) -> String {
            """
                {"GroupId": "\(id)", "GroupName": "acme-dev-e01-\(tier)", "Description": "x", "VpcId": "vpc-0123456789abcdef0",
                 "Tags": [{"Key": "sg-provisioner:deployment", "Value": "\(qualified)"}, {"Key": "sg-provisioner:tier", "Value": "\(tier)"}],
                 "IpPermissions": [\(ingress)], "IpPermissionsEgress": [\(egress)]}
            """
        }
        func tcp(_ port: Int, _ peer: String, _ description: String) -> String {
            let target = peer.hasPrefix("sg-") ? #""UserIdGroupPairs": [{"GroupId": "\#(peer)", "Description": "\#(description)"}]"#
                : #""IpRanges": [{"CidrIp": "\#(peer)", "Description": "\#(description)"}]"#
            return #"{"IpProtocol": "tcp", "FromPort": \#(port), "ToPort": \#(port), \#(target)}"#
        }
        let groups = [
            group("open", "sg-0000000000000000a", ingress: tcp(443, "10.0.0.0/16", "from the VPC"), egress: defaultEgress),
            group("closed", "sg-0000000000000000b", ingress: tcp(5432, "sg-0000000000000000c", "from tiered") + ", " + tcp(5432, "sg-0000000000000000d", "from mixed"), egress: closedEgress),
            group("tiered", "sg-0000000000000000c", ingress: "", egress: placeholder + ", " + tcp(5432, "sg-0000000000000000b", "to closed")),
            group("mixed", "sg-0000000000000000d", ingress: "", egress: tcp(443, "10.0.0.0/16", "inside the VPC") + ", " + tcp(5432, "sg-0000000000000000b", "to closed")),
        ]
        return "{\"SecurityGroups\": [\n" + groups.joined(separator: ",\n") + "\n]}\n"
    }

    static let defaultEgress = #"{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}"#
    static let placeholder = #"{"IpProtocol": "icmp", "FromPort": 252, "ToPort": 86, "IpRanges": [{"CidrIp": "255.255.255.255/32"}]}"#

    @Test func driftReadsTheDefaultAsTheCompilerLeftIt() throws {
        let tool = try Self.project()
        defer { tool.cleanUp() }
        try tool.write(Self.snapshot(), to: "live.json")
        let inSync = try tool.run(["-con", "egress", "-act", "check-drift", "--snapshot", "live.json"])
        #expect(inSync.exitCode == 0, "\(inSync.stdout)\n\(inSync.stderr)")
        #expect(inSync.stdout.contains("in sync (4 groups"))

        // The default on a closed tier is drift, rated by the validator.
        try tool.write(Self.snapshot(closedEgress: Self.defaultEgress), to: "live.json")
        let drifted = try tool.run(["-con", "egress", "-act", "check-drift", "--snapshot", "live.json"])
        #expect(drifted.exitCode == 3)
        #expect(drifted.stdout.contains("+ egress all traffic to 0.0.0.0/0"), "\(drifted.stdout)")
    }
}
