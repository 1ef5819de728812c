import SGConfig
import SGDiagnostics
import SGTestSupport
import Testing

/// Every config-field error: exact code, message and location.
@Suite struct ConfigFieldTests {
    static let namePattern = "names use lowercase letters, digits and hyphens, start and end with a letter or digit, and have at most 63 characters"

    static let nameCases: [InputCase] = [
        InputCase("path traversal ../", config: config("company_prefix", "company_prefix: ../../../etc"),
                  Expected("E212", "invalid company_prefix '../../../etc': path traversal ('../') is not allowed", line: 1, at: "../")),
        InputCase("path traversal ..\\", config: config("company_prefix", #"company_prefix: '..\evil'"#),
                  Expected("E212", #"invalid company_prefix '..\evil': path traversal ('..\') is not allowed"#, line: 1, at: "'..")),
        InputCase("shell ;", config: config("environment", #"environment: "prod; rm -rf /""#),
                  Expected("E212", "invalid environment 'prod; rm -rf /': shell metacharacter ';' is not allowed", line: 2, at: "\"prod")),
        InputCase("shell |", config: config("environment", "environment: prod|tee"),
                  Expected("E212", "invalid environment 'prod|tee': shell metacharacter '|' is not allowed", line: 2, at: "prod")),
        InputCase("shell $", config: config("environment", "environment: $(id)"),
                  Expected("E212", "invalid environment '$(id)': shell metacharacter '$' is not allowed", line: 2, at: "$")),
        InputCase("shell backtick", config: config("environment", "environment: '`id`'"),
                  Expected("E212", "invalid environment '`id`': shell metacharacter '`' is not allowed", line: 2, at: "'")),
        InputCase("shell &", config: config("deployment_id", "deployment_id: c001&x"),
                  Expected("E212", "invalid deployment_id 'c001&x': shell metacharacter '&' is not allowed", line: 3, at: "c001")),
        InputCase("shell space", config: config("deployment_id", "deployment_id: c 001"),
                  Expected("E212", "invalid deployment_id 'c 001': shell metacharacter ' ' (space) is not allowed", line: 3, at: "c 001")),
        InputCase("shell newline", config: config("deployment_id", #"deployment_id: "c001\nrm""#),
                  Expected("E212", #"invalid deployment_id 'c001\nrm': shell metacharacter '\n' (newline) is not allowed"#, line: 3, at: "\"")),
        InputCase("shell *", config: config("environment", "environment: prod*"),
                  Expected("E212", "invalid environment 'prod*': shell metacharacter '*' is not allowed", line: 2, at: "prod")),
        InputCase("shell <", config: config("environment", "environment: a<b"),
                  Expected("E212", "invalid environment 'a<b': shell metacharacter '<' is not allowed", line: 2, at: "a<b")),
        InputCase("shell double quote", config: config("environment", #"environment: 'a"b'"#),
                  Expected("E212", #"invalid environment 'a"b': shell metacharacter '"' is not allowed"#, line: 2, at: "'")),
        InputCase("path separator /", config: config("deployment_id", "deployment_id: a/b"),
                  Expected("E212", "invalid deployment_id 'a/b': path separator '/' is not allowed", line: 3, at: "a/b")),
        InputCase("uppercase", config: config("company_prefix", "company_prefix: GlobalBank"),
                  Expected("E212", "invalid company_prefix 'GlobalBank': uppercase letter 'G' is not allowed; use lowercase", line: 1, at: "GlobalBank")),
        InputCase("underscore", config: config("deployment_id", "deployment_id: c_001"),
                  Expected("E212", "invalid deployment_id 'c_001': character '_' is not allowed", line: 3, at: "c_001")),
        InputCase("leading hyphen", config: config("environment", "environment: -prod"),
                  Expected("E212", "invalid environment '-prod': must start with a letter or digit, not '-'", line: 2, at: "-prod")),
        InputCase("trailing hyphen", config: config("environment", "environment: prod-"),
                  Expected("E212", "invalid environment 'prod-': must end with a letter or digit, not '-'", line: 2, at: "prod-")),
        InputCase("64 characters", config: config("company_prefix", "company_prefix: " + String(repeating: "a", count: 64)),
                  Expected("E212", "invalid company_prefix '\(String(repeating: "a", count: 60))...': 64 characters; at most 63 are allowed", line: 1, at: "aaa")),
        InputCase("empty name", config: config("environment", #"environment: """#),
                  Expected("E212", "environment must not be empty", line: 2, at: "\"")),
        InputCase("scenario path traversal", config: config("scenario", "scenario: ../secrets"),
                  Expected("E216", "invalid scenario '../secrets': path traversal ('../') is not allowed", line: 6, at: "../")),
        InputCase("scenario path", config: config("scenario", "scenario: scenarios/web"),
                  Expected("E216", "invalid scenario 'scenarios/web': path separator '/' is not allowed", line: 6, at: "scenarios/")),
    ]

    @Test(arguments: nameCases) func nameErrors(_ input: InputCase) {
        input.check()
        let result = makeLoader(input.files).load(config: "c")
        #expect(result.diagnostics.errors.first?.notes.map(\.message) == [Self.namePattern])
    }

    static let fieldCases: [InputCase] = [
        InputCase("region typo", config: config("region", "region: us-west2"),
                  Expected("E213", "unknown AWS region 'us-west2'; did you mean 'us-west-2'?", line: 4, at: "us-west2")),
        InputCase("region transposed", config: config("region", "region: eu-wset-1"),
                  Expected("E213", "unknown AWS region 'eu-wset-1'; did you mean 'eu-west-1'?", line: 4, at: "eu-")),
        InputCase("region upper case", config: config("region", "region: US-EAST-1"),
                  Expected("E213", "unknown AWS region 'US-EAST-1'; did you mean 'us-east-1'?", line: 4, at: "US")),
        InputCase("region unknown", config: config("region", "region: mars-north-1"),
                  Expected("E213", "unknown AWS region 'mars-north-1'", line: 4, at: "mars")),
        InputCase("vpc id too short", config: config("vpc_id", "vpc_id: vpc-123"),
                  Expected("E214", "invalid vpc_id 'vpc-123': expected 'vpc-' followed by 8 or 17 lowercase hex digits", line: 5, at: "vpc-")),
        InputCase("vpc id upper hex", config: config("vpc_id", "vpc_id: vpc-0A1B2C3D"),
                  Expected("E214", "invalid vpc_id 'vpc-0A1B2C3D': expected 'vpc-' followed by 8 or 17 lowercase hex digits", line: 5, at: "vpc-")),
        InputCase("vpc id wrong prefix", config: config("vpc_id", "vpc_id: sg-0a1b2c3d"),
                  Expected("E214", "invalid vpc_id 'sg-0a1b2c3d': expected 'vpc-' followed by 8 or 17 lowercase hex digits", line: 5, at: "sg-")),
        InputCase("vpc cidr host bits", config: config(append: "vpc_cidr: 10.0.0.1/16\n"),
                  Expected("E215", "invalid vpc_cidr '10.0.0.1/16': host bits are set; the network is 10.0.0.0/16", line: 7, at: "10.")),
        InputCase("vpc cidr /33", config: config(append: "vpc_cidr: 10.0.0.0/33\n"),
                  Expected("E215", "invalid vpc_cidr '10.0.0.0/33': prefix length /33 is out of range 0-32", line: 7, at: "10.")),
        InputCase("vpc cidr wrong mask", config: config(append: "vpc_cidr: 192.168.0.0/8\n"),
                  Expected("E215", "invalid vpc_cidr '192.168.0.0/8': host bits are set; the network is 192.0.0.0/8", line: 7, at: "192")),
        InputCase("vpc cidr ipv6", config: config(append: "vpc_cidr: 2001:db8::/32\n"),
                  Expected("E215", "invalid vpc_cidr '2001:db8::/32': a VPC's primary CIDR is IPv4", line: 7, at: "2001")),
        InputCase("vpc cidr malformed", config: config(append: "vpc_cidr: 10.0.0/16\n"),
                  Expected("E215", "invalid vpc_cidr: '10.0.0/16' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32)", line: 7, at: "10.")),
        InputCase("vpc cidr the whole internet", config: config(append: "vpc_cidr: 0.0.0.0/0\n"),
                  Expected("E215", "invalid vpc_cidr '0.0.0.0/0': a VPC's block is /16 to /28, found /0", line: 7, at: "0.0")),
        InputCase("vpc cidr wider than a VPC", config: config(append: "vpc_cidr: 10.0.0.0/8\n"),
                  Expected("E215", "invalid vpc_cidr '10.0.0.0/8': a VPC's block is /16 to /28, found /8", line: 7, at: "10.")),
        InputCase("vpc cidr narrower than a VPC", config: config(append: "vpc_cidr: 10.0.0.0/29\n"),
                  Expected("E215", "invalid vpc_cidr '10.0.0.0/29': a VPC's block is /16 to /28, found /29", line: 7, at: "10.")),
        InputCase("vpc cidr on public space", config: config(append: "vpc_cidr: 52.94.0.0/16\n"),
                  Expected("W202", "vpc_cidr 52.94.0.0/16 is public address space (65,536 internet addresses); sources inside it are judged internal, so make sure the VPC really owns it", line: 7, at: "52.")),
        InputCase("unknown key with suggestion and the missing key", config: config("region", "regoin: us-west-2"),
                  Expected("E206", "config is missing required key 'region'", line: 1),
                  Expected("E205", "unknown key 'regoin' in config; did you mean 'region'?", line: 4, at: "regoin")),
        InputCase("unknown key without suggestion", config: config(append: "colour: blue\n"),
                  Expected("E205", "unknown key 'colour' in config", line: 7, at: "colour")),
        InputCase("missing vpc_id", config: config("vpc_id", nil),
                  Expected("E206", "config is missing required key 'vpc_id'", line: 1)),
        InputCase("explicit !!str tag", config: config("environment", "environment: !!str prod"),
                  Expected("E208", "explicit YAML tag '!!str' is not allowed; remove it (the field decides the type)", line: 2, at: "!!str")),
        InputCase("explicit !Ref tag", config: config("vpc_id", "vpc_id: !Ref VpcId"),
                  Expected("E208", "explicit YAML tag '!Ref' is not allowed; remove it (the field decides the type)", line: 5, at: "!Ref")),
        InputCase("string field given a sequence", config: config("environment", "environment: [prod]"),
                  Expected("E207", "expected a string for environment, found a sequence", line: 2, at: "[")),
        InputCase("tags given a sequence", config: config(append: "tags:\n  - owner\n"),
                  Expected("E207", "expected a mapping for tags, found a sequence", line: 8, at: "-")),
        InputCase("overrides given a mapping", config: config(append: "overrides: {tier: web}\n"),
                  Expected("E207", "expected a sequence for overrides, found a mapping", line: 7, at: "{")),
        InputCase("independent problems all reported",
                  config: "company_prefix: Bad\nenvironment: prod;\ndeployment_id: c001\nregion: us-west2\nvpc_id: vpc-1\nscenario: web\n",
                  Expected("E212", "invalid company_prefix 'Bad': uppercase letter 'B' is not allowed; use lowercase", line: 1, at: "Bad"),
                  Expected("E212", "invalid environment 'prod;': shell metacharacter ';' is not allowed", line: 2, at: "prod"),
                  Expected("E213", "unknown AWS region 'us-west2'; did you mean 'us-west-2'?", line: 4, at: "us-"),
                  Expected("E214", "invalid vpc_id 'vpc-1': expected 'vpc-' followed by 8 or 17 lowercase hex digits", line: 5, at: "vpc-1")),
    ]

    @Test(arguments: fieldCases) func fieldErrors(_ input: InputCase) { input.check() }

    static let tagCases: [InputCase] = [
        InputCase("aws: prefix", config: config(append: "tags:\n  aws:cost: x\n"),
                  Expected("E218", "tag key 'aws:cost' uses the reserved prefix 'aws:'; AWS reserves it", line: 8, at: "aws")),
        InputCase("AWS: prefix any case", config: config(append: "tags:\n  AWS:Owner: x\n"),
                  Expected("E218", "tag key 'AWS:Owner' uses the reserved prefix 'aws:'; AWS reserves it", line: 8, at: "AWS")),
        InputCase("sg-provisioner: prefix", config: config(append: "tags:\n  sg-provisioner:tier: web\n"),
                  Expected("E218", "tag key 'sg-provisioner:tier' uses the reserved prefix 'sg-provisioner:'; sg-provisioner adds these tags itself", line: 8, at: "sg-")),
        // The compiler sets Name on every group; the config may not (it was a compile error, E408, before).
        InputCase("Name", config: config(append: "tags:\n  Name: web\n"),
                  Expected("E218", "tag key 'Name' is set by sg-provisioner itself (each group's name)", line: 8, at: "Name")),
        InputCase("tag key 129 characters", config: config(append: "tags:\n  \(String(repeating: "k", count: 129)): x\n"),
                  Expected("E217", "tag key is 129 characters; AWS allows at most 128", line: 8, at: "k")),
        InputCase("tag value 257 characters", config: config(append: "tags:\n  owner: \(String(repeating: "v", count: 257))\n"),
                  Expected("E217", "value of tag 'owner' is 257 characters; AWS allows at most 256", line: 8, at: "v")),
        InputCase("tag key character", config: config(append: "tags:\n  cost#center: x\n"),
                  Expected("E217", "tag key 'cost#center' contains '#', which AWS does not allow", line: 8, at: "cost")),
        InputCase("tag value character", config: config(append: "tags:\n  owner: \"team!\"\n"),
                  Expected("E217", "value of tag 'owner' contains '!', which AWS does not allow", line: 8, at: "\"")),
        InputCase("empty tag key", config: config(append: "tags:\n  \"\": x\n"),
                  Expected("E217", "tag key must not be empty", line: 8, at: "\"")),
        InputCase("tag value mapping", config: config(append: "tags:\n  owner: {team: a}\n"),
                  Expected("E207", "expected a string for tag 'owner', found a mapping", line: 8, at: "{")),
        InputCase("48 tags", config: config(append: "tags:\n" + (1...48).map { "  t\($0): v\n" }.joined()),
                  Expected("E219", "tags has 48 entries; the limit is 47 (AWS allows 50 per resource and sg-provisioner adds 3)", line: 8, at: "t1")),
    ]

    @Test(arguments: tagCases) func tagErrors(_ input: InputCase) { input.check() }

    @Test func fortySevenTagsAreAccepted() {
        let input = InputCase("47 tags", config: config(append: "tags:\n" + (1...47).map { "  t\($0): v\n" }.joined()))
        input.check()
        #expect(makeLoader(input.files).load(config: "c").deployment?.config.tags.count == 47)
    }
}
