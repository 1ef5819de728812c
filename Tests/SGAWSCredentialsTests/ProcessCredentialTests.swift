import Foundation
import Testing
@testable import SGAWS
@testable import SGAWSCredentials

/// `credential_process`: version-1 JSON from a program, compared with boto3 on the same files.
@Suite("credential_process")
struct ProcessCredentialTests {
    /// A script printing version-1 JSON; the access key ends in its argument count, so the
    /// command line's splitting shows in the result.
    static func printingScript(expiration: String? = "2099-01-01T00:00:00Z") -> String {
        let expirationField = expiration.map { #", "Expiration": "\#($0)""# } ?? ""
        return #"printf '{"Version": 1, "AccessKeyId": "ASIAPROCESSARGS%s", "SecretAccessKey": "process-secret", "SessionToken": "process-token"\#(expirationField)}' "$#""#
    }

    @Test("runs the program without a shell, splits its arguments like shlex, agrees with boto3")
    func agreesWithBoto3() async throws {
        let workspace = try CredentialWorkspace()
        let script = try workspace.script(Self.printingScript(), named: "creds")
        try workspace.write("""
            [profile build]
            credential_process = \(script) "two words" 'second;$HOME' 
            region = us-east-1
            """, to: ".aws/config")
        let ours = try await workspace.resolve(profile: "build")
        #expect(ours.accessKeyID == "ASIAPROCESSARGS2")
        #expect(ours.secretAccessKey == "process-secret")
        #expect(ours.sessionToken == "process-token")
        #expect(ours.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        #expect(ours.source == "profile build: credential_process \(script)")
        expectAgreement(ours, try await workspace.boto3(profile: "build"))
    }

    @Test("the program is found in PATH and sees the tool's environment")
    func pathLookupAndEnvironment() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.script(#"printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "s"}' "$KEY_FROM_ENV""#, named: "creds-from-path")
        workspace.environment["PATH"] = workspace.home.appendingPathComponent("bin").path + ":" + (workspace.environment["PATH"] ?? "")
        workspace.environment["KEY_FROM_ENV"] = "AKIAFROMENVIRONMENT1"
        try workspace.write("[default]\ncredential_process = creds-from-path\n", to: ".aws/config")
        let ours = try await workspace.resolve()
        #expect(ours.accessKeyID == "AKIAFROMENVIRONMENT1")
        #expect(ours.expiration == nil)
        expectAgreement(ours, try await workspace.boto3())
    }

    @Test("keys in the credentials file come before credential_process, which comes before keys in the config file")
    func precedence() async throws {
        let workspace = try CredentialWorkspace()
        let script = try workspace.script(Self.printingScript(), named: "creds")
        try workspace.write("""
            [profile both]
            credential_process = \(script)
            aws_access_key_id = AKIACONFIGFILEKEY001
            aws_secret_access_key = config-secret
            [profile all]
            credential_process = \(script)
            """, to: ".aws/config")
        try workspace.write("[all]\naws_access_key_id = AKIACREDENTIALSFILE1\naws_secret_access_key = credentials-secret\n",
                            to: ".aws/credentials")
        let processWins = try await workspace.resolve(profile: "both")
        #expect(processWins.method == .process)
        expectAgreement(processWins, try await workspace.boto3(profile: "both"))
        let credentialsFileWins = try await workspace.resolve(profile: "all")
        #expect(credentialsFileWins.method == .sharedCredentialsFile)
        expectAgreement(credentialsFileWins, try await workspace.boto3(profile: "all"))
    }

    @Test("credentials with an Expiration are fetched again when they are about to expire")
    func expirationRefreshes() async throws {
        let workspace = try CredentialWorkspace()
        let counter = workspace.home.appendingPathComponent("runs").path
        // Valid for four more minutes: inside the five-minute refresh margin, so every use re-runs it.
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(240))
        let script = try workspace.script("echo run >> \(counter)\n" + Self.printingScript(expiration: soon), named: "short")
        try workspace.write("[default]\ncredential_process = \(script)\n", to: ".aws/config")
        let session = try AWSSession.resolve(options: AWSSessionOptions(), system: workspace.system)
        _ = try await session.credentials.credentials()
        _ = try await session.credentials.credentials()
        #expect(try String(contentsOfFile: counter, encoding: .utf8) == "run\nrun\n")

        let longLived = try CredentialWorkspace()
        let longCounter = longLived.home.appendingPathComponent("runs").path
        let longScript = try longLived.script("echo run >> \(longCounter)\n" + Self.printingScript(), named: "long")
        try longLived.write("[default]\ncredential_process = \(longScript)\n", to: ".aws/config")
        let cached = try AWSSession.resolve(options: AWSSessionOptions(), system: longLived.system)
        _ = try await cached.credentials.credentials()
        _ = try await cached.credentials.credentials()
        #expect(try String(contentsOfFile: longCounter, encoding: .utf8) == "run\n")
    }

    /// Each broken program: its script, the message sg-provisioner gives, and whether boto3 fails too.
    static let failures: [(script: String, message: String)] = [
        ("echo 'sso session expired, log in again' >&2\nexit 3", "exited with status 3: sso session expired, log in again"),
        (#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}'"#, "printed Version 2; only version 1 is defined"),
        (#"echo '{"AccessKeyId": "A", "SecretAccessKey": "s"}'"#, "printed Version (missing); only version 1 is defined"),
        (#"echo '{"Version": 1, "AccessKeyId": "A"}'"#, "printed no SecretAccessKey"),
        (#"echo '{"Version": 1, "SecretAccessKey": "s"}'"#, "printed no AccessKeyId"),
        ("echo 'not json'", "did not print a JSON object with the credential_process fields"),
        (#"echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "2001-01-01T00:00:00Z"}'"#,
         "printed credentials that expired at 2001-01-01T00:00:00Z"),
        (#"echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "tomorrow"}'"#,
         "printed an Expiration that is not an ISO 8601 time: tomorrow"),
    ]

    @Test("a broken program is an error naming the profile and the problem, and boto3 refuses it too", arguments: 0..<failures.count)
    func brokenProgram(_ index: Int) async throws {
        let failure = Self.failures[index]
        let workspace = try CredentialWorkspace()
        let script = try workspace.script(failure.script, named: "broken")
        try workspace.write("[profile ci]\ncredential_process = \(script) --flag\n", to: ".aws/config")
        await #expect(throws: AWSClientError.credentials("profile ci: credential_process: '\(script)' \(failure.message)")) {
            try await workspace.resolve(profile: "ci")
        }
        let boto3 = try await workspace.boto3(profile: "ci")
        // botocore accepts an already-expired Expiration and only fails when it refreshes; every other case it refuses.
        if !failure.message.contains("expired at") {
            #expect(boto3.error != nil, "boto3 accepted what we refuse: \(boto3)")
        }
    }

    @Test("a command that cannot run is named")
    func missingProgram() async throws {
        let workspace = try CredentialWorkspace()
        try workspace.write("[default]\ncredential_process = no-such-credential-helper --x\n[profile quote]\ncredential_process = helper 'unclosed\n",
                            to: ".aws/config")
        await #expect(throws: AWSClientError.credentials("profile default: credential_process: 'no-such-credential-helper' is not an executable file in PATH")) {
            try await workspace.resolve()
        }
        await #expect(throws: AWSClientError.credentials("profile quote: credential_process: cannot split the command line: no closing '")) {
            try await workspace.resolve(profile: "quote")
        }
    }

    @Test("command lines split like Python's shlex.split")
    func shellWords() throws {
        #expect(try ShellWords.split(#"a  b\ c "d \"e\" \$x" 'f \g'"#) == ["a", "b c", #"d "e" \$x"#, #"f \g"#])
        #expect(try ShellWords.split("") == [])
        #expect(try ShellWords.split(#"''"#) == [""])
        #expect(throws: ShellWords.SplitError.trailingBackslash) { try ShellWords.split(#"a\"#) }
        #expect(throws: ShellWords.SplitError.unterminatedQuote("\"")) { try ShellWords.split(#"a "b"#) }
    }
}
