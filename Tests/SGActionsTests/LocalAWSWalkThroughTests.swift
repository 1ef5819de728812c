import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGCrypto
import SGTestSupport
import Testing

/// The README's "Try it without an AWS account", run as written: the block after the
/// `<!-- walk-through: ... -->` marker, line by line in one bash, against `scripts/local-aws PORT`
/// started exactly as `make local-aws` starts it (only the port differs, a free one). Each line's
/// `# exit N: "text", ...` comment is its expectation: the exit code, and text its output shows.
@Suite(.serialized) struct LocalAWSWalkThroughTests {
    /// One line of the walk-through with what the README says it does.
    struct Step {
        var command: String
        var exitCode: Int32
        var shows: [String]
    }

    static let readme = FixturePaths.project.appendingPathComponent("README.md")
    /// The port the README and `make local-aws` use.
    static let documentedPort = "4566"

    /// The walk-through block of the README, parsed.
    static func walkThrough() throws -> [Step] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let marker = text.range(of: "<!-- walk-through:"),
              let open = text.range(of: "```sh\n", range: marker.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else {
            throw WalkThroughMissing()
        }
        return text[open.upperBound..<close.lowerBound].split(separator: "\n").map { line in
            guard let comment = line.range(of: "   # exit ") else { return Step(command: String(line), exitCode: 0, shows: []) }
            let expectation = line[comment.upperBound...]
            let code = Int32(expectation.prefix { $0.isNumber }) ?? -1
            let shows = expectation.matches(of: #/"([^"]*)"/#).map { String($0.1) }
            return Step(command: String(line[..<comment.lowerBound]), exitCode: code, shows: shows)
        }
    }

    struct WalkThroughMissing: Error, CustomStringConvertible {
        var description: String { "README.md has no walk-through block after a <!-- walk-through: --> marker" }
    }

    @Test func theREADMEWalkThroughRunsAsWritten() async throws {
        let steps = try Self.walkThrough()
        let commands = steps.map(\.command).joined(separator: "\n")
        // The walk-through the issue asks for: deploy, in sync, SSH opened out of band, drift rated
        // HIGH, reverted, in sync, deleted with nothing left.
        #expect(commands.contains("127.0.0.1:\(Self.documentedPort)"))
        #expect(commands.contains("-act create-security-groups"))
        #expect(commands.contains("aws ec2 authorize-security-group-ingress"))
        #expect(commands.contains("-act check-drift --force"))
        #expect(commands.contains("-act delete-security-groups --force"))
        #expect(commands.contains("-act check-drift --accept-all --reason"), "the other way out: accepting wanted drift into the config")
        #expect(steps.filter { $0.command.contains("-act check-drift") }.map(\.exitCode) == [0, 3, 3, 0, 3, 0, 0])
        let makefile = try String(contentsOf: FixturePaths.project.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("LOCAL_AWS_PORT ?= \(Self.documentedPort)"), "make local-aws serves the README's port")
        #expect(makefile.contains("scripts/local-aws $(LOCAL_AWS_PORT)\n"), "and starts the script exactly so")

        // `scripts/local-aws PORT`, as `make local-aws` runs it: the configs' VPCs exist.
        let local = try await MotoServer.startDedicated(arguments: [])
        defer { local.stop() }
        let port = try #require(local.endpoint.port)
        let tool = try ToolRunner()
        defer { tool.cleanUp() }

        var script = "set +e\n"
        for (index, step) in steps.enumerated() {
            let command = step.command.replacingOccurrences(of: "127.0.0.1:\(Self.documentedPort)", with: "127.0.0.1:\(port)")
            script += "echo '@@ step \(index)'\n{ \(command)\n} 2>&1\necho \"@@ exit \(index) $?\"\n"
        }
        try tool.write(script, to: "walk-through.sh")
        let outcome = try Self.bash(["walk-through.sh"], in: tool.directory)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")

        let results = Self.results(outcome.stdout)
        #expect(results.count == steps.count, "every line ran: \(outcome.stdout)")
        for (index, step) in steps.enumerated() {
            guard let result = results[index] else { continue }
            #expect(result.exitCode == step.exitCode, "`\(step.command)` exited \(result.exitCode), not \(step.exitCode):\n\(result.output)")
            for text in step.shows {
                #expect(result.output.contains(text), "`\(step.command)` does not show \"\(text)\":\n\(result.output)")
            }
        }
        // The line after the delete counts the deployment's groups left: none.
        let count = try #require(steps.lastIndex { $0.command.contains("length(SecurityGroups)") })
        let left = try #require(results[count])
        #expect(left.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(left.output)")
        // And the walk-through leaves the bundled config as it found it.
        #expect(try tool.read("configs/globalbank-prod-c001-us-west-2.yaml") == (try String(
            contentsOf: FixturePaths.project.appendingPathComponent("configs/globalbank-prod-c001-us-west-2.yaml"), encoding: .utf8)))
    }

    /// Output and exit code per step, from the `@@` markers.
    static func results(_ stdout: String) -> [Int: (exitCode: Int32, output: String)] {
        var results: [Int: (exitCode: Int32, output: String)] = [:]
        var current: [String] = []
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@ step ") {
                current = []
            } else if line.hasPrefix("@@ exit ") {
                let parts = line.split(separator: " ")
                if parts.count == 4, let index = Int(parts[2]), let code = Int32(parts[3]) {
                    results[index] = (code, current.joined(separator: "\n"))
                }
            } else {
                current.append(String(line))
            }
        }
        return results
    }

    /// Runs bash in `directory` with the built binary first on PATH, colour off, and no AWS settings
    /// from the machine (the walk-through exports its own).
    static func bash(_ arguments: [String], in directory: URL) throws -> ToolRunner.Outcome {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("AWS_") { environment.removeValue(forKey: key) }
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        environment["NO_COLOR"] = "1"
        environment["PATH"] = ToolRunner.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return try ToolRunner.launch(URL(fileURLWithPath: "/bin/bash"), arguments, environment: environment, in: directory)
    }
}

/// `scripts/local-aws` itself: every patch documented, none silently lost, moto pinned, and the
/// behaviour the patches restore next to moto's own (the cause of issue 13's surviving groups).
@Suite(.serialized) struct LocalAWSPatchTests {
    /// Runs Python with `scripts/` on the path and `code`; exit code, stdout, stderr.
    static func python(_ code: String) throws -> ToolRunner.Outcome {
        let scripts = FixturePaths.project.appendingPathComponent("scripts")
        return try LocalAWSWalkThroughTests.bash(["-c", "exec python3 -c \"$0\"", "import sys; sys.path.insert(0, '\(scripts.path)')\n" + code],
                                                 in: FixturePaths.project)
    }

    @Test func everyPatchCitesTheDocumentationOfWhatItRestores() throws {
        let listed = try Self.python("""
            import json, moto_patches
            print(json.dumps([{"name": p.name, "restores": p.restores, "citations": p.citations} for p in moto_patches.PATCHES]))
            """)
        #expect(listed.exitCode == 0, "\(listed.stderr)")
        let patches = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let names = patches.compactMap { $0["name"] as? String }
        #expect(Set(names) == [
            "security-group-inline-rules", "security-group-update-in-place", "standalone-ingress", "standalone-egress",
            "rule-descriptions-described", "client-request-token-in-events", "update-without-changes", "termination-protection",
            "deleted-stack-stays-deleted", "custom-named-replacement-refused", "ssm-parameter-tags", "cloudtrail-event-history",
        ])
        #expect(names.count == Set(names).count)
        for patch in patches {
            let citations = patch["citations"] as? [String] ?? []
            #expect(!citations.isEmpty, "\(patch)")
            // AWS's own documentation first; GitHub threads only beside it, where AWS documents nothing.
            #expect(citations.first?.hasPrefix("https://docs.aws.amazon.com/") == true, "\(patch)")
            #expect(citations.allSatisfy { $0.hasPrefix("https://docs.aws.amazon.com/") || $0.hasPrefix("https://github.com/") }, "\(patch)")
            #expect(((patch["restores"] as? String)?.count ?? 0) > 40, "\(patch)")
        }
        // What is patched is not also listed as a remaining difference.
        #expect(Set(MotoDivergences.all.map(\.name)).isDisjoint(with: names))
    }

    @Test func aMissingTargetOrAnotherMotoStopsTheLocalAWSBeforeItServes() throws {
        let missing = try Self.python("""
            import moto.ec2.models.security_groups as groups
            del groups.SecurityGroupIngress
            import moto_patches
            try:
                moto_patches.apply_all()
            except moto_patches.PatchTargetMissing as error:
                print(error)
                sys.exit(3)
            """)
        #expect(missing.exitCode == 3, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stdout.contains("standalone-ingress: moto has no moto.ec2.models.security_groups.SecurityGroupIngress"), "\(missing.stdout)")

        let version = try Self.python("""
            import moto
            moto.__version__ = "5.3.0"
            import runpy
            sys.argv = ["local-aws", "1"]
            runpy.run_path("scripts/local-aws", run_name="__main__")
            """)
        #expect(version.exitCode == 1, "\(version.stdout)\(version.stderr)")
        #expect(version.stderr.contains(
            "local-aws: cannot start: moto 5.3.0 is installed; the patches are written for moto 5.2.1 (pip install 'moto[server]==5.2.1', or make deps)"),
            "\(version.stderr)")

        // Run as a program (its shebang), the way the README and the Makefile run it.
        let usage = try LocalAWSWalkThroughTests.bash(["-c", "exec \"$0\"", FixturePaths.localAWS.path], in: FixturePaths.project)
        #expect(usage.exitCode == 2, "a port is required: \(usage.stderr)")
        #expect(usage.stderr.contains("the following arguments are required: port"))
    }

    /// moto as installed: after the tool deletes a stack it watches by id (as AWS documents for a
    /// deleted stack), reading the deleted stack makes moto resolve its Outputs again, which creates
    /// every group they reference once more, with new ids. That was the cause of the groups that
    /// survived a "deleted" stack; the tool now says so instead of "deleted".
    @Test func onUnpatchedMotoTheDeleteCheckCatchesTheGroupsMotoBringsBack() async throws {
        let moto = try await MotoServer.startUnpatched()
        defer { moto.stop() }
        let region = "eu-west-1"
        let session = AWSSession(
            region: region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
        let ec2 = try session.ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.213.0.0/16")
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(DeploymentLifecycleTests.scenario, to: "scenarios/lifecycle.yaml")
        try tool.write("""
            company_prefix: sgtest
            environment: dev
            deployment_id: u01
            region: \(region)
            vpc_id: \(vpc.vpcID)
            vpc_cidr: 10.213.0.0/16
            scenario: lifecycle

            """, to: "configs/plain.yaml")
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        // Unpatched moto cannot create the tool's stack (it crashes on the SSM parameters' Tags), so the
        // stack is created here from the compiled template without them.
        let compiled = try tool.run(["-con", "plain", "-act", "create-prov-template", "--format", "json"], environment: environment)
        #expect(compiled.exitCode == 0, "\(compiled.stderr)")
        let stack = "sgtest-dev-u01-\(region)-sg-stack"
        var template = try #require(try JSONSerialization.jsonObject(
            with: Data(try tool.read("reports/\(stack)-template.json").utf8)) as? [String: Any])
        var resources = try #require(template["Resources"] as? [String: [String: Any]])
        for (logicalID, resource) in resources where resource["Type"] as? String == "AWS::SSM::Parameter" {
            var properties = resource["Properties"] as? [String: Any] ?? [:]
            properties.removeValue(forKey: "Tags")
            resources[logicalID]?["Properties"] = properties
        }
        template["Resources"] = resources
        let untagged = String(decoding: try JSONSerialization.data(withJSONObject: template), as: UTF8.self)
        _ = try await session.cloudFormation().createStack(CreateStackRequest(stackName: stack, templateBody: untagged))
        let before = try await ec2.describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: ["sgtest-dev-u01-\(region)"])])
        #expect(before.count == 3)

        let deleted = try tool.run(["-con", "plain", "-act", "delete-security-groups", "--force", "--no-color"], environment: environment)
        #expect(deleted.exitCode == 1, "\(deleted.stdout)\(deleted.stderr)")
        #expect(deleted.stdout.contains("DELETE_COMPLETE  AWS::CloudFormation::Stack"), "CloudFormation says it is done: \(deleted.stdout)")
        #expect(deleted.stdout.contains("delete-security-groups: sgtest-dev-u01-\(region): FAILED"))
        #expect(deleted.stderr.contains("error: 3 security groups tagged sg-provisioner:deployment=sgtest-dev-u01-\(region) remain after the delete:"),
                "\(deleted.stderr)")
        let after = try await ec2.describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: ["sgtest-dev-u01-\(region)"])])
        #expect(Set(after.map(\.groupName)) == Set(before.map(\.groupName)))
        #expect(Set(after.map(\.groupID)).isDisjoint(with: before.map(\.groupID)), "new groups under the old names: moto made them again")
        for group in after { #expect(deleted.stderr.contains(group.groupID)) }
    }

    /// The hook for adoption: a group whose resource has DeletionPolicy Retain stays when its stack
    /// is deleted (CloudFormation, and moto, keep it on purpose). The delete says so and passes.
    @Test func aGroupTheTemplateRetainsIsReportedAsRetainedNotAsAFailure() async throws {
        let moto = try await MotoServer.shared()
        let region = "eu-north-1"
        let session = AWSSession(
            region: region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
        let ec2 = try session.ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.213.0.0/16")
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let id = "r" + SecureRandom.hex(3)
        try tool.write(DeploymentLifecycleTests.scenario, to: "scenarios/lifecycle.yaml")
        try tool.write("""
            company_prefix: sgtest
            environment: dev
            deployment_id: \(id)
            region: \(region)
            vpc_id: \(vpc.vpcID)
            vpc_cidr: 10.213.0.0/16
            scenario: lifecycle

            """, to: "configs/retain.yaml")
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        // What adoption will deploy: the compiled stack with the database group retained.
        let compiled = try tool.run(["-con", "retain", "-act", "create-prov-template"], environment: environment)
        #expect(compiled.exitCode == 0, "\(compiled.stderr)")
        let stack = "sgtest-dev-\(id)-\(region)-sg-stack"
        let template = try tool.read("reports/\(stack)-template.yaml").replacingOccurrences(
            of: "  DbSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n",
            with: "  DbSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    DeletionPolicy: Retain\n")
        #expect(template.contains("DeletionPolicy: Retain"))
        _ = try await session.cloudFormation().createStack(CreateStackRequest(stackName: stack, templateBody: template))
        let db = try #require(try await ec2.describeSecurityGroups(filters: [
            EC2Filter(name: "tag:sg-provisioner:deployment", values: ["sgtest-dev-\(id)-\(region)"]), EC2Filter(name: "tag:sg-provisioner:tier", values: ["db"]),
        ]).first)

        let deleted = try tool.run(["-con", "retain", "-act", "delete-security-groups", "--force", "--no-color"], environment: environment)
        #expect(deleted.exitCode == 0, "\(deleted.stdout)\(deleted.stderr)")
        #expect(deleted.stdout.contains("retained (DeletionPolicy Retain, stack \(stack) resource DbSecurityGroup): \(db.groupID) (sgtest-dev-\(id)-db, tier db, \(vpc.vpcID))"),
                "\(deleted.stdout)")
        #expect(deleted.stdout.contains("delete-security-groups: sgtest-dev-\(id)-\(region): deleted \(stack)"))
        #expect(!deleted.stderr.contains("[E524]"))
        let left = try await ec2.describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: ["sgtest-dev-\(id)-\(region)"])])
        #expect(left.map(\.groupID) == [db.groupID], "only the retained group is left")
        try await ec2.deleteSecurityGroup(groupID: db.groupID)
        let log = try tool.reports().filter { $0.contains("delete-security-groups") }.map { try tool.read("reports/\($0)") }.joined()
        #expect(log.contains("deletion check: retained \(db.groupID)"), "\(log)")
    }
}
