import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// `targets:`: each target checked like a single deployment's region, vpc_id and vpc_cidr, and the
/// set as a whole; exact codes, messages and locations.
@Suite struct TargetConfigTests {
    /// The base config without vpc_id (five lines), `extra`, then `targets:` with `items`, one per
    /// line (the first on line 7 without `extra`).
    static func fleet(_ items: [String], extra: String = "", drop: String = "vpc_id") -> String {
        config(drop, nil, append: extra + "targets:\n" + items.map { "  - \($0)\n" }.joined())
    }

    static let one = #"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#
    static let two = #"{ account: "111122223333", region: eu-west-1, vpc_id: vpc-0a1b2c3e, vpc_cidr: 10.2.0.0/16 }"#

    @Test func targetsLoadInOrderWithTheirVPCsAndTheDefaultRole() throws {
        let input = InputCase("two targets", config: Self.fleet([Self.one, Self.two]))
        input.check()
        let deployment = try #require(makeLoader(input.files).load(config: "c").deployment)
        #expect(deployment.isFleet)
        #expect(deployment.config.targets.map(\.label) == ["111122223333/us-east-1", "111122223333/eu-west-1"])
        #expect(deployment.config.targets.map(\.vpcID) == ["vpc-0a1b2c3d", "vpc-0a1b2c3e"])
        #expect(deployment.config.targets.map { $0.vpcCIDR.description } == ["10.1.0.0/16", "10.2.0.0/16"])
        #expect(deployment.config.targets[1].location.line == 8)
        #expect(deployment.config.targetRole == DeploymentTarget.defaultRoleName)
        #expect(deployment.config.stackSetExecutionRole == nil)
        #expect(deployment.identity.stackSetName == "globalbank-prod-c001-sg-stackset")
        // A target sees the deployment in its own region and VPC.
        let local = deployment.forTarget(deployment.config.targets[1])
        #expect(local.identity.qualifiedName == "globalbank-prod-c001-eu-west-1")
        #expect(local.config.vpcID == "vpc-0a1b2c3e" && local.config.vpcCIDR?.description == "10.2.0.0/16")
    }

    @Test func rolesAreRead() throws {
        let input = InputCase("roles", config: Self.fleet([Self.one], extra: "target_role: ops-readonly\nstackset_execution_role: sg-stackset-exec\n"))
        input.check()
        let deployment = try #require(makeLoader(input.files).load(config: "c").deployment)
        #expect(deployment.config.targetRole == "ops-readonly")
        #expect(deployment.config.stackSetExecutionRole == "sg-stackset-exec")
        #expect(deployment.config.targets[0].roleARN("ops-readonly") == "arn:aws:iam::111122223333:role/ops-readonly")
    }

    @Test func accountsKeepTheirLeadingZerosUnquoted() throws {
        let input = InputCase("leading zero", config: Self.fleet(["{ account: 012345678901, region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"]))
        input.check()
        #expect(try #require(makeLoader(input.files).load(config: "c").deployment).config.targets[0].account == "012345678901")
    }

    static let cases: [InputCase] = [
        InputCase("no vpc_id and no targets", config: config("vpc_id", nil),
                  Expected("E206", "config is missing required key 'vpc_id'", line: 1)),
        InputCase("empty targets", config: config("vpc_id", nil, append: "targets: []\n"),
                  Expected("E240", "targets is empty; list at least one {account, region, vpc_id, vpc_cidr}, or remove the key", line: 6, at: "[")),
        InputCase("targets not a list", config: config("vpc_id", nil, append: "targets: {account: 1}\n"),
                  Expected("E207", "expected a sequence for targets, found a mapping", line: 6, at: "{")),
        InputCase("short account", config: fleet([#"{ account: "12345", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E241", "invalid account '12345': an AWS account id is 12 digits", line: 7, at: "\"12345")),
        InputCase("account with letters", config: fleet([#"{ account: 11112222333x, region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E241", "invalid account '11112222333x': an AWS account id is 12 digits", line: 7, at: "1111")),
        InputCase("target region typo", config: fleet([#"{ account: "111122223333", region: eu-wset-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E213", "unknown AWS region 'eu-wset-1'; did you mean 'eu-west-1'?", line: 7, at: "eu-wset")),
        InputCase("target in another partition", config: fleet([#"{ account: "111122223333", region: cn-north-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E240", "target region cn-north-1 is in partition aws-cn, the administration region us-west-2 in aws; a StackSet deploys within one partition", line: 7, at: "cn-north")),
        InputCase("target vpc id", config: fleet([#"{ account: "111122223333", region: us-east-1, vpc_id: vpc-XYZ, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E214", "invalid vpc_id 'vpc-XYZ': expected 'vpc-' followed by 8 or 17 lowercase hex digits", line: 7, at: "vpc-XYZ")),
        InputCase("target vpc cidr too wide", config: fleet([#"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.0.0.0/8 }"#]),
                  Expected("E215", "invalid vpc_cidr '10.0.0.0/8': a VPC's block is /16 to /28, found /8", line: 7, at: "10.0.0.0/8")),
        InputCase("target vpc cidr public", config: fleet([#"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 52.94.0.0/16 }"#]),
                  Expected("W202", "vpc_cidr 52.94.0.0/16 is public address space (65,536 internet addresses); sources inside it are judged internal, so make sure the VPC really owns it", line: 7, at: "52.")),
        InputCase("target missing vpc_cidr", config: fleet([#"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3d }"#]),
                  Expected("E206", "target is missing required key 'vpc_cidr'", line: 7, at: "{")),
        InputCase("target unknown key", config: fleet([#"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16, ou: ou-1 }"#]),
                  Expected("E205", "unknown key 'ou' in target", line: 7, at: "ou:")),
        InputCase("same account and region twice", config: fleet([one, #"{ account: "111122223333", region: us-east-1, vpc_id: vpc-0a1b2c3f, vpc_cidr: 10.3.0.0/16 }"#]),
                  Expected("E242", "target 111122223333/us-east-1 is listed twice; a StackSet has one instance per account and region", line: 8, at: "{")),
        InputCase("same vpc twice", config: fleet([one, #"{ account: "444455556666", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#]),
                  Expected("E242", "vpc_id vpc-0a1b2c3d is already the VPC of target 111122223333/us-east-1; a VPC belongs to one account and region", line: 8, at: "{")),
        InputCase("vpc_id beside targets", config: fleet([one], drop: "nothing"),
                  Expected("E243", "vpc_id is for a deployment of one stack; with targets, each target names its own vpc_id", line: 5, at: "vpc_id")),
        InputCase("vpc_cidr beside targets", config: fleet([one], extra: "vpc_cidr: 10.9.0.0/16\n"),
                  Expected("E243", "vpc_cidr is for a deployment of one stack; with targets, each target names its own vpc_cidr", line: 6, at: "vpc_cidr")),
        InputCase("adopted_groups beside targets", config: fleet([one], extra: "adopted_groups:\n  web: { group_id: sg-0a1b2c3d, group_name: w, group_description: w }\n"),
                  Expected("E243", "adopted_groups names existing groups of one account and VPC; a deployment with targets creates its groups in every target", line: 6, at: "adopted_groups")),
        InputCase("target_role without targets", config: config(append: "target_role: ops\n"),
                  Expected("E243", "target_role applies only to a deployment with targets", line: 7, at: "target_role")),
        InputCase("stackset_execution_role without targets", config: config(append: "stackset_execution_role: ops\n"),
                  Expected("E243", "stackset_execution_role applies only to a deployment with targets", line: 7, at: "stackset_execution_role")),
        InputCase("role given as an ARN", config: fleet([one], extra: "target_role: arn:aws:iam::111122223333:role/x\n"),
                  Expected("E244", "invalid target_role 'arn:aws:iam::111122223333:role/x': an IAM role name is 1 to 64 letters, digits and + = , . @ _ -", line: 6, at: "arn")),
        InputCase("company starting with a digit", config: fleet([one]).replacingOccurrences(of: "company_prefix: globalbank", with: "company_prefix: 9bank"),
                  Expected("E245", "StackSet name '9bank-prod-c001-sg-stackset' must start with a letter; with targets, company_prefix cannot start with a digit", line: 1, at: "9bank")),
    ]

    @Test(arguments: cases) func targetErrors(_ input: InputCase) { input.check() }

    @Test func everyTargetProblemIsReportedInOneRun() {
        let input = InputCase("three bad targets", config: Self.fleet([
            #"{ account: "1", region: us-east-1, vpc_id: vpc-0a1b2c3d, vpc_cidr: 10.1.0.0/16 }"#,
            #"{ account: "111122223333", region: mars-1, vpc_id: vpc-0a1b2c3e, vpc_cidr: 10.2.0.0/16 }"#,
            #"{ account: "111122223333", region: eu-west-1, vpc_id: vpc-0a1b2c3f, vpc_cidr: 10.3.0.0/8 }"#,
        ]))
        let result = makeLoader(input.files).load(config: "c")
        #expect(result.deployment == nil)
        #expect(result.diagnostics.errors.map(\.code.rawValue) == ["E241", "E213", "E215"])
        #expect(result.diagnostics.errors.map { $0.location?.line ?? 0 } == [7, 8, 9])
    }
}
