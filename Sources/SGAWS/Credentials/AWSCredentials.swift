import Foundation

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
    /// Which provider produced them ("environment", "profile default", "ecs", ...), for messages.
    public let source: String

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                source: String = "explicit") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// True when the credentials expire within `margin` seconds of `now`.
    public func isExpired(at now: Date, margin: TimeInterval = 0) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }

    /// Redacted rendering: the access key id and the source only.
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
            + (sessionToken == nil ? "" : ", sessionToken: <redacted>") + ", source: \(source))"
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
            "source": source,
        ], displayStyle: .struct)
    }
}
