import Foundation
import SGActionKit
import SGActions
import SGCrypto
import SGTestSupport
import Testing

/// No secret ever leaves the process: with AWS credentials set to marker values (in the
/// environment and in a shared credentials file), every action runs with --debug against an
/// endpoint that refuses connections and, when `SG_MOTO_ENDPOINT` is set, against moto; no marker
/// may appear in stdout, stderr, the audit logs or any other file in reports/.
@Suite(.serialized) struct SecretMarkerTests {
    static let accessKey = "AKIAMARKERACCESS0001"
    static let secretKey = "MarkerSecret/Key+0123456789abcdefSECRET"
    static let sessionToken = "MarkerSessionToken//0123456789+SESSIONTOKEN=="
    static let profileSecret = "MarkerProfileSecret/0123456789+PROFILE"
    /// Every marker, and a long-enough piece of each, so a truncated or re-wrapped secret is caught too.
    static let needles: [String] = [accessKey, secretKey, sessionToken, profileSecret].flatMap { [$0, String($0.prefix(16)), String($0.suffix(16))] }

    static let snapshot = """
        {"SecurityGroups": [{"GroupId": "sg-0aaaaaaaaaaaaaaaa", "GroupName": "acme-dev-d001-web", "Description": "web",
          "VpcId": "vpc-0fedcba9876543210", "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
          "IpPermissionsEgress": [], "Tags": [{"Key": "sg-provisioner:tier", "Value": "web"}]}]}
        """

    /// The endpoints every action is run against.
    static var endpoints: [String] {
        var list = ["http://127.0.0.1:1"]
        if let moto = ProcessInfo.processInfo.environment["SG_MOTO_ENDPOINT"], !moto.isEmpty { list.append(moto) }
        return list
    }

    /// The argument lists that exercise an action: with a config, and for the actions that take
    /// input files, with those too.
    static func invocations(of action: ActionName) -> [[String]] {
        let base = ["-act", action.rawValue, "--debug", "--force", "--no-color"]
        let withConfig = ["-con", "globalbank-prod-c001-us-west-2"] + base
        switch action {
        case .auditSecurityGroups:
            return [base, base + ["--snapshot", "snapshot.json"], base + ["--template", "template.yaml"], withConfig]
        case .checkDrift:
            return [withConfig, withConfig + ["--snapshot", "snapshot.json"]]
        case .validateProvTemplate:
            return [withConfig, withConfig + ["--remote"], withConfig + ["--output", "json"]]
        default:
            return [withConfig, withConfig + ["--profile", "marker"]]
        }
    }

    @Test(arguments: ActionName.allCases)
    func noActionRevealsACredential(_ action: ActionName) throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(Self.snapshot, to: "snapshot.json")
        try tool.write(try String(contentsOf: ToolRunner.packageRoot.appendingPathComponent("Tests/Fixtures/cloudformation/three-tier-web.yaml"), encoding: .utf8), to: "template.yaml")
        try tool.write("""
            [default]
            aws_access_key_id = \(Self.accessKey)
            aws_secret_access_key = \(Self.profileSecret)
            [marker]
            aws_access_key_id = \(Self.accessKey)
            aws_secret_access_key = \(Self.profileSecret)
            aws_session_token = \(Self.sessionToken)

            """, to: "aws/credentials")
        try tool.write("[default]\nregion = us-west-2\n[profile marker]\nregion = us-west-2\n", to: "aws/config")

        var runs = 0
        for endpoint in Self.endpoints {
            for arguments in Self.invocations(of: action) {
                let outcome = try tool.run(arguments + ["--endpoint-url", endpoint], environment: [
                    "AWS_ACCESS_KEY_ID": Self.accessKey,
                    "AWS_SECRET_ACCESS_KEY": Self.secretKey,
                    "AWS_SESSION_TOKEN": Self.sessionToken,
                    "AWS_SHARED_CREDENTIALS_FILE": tool.directory.appendingPathComponent("aws/credentials").path,
                    "AWS_CONFIG_FILE": tool.directory.appendingPathComponent("aws/config").path,
                    "AWS_REGION": "us-west-2",
                    // Keep the SDK-style metadata lookups off the network in CI.
                    "AWS_EC2_METADATA_DISABLED": "true",
                ])
                runs += 1
                #expect([0, 1, 3].contains(outcome.exitCode), "\(arguments): exit \(outcome.exitCode)\n\(outcome.stderr)")
                for needle in Self.needles {
                    #expect(!outcome.stdout.contains(needle), "\(arguments) printed a credential on stdout")
                    #expect(!outcome.stderr.contains(needle), "\(arguments) printed a credential on stderr")
                }
            }
        }
        #expect(runs >= 2)

        // Every file the runs left in reports/ (audit logs, templates, reports), byte-searched.
        let reports = try tool.reports()
        if action.writesAuditLog {
            #expect(reports.contains { $0.hasSuffix(".log") }, "the audit log is where a leak would hide: \(reports)")
        }
        for name in reports {
            let data = try Data(contentsOf: tool.directory.appendingPathComponent("reports/\(name)"))
            for needle in Self.needles {
                #expect(data.range(of: Data(needle.utf8)) == nil, "reports/\(name) holds a credential")
            }
        }
    }

    @Test func theSearchWouldSeeAValueTheToolDoesLog() throws {
        // The audit log records USER: with a marker there, the same byte search must find it,
        // so the absence above is evidence and not a search that cannot match.
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", "globalbank-prod-c001-us-west-2", "-act", "validate-prov-template"], environment: ["USER": Self.accessKey])
        #expect(outcome.exitCode == 0)
        let logs = try tool.reports().filter { $0.hasSuffix(".log") }
        #expect(logs.count == 1)
        let data = try Data(contentsOf: tool.directory.appendingPathComponent("reports/\(logs[0])"))
        #expect(data.range(of: Data(Self.accessKey.utf8)) != nil)
    }
}

/// The secrets of every other credential source (a web identity token, an IAM Identity Center
/// access token and the role credentials it buys, a credential_process's output) stay inside too.
/// Not serialized: each source runs in its own scratch directory.
@Suite struct CredentialSourceSecretTests {
    static let webIdentityToken = "eyJhbGciOiJSUzI1NiJ9.MarkerWebIdentityJWT0123456789.signature"
    static let ssoAccessToken = "MarkerSSOAccessToken0123456789abcdefTOKEN"
    static let ssoRoleSecret = "MarkerSSORoleSecret/0123456789+ROLESECRET"
    static let processSecret = "MarkerProcessSecret/0123456789+PROCESS"
    static let processToken = "MarkerProcessSessionToken0123456789+PROC=="
    static let sourceNeedles: [String] = [webIdentityToken, ssoAccessToken, ssoRoleSecret, processSecret, processToken]
        .flatMap { [$0, String($0.prefix(16)), String($0.suffix(16))] }

    enum Source: String, CaseIterable { case webIdentity, sso, process, roleOverProcess }

    /// Writes what `source` needs into the tool's scratch directory (its HOME) and returns the
    /// environment that selects it.
    static func setUp(_ source: Source, in tool: ToolRunner, portal: URL) throws -> [String: String] {
        let home = tool.directory.path
        var environment = [
            "HOME": home, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": "\(home)/.aws/config", "AWS_SHARED_CREDENTIALS_FILE": "\(home)/.aws/credentials",
            "AWS_REGION": "us-west-2", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_SSO": portal.absoluteString,
        ]
        try tool.write("""
            #!/bin/sh
            printf '{"Version": 1, "AccessKeyId": "ASIAMARKERPROCESS001", "SecretAccessKey": "\(processSecret)", "SessionToken": "\(processToken)"}'
            """, to: "bin/creds")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(home)/bin/creds")
        try tool.write("""
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-west-2
            [profile dev]
            sso_session = corp
            sso_account_id = 111122223333
            sso_role_name = Admin
            [profile proc]
            credential_process = \(home)/bin/creds
            [profile deploy]
            role_arn = arn:aws:iam::111122223333:role/deployer
            source_profile = proc
            """, to: ".aws/config")
        try tool.write(#"{"accessToken": "\#(ssoAccessToken)", "expiresAt": "2099-01-01T00:00:00Z"}"#,
                       to: ".aws/sso/cache/\(SHA1.hex("corp")).json")
        try tool.write(webIdentityToken, to: "token")
        switch source {
        case .webIdentity:
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = "\(home)/token"
            environment["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/ci"
        case .sso: environment["AWS_PROFILE"] = "dev"
        case .process: environment["AWS_PROFILE"] = "proc"
        case .roleOverProcess: environment["AWS_PROFILE"] = "deploy"
        }
        return environment
    }

    @Test(arguments: Source.allCases)
    func noCredentialSourceRevealsItsSecrets(_ source: Source) async throws {
        let portal = try StubHTTPServer.start(routes: ["GET /federation/credentials": [.init(body: """
            {"roleCredentials": {"accessKeyId": "ASIAMARKERSSOROLE001", "secretAccessKey": "\(Self.ssoRoleSecret)", "sessionToken": "\(Self.ssoAccessToken)x", "expiration": 4070908800000}}
            """)]])
        defer { portal.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        var environment = try Self.setUp(source, in: tool, portal: portal.endpoint)
        var endpoints = ["http://127.0.0.1:1"]
        if let moto = ProcessInfo.processInfo.environment["SG_MOTO_ENDPOINT"], !moto.isEmpty { endpoints.append(moto) }
        var served = false
        for endpoint in endpoints {
            environment["AWS_ENDPOINT_URL"] = endpoint
            for arguments in [["-con", "globalbank-prod-c001-us-west-2", "-act", "verify-vpc", "--debug"],
                              ["-act", "audit-security-groups", "--output", "json", "--debug"]] {
                let outcome = try tool.run(arguments, environment: environment)
                #expect([0, 1].contains(outcome.exitCode), "\(source) \(arguments): \(outcome.stderr)")
                served = served || outcome.stderr.contains("aws: acting as ")
                for needle in Self.sourceNeedles + SecretMarkerTests.needles {
                    #expect(!outcome.stdout.contains(needle), "\(source) \(arguments) printed a secret on stdout")
                    #expect(!outcome.stderr.contains(needle), "\(source) \(arguments) printed a secret on stderr")
                }
            }
        }
        if endpoints.count > 1 { #expect(served, "against moto, \(source) must have given credentials") }
        for name in try tool.reports() {
            let data = try Data(contentsOf: tool.directory.appendingPathComponent("reports/\(name)"))
            for needle in Self.sourceNeedles + SecretMarkerTests.needles {
                #expect(data.range(of: Data(needle.utf8)) == nil, "reports/\(name) holds a secret of \(source)")
            }
        }
    }
}
