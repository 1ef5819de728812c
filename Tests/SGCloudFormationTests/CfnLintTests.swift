import Foundation
import SGModel
import Testing

@testable import SGCloudFormation

/// Runs cfn-lint once over every template the other tests emit, in both formats.
@Suite struct CfnLintTests {
    /// Warnings that cannot be avoided, each with why. cfn-lint's W3687 schema omits icmpv6
    /// from the protocols that take ports, but EC2 needs FromPort/ToPort to open one ICMPv6
    /// type; omitting them would open every type.
    static let acceptedWarnings: [String: String] = ["W3687": "'IpProtocol' value 'icmpv6'"]

    /// Linting all ~300 files of the 1,000-tier deployment takes about 5 minutes on 2 cores, so
    /// by default its stacks are sampled (first and last of each kind: they hold the packing
    /// edges); `SG_LINT_ALL_STACKS=1` lints every one. Smaller split deployments are linted whole.
    static let lintAllStacks = ProcessInfo.processInfo.environment["SG_LINT_ALL_STACKS"] == "1"

    /// The first and last stack of each role kind.
    static func sample(_ stacks: [StackTemplate]) -> [StackTemplate] {
        let groups = stacks.filter { if case .rules = $0.role { return false } else { return true } }
        let rules = stacks.filter { if case .rules = $0.role { return true } else { return false } }
        var picked: [StackTemplate] = []
        for kind in [groups, rules] {
            for stack in [kind.first, kind.last].compactMap({ $0 }) where !picked.contains(where: { $0.stackName == stack.stackName }) {
                picked.append(stack)
            }
        }
        return picked
    }

    /// Everything worth linting, by file stem.
    static func templates() -> [(String, Template)] {
        var deployments: [(String, Deployment)] = [
            ("three-tier", SampleDeployments.threeTier),
            ("cycle", SampleDeployments.cycle),
            ("mixed-peers", SampleDeployments.mixedPeers),
            ("adopted", AdoptedTierCompileTests.adopted),
            ("generated-1000", SampleDeployments.generated(tiers: 1000, rulesPerTier: 20)),
            ("generated-40", SampleDeployments.generated(tiers: 40, rulesPerTier: 20)),
            ("stackset-three-tier", SampleDeployments.threeTierFleet),
            ("icmpv6-type", DeploymentBuilder([TierDraft(
                name: "v6", ingress: [ingress(.icmpv6, .icmp(type: 128, code: 0), cidr("2001:db8::/32"))], egress: nil)]).build()),
        ]
        let longText = String(repeating: "D", count: 255)
        deployments.append(("oversized-group", DeploymentBuilder([TierDraft(
            name: "big",
            ingress: (1...60).map { ingress(.tcp, .port($0), cidr("10.0.0.0/8"), longText) },
            egress: (1...59).map { egress(.tcp, .port($0), cidr("10.0.0.0/8"), longText) })]).build()))
        var out: [(String, Template)] = []
        for (name, deployment) in deployments {
            let result = compiler.compile(deployment)
            #expect(!result.diagnostics.hasErrors, "\(name): \(result.diagnostics.errors)")
            let stacks = name == "generated-1000" && !lintAllStacks ? sample(result.stacks) : result.stacks
            for stack in stacks { out.append(("\(name)-\(stack.stackName)", stack.template)) }
        }
        return out
    }

    static func findOnPath(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func everyEmittedTemplatePassesCfnLint() throws {
        guard let cfnLint = Self.findOnPath("cfn-lint") else {
            Issue.record("cfn-lint is not on PATH: `make test` installs it (pip install cfn-lint==1.51.0)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sg-cfn-lint-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (stem, template) in Self.templates() {
            for (suffix, text) in [("yaml", template.renderYAML()), ("json", template.renderJSON())] {
                let file = directory.appendingPathComponent("\(stem).\(suffix)").path
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                files.append(file)
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cfnLint)
        process.arguments = ["-f", "json"] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        let matches = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "cfn-lint printed no JSON")
        var unexpected: [String] = []
        for match in matches {
            let level = match["Level"] as? String ?? "?"
            let id = (match["Rule"] as? [String: Any])?["Id"] as? String ?? "?"
            let message = match["Message"] as? String ?? ""
            let file = (match["Filename"] as? String).map { ($0 as NSString).lastPathComponent } ?? "?"
            if level == "Informational" { continue }
            if level == "Warning", let accepted = Self.acceptedWarnings[id], message.contains(accepted) { continue }
            unexpected.append("\(file): \(level) \(id): \(message)")
        }
        #expect(unexpected.isEmpty, "cfn-lint found:\n\(unexpected.prefix(50).joined(separator: "\n"))")
        // Exit status is a bitmask: 2 errors, 4 warnings; informational (8) and accepted warnings may remain.
        #expect(process.terminationStatus & 2 == 0)
        #expect(files.count > 20)
    }
}
