import Foundation
import SGTestSupport
import Testing
@testable import SGAWS
@testable import SGAWSCredentials

/// A scratch home directory with real `~/.aws` files, an environment made only of what a test
/// sets (nothing leaks in from the machine running the tests), and two ways to resolve
/// credentials from it: sg-provisioner's `AWSSession`, and boto3 on the very same files.
final class CredentialWorkspace: @unchecked Sendable {
    // @unchecked: `environment` is only changed by the test that owns the workspace, before resolving.
    /// The home directory (`~`).
    let home: URL
    /// The environment both resolvers see (HOME and PATH included).
    var environment: [String: String]

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("sg-credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws/sso/cache"), withIntermediateDirectories: true)
        environment = [
            "HOME": home.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            // Never wait for, or reach, a real instance metadata service.
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    deinit { try? FileManager.default.removeItem(at: home) }

    /// Writes a file under the home directory and returns its absolute path.
    @discardableResult
    func write(_ text: String, to relativePath: String, mode: Int = 0o600) throws -> String {
        let url = home.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url.path
    }

    /// Writes an executable script (a credential_process) and returns its path.
    @discardableResult
    func script(_ body: String, named name: String) throws -> String {
        try write("#!/bin/sh\n" + body + "\n", to: "bin/\(name)", mode: 0o755)
    }

    /// The world sg-provisioner sees: this environment and home, the real file system and clock.
    var system: AWSSystem {
        var system = AWSSystem.live
        system.environment = environment
        system.homeDirectory = home.path
        system.sleep = { _ in }
        return system
    }

    /// sg-provisioner's credentials, exactly as a live action resolves them.
    func resolve(profile: String? = nil, endpointURL: String? = nil) async throws -> AWSCredentials {
        let session = try AWSSession.resolve(
            options: AWSSessionOptions(profile: profile, endpointURL: endpointURL, retryPolicy: .none, timeout: 5), system: system)
        return try await session.credentials.credentials()
    }

    /// What boto3 resolves from the same environment (see Tests/Fixtures/aws/boto3_credentials.py).
    func boto3(profile: String? = nil, callerIdentity: Bool = false) async throws -> Boto3Result {
        var arguments = [FixturePaths.aws.appendingPathComponent("boto3_credentials.py").path]
        if let profile { arguments += ["--profile", profile] }
        if callerIdentity { arguments.append("--caller-identity") }
        let output = try await ProcessInvocation.run(ProcessInvocation(
            executable: ChildProcess.pythonExecutable, arguments: arguments, environment: environment))
        let text = String(decoding: output.standardOutput, as: UTF8.self)
        guard output.status == 0, let result = try? JSONDecoder().decode(Boto3Result.self, from: Data(text.utf8)) else {
            Issue.record("boto3_credentials.py failed (\(output.status)): \(text) \(String(decoding: output.standardError, as: UTF8.self))")
            return Boto3Result(access_key: nil, method: nil, arn: nil, error: "script failed")
        }
        return result
    }
}

/// boto3's answer: the access key id and botocore's method name, or its error.
struct Boto3Result: Decodable, Equatable {
    let access_key: String?
    let method: String?
    let arn: String?
    let error: String?
}

/// The same question put to sg-provisioner and to boto3 must get the same access key from the
/// same kind of source.
func expectAgreement(_ ours: AWSCredentials, _ boto3: Boto3Result, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(boto3.error == nil, "boto3 failed: \(boto3.error ?? "")", sourceLocation: sourceLocation)
    #expect(ours.accessKeyID == boto3.access_key, "access key: ours \(ours.accessKeyID), boto3 \(boto3.access_key ?? "-")",
            sourceLocation: sourceLocation)
    #expect(ours.method.rawValue == boto3.method, "method: ours \(ours.method.rawValue), boto3 \(boto3.method ?? "-")",
            sourceLocation: sourceLocation)
}

/// An STS Query response with fixed credentials, as AWS writes it.
func stsCredentialsResponse(action: String, accessKeyID: String, expiration: String = "2099-01-01T00:00:00Z",
                            assumedRoleARN: String = "arn:aws:sts::123456789012:assumed-role/role/session") -> String {
    """
    <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result>\
    <Credentials><AccessKeyId>\(accessKeyID)</AccessKeyId><SecretAccessKey>secret-of-\(accessKeyID)</SecretAccessKey>\
    <SessionToken>token-of-\(accessKeyID)</SessionToken><Expiration>\(expiration)</Expiration></Credentials>\
    <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId><Arn>\(assumedRoleARN)</Arn></AssumedRoleUser>\
    </\(action)Result><ResponseMetadata><RequestId>req-\(accessKeyID)</RequestId></ResponseMetadata></\(action)Response>
    """
}
