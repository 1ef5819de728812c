import Foundation

/// A token bucket: at most `burst` requests at once, refilled at `ratePerSecond`. One bucket per
/// AWS account paces every request a fleet run makes in that account, whichever region and target
/// it is for, so a run over many regions of one account stays inside the account's API quotas
/// (EC2 throttles per account and region, and other tools of the account share the same buckets).
/// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
public actor RequestRateLimiter {
    /// Tokens added per second.
    public let ratePerSecond: Double
    /// Most tokens held at once (requests that may go out back to back).
    public let burst: Double
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Double) async throws -> Void
    private var tokens: Double
    private var updated: Date
    /// Requests that had to wait for a token, and for how long in total (for the audit log).
    public private(set) var waits = 0
    /// Seconds spent waiting for tokens.
    public private(set) var waitedSeconds = 0.0

    /// Creates a full bucket.
    public init(ratePerSecond: Double, burst: Double, now: @escaping @Sendable () -> Date = Date.init,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1_000_000_000)) }) {
        self.ratePerSecond = max(ratePerSecond, 0.001)
        self.burst = max(burst, 1)
        self.now = now
        self.sleep = sleep
        tokens = max(burst, 1)
        updated = now()
    }

    /// Takes one token, waiting for it when the bucket is empty. Waiters are served in the order
    /// they asked: each reserves its token (the count may go below zero) and sleeps off its debt.
    public func acquire() async throws {
        refill()
        tokens -= 1
        guard tokens < 0 else { return }
        let wait = -tokens / ratePerSecond
        waits += 1
        waitedSeconds += wait
        try await sleep(wait)
    }

    private func refill() {
        let current = now()
        let elapsed = current.timeIntervalSince(updated)
        if elapsed > 0 {
            tokens = min(burst, tokens + elapsed * ratePerSecond)
            updated = current
        }
    }
}

/// A transport that takes a token from a limiter before every request (every retry too: a retry
/// is a request the account's quota counts).
public struct RateLimitedTransport: HTTPTransport {
    /// Where requests go once they have a token.
    public let base: any HTTPTransport
    /// The account's bucket.
    public let limiter: RequestRateLimiter

    /// Wraps `base`.
    public init(_ base: any HTTPTransport, limiter: RequestRateLimiter) {
        self.base = base
        self.limiter = limiter
    }

    /// Waits for a token, then sends.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await limiter.acquire()
        return try await base.send(request)
    }
}
