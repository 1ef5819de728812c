import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The loopback fault-injecting proxy (Tests/Fixtures/faults/fault_proxy.py) between the built
/// binary and moto: it forwards every AWS Query request, except that scripted rules answer some
/// with throttling, HTTP 500/503, a delay or a reset connection, and it logs every request's
/// action, the fault applied and the idempotency token, so a test can count attempts per action.
package final class FaultProxy: Sendable {
    /// What the proxy does to a matching request (the script's documentation has the details).
    package enum Fault: String, Sendable {
        /// An AWS throttling error document (EC2 RequestLimitExceeded, CloudFormation Throttling).
        case throttle
        /// HTTP 500 with an AWS InternalFailure document.
        case http500
        /// HTTP 503 with a load balancer's HTML page.
        case http503
        /// Waits `delay` seconds, then passes the request through.
        case slow
        /// Reads the request, then resets the connection without forwarding or answering.
        case reset
        /// Forwards the request, then resets the connection instead of answering.
        case lostResponse = "lost-response"
        /// Forwards the request, then answers HTTP 500 (InternalFailure) instead of its answer.
        case forwardThen500 = "forward-then-500"
        /// Forwards the request, then reports every stack `..._COMPLETE` as `..._IN_PROGRESS`.
        case inProgress = "in-progress"
    }

    /// One scripted fault: applied to the first `times` requests for `action` (-1: every one),
    /// counted from the moment a request for `after` has passed, when given.
    package struct Rule: Sendable {
        var action: String
        var fault: Fault
        var times: Int
        var after: String?
        var status: Int?
        var delay: Double?

        package init(_ action: String, _ fault: Fault, times: Int = 1, after: String? = nil, status: Int? = nil, delay: Double? = nil) {
            self.action = action
            self.fault = fault
            self.times = times
            self.after = after
            self.status = status
            self.delay = delay
        }

        var json: [String: Any] {
            var object: [String: Any] = ["action": action, "fault": fault.rawValue, "times": times]
            if let after { object["after"] = after }
            if let status { object["status"] = status }
            if let delay { object["delay"] = delay }
            return object
        }
    }

    /// One request as the proxy saw it.
    package struct Entry: Decodable, Sendable, Equatable {
        /// Arrival order, from 1.
        package var seq: Int
        /// The Query `Action`; empty when the request carried no (complete) body.
        package var action: String
        /// The service of the SigV4 credential scope.
        var service: String
        /// The fault applied, or "pass".
        package var fault: String
        /// The HTTP status answered; nil for a reset, or while the request is still being handled.
        package var status: Int?
        /// `ClientRequestToken` / `ClientToken`, when the request had one.
        package var clientToken: String?

        enum CodingKeys: String, CodingKey {
            case seq, action, service, fault, status
            case clientToken = "client_token"
        }
    }

    /// The proxy's base URL: what the binary gets as AWS_ENDPOINT_URL.
    package let endpoint: URL
    private let child: ChildProcess

    private init(endpoint: URL, child: ChildProcess) {
        self.endpoint = endpoint
        self.child = child
    }

    /// Starts a proxy in front of `upstream` with `rules`.
    package static func start(upstream: URL, rules: [Rule] = []) throws -> FaultProxy {
        let script = FixturePaths.root.appendingPathComponent("faults/fault_proxy.py").path
        let rulesJSON = String(decoding: try JSONSerialization.data(withJSONObject: rules.map(\.json), options: [.sortedKeys]), as: UTF8.self)
        let server = try ChildProcess.launchLoopbackServer(["python3", script, upstream.absoluteString, rulesJSON])
        return FaultProxy(endpoint: server.endpoint, child: server.child)
    }

    /// Replaces the rules (their counts start afresh).
    package func setRules(_ rules: [Rule]) async throws {
        var request = URLRequest(url: endpoint.appendingPathComponent("__faults/rules"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: rules.map(\.json), options: [.sortedKeys])
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestSupportError.serverDidNotStart("fault_proxy.py rules", reason: "setting rules failed", log: child.logTail()) }
    }

    /// Every request seen so far, in arrival order.
    package func log() async throws -> [Entry] {
        let (data, _) = try await URLSession.shared.data(from: endpoint.appendingPathComponent("__faults/log"))
        return try JSONDecoder().decode([Entry].self, from: data)
    }

    /// Stops the proxy.
    package func stop() {
        child.stop()
    }
}

package extension Array where Element == FaultProxy.Entry {
    /// The faults applied to the requests for `action`, in order ("pass" for forwarded ones).
    func faults(of action: String) -> [String] {
        filter { $0.action == action }.map(\.fault)
    }

    /// The requests after the first one for `action` (the entries an `after:` rule sees).
    func after(_ action: String) -> [FaultProxy.Entry] {
        guard let index = firstIndex(where: { $0.action == action }) else { return [] }
        return Array(self[(index + 1)...])
    }
}
