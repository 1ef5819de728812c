import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A helper server process started by a test (moto_server, a Python stub). Stopped explicitly
/// by `stop()`, at process exit by an `atexit` hook, and by a parent-watchdog on the Python side
/// if the test process dies — so none outlives its test run.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only mutated under `lock`.
    private let process: Process
    private let lock = NSLock()
    private var stopped = false
    /// Where the child's stderr (and stdout, unless a pipe was asked for) goes, so a server
    /// that does not come up can be diagnosed from the test's failure message.
    let logPath: String

    init(process: Process, logPath: String) {
        self.process = process
        self.logPath = logPath
    }

    /// The last `maxBytes` of what the child printed (its log), for failure messages.
    public func logTail(maxBytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "(no log at \(logPath))" }
        let tail = data.suffix(maxBytes)
        let text = String(decoding: tail, as: UTF8.self)
        return text.isEmpty ? "(the server printed nothing)" : text
    }

    /// True while the child runs.
    public var isRunning: Bool { process.isRunning }

    /// Process id of the child.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Terminates the child (SIGTERM, then SIGKILL after 5 s) and waits for it. Idempotent.
    /// Polls `isRunning` rather than calling `waitUntilExit()`, which can hang on Linux when
    /// called from a Swift Concurrency thread.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        process.terminate()
        // Reap it ourselves: Foundation's own exit monitoring is slow to notice on Linux.
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while Date() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || result == -1 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
    }

    /// The real Python interpreter. Version-manager shims (pyenv) may run Python as a
    /// child of a shell, so SIGTERM to the shim would not stop the server.
    public static let pythonExecutable: String = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        probe.standardOutput = pipe
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return "python3" }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return output.isEmpty ? "python3" : output
    }()

    /// Starts `arguments` through `/usr/bin/env` and registers it for stop at exit;
    /// a leading "python3" is replaced by the real interpreter.
    public static func launch(_ arguments: [String], environment: [String: String]? = nil,
                       standardOutput: Pipe? = nil) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments.first == "python3" ? [pythonExecutable] + arguments.dropFirst() : arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("sg-child-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
        process.standardOutput = standardOutput ?? log
        process.standardError = log
        try process.run()
        let child = ChildProcess(process: process, logPath: logPath)
        ChildRegistry.shared.register(child)
        return child
    }

    /// Starts one of the test servers (`Tests/Fixtures/aws/loopback.py`: stubs, the fault proxy),
    /// which prints "PORT n" once it listens on 127.0.0.1; reading that line also proves it is
    /// ready. Returns the server's endpoint, or stops it and fails with its log.
    public static func launchLoopbackServer(_ arguments: [String]) throws -> (endpoint: URL, child: ChildProcess) {
        let pipe = Pipe()
        let child = try launch(arguments, standardOutput: pipe)
        var line = ""
        while !line.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += String(decoding: data, as: UTF8.self)
        }
        guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            child.stop()
            let script = arguments.dropFirst().first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? arguments.joined(separator: " ")
            throw TestSupportError.serverDidNotStart(script, reason: "it printed no PORT line", log: child.logTail())
        }
        return (URL(string: "http://127.0.0.1:\(port)")!, child)
    }

    /// A TCP port that was free a moment ago (bound to port 0 and released).
    public static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TestSupportError.noFreePort }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestSupportError.noFreePort }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw TestSupportError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// How long a helper server may take to answer. Generous on purpose: on a loaded 2-core
    /// machine (the compiler building beside the tests) moto_server took over 30 s to import.
    /// A server that is up answers at once, so a long bound costs nothing when all is well.
    public static let startupTimeout: TimeInterval = 240

    /// Polls `url` until any HTTP response arrives, the child dies, or `timeout` passes; the
    /// failure carries the child's log.
    static func waitUntilAnswering(_ url: URL, child: ChildProcess, timeout: TimeInterval = startupTimeout) async throws {
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        while Date() < deadline {
            var request = URLRequest(url: url)
            request.timeoutInterval = 2
            if let (_, response) = try? await URLSession.shared.data(for: request), response is HTTPURLResponse {
                return
            }
            if !child.isRunning {
                throw TestSupportError.serverDidNotStart(url.absoluteString, reason: "the process exited", log: child.logTail())
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw TestSupportError.serverDidNotStart(
            url.absoluteString, reason: "no answer within \(Int(timeout)) s", log: child.logTail())
    }
}

/// Errors from test helpers.
public enum TestSupportError: Error, CustomStringConvertible {
    /// No local port could be reserved.
    case noFreePort
    /// A helper server did not answer in time, or died; with why and the end of its log.
    case serverDidNotStart(String, reason: String, log: String)
    /// The tool's binary is not where the tests run it from.
    case binaryNotBuilt(String)

    /// Explanation for test failure output.
    public var description: String {
        switch self {
        case .noFreePort: return "could not find a free local port"
        case .serverDidNotStart(let url, let reason, let log):
            return "helper server at \(url) did not start (\(reason)); its log:\n\(log)"
        case .binaryNotBuilt(let path): return "the binary is not built at \(path); run `swift build` (make test does)"
        }
    }
}

/// Every child started in this process, stopped at exit.
final class ChildRegistry: @unchecked Sendable {
    // @unchecked: `children` is only touched under `lock`.
    static let shared = ChildRegistry()
    private let lock = NSLock()
    private var children: [ChildProcess] = []

    private init() {
        atexit { ChildRegistry.shared.stopAll() }
    }

    func register(_ child: ChildProcess) {
        lock.lock()
        children.append(child)
        lock.unlock()
    }

    func stopAll() {
        lock.lock()
        let all = children
        children = []
        lock.unlock()
        for child in all { child.stop() }
    }
}
