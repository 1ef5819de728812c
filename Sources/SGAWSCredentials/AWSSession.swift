import Foundation
import SGAWS

/// What the command line passes to the AWS layer.
public struct AWSSessionOptions: Sendable {
    /// `--profile`; when set, the environment's keys and web identity variables are not used
    /// (as the AWS CLI does with `--profile`), and a profile that does not exist is an error.
    public var profile: String?
    /// Explicit region (`--region`, or the config's region).
    public var region: String?
    /// `--endpoint-url`.
    public var endpointURL: String?
    /// Retry bounds.
    public var retryPolicy: RetryPolicy
    /// Per-request timeout, seconds.
    public var timeout: TimeInterval
    /// Debug hook; receives only action, status, request id and duration.
    public var debugLog: (@Sendable (AWSRequestLog) -> Void)?

    /// Creates options.
    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
                retryPolicy: RetryPolicy = RetryPolicy(), timeout: TimeInterval = 30,
                debugLog: (@Sendable (AWSRequestLog) -> Void)? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.debugLog = debugLog
    }
}

/// Resolved AWS settings (region, credentials chain, endpoints) and the factory for service
/// clients. The only place that decides precedence, so every action behaves like the AWS CLI.
public struct AWSSession: Sendable {
    /// The region every client signs for.
    public let region: String
    /// Cached credentials chain.
    public let credentials: any AWSCredentialProvider
    /// Options given.
    public let options: AWSSessionOptions
    /// Injected world.
    public let system: AWSSystem
    /// HTTP transport.
    public let transport: any HTTPTransport
    /// Endpoints the active profile configures (`endpoint_url`, `services`).
    public let configuredEndpoints: ConfiguredEndpoints

    /// Resolves region, endpoints and the credentials chain, in the AWS CLI's order: environment
    /// keys (not with `--profile`); then the profile (AWS_PROFILE, else `default`): role_arn,
    /// web identity (also AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, not with `--profile`), IAM
    /// Identity Center, keys in the credentials file, credential_process, keys in the config
    /// file; then the ECS container endpoint and the EC2 instance role (IMDSv2).
    /// https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
    public static func resolve(options: AWSSessionOptions, system: AWSSystem = .live,
                               transport: any HTTPTransport = URLSessionTransport()) throws -> AWSSession {
        let files = SharedConfigFiles.load(system: system)
        let environmentProfile = system.variable("AWS_PROFILE")
        let profileName = options.profile ?? environmentProfile ?? "default"
        guard let region = AWSRegionResolver.resolve(explicit: options.region, environment: system.environment,
                                                     profileRegion: files.profile(profileName)?["region"]) else {
            throw AWSClientError.configuration("no AWS region: set it in the config, AWS_REGION or the profile")
        }
        let configured = try ConfiguredEndpoints.of(profile: profileName, in: files)
        let container = ContainerCredentialProvider(system: system, transport: transport)
        let instance = InstanceMetadataCredentialProvider(system: system, transport: transport)
        let environment = EnvironmentCredentialProvider(environment: system.environment)
        let makeSTS = stsClientFactory(options: options, system: system, transport: transport, configured: configured)
        let makeSSO: SSOClientFactory = { ssoRegion in
            let endpoint = try AWSEndpointResolver.resolve(service: .ssoPortal, region: ssoRegion, explicit: options.endpointURL,
                                                           environment: system.environment, configured: configured)
            return SSOClient(endpoint: endpoint, transport: transport, system: system, retryPolicy: options.retryPolicy,
                             timeout: options.timeout, debugLog: options.debugLog)
        }
        let resolver = ProfileResolver(
            files: files, system: system, region: region, makeSTSClient: makeSTS, makeSSOClient: makeSSO,
            credentialSources: ["Environment": environment, "EcsContainer": container, "Ec2InstanceMetadata": instance])
        var providers: [any AWSCredentialProvider] = options.profile == nil ? [environment] : []
        providers += resolver.providers(for: profileName, explicitlyNamed: options.profile != nil || environmentProfile != nil,
                                        environmentAllowed: options.profile == nil)
        providers += [container, instance]
        return AWSSession(region: region, credentials: CachingCredentialProvider(CredentialProviderChain(providers), now: system.now),
                          options: options, system: system, transport: transport, configuredEndpoints: configured)
    }

    /// Creates a session from already-resolved parts (tests, or callers with their own credentials).
    public init(region: String, credentials: any AWSCredentialProvider, options: AWSSessionOptions,
                system: AWSSystem, transport: any HTTPTransport, configuredEndpoints: ConfiguredEndpoints = ConfiguredEndpoints()) {
        self.region = region
        self.credentials = credentials
        self.options = options
        self.system = system
        self.transport = transport
        self.configuredEndpoints = configuredEndpoints
    }

    /// A session acting as `request.roleARN`: its credentials come from sts:AssumeRole called with
    /// this session's credentials (and are fetched again before they expire), for `region` (else
    /// this session's). Sessions chain: one deployment over many accounts takes one such session per
    /// target account from the caller's. `origin` names the chain in the credential source.
    public func assumingRole(_ request: AssumeRoleRequest, region: String? = nil, origin: String = "sg-provisioner") -> AWSSession {
        let provider = AssumeRoleCredentialProvider(
            request: request, source: credentials, region: self.region, origin: origin,
            makeSTSClient: Self.stsClientFactory(options: options, system: system, transport: transport, configured: configuredEndpoints))
        return AWSSession(region: region ?? self.region, credentials: CachingCredentialProvider(provider, now: system.now),
                          options: options, system: system, transport: transport, configuredEndpoints: configuredEndpoints)
    }

    /// STS clients with the session's endpoint settings, signing with the given credentials.
    static func stsClientFactory(options: AWSSessionOptions, system: AWSSystem, transport: any HTTPTransport,
                                 configured: ConfiguredEndpoints) -> STSClientFactory {
        { signer, stsRegion in
            let endpoint = try AWSEndpointResolver.resolve(service: .sts, region: stsRegion, explicit: options.endpointURL,
                                                           environment: system.environment, configured: configured)
            return STSClient(query: AWSQueryClient(
                service: .sts, region: stsRegion, endpoint: endpoint, credentials: signer, transport: transport, system: system,
                retryPolicy: options.retryPolicy, timeout: options.timeout, debugLog: options.debugLog))
        }
    }

    /// A Query client for `service` with the resolved endpoint.
    public func queryClient(for service: AWSService) throws -> AWSQueryClient {
        let endpoint = try AWSEndpointResolver.resolve(service: service, region: region, explicit: options.endpointURL,
                                                       environment: system.environment, configured: configuredEndpoints)
        return AWSQueryClient(service: service, region: region, endpoint: endpoint, credentials: credentials,
                              transport: transport, system: system, retryPolicy: options.retryPolicy,
                              timeout: options.timeout, debugLog: options.debugLog)
    }

    /// STS client.
    public func sts() throws -> STSClient { STSClient(query: try queryClient(for: .sts)) }
}
