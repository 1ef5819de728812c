import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over URLSession (FoundationNetworking/libcurl on Linux). Plain http:// works,
/// which is how tests reach local stubs and moto.
///
/// Every request travels on a connection of its own (a one-request session, `Connection: close`).
/// The reason is measured, not assumed (Tests/SGActionsTests/WireFaultTests.swift): when a REUSED
/// keep-alive connection is closed or reset before any byte of the response, libcurl silently
/// sends the request again on a new connection, and FoundationNetworking does not rewind the body
/// for it: the server receives the headers (same signature, same Content-Length) and no body, and
/// the call hangs until the timeout while the client spins. That hidden second attempt also
/// defeats the rule that a non-idempotent call (AuthorizeSecurityGroupIngress) is never repeated
/// once it may have reached AWS. libcurl only does this on reused connections, so never reusing
/// one removes it; the cost is one TCP (and TLS) handshake per call, small for a tool whose calls
/// are few and seconds apart.
public struct URLSessionTransport: HTTPTransport {
    private let configuration: URLSessionConfiguration

    /// Creates a transport on ephemeral sessions (no cookies, no cache: AWS APIs need neither,
    /// and a shared cache could keep credentials responses on disk).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        // No cache and no cookie store objects at all: on Linux their defaults create
        // ~/.cache/org.swift.foundation.URLCache and ~/.local/share/... in the user's home, and a
        // cron run must leave nothing behind where it runs.
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        self.configuration = configuration
    }

    /// Sends the request; maps URLError codes onto `HTTPTransportError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = request.timeout
        for header in request.headers {
            // URLSession derives Host and Content-Length from the URL and body; the signed
            // values are computed the same way, so they match on the wire.
            let lowered = header.name.lowercased()
            if lowered == "host" || lowered == "content-length" { continue }
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            urlRequest.httpBody = Data(request.body)
        }
        // Not signed, so free to add: the server closes its end after answering.
        urlRequest.setValue("close", forHTTPHeaderField: "Connection")
        // A session of its own: its connection pool is empty, so this request cannot go out on a
        // reused connection (see the type's comment).
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch let error as URLError {
            throw Self.classify(error)
        } catch {
            throw HTTPTransportError.other(String(describing: type(of: error)))
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPTransportError.other("response is not HTTP")
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let name = key as? String, let text = value as? String { headers[name.lowercased()] = text }
        }
        return HTTPResponse(statusCode: http.statusCode, headers: headers, body: Array(data))
    }

    /// Maps a URLError to the retry-relevant categories.
    static func classify(_ error: URLError) -> HTTPTransportError {
        let detail = "URLError \(error.code.rawValue)"
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return .connectionFailed(detail)
        case .timedOut:
            return .timedOut(detail)
        case .networkConnectionLost, .badServerResponse:
            return .connectionLost(detail)
        default:
            return .other(detail)
        }
    }
}
