import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A scripted HTTP stub (Tests/Fixtures/aws/stub_server.py) on 127.0.0.1: each route answers
/// with the next of its canned responses, and every request is recorded for assertions.
public final class StubHTTPServer: Sendable {
    /// One canned response.
    public struct Response: Sendable {
        /// HTTP status.
        public var status: Int
        /// Body text.
        public var body: String
        /// Extra headers.
        public var headers: [String: String]
        /// Seconds to wait before answering (to provoke client timeouts).
        public var delay: Double
        /// Close the connection without answering.
        public var drop: Bool

        /// Creates a canned response.
        public init(status: Int = 200, body: String = "", headers: [String: String] = [:], delay: Double = 0, drop: Bool = false) {
            self.status = status
            self.body = body
            self.headers = headers
            self.delay = delay
            self.drop = drop
        }
    }

    /// A request the stub received.
    public struct RecordedRequest: Sendable, Decodable {
        /// HTTP method.
        public let method: String
        /// Path with query.
        public let path: String
        /// Headers, names lowercased.
        public let headers: [String: String]
        /// Body text.
        public let body: String
    }

    /// Base URL, e.g. http://127.0.0.1:40123.
    public let endpoint: URL
    private let child: ChildProcess

    private init(endpoint: URL, child: ChildProcess) {
        self.endpoint = endpoint
        self.child = child
    }

    /// Starts a stub. `routes` maps "METHOD /path" to the responses given in turn (the last repeats).
    public static func start(routes: [String: [Response]]) throws -> StubHTTPServer {
        let config: [String: Any] = ["routes": routes.mapValues { responses in
            responses.map { response -> [String: Any] in
                ["status": response.status, "body": response.body, "headers": response.headers,
                 "delay": response.delay, "drop": response.drop]
            }
        }]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
        let script = FixturePaths.aws.appendingPathComponent("stub_server.py").path
        let server = try ChildProcess.launchLoopbackServer(["python3", script, json])
        return StubHTTPServer(endpoint: server.endpoint, child: server.child)
    }

    /// Every request received so far, in order.
    public func recordedRequests() async throws -> [RecordedRequest] {
        let (data, _) = try await URLSession.shared.data(from: endpoint.appendingPathComponent("__stub/requests"))
        return try JSONDecoder().decode([RecordedRequest].self, from: data)
    }

    /// Stops the stub.
    public func stop() {
        child.stop()
    }
}
