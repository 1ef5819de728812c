import Foundation

/// Something that can produce AWS credentials.
public protocol AWSCredentialProvider: Sendable {
    /// Returns credentials, or throws `AWSCredentialsNotFound` when this source is simply not
    /// configured (the chain then tries the next), or another error when it is configured but broken.
    func credentials() async throws -> AWSCredentials
}

/// Thrown by a provider whose source is not configured; the chain moves on and, when no source
/// serves, lists every one of these so the user sees what was looked at and why it did not count.
public struct AWSCredentialsNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source, e.g. "environment", "profile dev: credential_process".
    public let source: String
    /// Why it gave nothing, e.g. "AWS_ACCESS_KEY_ID is not set".
    public let reason: String
    /// Creates the error.
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
    /// `source: reason`.
    public var description: String { "\(source): \(reason)" }
}

/// Fixed credentials (tests, or credentials obtained elsewhere).
public struct StaticCredentialProvider: AWSCredentialProvider {
    private let value: AWSCredentials
    /// Wraps `credentials`.
    public init(_ credentials: AWSCredentials) { value = credentials }
    /// Returns the wrapped credentials.
    public func credentials() async throws -> AWSCredentials { value }
}

/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN (or the older
/// AWS_SECURITY_TOKEN, which botocore still reads).
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    private let environment: [String: String]
    /// Reads from `environment`.
    public init(environment: [String: String]) { self.environment = environment }

    /// The environment's credentials; not found when the key id is unset, an error when only
    /// half of the pair is set (a typo should not silently fall through to another identity).
    public func credentials() async throws -> AWSCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
        case (nil, nil):
            throw AWSCredentialsNotFound(source: "environment", reason: "AWS_ACCESS_KEY_ID is not set")
        case (let keyID?, let secret?):
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                  sessionToken: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"),
                                  method: .environment, source: "environment variables")
        case (nil, _):
            throw AWSClientError.credentials("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil):
            throw AWSClientError.credentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }
}

/// Tries providers in order; the first that is configured wins.
public struct CredentialProviderChain: AWSCredentialProvider {
    /// Providers in the order tried.
    public let providers: [any AWSCredentialProvider]
    /// Creates a chain.
    public init(_ providers: [any AWSCredentialProvider]) { self.providers = providers }

    /// Credentials from the first configured provider. A configured-but-failing provider stops
    /// the chain with its error, as the AWS CLI does: falling through to another identity would
    /// act as someone the user did not choose. When none is configured, the error lists each
    /// source with the reason it gave nothing.
    public func credentials() async throws -> AWSCredentials {
        var tried: [AWSCredentialsNotFound] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let notFound as AWSCredentialsNotFound {
                tried.append(notFound)
            }
        }
        throw Self.exhausted(tried)
    }

    /// The error for a chain in which no source served.
    public static func exhausted(_ tried: [AWSCredentialsNotFound]) -> AWSClientError {
        .credentials("no AWS credentials found; tried, in the AWS CLI's order: "
            + tried.map { "\($0.source) (\($0.reason))" }.joined(separator: "; "))
    }
}

/// Caches credentials and refreshes them shortly before they expire, so a long deploy
/// keeps working with temporary credentials and concurrent calls share one fetch.
public actor CachingCredentialProvider: AWSCredentialProvider {
    private let base: any AWSCredentialProvider
    private let now: @Sendable () -> Date
    private let refreshMargin: TimeInterval
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, Error>?

    /// Wraps `base`; refreshes `refreshMargin` seconds before expiry.
    public init(_ base: any AWSCredentialProvider, now: @escaping @Sendable () -> Date, refreshMargin: TimeInterval = 300) {
        self.base = base
        self.now = now
        self.refreshMargin = refreshMargin
    }

    /// Cached credentials while valid, else a fresh fetch.
    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.isExpired(at: now(), margin: refreshMargin) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { [base] in try await base.credentials() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }
}

/// No credentials at all: a client given this sends its requests unsigned. STS
/// AssumeRoleWithWebIdentity is such a call: the web identity token in the request is the proof,
/// and the caller has no AWS keys yet.
public struct AnonymousAccess: AWSCredentialProvider {
    /// Creates the marker.
    public init() {}
    /// Never called by the Query client; a programming error elsewhere.
    public func credentials() async throws -> AWSCredentials {
        throw AWSClientError.credentials("anonymous access has no credentials")
    }
}
