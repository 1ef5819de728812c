import Foundation
import SGCrypto
import SGIO

/// Everything the AWS client takes from the outside world, injectable so tests control it:
/// environment variables, file reads, the home directory, the clock, sleeping and randomness.
public struct AWSSystem: Sendable {
    /// Environment variables.
    public var environment: [String: String]
    /// Reads a whole text file; nil when it does not exist, cannot be read, or is larger than
    /// `InputLimits.awsFileBytes` (the live reader stops there).
    public var readFile: @Sendable (String) -> String?
    /// The user's home directory (for ~/.aws/...).
    public var homeDirectory: String?
    /// Current time.
    public var now: @Sendable () -> Date
    /// Suspends for the given number of seconds (retry backoff).
    public var sleep: @Sendable (Double) async throws -> Void
    /// A uniformly distributed number in [0, 1) for backoff jitter.
    public var randomFraction: @Sendable () -> Double
    /// A fresh idempotency token (ClientRequestToken), unique per logical call.
    public var makeClientToken: @Sendable () -> String

    /// Creates a system from its parts.
    public init(environment: [String: String],
                readFile: @escaping @Sendable (String) -> String?,
                homeDirectory: String?,
                now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Double) async throws -> Void,
                randomFraction: @escaping @Sendable () -> Double,
                makeClientToken: @escaping @Sendable () -> String) {
        self.environment = environment
        self.readFile = readFile
        self.homeDirectory = homeDirectory
        self.now = now
        self.sleep = sleep
        self.randomFraction = randomFraction
        self.makeClientToken = makeClientToken
    }

    /// The real process environment, file system, clock and CSPRNG.
    public static var live: AWSSystem {
        let environment = ProcessInfo.processInfo.environment
        return AWSSystem(
            environment: environment,
            readFile: { path in
                guard let bytes = try? BoundedRead.file(path, limit: InputLimits.awsFileBytes) else { return nil }
                return String(validating: bytes, as: UTF8.self)
            },
            homeDirectory: environment["HOME"] ?? NSHomeDirectory(),
            now: { Date() },
            sleep: { seconds in try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000)) },
            randomFraction: {
                let bytes = SecureRandom.bytes(8)
                let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } >> 11
                return Double(value) / Double(UInt64(1) << 53)
            },
            makeClientToken: { "sgp-" + SecureRandom.hex(16) })
    }

    /// A non-empty environment variable, or nil.
    public func variable(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
