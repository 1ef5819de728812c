import Foundation
import SGCrypto
import SGIO

/// Everything the AWS client takes from the outside world, injectable so tests control it:
/// environment variables, file reads, the home directory, the clock, sleeping, randomness and
/// running a `credential_process`.
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
    /// Runs a program to completion and returns what it printed (a profile's `credential_process`).
    public var runProcess: @Sendable (ProcessInvocation) async throws -> ProcessOutput

    /// Creates a system from its parts.
    public init(environment: [String: String],
                readFile: @escaping @Sendable (String) -> String?,
                homeDirectory: String?,
                now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Double) async throws -> Void,
                randomFraction: @escaping @Sendable () -> Double,
                makeClientToken: @escaping @Sendable () -> String,
                runProcess: @escaping @Sendable (ProcessInvocation) async throws -> ProcessOutput = ProcessInvocation.run) {
        self.environment = environment
        self.readFile = readFile
        self.homeDirectory = homeDirectory
        self.now = now
        self.sleep = sleep
        self.randomFraction = randomFraction
        self.makeClientToken = makeClientToken
        self.runProcess = runProcess
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

/// A program to run: an executable path, its arguments and its whole environment.
public struct ProcessInvocation: Sendable, Equatable {
    /// Absolute or relative path of the executable (already looked up in PATH).
    public var executable: String
    /// Arguments after the program name.
    public var arguments: [String]
    /// The child's environment.
    public var environment: [String: String]

    /// Creates an invocation.
    public init(executable: String, arguments: [String], environment: [String: String]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Runs it on a thread of its own (never on a Swift-concurrency thread, which waiting for a
    /// child must not block), inheriting standard input so an interactive helper can prompt,
    /// and collects standard output and standard error.
    @Sendable public static func run(_ invocation: ProcessInvocation) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: invocation.executable)
                process.arguments = invocation.arguments
                process.environment = invocation.environment
                let output = Pipe(), errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                // Standard error is drained beside standard output so neither pipe can fill up and stall the child.
                let errorText = LockedData()
                let drained = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    errorText.set(errors.fileHandleForReading.readDataToEndOfFile())
                    drained.signal()
                }
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                drained.wait()
                process.waitUntilExit()
                continuation.resume(returning: ProcessOutput(
                    status: process.terminationStatus, standardOutput: Array(outputData), standardError: Array(errorText.get())))
            }
        }
    }
}

/// What a finished program left.
public struct ProcessOutput: Sendable, Equatable {
    /// Exit status (or the signal number for a killed child).
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: [UInt8]
    /// Everything written to standard error.
    public var standardError: [UInt8]

    /// Creates an output.
    public init(status: Int32, standardOutput: [UInt8], standardError: [UInt8]) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Bytes handed from one thread to another.
private final class LockedData: @unchecked Sendable {
    // @unchecked: `data` is only touched under `lock`.
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) {
        lock.lock()
        data = value
        lock.unlock()
    }
    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
