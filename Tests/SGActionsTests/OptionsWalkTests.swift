import Foundation
import SGAWS
import SGCrypto
import SGTestSupport
import Testing

/// Every option `--help` lists changes what the tool does: for each one, two runs of the built
/// binary that differ only by that option, and what differs between them. A new option without an
/// experiment here fails `everyOptionInHelpHasAnExperiment`.
@Suite(.serialized) struct OptionsWalkTests {
    typealias Outcome = ToolRunner.Outcome

    /// The first spelling of every option in `--help`'s OPTIONS section (`-con` for `-con, --con, --config`).
    static func optionsInHelp() throws -> [String] {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let help = try tool.run(["--help"])
        guard let start = help.stdout.range(of: "OPTIONS:\n") else { return [] }
        return help.stdout[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  -") else { return nil }
            return String(line.dropFirst(2).prefix { $0 != "," && $0 != " " })
        }
    }

    /// No region, profile or credentials from the machine running the tests.
    static let isolated = [
        "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
        "AWS_ENDPOINT_URL": "",
    ]
    /// Credentials and a region, pointed at a port nothing listens on: any AWS call fails with E605.
    static let unreachable = isolated.merging([
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    ]) { $1 }

    static func moto() async throws -> [String: String] {
        let endpoint = try await MotoServer.shared().endpoint.absoluteString
        return isolated.merging(["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": endpoint]) { $1 }
    }

    static let fixtures = ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures")
    static let globalbank = "globalbank-prod-c001-us-west-2"

    /// Runs a tool twice in one scratch project, without and with the option's arguments.
    static func pair(
        _ base: [String], adding extra: [String], environment: [String: String] = isolated, prepare: (ToolRunner) throws -> Void = { _ in }
    ) throws -> (without: Outcome, with: Outcome, tool: ToolRunner) {
        let tool = try ToolRunner()
        try prepare(tool)
        let without = try tool.run(base, environment: environment)
        let with = try tool.run(base + extra, environment: environment)
        return (without, with, tool)
    }

    static let experiments: [String] = [
        "-con", "-act", "--force", "--fail-on", "--output", "--format", "--quiet", "--debug", "--no-color", "--today",
        "--configs-dir", "--scenarios-dir", "--reports-dir", "--profile", "--region", "--endpoint-url", "--snapshot",
        "--template", "--allow-unresolved", "--keep", "--remote", "--approved-report", "--disable-termination-protection",
        "--timeout", "--vpc-id", "--tag-filter", "--company-prefix", "--environment", "--deployment-id", "--version", "-h", "--jobs",
        "--accept", "--accept-all", "--reason", "--expires", "--no-cloudtrail", "--lookback-days",
        "--max-concurrent", "--failure-tolerance", "--account-rate", "--adopt",
    ]

    /// check-drift over the drifted globalbank snapshot, judged on a fixed day.
    static let driftedSnapshot: [String] = ["-con", globalbank, "-act", "check-drift", "--snapshot", "snapshots/drifted.json", "--today", "2026-05-06"]
    static func copySnapshot(_ tool: ToolRunner) throws {
        try tool.write(try String(contentsOf: fixtures.appendingPathComponent("drift/globalbank-drifted.json"), encoding: .utf8), to: "snapshots/drifted.json")
    }
    static let configPath = "configs/\(globalbank).yaml"

    /// A live deployment on the local AWS with one rule added by hand: check-drift has a group to search CloudTrail for.
    static func liveDrift() async throws -> (tool: ToolRunner, environment: [String: String]) {
        let moto = try await MotoServer.shared()
        let ec2 = try LiveGroups.ec2(moto)
        let tool = try ToolRunner()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let fixtures = FixturePaths.root.appendingPathComponent("drift")
        try tool.write(try String(contentsOf: fixtures.appendingPathComponent("live-scenario.yaml"), encoding: .utf8), to: "scenarios/drift-live.yaml")
        try tool.write(try String(contentsOf: fixtures.appendingPathComponent("live-config.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "vpc-00000000000000000", with: vpc.vpcID), to: "configs/drift-test-l01-us-west-2.yaml")
        let ids = try await LiveGroups.deploy(try LiveGroups.deployment(in: tool, config: "drift-test-l01-us-west-2"), vpcID: vpc.vpcID, ec2: ec2)
        _ = try await ec2.authorizeSecurityGroupIngress(groupID: try #require(ids["svc"]), permissions: [
            IPPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, ipv4Ranges: [SecurityGroupRange("10.0.3.0/24")]),
        ])
        return (tool, LiveGroups.environment(moto))
    }

    static func cloudTrailSearch(_ outcome: Outcome) -> [String: Any] {
        let document = (try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))) as? [String: Any]
        return document?["cloudtrail"] as? [String: Any] ?? [:]
    }

    /// A project with a config whose targets are 3 accounts x 2 regions of the local AWS.
    static func fleetProject() async throws -> (FleetEndToEndTests.Fleet, ToolRunner, String) {
        let fleet = try await FleetEndToEndTests.fleet()
        let tool = try ToolRunner()
        let id = "o" + SecureRandom.hex(3)
        try tool.write(FleetEndToEndTests.config(id: id, fleet), to: "configs/fleet.yaml")
        return (fleet, tool, "fleettest-prod-\(id)")
    }

    @Test func everyOptionInHelpHasAnExperiment() throws {
        let listed = try Self.optionsInHelp()
        #expect(listed.count > 20, "could not read the options from --help")
        #expect(Set(listed) == Set(Self.experiments), "in --help only: \(Set(listed).subtracting(Self.experiments)); stale: \(Set(Self.experiments).subtracting(listed))")
    }

    @Test(arguments: experiments)
    func theOptionChangesWhatTheToolDoes(option: String) async throws {
        switch option {
        case "-con":
            let (without, with, tool) = try Self.pair(["-act", "validate-prov-template"], adding: ["-con", Self.globalbank])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2 && without.stderr.contains("validate-prov-template needs -con CONFIG"), "\(without.stderr)")
            #expect(with.exitCode == 0 && with.stdout.contains("PASSED"))

        case "-act":
            let (without, with, tool) = try Self.pair([], adding: ["-act", "list-actions"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2)
            #expect(with.exitCode == 0 && with.stdout.contains("audit-security-groups"))

        case "--force":
            let snapshot = Self.fixtures.appendingPathComponent("audit/snapshot.json").path
            let (without, with, tool) = try Self.pair(["-con", Self.globalbank, "-act", "check-drift", "--snapshot", snapshot], adding: ["--force"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 3, "the snapshot lacks the deployment's groups: drift")
            #expect(with.exitCode == 1 && with.stderr.contains("[E521]"), "--force would revert, which a snapshot cannot")

        case "--fail-on":
            let template = Self.fixtures.appendingPathComponent("audit/default-egress.yaml").path
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups", "--template", template], adding: ["--fail-on", "medium"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 0 && with.exitCode == 1)

        case "--output":
            let (without, with, tool) = try Self.pair(["-con", Self.globalbank, "-act", "validate-prov-template"], adding: ["--output", "json"])
            defer { tool.cleanUp() }
            #expect((try? JSONSerialization.jsonObject(with: Data(without.stdout.utf8))) == nil)
            #expect((try JSONSerialization.jsonObject(with: Data(with.stdout.utf8)) as? [String: Any])?["passed"] as? Bool == true)

        case "--format":
            let (_, _, tool) = try Self.pair(["-con", Self.globalbank, "-act", "create-prov-template"], adding: ["--format", "json"])
            defer { tool.cleanUp() }
            let reports = try tool.reports()
            #expect(reports.contains("\(Self.globalbank)-sg-stack-template.yaml") && reports.contains("\(Self.globalbank)-sg-stack-template.json"))
            #expect(try tool.read("reports/\(Self.globalbank)-sg-stack-template.json").hasPrefix("{"))

        case "--quiet":
            let (without, with, tool) = try Self.pair(["-con", Self.globalbank, "-act", "validate-prov-template"], adding: ["--quiet"])
            defer { tool.cleanUp() }
            #expect(!without.stdout.isEmpty && with.stdout.isEmpty && with.exitCode == 0)

        case "--debug":
            let environment = try await Self.moto()
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups", "--region", "eu-west-1"], adding: ["--debug"], environment: environment)
            defer { tool.cleanUp() }
            #expect(!without.stderr.contains("aws: ec2 DescribeSecurityGroups"))
            #expect(with.stderr.contains("aws: ec2 DescribeSecurityGroups"), "\(with.stderr)")
            #expect(!with.stderr.contains("testing"), "no secret in the debug output")

        case "--no-color":
            // Colour needs a terminal: `script` gives the tool one.
            let tool = try ToolRunner()
            defer { tool.cleanUp() }
            func onTerminal(_ extra: String) throws -> String {
                let command = "\(ToolRunner.binary.path) -con acme-dev-d001-eu-west-1 -act validate-prov-template --today 2027-01-01 \(extra)"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
                process.arguments = ["-qec", command, "/dev/null"]
                process.currentDirectoryURL = tool.directory
                var environment = ProcessInfo.processInfo.environment
                environment.removeValue(forKey: "NO_COLOR")
                environment["TERM"] = "xterm"
                process.environment = environment
                let out = Pipe()
                process.standardOutput = out
                process.standardInput = FileHandle.nullDevice
                try process.run()
                let data = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
            let coloured = try onTerminal(""), plain = try onTerminal("--no-color")
            #expect(coloured.contains("\u{1B}["), "a terminal gets colour")
            #expect(!plain.contains("\u{1B}[") && plain.contains("SG-WORLD-ADMIN"))

        case "--today":
            let (without, with, tool) = try Self.pair(["-con", "acme-dev-d001-eu-west-1", "-act", "validate-prov-template"], adding: ["--today", "2028-01-01"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 0, "the accepted break-glass risk holds until 2027-03-31")
            #expect(with.exitCode == 1, "on 2028-01-01 it has expired and SG-WORLD-ADMIN counts again")

        case "--configs-dir":
            let (without, with, tool) = try Self.pair(["-con", "elsewhere", "-act", "validate-prov-template"], adding: ["--configs-dir", "other-configs"]) { tool in
                try tool.write(try tool.read("configs/\(Self.globalbank).yaml"), to: "other-configs/elsewhere.yaml")
            }
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && with.exitCode == 0)

        case "--scenarios-dir":
            let (without, with, tool) = try Self.pair(["-con", "moved", "-act", "validate-prov-template"], adding: ["--scenarios-dir", "other-scenarios"]) { tool in
                try tool.write(try tool.read("configs/\(Self.globalbank).yaml").replacingOccurrences(of: "scenario: three-tier-web", with: "scenario: moved-tiers"), to: "configs/moved.yaml")
                try tool.write(try tool.read("scenarios/three-tier-web.yaml").replacingOccurrences(of: "name: three-tier-web", with: "name: moved-tiers"), to: "other-scenarios/moved-tiers.yaml")
            }
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && with.exitCode == 0, "\(with.stderr)")

        case "--reports-dir":
            let (_, _, tool) = try Self.pair(["-con", Self.globalbank, "-act", "create-prov-template"], adding: ["--reports-dir", "elsewhere"])
            defer { tool.cleanUp() }
            let elsewhere = try FileManager.default.contentsOfDirectory(atPath: tool.directory.appendingPathComponent("elsewhere").path)
            #expect(elsewhere.contains("\(Self.globalbank)-sg-stack-template.yaml"))

        case "--profile":
            let environment = try await Self.moto()
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups"], adding: ["--profile", "walk"],
                                                      environment: environment.merging(["AWS_CONFIG_FILE": "aws-config"]) { $1 }) { tool in
                // A named profile brings its own keys: like the AWS CLI, --profile ignores the environment's.
                try tool.write("[profile walk]\nregion = eu-west-1\naws_access_key_id = walk\naws_secret_access_key = walk\n", to: "aws-config")
            }
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E604]"), "no region without the profile")
            #expect(!with.stderr.contains("[E604]") && with.stdout.contains("aws:eu-west-1"), "\(with.stderr)")

        case "--region":
            let environment = try await Self.moto()
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups"], adding: ["--region", "eu-west-1"], environment: environment)
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E604]"))
            #expect(with.stdout.contains("audit-security-groups: aws:eu-west-1"), "\(with.stderr)")

        case "--endpoint-url":
            let endpoint = try await MotoServer.shared().endpoint.absoluteString
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups"], adding: ["--endpoint-url", endpoint], environment: Self.unreachable)
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E605]"), "AWS_ENDPOINT_URL points nowhere")
            #expect(!with.stderr.contains("[E605]") && with.stdout.contains("aws:eu-west-1"), "\(with.stderr)")

        case "--snapshot":
            let snapshot = Self.fixtures.appendingPathComponent("audit/snapshot.json").path
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups"], adding: ["--snapshot", snapshot])
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E604]"), "without a source the audit is live")
            #expect(with.stdout.contains("SG-WORLD-DB") && !with.stderr.contains("[E604]"))

        case "--template":
            let template = Self.fixtures.appendingPathComponent("audit/range-hides-postgres.yaml").path
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups"], adding: ["--template", template])
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E604]"))
            #expect(with.stdout.contains("SG-WORLD-DB") && !with.stderr.contains("[E604]"))

        case "--allow-unresolved":
            let template = Self.fixtures.appendingPathComponent("audit/unresolved-cidr.yaml").path
            let (without, with, tool) = try Self.pair(["-act", "audit-security-groups", "--template", template, "--fail-on", "critical"], adding: ["--allow-unresolved"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && with.exitCode == 0)

        case "--keep":
            let moto = try await MotoServer.shared()
            let deploy = try await WireFaultTests.prepareDeploy(moto)
            defer { deploy.tool.cleanUp() }
            let environment = try await Self.moto()
            let without = try deploy.tool.run(["-con", "wire", "-act", "test-deploy"], environment: environment)
            let with = try deploy.tool.run(["-con", "wire", "-act", "test-deploy", "--keep"], environment: environment)
            #expect(without.exitCode == 0 && with.exitCode == 0, "\(without.stdout)\n\(without.stderr)\n\(with.stderr)")
            let live = try await deploy.cloudFormation.describeStacks()
                .filter { $0.stackName.hasPrefix(deploy.stack + "-test-") && $0.status.rawValue != "DELETE_COMPLETE" }.map(\.stackName)
            #expect(without.stdout.contains("deleting stack \(deploy.stack)-test-") && !with.stdout.contains("deleting stack"))
            #expect(live.count == 1, "only the --keep run leaves its test stack: \(live)")

        case "--remote":
            let (without, with, tool) = try Self.pair(["-con", Self.globalbank, "-act", "validate-prov-template"], adding: ["--remote"], environment: Self.unreachable)
            defer { tool.cleanUp() }
            #expect(without.exitCode == 0, "no AWS call without --remote")
            // The first AWS call of every live action identifies the caller.
            #expect(with.exitCode == 1 && with.stderr.contains("identifying the caller (sts:GetCallerIdentity)") && with.stderr.contains("[E605]"),
                    "\(with.stderr)")

        case "--approved-report":
            let (without, with, tool) = try Self.pair(["-con", Self.globalbank, "-act", "create-security-groups"], adding: ["--approved-report", "approved.json"],
                                                      environment: Self.unreachable) { tool in
                // A real review report, but for another deployment: it approves none of these stacks.
                #expect(try tool.run(["-con", "acme-dev-d001-eu-west-1", "-act", "create-review-report"]).exitCode == 0)
                try tool.write(try tool.read("reports/acme-dev-d001-eu-west-1-review-report.json"), to: "approved.json")
            }
            defer { tool.cleanUp() }
            #expect(without.stderr.contains("[E605]"), "without it the deploy goes on to AWS")
            #expect(with.stderr.contains("[E519]") && !with.stderr.contains("[E605]"), "a template the report did not approve stops before any AWS call: \(with.stderr)")

        case "--disable-termination-protection":
            let moto = try await MotoServer.shared()
            let deploy = try await WireFaultTests.prepareDeploy(moto)
            defer { deploy.tool.cleanUp() }
            let environment = try await Self.moto()
            #expect(try deploy.tool.run(["-con", "wire", "-act", "create-security-groups"], environment: environment).exitCode == 0)
            try await deploy.cloudFormation.updateTerminationProtection(stackName: deploy.stack, enabled: true)
            let without = try deploy.tool.run(["-con", "wire", "-act", "delete-security-groups", "--force"], environment: environment)
            let with = try deploy.tool.run(["-con", "wire", "-act", "delete-security-groups", "--force", "--disable-termination-protection"], environment: environment)
            #expect(without.exitCode == 1 && without.stderr.contains("[E515]"), "\(without.stderr)")
            #expect(with.exitCode == 0 && with.stdout.contains("termination protection disabled"), "\(with.stdout)\n\(with.stderr)")
            let left = try await deploy.cloudFormation.describeStack(deploy.stack)
            #expect(left == nil || left?.status.rawValue == "DELETE_COMPLETE", "the stack is gone")

        case "--adopt":
            // An imported config: refused without it (E547), taken in by resource import with it
            // (EC2 on the local AWS, CloudFormation on the stub, as in AdoptionEndToEndTests).
            let peer = try await AdoptionEndToEndTests.peer()
            defer { peer.stub.stop() }
            let groups = try await AdoptionEndToEndTests.handMade(peer.ec2)
            let name = "shop-dev-o\(UUID().uuidString.prefix(6).lowercased())-us-east-1"
            let (without, with, tool) = try Self.pair(["-con", name, "-act", "create-security-groups"], adding: ["--adopt"], environment: peer.environment) { tool in
                let imported = try tool.run(["-con", name, "-act", "import-security-groups", "--vpc-id", groups.vpc], environment: peer.environment)
                #expect(imported.exitCode == 0, "\(imported.stderr)")
            }
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && without.stderr.contains("Add --adopt to take them into the stack"), "\(without.stderr)")
            #expect(with.exitCode == 0 && with.stdout.hasSuffix("\(name)-sg-stack imported, updated; OK\n"), "\(with.stdout)\n\(with.stderr)")

        case "--timeout":
            // A stack that never finishes (the proxy reports moto's CREATE_COMPLETE as in progress):
            // a 3-second limit stops watching after one poll; the default 30 minutes still waits.
            let moto = try await MotoServer.shared()
            let deploy = try await WireFaultTests.prepareDeploy(moto), other = try await WireFaultTests.prepareDeploy(moto)
            defer { deploy.tool.cleanUp(); other.tool.cleanUp() }
            let proxy = try FaultProxy.start(upstream: moto.endpoint, rules: [.init("DescribeStacks", .inProgress, times: -1, after: "CreateStack")])
            defer { proxy.stop() }
            let environment = WireFaultTests.environment(proxy)
            let limited = try RunningTool.start(deploy.tool, ["-con", "wire", "-act", "create-security-groups", "--timeout", "0.05"], environment: environment)
            let unlimited = try RunningTool.start(other.tool, ["-con", "wire", "-act", "create-security-groups"], environment: environment)
            let with = try await limited.finish(timeout: 30)
            #expect(with.exitCode == 1 && with.stderr.contains("is still CREATE_IN_PROGRESS after 0.05 minute(s) (--timeout)"), "\(with.stderr)")
            #expect(unlimited.process.isRunning, "with the default 30 minutes the tool is still waiting")
            unlimited.interrupt()
            _ = try await unlimited.finish(timeout: 20)

        case "--version":
            let (without, with, tool) = try Self.pair([], adding: ["--version"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2)
            #expect(with.exitCode == 0 && with.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)

        case "-h":
            let (without, with, tool) = try Self.pair([], adding: ["-h"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2)
            #expect(with.exitCode == 0 && with.stdout.contains("OPTIONS:"))

        case "--vpc-id":
            // A snapshot of two VPCs: one config describes one, --vpc-id chooses.
            let snapshot = try String(contentsOf: Self.fixtures.appendingPathComponent("import/handmade-vpc.json"), encoding: .utf8)
                .replacingOccurrences(
                    of: #""GroupName": "web-front-copy",\#n      "Description": "Second group with the same Name tag",\#n      "OwnerId": "111122223333",\#n      "VpcId": "vpc-0a1b2c3d4e5f60001""#,
                    with: #""GroupName": "web-front-copy",\#n      "Description": "Second group with the same Name tag",\#n      "OwnerId": "111122223333",\#n      "VpcId": "vpc-0a1b2c3d4e5f60002""#)
            let (without, with, tool) = try Self.pair(
                ["-con", "acme-prod-d001-us-east-1", "-act", "import-security-groups", "--snapshot", "two-vpcs.json"],
                adding: ["--vpc-id", "vpc-0a1b2c3d4e5f60001"], prepare: { try $0.write(snapshot, to: "two-vpcs.json") })
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && without.stderr.contains("[E544]"), "\(without.stderr)")
            #expect(with.exitCode == 0 && with.stdout.contains(": 3 tiers (3 adopted groups)"), "\(with.stdout)\n\(with.stderr)")

        case "--tag-filter":
            let snapshot = Self.fixtures.appendingPathComponent("import/handmade-vpc.json").path
            // --force: the second run replaces the first one's files.
            let (without, with, tool) = try Self.pair(
                ["-con", "acme-prod-d001-us-east-1", "-act", "import-security-groups", "--snapshot", snapshot, "--force"],
                adding: ["--tag-filter", "team=web"])
            defer { tool.cleanUp() }
            #expect(without.stdout.contains(": 5 tiers (5 adopted groups)"), "\(without.stdout)")
            #expect(with.stdout.contains(": 1 tier (1 adopted group)"), "\(with.stdout)")

        case "--company-prefix", "--environment", "--deployment-id":
            // A config name that is no identity: the three flags (and --region) give it.
            let snapshot = Self.fixtures.appendingPathComponent("import/handmade-vpc.json").path
            let flags = ["--company-prefix": "acme", "--environment": "prod", "--deployment-id": "legacy"]
            let others = flags.filter { $0.key != option }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
            let (without, with, tool) = try Self.pair(
                ["-con", "legacy-vpc", "-act", "import-security-groups", "--snapshot", snapshot, "--region", "us-east-1"] + others,
                adding: [option, flags[option]!])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && without.stderr.contains("give \(option): the config name does not give them"), "\(without.stderr)")
            #expect(with.exitCode == 0 && with.stdout.contains("import-security-groups: acme-prod-legacy-us-east-1: wrote configs/legacy-vpc.yaml"), "\(with.stdout)\n\(with.stderr)")

        case "--jobs":
            // How many deployments run at once: the output is the same whatever the number (that is
            // the point, ManyConfigsTests.outputIsTheSameWhateverTheNumberOfJobs); an impossible
            // number is a usage error.
            let (without, with, tool) = try Self.pair(["-con", "configs", "-act", "validate-prov-template", "--today", "2027-01-01"], adding: ["--jobs", "1"])
            defer { tool.cleanUp() }
            #expect(without.exitCode == 0 && with.exitCode == 0)
            #expect(without.stdout == with.stdout && with.stdout.hasSuffix("4 deployments: 4 passed\n"), "\(with.stdout)")
            let zero = try tool.run(["-con", "configs", "-act", "validate-prov-template", "--jobs", "0"])
            #expect(zero.exitCode == 2 && zero.stderr.contains("--jobs must be between 1 and 64"))

        case "--accept":
            let (without, with, tool) = try Self.pair(Self.driftedSnapshot, adding: ["--accept", "3b6adf82ff69b662b2a8473150da5d15", "--reason", "DBA-3"], prepare: Self.copySnapshot)
            defer { tool.cleanUp() }
            #expect(without.exitCode == 3 && !without.stdout.contains("accepted into"))
            #expect(with.exitCode == 3 && with.stdout.contains("accepted into \(Self.configPath): 1 change"), "\(with.stdout)\n\(with.stderr)")
            #expect(try tool.read(Self.configPath).contains("description: \"PostgreSQL from app\""))

        case "--accept-all":
            let (without, with, tool) = try Self.pair(Self.driftedSnapshot + ["--reason", "SEC-9"], adding: ["--accept-all", "--expires", "2026-06-30"], prepare: Self.copySnapshot)
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2 && without.stderr.contains("--reason is used with --accept or --accept-all"))
            #expect(with.exitCode == 3 && with.stdout.contains("accepted into \(Self.configPath): 3 changes, 1 accepted risk"), "\(with.stdout)\n\(with.stderr)")

        case "--reason":
            let (without, with, tool) = try Self.pair(Self.driftedSnapshot + ["--accept", "3b6adf82ff69b662b2a8473150da5d15"], adding: ["--reason", "DBA-3"], prepare: Self.copySnapshot)
            defer { tool.cleanUp() }
            #expect(without.exitCode == 2 && without.stderr.contains("--accept needs --reason TEXT"))
            #expect(with.exitCode == 3)
            #expect(try tool.read(Self.configPath).contains("DBA-3 (accepted drift on 2026-05-06"))

        case "--expires":
            let (without, with, tool) = try Self.pair(Self.driftedSnapshot + ["--accept", "615471b0da30a145bc029b572ba67bac", "--reason", "SEC-9"], adding: ["--expires", "2026-06-30"], prepare: Self.copySnapshot)
            defer { tool.cleanUp() }
            #expect(without.exitCode == 1 && without.stderr.contains("[E553]"))
            #expect(with.exitCode == 3, "\(with.stderr)")
            #expect(try tool.read(Self.configPath).contains("expires: 2026-06-30"))

        case "--no-cloudtrail":
            let (tool, environment) = try await Self.liveDrift()
            defer { tool.cleanUp() }
            let base = ["-con", "drift-test-l01-us-west-2", "-act", "check-drift", "--output", "json"]
            let without = try tool.run(base, environment: environment), with = try tool.run(base + ["--no-cloudtrail"], environment: environment)
            #expect(without.exitCode == 3 && with.exitCode == 3)
            #expect(Self.cloudTrailSearch(without)["outcome"] as? String == "searched" && Self.cloudTrailSearch(without)["calls"] as? Int == 1)
            #expect(Self.cloudTrailSearch(with)["outcome"] as? String == "skipped" && Self.cloudTrailSearch(with)["calls"] as? Int == 0)

        case "--lookback-days":
            let (tool, environment) = try await Self.liveDrift()
            defer { tool.cleanUp() }
            let base = ["-con", "drift-test-l01-us-west-2", "-act", "check-drift", "--output", "json"]
            let without = try tool.run(base, environment: environment), with = try tool.run(base + ["--lookback-days", "7"], environment: environment)
            #expect(Self.cloudTrailSearch(without)["lookback_days"] as? Int == 90)
            #expect(Self.cloudTrailSearch(with)["lookback_days"] as? Int == 7)
        case "--max-concurrent":
            // The StackSet operations' preferences: MaxConcurrentCount, and the concurrency mode it needs.
            let (fleet, tool, name) = try await Self.fleetProject()
            defer { tool.cleanUp() }
            let without = try tool.run(["-con", "fleet", "-act", "create-security-groups"], environment: fleet.environment)
            #expect(try tool.run(["-con", "fleet", "-act", "delete-security-groups", "--force"], environment: fleet.environment).exitCode == 0)
            let with = try tool.run(["-con", "fleet", "-act", "create-security-groups", "--max-concurrent", "3"], environment: fleet.environment)
            #expect(without.exitCode == 0 && with.exitCode == 0, "\(without.stderr)\(with.stderr)")
            let logs = try tool.reports().filter { $0.hasPrefix("\(name)-us-east-1-sg-create-security-groups-") }.sorted()
            #expect(logs.count == 2)
            #expect(try tool.read("reports/\(logs[0])").contains("(max concurrent 1, failure tolerance 0, STRICT_FAILURE_TOLERANCE)"))
            #expect(try tool.read("reports/\(logs[1])").contains("(max concurrent 3, failure tolerance 0, SOFT_FAILURE_TOLERANCE)"))
            _ = try tool.run(["-con", "fleet", "-act", "delete-security-groups", "--force"], environment: fleet.environment)

        case "--failure-tolerance":
            // The first instance's operation cannot be started (throttled past every retry): with no
            // tolerance no other instance is attempted; with one failure tolerated the rest go ahead.
            let (fleet, tool, _) = try await Self.fleetProject()
            defer { tool.cleanUp() }
            let throttleFirst = [FaultProxy.Rule("CreateStackInstances", .throttle, times: 5)]
            let proxy = try FaultProxy.start(upstream: fleet.moto.endpoint, rules: throttleFirst)
            defer { proxy.stop() }
            var environment = fleet.environment
            environment["AWS_ENDPOINT_URL"] = proxy.endpoint.absoluteString
            let without = try tool.run(["-con", "fleet", "-act", "create-security-groups"], environment: environment)
            try await proxy.setRules(throttleFirst)
            let with = try tool.run(["-con", "fleet", "-act", "create-security-groups", "--force", "--failure-tolerance", "1"], environment: environment)
            let first = "\(fleet.vpcs[0].account)/\(fleet.vpcs[0].region)"
            #expect(without.exitCode == 1 && without.stdout.contains("failed     \(first): create: FAILED"), "\(without.stdout)")
            #expect(without.stdout.contains("6 instances: 0 succeeded, 6 failed") && without.stdout.components(separatedBy: "NOT ATTEMPTED").count == 6)
            #expect(with.exitCode == 1 && with.stdout.contains("6 instances: 5 succeeded, 1 failed"), "\(with.stdout)")
            _ = try tool.run(["-con", "fleet", "-act", "delete-security-groups", "--force"], environment: fleet.environment)

        case "--account-rate":
            // Requests per second per target account: at 1, the second request in an account waits.
            let (fleet, tool, name) = try await Self.fleetProject()
            defer { tool.cleanUp() }
            let without = try tool.run(["-con", "fleet", "-act", "check-drift"], environment: fleet.environment)
            let with = try tool.run(["-con", "fleet", "-act", "check-drift", "--account-rate", "1"], environment: fleet.environment)
            #expect(without.exitCode == 3 && with.exitCode == 3, "nothing deployed: every group is missing")
            let logs = try tool.reports().filter { $0.hasPrefix("\(name)-us-east-1-sg-check-drift-") }.sorted()
            #expect(logs.count == 2)
            #expect(!(try tool.read("reports/\(logs[0])")).contains("for the account's rate limit"))
            #expect(try tool.read("reports/\(logs[1])").contains("request(s) waited"))
            let zero = try tool.run(["-con", "fleet", "-act", "check-drift", "--account-rate", "0"])
            #expect(zero.exitCode == 2 && zero.stderr.contains("--account-rate must be more than 0"))

        default:
            Issue.record("no experiment for \(option)")
        }
    }
}
