import Foundation
import Synchronization
import Testing

@testable import SGAWS

/// The per-account bucket fleet actions pace their requests with (`--account-rate`).
@Suite struct RateLimiterTests {
    /// A clock that only moves when the limiter sleeps.
    final class Clock: Sendable {
        let seconds = Mutex(0.0)
        let slept = Mutex<[Double]>([])
        func now() -> Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
        func sleep(_ by: Double) { seconds.withLock { $0 += by }; slept.withLock { $0.append(by) } }
    }

    @Test func aFullBucketLetsTheBurstThroughThenPacesAtTheRate() async throws {
        let clock = Clock()
        let limiter = RequestRateLimiter(ratePerSecond: 2, burst: 3, now: { clock.now() }, sleep: { clock.sleep($0) })
        for _ in 0..<3 { try await limiter.acquire() }
        #expect(clock.slept.withLock { $0 }.isEmpty, "the burst goes out at once")
        for _ in 0..<4 { try await limiter.acquire() }
        // Each further request waits half a second: 2 per second.
        #expect(clock.slept.withLock { $0 } == [0.5, 0.5, 0.5, 0.5])
        #expect(await limiter.waits == 4)
        #expect(abs(await limiter.waitedSeconds - 2.0) < 1e-9)
    }

    @Test func idleTimeRefillsUpToTheBurstOnly() async throws {
        let clock = Clock()
        let limiter = RequestRateLimiter(ratePerSecond: 10, burst: 2, now: { clock.now() }, sleep: { clock.sleep($0) })
        try await limiter.acquire()
        try await limiter.acquire()
        clock.seconds.withLock { $0 += 60 }  // a minute idle: still only two tokens
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(clock.slept.withLock { $0 }.isEmpty)
        try await limiter.acquire()
        #expect(clock.slept.withLock { $0 } == [0.1])
    }

    /// A transport that records when each request arrives.
    final class Recorder: HTTPTransport, Sendable {
        let clock: Clock
        let times = Mutex<[Double]>([])
        init(clock: Clock) { self.clock = clock }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            times.withLock { $0.append(clock.now().timeIntervalSince1970) }
            return HTTPResponse(statusCode: 200)
        }
    }

    @Test func theTransportTakesATokenBeforeEveryRequest() async throws {
        let clock = Clock()
        let limiter = RequestRateLimiter(ratePerSecond: 1, burst: 1, now: { clock.now() }, sleep: { clock.sleep($0) })
        let recorder = Recorder(clock: clock)
        let transport = RateLimitedTransport(recorder, limiter: limiter)
        for _ in 0..<3 { _ = try await transport.send(HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:9/")!)) }
        #expect(recorder.times.withLock { $0 } == [0, 1, 2])
    }
}
