import Foundation
import SGAWS

/// Records the waits a client asked for, instead of sleeping.
public final class SleepRecorder: @unchecked Sendable {
    // @unchecked: `delays` only touched under `lock`.
    private let lock = NSLock()
    private var delays: [Double] = []
    /// Creates an empty recorder.
    public init() {}
    /// Records one wait.
    public func record(_ seconds: Double) {
        lock.lock()
        delays.append(seconds)
        lock.unlock()
    }
    /// Every wait added up.
    public var total: Double { recorded.reduce(0, +) }
    /// The waits in order.
    public var recorded: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return delays
    }
}

/// Collects log lines from the debug hook.
public final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [AWSRequestLog] = []
    /// Creates an empty collector.
    public init() {}
    /// Adds one entry.
    public func append(_ entry: AWSRequestLog) {
        lock.lock()
        entries.append(entry)
        lock.unlock()
    }
    /// The entries in order.
    public var all: [AWSRequestLog] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }
}

/// A fixed instant so signatures and tokens are reproducible.
public let fixedDate = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

/// An AWSSystem with a given environment and in-memory files; sleeps are recorded, jitter is 0.5.
public func testSystem(environment: [String: String] = [:], files: [String: String] = [:],
                       sleeps: SleepRecorder = SleepRecorder()) -> AWSSystem {
    AWSSystem(
        environment: environment,
        readFile: { files[$0] },
        homeDirectory: "/home/tester",
        // The clock advances by the recorded sleeps, so time budgets behave as in real life.
        now: { fixedDate.addingTimeInterval(sleeps.total) },
        sleep: { sleeps.record($0) },
        randomFraction: { 0.5 },
        makeClientToken: { "sgp-test-token-1" })
}

/// Credentials whose secrets must never show up anywhere.
public let testCredentials = AWSCredentials(accessKeyID: "AKIDTESTKEY000000001",
                                            secretAccessKey: "TopSecretValueThatMustNeverBeLogged/+xyz",
                                            sessionToken: "SessionTokenThatMustNeverBeLogged", source: "test")

/// A Query client against `endpoint` with the test system.
public func testQueryClient(_ service: AWSService, endpoint: URL, system: AWSSystem, credentials: AWSCredentials = testCredentials,
                            retryPolicy: RetryPolicy = RetryPolicy(), log: LogCollector? = nil,
                            timeout: TimeInterval = 5) -> AWSQueryClient {
    var hook: (@Sendable (AWSRequestLog) -> Void)?
    if let log { hook = { entry in log.append(entry) } }
    return AWSQueryClient(service: service, region: "us-east-1", endpoint: endpoint,
                          credentials: StaticCredentialProvider(credentials), transport: URLSessionTransport(),
                          system: system, retryPolicy: retryPolicy, timeout: timeout, debugLog: hook)
}
