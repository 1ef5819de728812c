import Foundation

/// What the command line passes to the AWS layer.
public struct AWSSessionOptions: Sendable {
    /// `--profile`; when set, only that profile is used (as the AWS CLI does).
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

    /// Resolves region and builds the credentials chain: with `--profile`, that profile only;
    /// otherwise environment, shared files (AWS_PROFILE or default), ECS container, EC2 IMDSv2.
    public static func resolve(options: AWSSessionOptions, system: AWSSystem = .live,
                               transport: any HTTPTransport = URLSessionTransport()) throws -> AWSSession {
        let files = SharedConfigFiles.load(system: system)
        let profileName = options.profile ?? system.variable("AWS_PROFILE") ?? "default"
        guard let region = AWSRegionResolver.resolve(explicit: options.region, environment: system.environment,
                                                     profileRegion: files.profile(profileName)?["region"]) else {
            throw AWSClientError.configuration("no AWS region: set it in the config, AWS_REGION or the profile")
        }
        let container = ContainerCredentialProvider(system: system, transport: transport)
        let instance = InstanceMetadataCredentialProvider(system: system, transport: transport)
        let environment = EnvironmentCredentialProvider(environment: system.environment)
        let endpointOverride = options.endpointURL
        let makeSTS: ProfileCredentialProvider.STSClientFactory = { source, stsRegion in
            let endpoint = try AWSEndpointResolver.resolve(service: .sts, region: stsRegion, explicit: endpointOverride,
                                                           environment: system.environment)
            return STSClient(query: AWSQueryClient(
                service: .sts, region: stsRegion, endpoint: endpoint, credentials: StaticCredentialProvider(source),
                transport: transport, system: system, retryPolicy: options.retryPolicy, timeout: options.timeout,
                debugLog: options.debugLog))
        }
        let profile = ProfileCredentialProvider(
            profileName: profileName, explicitlyNamed: options.profile != nil || system.variable("AWS_PROFILE") != nil,
            files: files, system: system, makeSTSClient: makeSTS,
            credentialSourceProviders: ["Environment": environment, "EcsContainer": container, "Ec2InstanceMetadata": instance])
        let chain: CredentialProviderChain = options.profile != nil
            ? CredentialProviderChain([profile])
            : CredentialProviderChain([environment, profile, container, instance])
        return AWSSession(region: region, credentials: CachingCredentialProvider(chain, now: system.now),
                          options: options, system: system, transport: transport)
    }

    /// Creates a session from already-resolved parts (tests, or callers with their own credentials).
    public init(region: String, credentials: any AWSCredentialProvider, options: AWSSessionOptions,
                system: AWSSystem, transport: any HTTPTransport) {
        self.region = region
        self.credentials = credentials
        self.options = options
        self.system = system
        self.transport = transport
    }

    /// A Query client for `service` with the resolved endpoint.
    public func queryClient(for service: AWSService) throws -> AWSQueryClient {
        let endpoint = try AWSEndpointResolver.resolve(service: service, region: region, explicit: options.endpointURL,
                                                       environment: system.environment)
        return AWSQueryClient(service: service, region: region, endpoint: endpoint, credentials: credentials,
                              transport: transport, system: system, retryPolicy: options.retryPolicy,
                              timeout: options.timeout, debugLog: options.debugLog)
    }

    /// CloudFormation client.
    public func cloudFormation() throws -> CloudFormationClient { CloudFormationClient(query: try queryClient(for: .cloudFormation)) }
    /// EC2 client.
    public func ec2() throws -> EC2Client { EC2Client(query: try queryClient(for: .ec2)) }
    /// STS client.
    public func sts() throws -> STSClient { STSClient(query: try queryClient(for: .sts)) }
}
