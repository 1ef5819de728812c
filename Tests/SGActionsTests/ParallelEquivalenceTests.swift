import Foundation
import SGTestSupport
import Testing

/// The stages that run on several threads (loading tiers, checking, planning, emitting, sizing
/// and self-checking stacks, judging beside compiling) must give what one thread gives, byte for
/// byte: stdout, stderr, exit code and every file written. `SG_THREADS=1` forces one thread;
/// `SG_THREADS=4` forces four slices even on a two-core machine.
@Suite struct ParallelEquivalenceTests {
    /// A deployment big enough to be split across stacks and sliced across threads (160 tiers),
    /// with findings of several kinds spread over many tiers; deterministic.
    static func scenario(tiers: Int, brokenEvery: Int? = nil) -> String {
        var lines = ["name: threads", "description: Many tiers for the thread equivalence tests", "tiers:"]
        func name(_ index: Int) -> String { "tier-\(String(format: "%03d", (index + tiers) % tiers))" }
        for index in 0..<tiers {
            lines.append("  \(name(index)):")
            lines.append("    description: Service tier \(index) of the equivalence test")
            lines.append("    ingress:")
            for step in 1...6 {
                lines.append("      - { protocol: tcp, port: \(8000 + step), source_tier: \(name(index + step)), description: Service from peer \(step) }")
            }
            lines.append("      - { protocol: tcp, port: 443, source: 10.\(index % 250).0.0/16, description: TLS from the office range }")
            lines.append("      - { protocol: udp, port: 514, source: \"2001:db8:\(String(index, radix: 16))::/48\", description: Syslog over IPv6 }")
            if index % 7 == 0 { lines.append("      - { protocol: tcp, port: 22, source: 0.0.0.0/0, description: SSH from anywhere }") }
            if index % 11 == 0 { lines.append("      - { protocol: tcp, port_range: 5000-6000, source: 0.0.0.0/0, description: Wide range }") }
            if let brokenEvery, index % brokenEvery == 3 {
                lines.append("      - { protocol: tcp, port: 70000, source: 10.0.0.0/8, description: Port out of range }")
                lines.append("      - { protocol: tcp, port: 80, source_tier: no-such-tier-\(index) }")
            }
            lines.append("    egress:")
            for step in 1...3 {
                lines.append("      - { protocol: tcp, port: \(9000 + step), destination_tier: \(name(index - step)), description: To peer \(step) }")
            }
            lines.append("      - { protocol: tcp, port: 443, destination: 0.0.0.0/0, description: HTTPS out }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let config = """
        company_prefix: eqco
        environment: test
        deployment_id: p001
        region: eu-west-1
        vpc_id: vpc-0123456789abcdef0
        vpc_cidr: 10.0.0.0/16
        scenario: threads
        tags:
          cost_center: Platform
          project: Threads
          owner: platform-team
          compliance: none
          data_classification: internal
        accepted_risks:
          - finding: SG-WORLD-ADMIN
            tier: tier-007
            ingress: { protocol: tcp, port: 22, source: 0.0.0.0/0 }
            reason: Break-glass SSH, ticket SEC-1, key-only
            expires: 2027-06-30

        """

    /// What a run printed and wrote, audit logs (`*.log`: they hold the time and process) aside.
    struct Run: Equatable {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var files: [String: String]
    }

    func run(_ arguments: [String], scenario: String, threads: Int) throws -> Run {
        let runner = try ToolRunner()
        defer { runner.cleanUp() }
        try runner.write(Self.config, to: "configs/threads.yaml")
        try runner.write(scenario, to: "scenarios/threads.yaml")
        let outcome = try runner.run(
            ["-con", "configs/threads.yaml", "--today", "2026-11-23"] + arguments, environment: ["SG_THREADS": String(threads)])
        var files: [String: String] = [:]
        for name in try runner.reports() where !name.hasSuffix(".log") {
            files[name] = try runner.read("reports/" + name)
        }
        return Run(exitCode: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr, files: files)
    }

    @Test(arguments: [
        ["-act", "validate-prov-template"],
        ["-act", "validate-prov-template", "--output", "json"],
        ["-act", "validate-prov-template", "--output", "sarif"],
        ["-act", "create-prov-template"],
        ["-act", "create-prov-template", "--format", "json"],
        ["-act", "create-review-report"],
    ])
    func manyThreadsGiveWhatOneThreadGives(arguments: [String]) throws {
        let scenario = Self.scenario(tiers: 160)
        let one = try run(arguments, scenario: scenario, threads: 1)
        let four = try run(arguments, scenario: scenario, threads: 4)
        #expect(one.exitCode == four.exitCode)
        #expect(one.stdout == four.stdout)
        #expect(one.stderr == four.stderr)
        #expect(one.files == four.files)
        if arguments.contains("create-prov-template") {
            #expect(one.exitCode == 0, "\(one.stderr)")
            #expect(one.files.count > 5, "a 160-tier deployment is split into several stacks")
        }
        if arguments == ["-act", "validate-prov-template"] {
            #expect(one.stdout.contains("SG-WORLD-ADMIN"))
            #expect(one.stderr.contains("[W401]"))
        }
    }

    /// Errors in many tiers come out in the same order with the same locations.
    @Test func errorsInManyTiersComeOutInTheSameOrder() throws {
        let scenario = Self.scenario(tiers: 160, brokenEvery: 9)
        let one = try run(["-act", "validate-prov-template"], scenario: scenario, threads: 1)
        let four = try run(["-act", "validate-prov-template"], scenario: scenario, threads: 4)
        #expect(one.exitCode == 1)
        #expect(one == four)
        #expect(one.stderr.components(separatedBy: "error:").count - 1 >= 2 * (160 / 9))
    }
}
