import Foundation
import SGAWS

/// Turns a profile of the shared files into credential providers, in the AWS CLI's order:
/// `role_arn` (assume role), web identity, IAM Identity Center, keys in the credentials file,
/// `credential_process`, keys in the config file. A `source_profile` is resolved with the same
/// sources (without the environment, as botocore does), so a role can be assumed over any of them.
/// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
public struct ProfileResolver: Sendable {
    /// The shared files.
    public let files: SharedConfigFiles
    /// Environment, files, clock.
    public let system: AWSSystem
    /// Region of the STS calls (the session's).
    public let region: String
    /// STS clients for AssumeRole and AssumeRoleWithWebIdentity.
    public let makeSTSClient: STSClientFactory
    /// Portal clients for IAM Identity Center.
    public let makeSSOClient: SSOClientFactory
    /// Providers for `credential_source` (Environment, EcsContainer, Ec2InstanceMetadata).
    public let credentialSources: [String: any AWSCredentialProvider]

    /// Creates a resolver.
    public init(files: SharedConfigFiles, system: AWSSystem, region: String, makeSTSClient: @escaping STSClientFactory,
                makeSSOClient: @escaping SSOClientFactory, credentialSources: [String: any AWSCredentialProvider] = [:]) {
        self.files = files
        self.system = system
        self.region = region
        self.makeSTSClient = makeSTSClient
        self.makeSSOClient = makeSSOClient
        self.credentialSources = credentialSources
    }

    /// The profile's sources in order. `environmentAllowed` lets AWS_WEB_IDENTITY_TOKEN_FILE and
    /// AWS_ROLE_ARN count (not when the user named a profile with --profile). A profile that
    /// neither file defines is one entry: an error when the user named it, else "not defined".
    public func providers(for profile: String, explicitlyNamed: Bool, environmentAllowed: Bool) -> [any AWSCredentialProvider] {
        guard files.profile(profile) != nil else {
            return [UndefinedProfile(name: profile, explicitlyNamed: explicitlyNamed, files: files),
                    ProfileSourceProvider(step: .webIdentity, profile: profile, environmentAllowed: environmentAllowed, resolver: self)]
        }
        return ProfileSourceProvider.Step.allCases.map {
            ProfileSourceProvider(step: $0, profile: profile, environmentAllowed: environmentAllowed, resolver: self)
        }
    }

    // MARK: - The sources of one profile

    /// `role_arn` without `web_identity_token_file` (a profile with both is a web identity profile).
    func assumeRole(profile name: String, visited: [String]) async throws -> AWSCredentials {
        let settings = files.profile(name) ?? [:]
        guard let roleARN = settings["role_arn"], settings["web_identity_token_file"] == nil else {
            let reason = settings["role_arn"] == nil ? "profile \(name) has no role_arn"
                : "profile \(name) pairs role_arn with web_identity_token_file (web identity)"
            throw AWSCredentialsNotFound(source: "assume role", reason: reason)
        }
        if settings["mfa_serial"] != nil {
            throw AWSClientError.credentials("profile \(name) sets mfa_serial: sg-provisioner runs unattended and does not "
                + "prompt for an MFA code; use a profile without MFA for automation, or credentials from `aws sts get-session-token`")
        }
        let source: any AWSCredentialProvider
        switch (settings["source_profile"], settings["credential_source"]) {
        case (.some, .some):
            throw AWSClientError.credentials("profile \(name) sets both source_profile and credential_source")
        case (nil, nil):
            throw AWSClientError.credentials("profile \(name) has role_arn but neither source_profile nor credential_source")
        case (let sourceProfile?, nil):
            try checkSourceProfile(sourceProfile, of: name, visited: visited)
            source = SourceProfile(name: sourceProfile, visited: visited + [sourceProfile], resolver: self)
        case (nil, let sourceName?):
            guard let provider = credentialSources.first(where: { $0.key.lowercased() == sourceName.lowercased() })?.value else {
                let known = credentialSources.keys.sorted().joined(separator: ", ")
                throw AWSClientError.credentials("profile \(name): credential_source '\(sourceName)' is not one of \(known)")
            }
            source = provider
        }
        let request = AssumeRoleRequest(
            roleARN: roleARN,
            sessionName: settings["role_session_name"] ?? "sg-provisioner-\(Int(system.now().timeIntervalSince1970))",
            externalID: settings["external_id"],
            durationSeconds: settings["duration_seconds"].flatMap { Int($0) })
        return try await AssumeRoleCredentialProvider(request: request, source: source, region: region, origin: "profile \(name)",
                                                      makeSTSClient: makeSTSClient).credentials()
    }

    /// AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME (when allowed), each
    /// falling back to the profile's `web_identity_token_file` / `role_arn` / `role_session_name`.
    func webIdentity(profile name: String, environmentAllowed: Bool) async throws -> AWSCredentials {
        let settings = files.profile(name) ?? [:]
        func setting(_ key: String, _ variable: String) -> (value: String, origin: String)? {
            if environmentAllowed, let value = system.variable(variable) { return (value, variable) }
            return settings[key].map { ($0, "profile \(name)") }
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else {
            let reason = environmentAllowed
                ? "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile \(name) has no web_identity_token_file"
                : "profile \(name) has no web_identity_token_file"
            throw AWSCredentialsNotFound(source: "web identity", reason: reason)
        }
        guard let roleARN = setting("role_arn", "AWS_ROLE_ARN") else {
            throw AWSClientError.credentials("web identity (\(tokenFile.origin)): a token file is set but no role: set AWS_ROLE_ARN or the profile's role_arn")
        }
        let sessionName = setting("role_session_name", "AWS_ROLE_SESSION_NAME")?.value
            ?? "sg-provisioner-\(Int(system.now().timeIntervalSince1970))"
        let origin = tokenFile.origin == roleARN.origin ? tokenFile.origin : "\(tokenFile.origin), \(roleARN.origin)"
        return try await WebIdentityCredentialProvider(
            tokenFile: tokenFile.value,
            roleARN: roleARN.value, sessionName: sessionName, region: region, origin: origin, system: system,
            makeSTSClient: makeSTSClient).credentials()
    }

    /// `sso_account_id`/`sso_role_name` with `sso_session` (an `[sso-session]` section holding
    /// `sso_start_url` and `sso_region`) or the older `sso_start_url`/`sso_region` in the profile.
    func sso(profile name: String) async throws -> AWSCredentials {
        var settings = files.profile(name) ?? [:]
        guard settings["sso_account_id"] != nil || settings["sso_role_name"] != nil else {
            throw AWSCredentialsNotFound(source: "IAM Identity Center", reason: "profile \(name) has no sso_account_id or sso_role_name")
        }
        let sessionName = settings["sso_session"]
        if let sessionName {
            guard let session = files.ssoSessions[sessionName] else {
                throw AWSClientError.credentials("profile \(name) names sso_session \(sessionName), which \(files.configPath) does not define")
            }
            for (key, value) in session {
                if let own = settings[key], own != value {
                    throw AWSClientError.credentials("profile \(name): \(key) is \(own) in the profile but \(value) in sso-session \(sessionName)")
                }
                settings[key] = value
            }
        }
        let required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        let missing = required.filter { (settings[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw AWSClientError.credentials("profile \(name) is set up for IAM Identity Center but lacks " + missing.joined(separator: ", "))
        }
        let configuration = SSOConfiguration(startURL: settings["sso_start_url"]!, ssoRegion: settings["sso_region"]!,
                                             accountID: settings["sso_account_id"]!, roleName: settings["sso_role_name"]!,
                                             sessionName: sessionName)
        return try await SSOCredentialProvider(configuration: configuration, profileName: name, system: system,
                                               makeClient: makeSSOClient).credentials()
    }

    /// `aws_access_key_id`/`aws_secret_access_key` of the profile in one of the two files.
    func staticKeys(profile name: String, inCredentialsFile: Bool) throws -> AWSCredentials {
        let path = inCredentialsFile ? files.credentialsPath : files.configPath
        let sourceName = inCredentialsFile ? "shared credentials file" : "config file"
        guard let settings = (inCredentialsFile ? files.credentialsProfiles : files.configProfiles)[name],
              settings["aws_access_key_id"] != nil else {
            throw AWSCredentialsNotFound(source: sourceName, reason: "no aws_access_key_id for profile \(name) in \(path)")
        }
        guard let keyID = settings["aws_access_key_id"], !keyID.isEmpty,
              let secret = settings["aws_secret_access_key"], !secret.isEmpty else {
            throw AWSClientError.credentials("profile \(name) in \(path) has aws_access_key_id but no aws_secret_access_key")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                              sessionToken: settings["aws_session_token"] ?? settings["aws_security_token"],
                              method: inCredentialsFile ? .sharedCredentialsFile : .configFile,
                              source: "profile \(name) in \(path)")
    }

    /// The profile's `credential_process`.
    func process(profile name: String) async throws -> AWSCredentials {
        guard let command = files.profile(name)?["credential_process"] else {
            throw AWSCredentialsNotFound(source: "credential_process", reason: "profile \(name) has none")
        }
        return try await ProcessCredentialProvider(command: command, origin: "profile \(name)", system: system).credentials()
    }

    /// A `source_profile` may not lead back to a profile already on the way, except a profile
    /// naming itself to use its own keys (the AWS CLI allows that, and only that).
    private func checkSourceProfile(_ source: String, of parent: String, visited: [String]) throws {
        guard let settings = files.profile(source) else {
            throw AWSClientError.credentials("profile \(parent) names source_profile \(source), which is not defined in \(files.bothPaths)")
        }
        guard visited.contains(source) else { return }
        if source == parent && Self.hasStaticKeys(settings) { return }
        throw AWSClientError.credentials("source_profile loop: " + (visited + [source]).joined(separator: " -> "))
    }

    static func hasStaticKeys(_ settings: [String: String]) -> Bool {
        settings["aws_access_key_id"] != nil || settings["aws_secret_access_key"] != nil
    }

    /// A source profile with keys of its own, or without a role of its own, gives its
    /// credentials through the profile sources (no environment); one with a role assumes it.
    func sourceProfileCredentials(_ name: String, visited: [String]) async throws -> AWSCredentials {
        let settings = files.profile(name) ?? [:]
        let hasRole = settings["role_arn"] != nil && settings["web_identity_token_file"] == nil
        if hasRole && !Self.hasStaticKeys(settings) {
            return try await assumeRole(profile: name, visited: visited)
        }
        let sources = ProfileSourceProvider.Step.allCases.filter { $0 != .assumeRole }.map {
            ProfileSourceProvider(step: $0, profile: name, environmentAllowed: false, resolver: self) as any AWSCredentialProvider
        }
        do {
            return try await CredentialProviderChain(sources).credentials()
        } catch AWSClientError.credentials(let detail) where detail.hasPrefix("no AWS credentials found") {
            throw AWSClientError.credentials("source_profile \(name) has no credentials: \(detail)")
        }
    }
}

/// One source of one profile, so the chain can list each with its reason.
struct ProfileSourceProvider: AWSCredentialProvider {
    enum Step: CaseIterable {
        case assumeRole, webIdentity, sso, credentialsFile, process, configFile
    }

    let step: Step
    let profile: String
    let environmentAllowed: Bool
    let resolver: ProfileResolver

    func credentials() async throws -> AWSCredentials {
        switch step {
        case .assumeRole: return try await resolver.assumeRole(profile: profile, visited: [profile])
        case .webIdentity: return try await resolver.webIdentity(profile: profile, environmentAllowed: environmentAllowed)
        case .sso: return try await resolver.sso(profile: profile)
        case .credentialsFile: return try resolver.staticKeys(profile: profile, inCredentialsFile: true)
        case .process: return try await resolver.process(profile: profile)
        case .configFile: return try resolver.staticKeys(profile: profile, inCredentialsFile: false)
        }
    }
}

/// A `source_profile`, resolved when the role over it is assumed.
struct SourceProfile: AWSCredentialProvider {
    let name: String
    let visited: [String]
    let resolver: ProfileResolver

    func credentials() async throws -> AWSCredentials {
        try await resolver.sourceProfileCredentials(name, visited: visited)
    }
}

/// A profile neither file defines: not found (the default profile need not exist), or an error
/// when the user named it (a typo must not fall through to another identity).
struct UndefinedProfile: AWSCredentialProvider {
    let name: String
    let explicitlyNamed: Bool
    let files: SharedConfigFiles

    func credentials() async throws -> AWSCredentials {
        if explicitlyNamed {
            throw AWSClientError.credentials("profile \(name) is not defined in \(files.bothPaths)")
        }
        throw AWSCredentialsNotFound(source: "profile \(name)", reason: "not defined in \(files.bothPaths)")
    }
}
