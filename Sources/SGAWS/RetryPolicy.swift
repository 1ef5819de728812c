import Foundation

/// When and how long to wait before retrying: exponential backoff with full jitter, bounded
/// by an attempt count and a total time budget.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first (AWS's standard mode uses 3; this tool 5, since its
    /// calls are few and a deploy failing on a transient error is costly).
    public var maxAttempts: Int
    /// Backoff ceiling for the first retry, in seconds; doubles each retry.
    public var baseDelay: Double
    /// Largest single wait, in seconds.
    public var maxDelay: Double
    /// No retry starts after this many seconds since the first attempt.
    public var maxTotalTime: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 20, maxTotalTime: Double = 120) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Wait before retry number `retry` (1 = first retry), "full jitter":
    /// uniform in [0, min(maxDelay, baseDelay × 2^(retry-1))). `random` is in [0, 1).
    public func delay(beforeRetry retry: Int, random: Double) -> Double {
        let exponent = Double(max(0, retry - 1))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return ceiling * min(max(random, 0), 1)
    }
}

/// Whether repeating a call can do harm, which decides what may be retried.
public enum Idempotency: Sendable, Equatable {
    /// Reads and state-setting calls: repeating is harmless.
    case idempotent
    /// The call carries an idempotency token reused on every retry, so AWS performs it once.
    case tokenProtected
    /// Repeating could act twice (Authorize*, Revoke*): retry only when the request provably
    /// never reached the server.
    case unsafe
}
