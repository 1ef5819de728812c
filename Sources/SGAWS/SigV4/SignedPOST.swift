import Foundation

/// The one way every AWS call of this client is signed, whatever its protocol: a POST to the
/// endpoint with `Host`, the protocol's own headers and the body, signed with SigV4 for the
/// service's signing name and the region, with credentials asked for anew on every attempt (so a
/// refreshed session is used) and the date of the attempt. With `AnonymousAccess` (calls that must
/// carry no signature, such as STS's AssumeRoleWithWebIdentity) the POST goes unsigned.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
enum SignedPOST {
    /// The signed request for one attempt. Credentials failures become `AWSClientError.credentials`.
    static func request(
        endpoint: URL, region: String, signingName: String, credentials: any AWSCredentialProvider, system: AWSSystem,
        headers: [HTTPHeader], body: [UInt8], timeout: TimeInterval
    ) async throws -> HTTPRequest {
        var url = endpoint
        if endpoint.path.isEmpty { url = endpoint.appendingPathComponent("") }
        if credentials is AnonymousAccess {
            return HTTPRequest(method: "POST", url: url, headers: [HTTPHeader("Host", hostHeader(for: endpoint))] + headers, body: body, timeout: timeout)
        }
        let current: AWSCredentials
        do {
            current = try await credentials.credentials()
        } catch let error as AWSClientError {
            throw error
        } catch {
            throw AWSClientError.credentials(String(describing: error))
        }
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let unsigned = SigV4Request(method: "POST", path: path, headers: [HTTPHeader("Host", hostHeader(for: endpoint))] + headers, body: body)
        let signer = SigV4Signer(credentials: current, region: region, service: signingName)
        let signed = signer.sign(unsigned, date: system.now())
        return HTTPRequest(method: "POST", url: url, headers: signed.headers, body: body, timeout: timeout)
    }

    /// `host` or `host:port` exactly as the HTTP client will send it (default ports omitted).
    static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }
}
