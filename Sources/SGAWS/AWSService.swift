import Foundation

/// A Query-protocol AWS service: its SigV4 signing name, API version and the suffix of its
/// service-specific endpoint variable (AWS_ENDPOINT_URL_<suffix>).
public struct AWSService: Sendable, Equatable, Hashable {
    /// SigV4 service name and endpoint prefix, e.g. "ec2".
    public let signingName: String
    /// The Query API version sent as `Version`.
    public let apiVersion: String
    /// Suffix of the service-specific endpoint environment variable.
    public let endpointVariableSuffix: String

    /// Creates a service description.
    public init(signingName: String, apiVersion: String, endpointVariableSuffix: String) {
        self.signingName = signingName
        self.apiVersion = apiVersion
        self.endpointVariableSuffix = endpointVariableSuffix
    }

    /// Amazon EC2 (security groups, VPCs).
    public static let ec2 = AWSService(signingName: "ec2", apiVersion: "2016-11-15", endpointVariableSuffix: "EC2")
    /// AWS CloudFormation.
    public static let cloudFormation = AWSService(signingName: "cloudformation", apiVersion: "2010-05-15",
                                                  endpointVariableSuffix: "CLOUDFORMATION")
    /// AWS STS (regional endpoint, as current SDKs default to).
    public static let sts = AWSService(signingName: "sts", apiVersion: "2011-06-15", endpointVariableSuffix: "STS")
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

/// Endpoint precedence: explicit (--endpoint-url) > AWS_ENDPOINT_URL_<SERVICE> >
/// AWS_ENDPOINT_URL > `https://{service}.{region}.amazonaws.com` (`.com.cn` in China).
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables the two variables, as in the AWS CLI.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
public enum AWSEndpointResolver {
    /// The endpoint URL, or a configuration error for an unusable override.
    public static func resolve(service: AWSService, region: String, explicit: String?,
                               environment: [String: String]) throws -> URL {
        let ignoreVariables = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        let candidates: [(String, String?)] = [
            ("--endpoint-url", explicit),
            ("AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)",
             ignoreVariables ? nil : environment["AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)"]),
            ("AWS_ENDPOINT_URL", ignoreVariables ? nil : environment["AWS_ENDPOINT_URL"]),
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
        return URL(string: "https://\(service.signingName).\(region).\(domain)")!
    }
}
