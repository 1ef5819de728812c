import Foundation

/// How credentials were obtained, spelled as botocore spells `Credentials.method`, so an audit
/// log says the same as the AWS CLI's `aws configure list` and the tests can compare with boto3.
public enum AWSCredentialMethod: String, Sendable, Equatable, CaseIterable {
    /// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    case environment = "env"
    /// sts:AssumeRole with a profile's `role_arn` (or a caller's own role chain).
    case assumeRole = "assume-role"
    /// sts:AssumeRoleWithWebIdentity with a token file (CI OIDC, EKS service accounts).
    case webIdentity = "assume-role-with-web-identity"
    /// IAM Identity Center: the cached `aws sso login` token traded for role credentials.
    case sso = "sso"
    /// Keys in the shared credentials file.
    case sharedCredentialsFile = "shared-credentials-file"
    /// A profile's `credential_process`.
    case process = "custom-process"
    /// Keys in the shared config file.
    case configFile = "config-file"
    /// The ECS/EKS container credentials endpoint.
    case container = "container-role"
    /// The EC2 instance role through IMDSv2.
    case instanceRole = "iam-role"
    /// Given directly by the caller (tests, or credentials obtained elsewhere).
    case explicit = "explicit"
}

/// An AWS access key pair, optionally temporary (session token and expiry).
///
/// Every textual rendering (`description`, `debugDescription`, `dump`, string interpolation)
/// shows the access key id only; the secret and the session token are never rendered.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id (AKIA... / ASIA...), not a secret.
    public let accessKeyID: String
    /// The secret access key.
    public let secretAccessKey: String
    /// The session token of temporary credentials.
    public let sessionToken: String?
    /// When temporary credentials stop working.
    public let expiration: Date?
    /// How they were obtained (botocore's method name).
    public let method: AWSCredentialMethod
    /// Where they came from, for people: the profile, file, role or endpoint (never a secret),
    /// e.g. "profile deploy: role arn:aws:iam::123456789012:role/x from profile ci (assume-role-with-web-identity)".
    public let source: String

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                method: AWSCredentialMethod = .explicit, source: String = "explicit") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.method = method
        self.source = source
    }

    /// The same keys, described as coming from somewhere else (a provider that wraps another).
    public func described(method: AWSCredentialMethod, source: String) -> AWSCredentials {
        AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                       expiration: expiration, method: method, source: source)
    }

    /// True when the credentials expire within `margin` seconds of `now`.
    public func isExpired(at now: Date, margin: TimeInterval = 0) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }

    /// Redacted rendering: the access key id, method and source only.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>") + ", method: \(method.rawValue), source: \(source))"
    }

    /// Same as `description`: debug output must not leak the secret either.
    public var debugDescription: String { description }

    /// Reflection (`dump`, `Mirror`) shows redacted placeholders instead of the stored secrets.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyID": accessKeyID,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            "expiration": expiration as Any,
            "method": method.rawValue,
            "source": source,
        ], displayStyle: .struct)
    }
}
