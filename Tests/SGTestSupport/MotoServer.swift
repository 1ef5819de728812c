import Foundation

/// The local AWS (`scripts/local-aws`: moto with the project's patches) as the tests' EC2,
/// CloudFormation and STS peer. The same script, so the same patches, serves `make test`, a test
/// run on its own and the README walk-through.
///
/// `shared()` uses `SG_MOTO_ENDPOINT` when scripts/run-tests.sh exported one, else starts one on a
/// free port per test process (stopped at exit). `startDedicated(environment:arguments:)`
/// always starts a separate one, e.g. with signature checking enabled through
/// `INITIAL_NO_AUTH_ACTION_COUNT=0`, or with the VPCs the project's configs name.
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

    /// Starts a local AWS used by one test only, with extra environment variables and the script's
    /// arguments after the port (default `--no-vpcs`; none: the VPCs of the project's configs exist,
    /// as with `make local-aws`).
    public static func startDedicated(environment: [String: String] = [:], arguments: [String] = ["--no-vpcs"]) async throws -> MotoServer {
        let port = try ChildProcess.freePort()
        let watchdog = FixturePaths.aws.appendingPathComponent("run_child_of_parent.py").path
        let child = try ChildProcess.launch(
            ["python3", watchdog, ChildProcess.pythonExecutable, FixturePaths.localAWS.path, String(port)] + arguments,
            environment: environment)
        let endpoint = URL(string: "http://127.0.0.1:\(port)")!
        do {
            // Applying the patches imports moto's CloudFormation with every model it knows: seconds on an
            // idle machine, much longer while the rest of the suite runs beside it
            // (`ChildProcess.startupTimeout`); a failure carries the server's log.
            try await ChildProcess.waitUntilAnswering(endpoint.appendingPathComponent("moto-api/"), child: child)
        } catch {
            child.stop()
            throw error
        }
        return MotoServer(endpoint: endpoint, child: child)
    }

    /// Starts moto as installed, WITHOUT the project's patches: only for tests that show what a
    /// patch changes, or that the tool holds up against moto's own behaviour.
    public static func startUnpatched() async throws -> MotoServer {
        let port = try ChildProcess.freePort()
        let watchdog = FixturePaths.aws.appendingPathComponent("run_child_of_parent.py").path
        let child = try ChildProcess.launch(["python3", watchdog, "moto_server", "-H", "127.0.0.1", "-p", String(port)])
        let endpoint = URL(string: "http://127.0.0.1:\(port)")!
        do {
            // A start can take long while the rest of the suite runs beside it.
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
