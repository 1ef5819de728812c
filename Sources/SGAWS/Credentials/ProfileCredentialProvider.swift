import Foundation

/// Credentials of a named profile from the shared files: static keys, or `role_arn` with
/// `source_profile` (or `credential_source`) through STS AssumeRole.
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
public struct ProfileCredentialProvider: AWSCredentialProvider {
    /// Builds an STS client that signs with the given source credentials in the given region.
    public typealias STSClientFactory = @Sendable (_ sourceCredentials: AWSCredentials, _ region: String) throws -> STSClient

    /// Profile name.
    public let profileName: String
    /// Whether the user named the profile (then a missing profile is an error, not "not found").
    public let explicitlyNamed: Bool
    private let files: SharedConfigFiles
    private let system: AWSSystem
    private let makeSTSClient: STSClientFactory
    private let credentialSourceProviders: [String: any AWSCredentialProvider]

    /// Creates a provider. `credentialSourceProviders` maps `credential_source` values
    /// (Environment, EcsContainer, Ec2InstanceMetadata) to providers.
    public init(profileName: String, explicitlyNamed: Bool, files: SharedConfigFiles, system: AWSSystem,
                makeSTSClient: @escaping STSClientFactory,
                credentialSourceProviders: [String: any AWSCredentialProvider] = [:]) {
        self.profileName = profileName
        self.explicitlyNamed = explicitlyNamed
        self.files = files
        self.system = system
        self.makeSTSClient = makeSTSClient
        self.credentialSourceProviders = credentialSourceProviders
    }

    /// Resolves the profile, assuming roles along a `source_profile` chain.
    public func credentials() async throws -> AWSCredentials {
        guard files.profile(profileName) != nil else {
            if explicitlyNamed {
                throw AWSClientError.credentials("profile '\(profileName)' is not defined in the AWS config or credentials file")
            }
            throw AWSCredentialsNotFound("no profile '\(profileName)' in the shared files")
        }
        return try await resolve(profileName, visited: [])
    }

    private func resolve(_ name: String, visited: [String]) async throws -> AWSCredentials {
        guard let settings = files.profile(name) else {
            throw AWSClientError.credentials("source_profile '\(name)' is not defined")
        }
        if visited.contains(name) {
            throw AWSClientError.credentials("source_profile loop: " + (visited + [name]).joined(separator: " -> "))
        }
        if let roleARN = settings["role_arn"] {
            let source: AWSCredentials
            if let sourceProfile = settings["source_profile"] {
                // A profile naming itself as source uses its own static keys (AWS CLI behaviour).
                if sourceProfile == name {
                    source = try staticCredentials(settings, profile: name)
                } else {
                    source = try await resolve(sourceProfile, visited: visited + [name])
                }
            } else if let credentialSource = settings["credential_source"] {
                guard let provider = credentialSourceProviders[credentialSource] else {
                    throw AWSClientError.credentials("profile '\(name)': unsupported credential_source '\(credentialSource)'")
                }
                source = try await provider.credentials()
            } else {
                throw AWSClientError.credentials("profile '\(name)' has role_arn but neither source_profile nor credential_source")
            }
            let region = AWSRegionResolver.resolve(explicit: nil, environment: system.environment,
                                                   profileRegion: settings["region"]) ?? "us-east-1"
            let sts = try makeSTSClient(source, region)
            let sessionName = settings["role_session_name"] ?? "sg-provisioner-\(Int(system.now().timeIntervalSince1970))"
            let assumed = try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName,
                                                   durationSeconds: settings["duration_seconds"].flatMap { Int($0) },
                                                   externalID: settings["external_id"])
            return AWSCredentials(accessKeyID: assumed.accessKeyID, secretAccessKey: assumed.secretAccessKey,
                                  sessionToken: assumed.sessionToken, expiration: assumed.expiration,
                                  source: "profile \(profileName) (assume-role \(roleARN))")
        }
        return try staticCredentials(settings, profile: name)
    }

    private func staticCredentials(_ settings: [String: String], profile: String) throws -> AWSCredentials {
        guard let keyID = settings["aws_access_key_id"], !keyID.isEmpty,
              let secret = settings["aws_secret_access_key"], !secret.isEmpty else {
            throw AWSClientError.credentials("profile '\(profile)' has no aws_access_key_id/aws_secret_access_key")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: settings["aws_session_token"],
                              source: "profile \(profile)")
    }
}
