import Foundation

/// Something that can produce AWS credentials.
public protocol AWSCredentialProvider: Sendable {
    /// Returns credentials, or throws `AWSCredentialsNotFound` when this source is simply not
    /// configured (the chain then tries the next), or another error when it is configured but broken.
    func credentials() async throws -> AWSCredentials
}

/// Thrown by a provider whose source is not configured; the chain moves on.
public struct AWSCredentialsNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which source was not configured and why.
    public let detail: String
    /// Creates the error.
    public init(_ detail: String) { self.detail = detail }
    /// The detail.
    public var description: String { detail }
}

/// Fixed credentials (tests, or credentials obtained elsewhere).
public struct StaticCredentialProvider: AWSCredentialProvider {
    private let value: AWSCredentials
    /// Wraps `credentials`.
    public init(_ credentials: AWSCredentials) { value = credentials }
    /// Returns the wrapped credentials.
    public func credentials() async throws -> AWSCredentials { value }
}

/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN.
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    private let environment: [String: String]
    /// Reads from `environment`.
    public init(environment: [String: String]) { self.environment = environment }

    /// The environment's credentials; not found when the key id is unset, an error when only
    /// half of the pair is set (a typo should not silently fall through to another identity).
    public func credentials() async throws -> AWSCredentials {
        let keyID = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyID, secret) {
        case (nil, nil):
            throw AWSCredentialsNotFound("AWS_ACCESS_KEY_ID is not set")
        case (let keyID?, let secret?):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, source: "environment")
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

    /// Credentials from the first configured provider; a configured-but-failing provider
    /// stops the chain with its error, as the AWS CLI does.
    public func credentials() async throws -> AWSCredentials {
        var tried: [String] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let notFound as AWSCredentialsNotFound {
                tried.append(notFound.detail)
            }
        }
        throw AWSClientError.credentials("no AWS credentials found (" + tried.joined(separator: "; ") + ")")
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
