import Foundation
import SGAWS
import SGModel
import SGTestSupport
import Testing

/// "Who did this, and when?" through the built binary: live groups on the local AWS, CloudTrail's
/// LookupEvents from the stub (the AWS JSON 1.1 protocol, SigV4 checked by botocore's signer) or
/// from the local AWS's own event history. A missing permission is a warning, never a failed check.
@Suite(.serialized) struct DriftWhoEndToEndTests {
    static let configName = "drift-test-l01-us-west-2"
    static let secret = "who-test-secret-41d7"

    /// The live drift of one test: groups deployed from the live fixture, then changed out of band.
    struct Drift {
        var tool: ToolRunner
        var moto: MotoServer
        var ids: [String: String]
        var sshRuleID: String
        var ipv6RuleID: String
        var statsdRuleID: String
    }

    /// Deploys the fixture's groups, then: SSH from the world added on svc, lb's IPv6 HTTPS
    /// revoked, svc's StatsD description edited (revoked and authorized again), Redis added on store.
    private func drift() async throws -> Drift {
        let moto = try await MotoServer.shared()
        let ec2 = try LiveGroups.ec2(moto)
        let tool = try ToolRunner()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let fixtures = FixturePaths.root.appendingPathComponent("drift")
        try tool.write(try String(contentsOf: fixtures.appendingPathComponent("live-scenario.yaml"), encoding: .utf8), to: "scenarios/drift-live.yaml")
        try tool.write(
            try String(contentsOf: fixtures.appendingPathComponent("live-config.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "vpc-00000000000000000", with: vpc.vpcID),
            to: "configs/\(Self.configName).yaml")
        let ids = try await LiveGroups.deploy(try LiveGroups.deployment(in: tool, config: Self.configName), vpcID: vpc.vpcID, ec2: ec2)
        let svc = try #require(ids["svc"]), lb = try #require(ids["lb"]), store = try #require(ids["store"])
        let ssh = try await ec2.authorizeSecurityGroupIngress(groupID: svc, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "debug")]),
        ])
        let ipv6 = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [lb])]).first { $0.cidrIPv6 == "::/0" }
        try await ec2.revokeSecurityGroupIngress(groupID: lb, ruleIDs: [try #require(ipv6?.ruleID)])
        let statsd = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [svc])]).filter { $0.ipProtocol == "udp" }
        try await ec2.revokeSecurityGroupIngress(groupID: svc, ruleIDs: statsd.map(\.ruleID))
        let edited = try await ec2.authorizeSecurityGroupIngress(groupID: svc, permissions: [
            IPPermission(ipProtocol: "udp", fromPort: 8125, toPort: 8125, ipv4Ranges: [SecurityGroupRange("10.0.5.0/24", description: "StatsD relay")]),
        ])
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: store, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 6379, toPort: 6379, ipv4Ranges: [SecurityGroupRange("10.0.9.0/24")]),
        ])
        return Drift(tool: tool, moto: moto, ids: ids, sshRuleID: try #require(ssh.first?.ruleID), ipv6RuleID: try #require(ipv6?.ruleID),
                     statsdRuleID: try #require(edited.first?.ruleID))
    }

    static let times = (ssh: CloudTrailStub.time(secondsAgo: 7200), ipv6: CloudTrailStub.time(secondsAgo: 5400), statsd: CloudTrailStub.time(secondsAgo: 3600))

    /// CloudTrail's records of those changes, as AWS writes them (the Redis rule has none: not found yet).
    private func records(_ drift: Drift) -> [[String: Any]] {
        let svc = drift.ids["svc"]!, lb = drift.ids["lb"]!
        func permission(_ proto: String, _ port: Int, cidr: String) -> [String: Any] {
            ["ipProtocol": proto, "fromPort": port, "toPort": port, "groups": [String: Any](), "ipv6Ranges": [String: Any](),
             "prefixListIds": [String: Any](), "ipRanges": ["items": [["cidrIp": cidr]]]]
        }
        func rule(_ group: String, _ id: String, _ proto: String, _ port: Int, _ peer: [String: Any]) -> [String: Any] {
            ["groupId": group, "securityGroupRuleId": id, "isEgress": false, "ipProtocol": proto, "fromPort": port, "toPort": port].merging(peer) { a, _ in a }
        }
        return [
            CloudTrailStub.record(
                id: "e-ssh", name: "AuthorizeSecurityGroupIngress", time: Self.times.ssh, sourceIP: "198.51.100.23",
                userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1",
                request: ["groupId": svc, "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]],
                response: ["_return": true, "securityGroupRuleSet": ["items": [rule(svc, drift.sshRuleID, "tcp", 22, ["cidrIpv4": "0.0.0.0/0"])]]]),
            // A failed attempt at the same rule a minute later changed nothing: not the answer.
            CloudTrailStub.record(
                id: "e-ssh-again", name: "AuthorizeSecurityGroupIngress", time: CloudTrailStub.time(secondsAgo: 7140),
                principal: "arn:aws:iam::123456789012:user/mallory",
                request: ["groupId": svc, "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]], errorCode: "InvalidPermission.Duplicate"),
            CloudTrailStub.record(
                id: "e-v6", name: "RevokeSecurityGroupIngress", time: Self.times.ipv6, principal: "arn:aws:sts::123456789012:assumed-role/NetOps/bob",
                type: "AssumedRole", sourceIP: "203.0.113.40", userAgent: "Boto3/1.34.0 md/Botocore#1.34.0",
                request: ["groupId": lb, "securityGroupRuleIds": ["items": [["securityGroupRuleId": drift.ipv6RuleID]]]],
                response: ["_return": true, "revokedSecurityGroupRuleSet": ["items": [rule(lb, drift.ipv6RuleID, "tcp", 443, ["cidrIpv6": "::/0"])]]]),
            CloudTrailStub.record(
                id: "e-statsd", name: "AuthorizeSecurityGroupIngress", time: Self.times.statsd, principal: "arn:aws:iam::123456789012:user/carol",
                request: ["groupId": svc, "ipPermissions": ["items": [permission("udp", 8125, cidr: "10.0.5.0/24")]]],
                response: ["_return": true, "securityGroupRuleSet": ["items": [rule(svc, drift.statsdRuleID, "udp", 8125, ["cidrIpv4": "10.0.5.0/24"])]]]),
        ]
    }

    private func environment(_ drift: Drift, cloudTrail: CloudTrailStub?) -> [String: String] {
        var environment = LiveGroups.environment(drift.moto, secret: Self.secret)
        if let cloudTrail { environment["AWS_ENDPOINT_URL_CLOUDTRAIL"] = cloudTrail.endpoint.absoluteString }
        return environment
    }

    private let check = ["-con", configName, "-act", "check-drift"]

    @Test func eachDriftedRuleSaysWhoAndWhenInTextMarkdownJSONAndSARIF() async throws {
        let drift = try await drift()
        defer { drift.tool.cleanUp() }
        let stub = try CloudTrailStub.start(events: records(drift), credentials: ["testing": Self.secret])
        defer { stub.stop() }
        let outcome = try drift.tool.run(check, environment: environment(drift, cloudTrail: stub))
        #expect(outcome.exitCode == 3, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(!outcome.stderr.contains("W550"), "\(outcome.stderr)")
        #expect(outcome.stdout.contains("      who/when: arn:aws:iam::123456789012:user/alice at \(Self.times.ssh) from 198.51.100.23 (aws-cli/2.15.0), AuthorizeSecurityGroupIngress event e-ssh\n"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("      who/when: arn:aws:sts::123456789012:assumed-role/NetOps/bob at \(Self.times.ipv6) from 203.0.113.40 (Boto3/1.34.0), RevokeSecurityGroupIngress event e-v6\n"))
        #expect(outcome.stdout.contains("      who/when: arn:aws:iam::123456789012:user/carol at \(Self.times.statsd) from 203.0.113.7 (aws-cli/2.15.0), AuthorizeSecurityGroupIngress event e-statsd\n"))
        #expect(outcome.stdout.contains("    + ingress tcp/6379 from 10.0.9.0/24  (no description)  LOW: internal CIDR 10.0.9.0/24, inside the VPC 10.0.0.0/16 (rule sgr-"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("      who/when: not found yet in CloudTrail (searched 90 days; events arrive about 5 minutes after the call)\n"))

        // One paced, signed LookupEvents per group with drifted rules, over the last 90 days.
        let calls = try await stub.calls()
        #expect(Set(calls.compactMap(\.attributeValue)) == Set([drift.ids["lb"]!, drift.ids["svc"]!, drift.ids["store"]!]), "\(calls.map(\.attributeValue))")
        #expect(calls.allSatisfy { $0.signatureOK && $0.status == 200 && $0.target == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents" })
        #expect(calls.allSatisfy { abs(($0.startTime ?? 0) - (Date().timeIntervalSince1970 - 90 * 86_400)) < 120 })
        #expect(calls.allSatisfy { $0.error == nil }, "paced: never throttled")

        let markdown = try drift.tool.read("reports/\(Self.configName)-drift-report.md")
        #expect(markdown.contains("| Risk | Tier | Rule | Description | Reason | Findings | Where | Who / when |"))
        #expect(markdown.contains("| arn:aws:iam::123456789012:user/alice at \(Self.times.ssh) from 198.51.100.23 (aws-cli/2.15.0); AuthorizeSecurityGroupIngress event e-ssh |"), "\(markdown)")
        #expect(markdown.contains("| lb | `ingress tcp/443 from ::/0` | HTTPS from internet IPv6 | `scenarios/drift-live.yaml:12:9` | arn:aws:sts::123456789012:assumed-role/NetOps/bob at \(Self.times.ipv6) from 203.0.113.40 (Boto3/1.34.0); RevokeSecurityGroupIngress event e-v6 |"), "\(markdown)")
        #expect(markdown.contains("## Who changed it (CloudTrail)\n\nLookupEvents by group id over the last 90 days: 3 group(s), 3 call(s), 4 event(s) read; 3 drifted item(s) tied to the call that made them."), "\(markdown)")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(try drift.tool.read("reports/\(Self.configName)-drift-report.json").utf8)) as? [String: Any])
        let added = (json["groups"] as? [[String: Any]] ?? []).flatMap { $0["added"] as? [[String: Any]] ?? [] }
        let ssh = try #require(added.first { $0["rule"] as? String == "ingress tcp/22 from 0.0.0.0/0" })
        let who = try #require(ssh["cloudtrail"] as? [String: Any])
        #expect(who["status"] as? String == "found")
        #expect(who["principal"] as? String == "arn:aws:iam::123456789012:user/alice")
        #expect(who["principal_type"] as? String == "IAMUser")
        #expect(who["source_ip"] as? String == "198.51.100.23")
        #expect(who["user_agent"] as? String == "aws-cli/2.15.0 Python/3.11.6 Linux/6.1")
        #expect(who["event_time"] as? String == Self.times.ssh)
        #expect(who["event_id"] as? String == "e-ssh")
        #expect(who["matched_by"] as? String == "rule id \(drift.sshRuleID)")
        #expect((ssh["fingerprint"] as? String).map(FindingFingerprint.isWellFormed) == true)
        #expect((json["cloudtrail"] as? [String: Any])?["calls"] as? Int == 3)

        let sarif = try drift.tool.run(check + ["--output", "sarif"], environment: environment(drift, cloudTrail: stub))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let admin = try #require(results.first { $0["ruleId"] as? String == "SG-WORLD-ADMIN" })
        let properties = try #require(admin["properties"] as? [String: Any])
        #expect(properties["changedBy"] as? String == "arn:aws:iam::123456789012:user/alice")
        #expect(properties["changedAt"] as? String == Self.times.ssh)
        #expect(properties["cloudTrailEventId"] as? String == "e-ssh")
        #expect(properties["sourceIPAddress"] as? String == "198.51.100.23")
        #expect(properties["securityGroupRuleId"] as? String == drift.sshRuleID)
        #expect(properties["driftFingerprint"] as? String == ssh["fingerprint"] as? String)

        // Accepting the description change writes who made it beside the reason.
        let changed = try #require((json["groups"] as? [[String: Any]] ?? []).flatMap { $0["changed"] as? [[String: Any]] ?? [] }.first)
        let fingerprint = try #require(changed["fingerprint"] as? String)
        let accepted = try drift.tool.run(check + ["--accept", fingerprint, "--reason", "MON-5 relay"], environment: environment(drift, cloudTrail: stub))
        #expect(accepted.exitCode == 3, "\(accepted.stdout)\n\(accepted.stderr)")
        let config = try drift.tool.read("configs/\(Self.configName).yaml")
        #expect(config.contains("""
              - tier: svc
                add_ingress:
                  - { protocol: udp, port: 8125, source: "10.0.5.0/24", description: "StatsD relay" }
                remove_ingress:
                  - { protocol: udp, port: 8125, source: "10.0.5.0/24" }
                description: "MON-5 relay (accepted drift on
            """), "\(config)")
        #expect(config.contains("~ ingress udp/8125 from 10.0.5.0/24 by arn:aws:iam::123456789012:user/carol at \(Self.times.statsd) (CloudTrail event e-statsd))\"\n"), "\(config)")
        let after = try drift.tool.run(check, environment: environment(drift, cloudTrail: stub))
        #expect(after.stdout.contains("DRIFT: 2 added, 1 removed, 0 changed"), "\(after.stdout)")
    }

    @Test func noPermissionIsAWarningNamingLookupEventsAndTheDriftIsReportedAllTheSame() async throws {
        let drift = try await drift()
        defer { drift.tool.cleanUp() }
        let stub = try CloudTrailStub.start(events: records(drift), credentials: ["testing": Self.secret], deny: true)
        defer { stub.stop() }
        let outcome = try drift.tool.run(check, environment: environment(drift, cloudTrail: stub))
        #expect(outcome.exitCode == 3, "drift, not an error: \(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stderr.contains("warning: who changed the drift is not known: the credentials may not call cloudtrail:LookupEvents (AccessDeniedException); add it to the role (the read-only policy of -act create-iam-policy has it) or run with --no-cloudtrail [W550]"), "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("who/when"))
        #expect(outcome.stdout.contains("DRIFT: 2 added, 1 removed, 1 changed"))
        #expect(try await stub.calls().count == 1, "the first refusal ends the search")
        let markdown = try drift.tool.read("reports/\(Self.configName)-drift-report.md")
        #expect(markdown.contains("The search stopped: the credentials may not call cloudtrail:LookupEvents. The drift above is complete; only who and when are missing."))
        #expect(markdown.contains("| not looked up: the credentials may not call cloudtrail:LookupEvents |"))
        #expect(!outcome.stderr.contains(Self.secret) && !outcome.stdout.contains(Self.secret))
    }

    @Test func noCloudTrailSkipsTheSearch() async throws {
        let drift = try await drift()
        defer { drift.tool.cleanUp() }
        let stub = try CloudTrailStub.start(events: records(drift), credentials: ["testing": Self.secret])
        defer { stub.stop() }
        let outcome = try drift.tool.run(check + ["--no-cloudtrail", "--output", "json"], environment: environment(drift, cloudTrail: stub))
        #expect(outcome.exitCode == 3)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect((json["cloudtrail"] as? [String: Any])?["outcome"] as? String == "skipped")
        #expect((json["cloudtrail"] as? [String: Any])?["reason"] as? String == "--no-cloudtrail")
        #expect(try await stub.calls().isEmpty)
    }

    @Test func theLocalAWSKeepsAnEventHistoryOfItsOwn() async throws {
        let drift = try await drift()
        defer { drift.tool.cleanUp() }
        let outcome = try drift.tool.run(check, environment: environment(drift, cloudTrail: nil))
        #expect(outcome.exitCode == 3, "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("W550"), "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let who = lines.filter { $0.hasPrefix("      who/when: ") }
        #expect(who.count == 4, "\(outcome.stdout)")
        #expect(who.allSatisfy { $0.hasPrefix("      who/when: arn:aws:iam::123456789012:user/testing at ") && $0.contains(" from 127.0.0.1 ") }, "\(who)")
        #expect(who.contains { $0.contains(", RevokeSecurityGroupIngress event ") }, "the removal is tied to the revoke that made it")
    }
}
