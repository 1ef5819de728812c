import Foundation
import SGAWS
import SGConfig
import SGModel
import SGTestSupport
import Testing

@testable import SGActions
@testable import SGDrift

/// `check-drift` live against the local AWS's EC2 API. The groups are built directly with EC2 calls,
/// so these tests depend on check-drift alone, not on how CloudFormation builds groups (the lifecycle
/// test and the README walk-through cover that): tagged like the stack tags them, with the compiled
/// rules, AWS's default egress removed where the config declares egress, and the compiler's no-op
/// egress rule on the closed tier.
@Suite(.serialized) struct DriftLiveEndToEndTests {
    static let configName = "globalbank-prod-c001-us-west-2"
    static let liveConfigName = "drift-test-l01-us-west-2"
    /// A secret that must never appear in any output or log.
    static let secret = "drift-test-secret-9f3c"

    private func ec2(_ moto: MotoServer) throws -> EC2Client { try LiveGroups.ec2(moto) }

    private func environment(_ moto: MotoServer) -> [String: String] { LiveGroups.environment(moto, secret: Self.secret) }

    private func deployment(in tool: ToolRunner, config: String = configName) throws -> Deployment {
        try LiveGroups.deployment(in: tool, config: config)
    }

    private func deploy(_ deployment: Deployment, vpcID: String, ec2: EC2Client) async throws -> [String: String] {
        try await LiveGroups.deploy(deployment, vpcID: vpcID, ec2: ec2)
    }

    /// The drift of a JSON report without what differs between live and snapshot runs by nature
    /// (rule ids exist only live, locations only in a snapshot, and the source itself).
    private func comparable(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var lines: [String] = []
        for group in object["groups"] as? [[String: Any]] ?? [] {
            let tier = group["tier"] as? String ?? "?"
            for (kind, sign) in [("added", "+"), ("removed", "-"), ("changed", "~")] {
                for rule in group[kind] as? [[String: Any]] ?? [] {
                    lines.append("\(sign) \(tier) \(rule["rule"] as? String ?? "?") \(rule["risk"] as? String ?? "")")
                }
            }
        }
        let summary = object["summary"] as? [String: Any] ?? [:]
        lines += summary.keys.sorted().map { "summary \($0)=\(summary[$0].map { "\($0)" } ?? "-")" }
        return lines
    }

    @Test func detectsRatesAndRevertsDriftAndSnapshotsAgree() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try ec2(moto)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let fixtures = FixturePaths.root.appendingPathComponent("drift")
        try tool.write(try String(contentsOf: fixtures.appendingPathComponent("live-scenario.yaml"), encoding: .utf8), to: "scenarios/drift-live.yaml")
        try tool.write(
            try String(contentsOf: fixtures.appendingPathComponent("live-config.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "vpc-00000000000000000", with: vpc.vpcID),
            to: "configs/\(Self.liveConfigName).yaml")
        let deployment = try deployment(in: tool, config: Self.liveConfigName)
        let ids = try await deploy(deployment, vpcID: vpc.vpcID, ec2: ec2)
        // A group of someone else in the same VPC is ignored.
        _ = try await ec2.createSecurityGroup(name: "not-ours", description: "unrelated", vpcID: vpc.vpcID)
        let check = ["-con", Self.liveConfigName, "-act", "check-drift"]

        let clean = try tool.run(check, environment: environment(moto))
        #expect(clean.exitCode == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout.contains("in sync (4 groups, 11 live rules checked)"), "\(clean.stdout)")

        // Out of band: SSH from the world on svc; lb's IPv6 HTTPS removed; StatsD's description edited.
        let app = try #require(ids["svc"]), web = try #require(ids["lb"])
        try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0", description: "debug")]),
        ])
        let ipv6 = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [web])])
            .filter { $0.cidrIPv6 == "::/0" }.map(\.ruleID)
        #expect(ipv6.count == 1)
        try await ec2.revokeSecurityGroupIngress(groupID: web, ruleIDs: ipv6)
        let statsd = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [app])])
            .filter { $0.ipProtocol == "udp" }.map(\.ruleID)
        try await ec2.revokeSecurityGroupIngress(groupID: app, ruleIDs: statsd)
        try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "17", fromPort: 8125, toPort: 8125, ipv4Ranges: [SecurityGroupRange("10.0.5.0/24", description: "edited by hand")]),
        ])

        let drifted = try tool.run(check, environment: environment(moto))
        #expect(drifted.exitCode == 3, "\(drifted.stdout)\n\(drifted.stderr)")
        #expect(drifted.stdout.contains(#"+ ingress tcp/22 from 0.0.0.0/0  "debug"  HIGH: tcp port 22 (SSH) is open"#), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("[SG-WORLD-ADMIN] (rule sgr-"), "live rules are named by id: \(drifted.stdout)")
        #expect(drifted.stdout.contains(#"- ingress tcp/443 from ::/0  "HTTPS from internet IPv6"  removed out of band"#), "\(drifted.stdout)")
        #expect(drifted.stdout.contains(#"~ ingress udp/8125 from 10.0.5.0/24  description "StatsD from monitoring" -> "edited by hand""#), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("DRIFT: 1 added, 1 removed, 1 changed, 0 missing groups, 0 extra groups; worst added rule HIGH"), "\(drifted.stdout)")
        #expect(drifted.stdout.contains("1. RevokeSecurityGroupIngress on \(app)"))
        #expect(drifted.stdout.contains("2. AuthorizeSecurityGroupIngress on \(web)"))
        #expect(!drifted.stdout.contains("not-ours"))
        let liveReport = try tool.read("reports/\(Self.liveConfigName)-drift-report.json")

        // The same state saved with the AWS CLI and compared offline gives the same drift.
        let snapshot = try awsCLI(["ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values=\(vpc.vpcID)"], moto: moto)
        try tool.write(snapshot, to: "snapshots/live.json")
        let offline = try tool.run(check + ["--snapshot", "snapshots/live.json"], environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(offline.exitCode == 3, "\(offline.stdout)\n\(offline.stderr)")
        let snapshotReport = try tool.read("reports/\(Self.liveConfigName)-drift-report.json")
        #expect(try comparable(snapshotReport) == (try comparable(liveReport)), "\(snapshotReport)\n\(liveReport)")
        #expect(try comparable(liveReport).contains("+ svc ingress tcp/22 from 0.0.0.0/0 high"))

        // --force executes the plan, re-reads the groups and says they are in sync again.
        let reverted = try tool.run(check + ["--force"], environment: environment(moto))
        #expect(reverted.exitCode == 3, "drift was found, even though it is reverted now: \(reverted.stdout)\n\(reverted.stderr)")
        #expect(reverted.stdout.contains("revert executed (--force):"), "\(reverted.stdout)")
        #expect(reverted.stdout.contains("1. RevokeSecurityGroupIngress on \(app): done"))
        #expect(reverted.stdout.contains("2. AuthorizeSecurityGroupIngress on \(web): done"))
        // The description change is reported, not reverted (the plan warns), so it remains.
        #expect(reverted.stdout.contains("re-checked: still differs: 0 added, 0 removed, 1 changed, 0 missing, 0 extra"), "\(reverted.stdout)")
        let revertedReport = try tool.read("reports/\(Self.liveConfigName)-drift-report.json")
        #expect(revertedReport.contains(#""verification": "still differs: 0 added, 0 removed, 1 changed, 0 missing, 0 extra""#))

        // Restoring the description by hand, as the plan's warning says, brings the groups back in sync.
        let edited = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [app])])
            .filter { $0.ipProtocol == "udp" }.map(\.ruleID)
        try await ec2.revokeSecurityGroupIngress(groupID: app, ruleIDs: edited)
        try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "udp", fromPort: 8125, toPort: 8125, ipv4Ranges: [SecurityGroupRange("10.0.5.0/24", description: "StatsD from monitoring")]),
        ])
        let final = try tool.run(check + ["--quiet"], environment: environment(moto))
        #expect(final.exitCode == 0, "\(final.stdout)\n\(final.stderr)")
        #expect(final.stdout.isEmpty)
    }

    @Test func aFailedRevertStepStopsAndSaysWhatWasDone() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try ec2(moto)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let configPath = "configs/\(Self.configName).yaml"
        // The config also wants web reachable from a group that does not exist, so restoring that
        // rule must fail at EC2.
        let bogus = "sg-0123456789abcdef0"
        let config = try tool.read(configPath).replacingOccurrences(of: "vpc-0a1b2c3d4e5f67890", with: vpc.vpcID) + """
              - tier: web
                add_ingress:
                  - { protocol: tcp, port: 443, source_security_group: \(bogus), description: Partner proxy }
                description: Partner proxy reaches the load balancers

            """
        try tool.write(config, to: configPath)
        let deployment = try deployment(in: tool)
        var deployable = deployment
        deployable.tiers = deployment.tiers.map { tier in
            var tier = tier
            tier.ingress.removeAll { $0.peer == .securityGroup(bogus) }
            return tier
        }
        let ids = try await deploy(deployable, vpcID: vpc.vpcID, ec2: ec2)
        let app = try #require(ids["app"]), web = try #require(ids["web"])
        // Added: RDP from the world on app. Removed: app's ingress from web (restorable, but after the
        // failing step, so never attempted).
        try await ec2.authorizeSecurityGroupIngress(groupID: app, permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 3389, toPort: 3389, ipv4Ranges: [SecurityGroupRange("0.0.0.0/0")]),
        ])
        let fromWeb = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [app])])
            .filter { !$0.isEgress && $0.referencedGroupID == web }.map(\.ruleID)
        try await ec2.revokeSecurityGroupIngress(groupID: app, ruleIDs: fromWeb)

        let outcome = try tool.run(["-con", Self.configName, "-act", "check-drift", "--force", "--debug"], environment: environment(moto))
        #expect(outcome.exitCode == 1, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stdout.contains("1. RevokeSecurityGroupIngress on \(app): done"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("2. AuthorizeSecurityGroupIngress on \(web): FAILED: AWS error InvalidGroup.NotFound"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("stopped at the first failure; not attempted: 3"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("re-checked: still differs: 0 added, 2 removed"), "\(outcome.stdout)")
        // The globalbank scenario describes its tier references, and EC2 returns those descriptions.
        let report = try #require(try JSONSerialization.jsonObject(
            with: Data(try tool.read("reports/\(Self.configName)-drift-report.json").utf8)) as? [String: Any])
        let changed = (report["groups"] as? [[String: Any]] ?? []).flatMap { $0["changed"] as? [[String: Any]] ?? [] }
        #expect(changed.isEmpty, "no description differs: \(changed)")
        #expect(outcome.stderr.contains("error: revert stopped at step 2 of 3; step 1 was applied [E522]"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("aws: "), "--debug traces requests")
        #expect(!outcome.stderr.contains(Self.secret) && !outcome.stdout.contains(Self.secret), "no secret in --debug output")
        let log = try tool.reports().filter { $0.hasSuffix(".log") }.map { try tool.read("reports/\($0)") }.joined()
        #expect(log.contains("revert step 2 AuthorizeSecurityGroupIngress \(web): failed"))
        #expect(!log.contains(Self.secret))
    }
}

/// Runs the AWS CLI against moto with dummy credentials and returns its stdout.
private func awsCLI(_ arguments: [String], moto: MotoServer) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["aws"] + arguments + ["--endpoint-url", moto.endpoint.absoluteString, "--region", "us-west-2", "--output", "json"]
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/dev/null",
                         "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"] {
        environment[key] = value
    }
    environment.removeValue(forKey: "AWS_PROFILE")
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw AWSCLIFailure(message: "aws \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self)
}

/// The AWS CLI exited non-zero.
private struct AWSCLIFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
