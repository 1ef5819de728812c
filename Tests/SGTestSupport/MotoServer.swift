import Foundation

/// A moto_server (a local EC2/CloudFormation/STS API peer) for tests.
///
/// `shared()` uses `SG_MOTO_ENDPOINT` when the Makefile exported one, else starts one
/// `moto_server -H 127.0.0.1 -p <free port>` per test process (stopped at exit).
/// `startDedicated(environment:)` always starts a separate one, e.g. with signature
/// checking enabled through `INITIAL_NO_AUTH_ACTION_COUNT=0`.
public final class MotoServer: Sendable {
    /// Base URL, e.g. http://127.0.0.1:51234.
    public let endpoint: URL
    private let child: ChildProcess?

    private init(endpoint: URL, child: ChildProcess?) {
        self.endpoint = endpoint
        self.child = child
    }

    /// The moto_server shared by all tests of this process.
    public static func shared() async throws -> MotoServer {
        try await SharedMoto.instance.get()
    }

    /// Starts a moto_server used by one test only, with extra environment variables.
    public static func startDedicated(environment: [String: String] = [:]) async throws -> MotoServer {
        let port = try ChildProcess.freePort()
        let watchdog = FixturePaths.aws.appendingPathComponent("run_child_of_parent.py").path
        let child = try ChildProcess.launch(
            ["python3", watchdog, "moto_server", "-H", "127.0.0.1", "-p", String(port)],
            environment: environment)
        let endpoint = URL(string: "http://127.0.0.1:\(port)")!
        do {
            try await ChildProcess.waitUntilAnswering(endpoint.appendingPathComponent("moto-api/"), child: child)
        } catch {
            child.stop()
            throw error
        }
        return MotoServer(endpoint: endpoint, child: child)
    }

    /// Stops a server this process started; a no-op for an external SG_MOTO_ENDPOINT.
    public func stop() {
        child?.stop()
    }

    fileprivate static func external(_ url: URL) -> MotoServer {
        MotoServer(endpoint: url, child: nil)
    }
}

/// Starts the shared server once, even when many tests ask at the same time.
private actor SharedMoto {
    static let instance = SharedMoto()
    private var starting: Task<MotoServer, Error>?

    func get() async throws -> MotoServer {
        if let starting { return try await starting.value }
        let task = Task<MotoServer, Error> {
            if let configured = ProcessInfo.processInfo.environment["SG_MOTO_ENDPOINT"],
               let url = URL(string: configured) {
                return MotoServer.external(url)
            }
            return try await MotoServer.startDedicated()
        }
        starting = task
        return try await task.value
    }
}
