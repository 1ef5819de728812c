import Foundation

/// An AWS service the client calls: its SigV4 signing name, API version, the host prefix of its
/// default endpoint and the suffix of its service-specific endpoint variable (AWS_ENDPOINT_URL_<suffix>,
/// lowercased also its key in a config file's `[services]` section).
public struct AWSService: Sendable, Equatable, Hashable {
    /// SigV4 service name, e.g. "ec2".
    public let signingName: String
    /// The Query API version sent as `Version`.
    public let apiVersion: String
    /// Suffix of the service-specific endpoint environment variable.
    public let endpointVariableSuffix: String
    /// The default endpoint's host before `.{region}.amazonaws.com`.
    public let hostPrefix: String

    /// Creates a service description; the host prefix defaults to the signing name.
    public init(signingName: String, apiVersion: String, endpointVariableSuffix: String, hostPrefix: String? = nil) {
        self.signingName = signingName
        self.apiVersion = apiVersion
        self.endpointVariableSuffix = endpointVariableSuffix
        self.hostPrefix = hostPrefix ?? signingName
    }

    /// Amazon EC2 (security groups, VPCs).
    public static let ec2 = AWSService(signingName: "ec2", apiVersion: "2016-11-15", endpointVariableSuffix: "EC2")
    /// AWS CloudFormation.
    public static let cloudFormation = AWSService(signingName: "cloudformation", apiVersion: "2010-05-15",
                                                  endpointVariableSuffix: "CLOUDFORMATION")
    /// AWS STS (regional endpoint, as current SDKs default to).
    public static let sts = AWSService(signingName: "sts", apiVersion: "2011-06-15", endpointVariableSuffix: "STS")
    /// The IAM Identity Center portal (GetRoleCredentials); calls carry a bearer token, not SigV4.
    public static let ssoPortal = AWSService(signingName: "awsssoportal", apiVersion: "2019-06-10",
                                             endpointVariableSuffix: "SSO", hostPrefix: "portal.sso")
}

/// Region precedence: explicit (--region / config) > AWS_REGION > AWS_DEFAULT_REGION > profile.
public enum AWSRegionResolver {
    /// The region to use, or nil when none is configured anywhere.
    public static func resolve(explicit: String?, environment: [String: String], profileRegion: String?) -> String? {
        for candidate in [explicit, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], profileRegion] {
            if let value = candidate?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return nil
    }
}

/// Endpoints a profile configures: its `endpoint_url` and the `[services]` section it names
/// (`services = name`), and whether it ignores configured endpoints.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
public struct ConfiguredEndpoints: Sendable, Equatable {
    /// `endpoint_url` of the profile: every service.
    public var global: String?
    /// `endpoint_url` per service id (lowercased variable suffix) from the services section.
    public var perService: [String: String]
    /// `ignore_configured_endpoint_urls = true` in the profile.
    public var ignored: Bool

    /// Creates the settings.
    public init(global: String? = nil, perService: [String: String] = [:], ignored: Bool = false) {
        self.global = global
        self.perService = perService
        self.ignored = ignored
    }
}

/// Endpoint precedence, as in the AWS SDKs: explicit (--endpoint-url) > AWS_ENDPOINT_URL_<SERVICE>
/// > AWS_ENDPOINT_URL > the profile's services section > the profile's `endpoint_url` >
/// `https://{prefix}.{region}.amazonaws.com` (`.com.cn` in China). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
/// (or the profile's `ignore_configured_endpoint_urls`) = true turns off all but the explicit one.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
public enum AWSEndpointResolver {
    /// The endpoint URL, or a configuration error for an unusable override.
    public static func resolve(service: AWSService, region: String, explicit: String?,
                               environment: [String: String], configured: ConfiguredEndpoints = ConfiguredEndpoints()) throws -> URL {
        let variable = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased()
        let ignoreConfigured = variable.map { $0 == "true" } ?? configured.ignored
        let serviceKey = service.endpointVariableSuffix.lowercased()
        let candidates: [(String, String?)] = [
            ("--endpoint-url", explicit),
            ("AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)",
             ignoreConfigured ? nil : environment["AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)"]),
            ("AWS_ENDPOINT_URL", ignoreConfigured ? nil : environment["AWS_ENDPOINT_URL"]),
            ("the profile's services section (\(serviceKey) endpoint_url)", ignoreConfigured ? nil : configured.perService[serviceKey]),
            ("the profile's endpoint_url", ignoreConfigured ? nil : configured.global),
        ]
        for (source, value) in candidates {
            guard let value, !value.isEmpty else { continue }
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                throw AWSClientError.configuration("\(source) is not an http(s) URL: \(value)")
            }
            return url
        }
        guard region.range(of: "^[a-z]{2}(-[a-z]+)+-[0-9]+$", options: .regularExpression) != nil else {
            throw AWSClientError.configuration("'\(region)' is not an AWS region name")
        }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://\(service.hostPrefix).\(region).\(domain)")!
    }
}
