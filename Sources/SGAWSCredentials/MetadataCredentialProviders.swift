import Foundation
import SGAWS

/// The JSON both ECS and EC2 metadata endpoints return for credentials.
struct MetadataCredentialsDocument: Decodable {
    let AccessKeyId: String
    let SecretAccessKey: String
    let Token: String?
    let Expiration: String?
    let Code: String?

    func credentials(method: AWSCredentialMethod, source: String) throws -> AWSCredentials {
        if let code = Code, code != "Success" {
            throw AWSClientError.credentials("\(source) returned code \(code)")
        }
        return AWSCredentials(accessKeyID: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token,
                              expiration: WireDecoding.date(Expiration), method: method, source: source)
    }

    static func decode(_ body: [UInt8], method: AWSCredentialMethod, source: String) throws -> AWSCredentials {
        do {
            return try JSONDecoder().decode(MetadataCredentialsDocument.self, from: Data(body)).credentials(method: method, source: source)
        } catch let error as AWSClientError {
            throw error
        } catch {
            throw AWSClientError.credentials("\(source) returned an unreadable credentials document")
        }
    }
}

/// ECS/Fargate container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on
/// 169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN
/// (or _TOKEN_FILE) as the Authorization header.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html
public struct ContainerCredentialProvider: AWSCredentialProvider {
    private let system: AWSSystem
    private let transport: any HTTPTransport
    private let timeout: TimeInterval

    /// Creates a provider reading settings from `system.environment`.
    public init(system: AWSSystem, transport: any HTTPTransport, timeout: TimeInterval = 2) {
        self.system = system
        self.transport = transport
        self.timeout = timeout
    }

    /// Fetches credentials from the container endpoint.
    public func credentials() async throws -> AWSCredentials {
        let url: URL
        if let relative = system.variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            guard let built = URL(string: "http://169.254.170.2" + relative) else {
                throw AWSClientError.credentials("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a path")
            }
            url = built
        } else if let full = system.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard let built = URL(string: full), let host = built.host else {
                throw AWSClientError.credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL")
            }
            // Plain http only to the container agent or loopback, so a token never crosses a network.
            let allowedHTTPHosts = ["127.0.0.1", "localhost", "::1", "[::1]", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
            if built.scheme?.lowercased() != "https" && !allowedHTTPHosts.contains(host) {
                throw AWSClientError.credentials("AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS address")
            }
            url = built
        } else {
            throw AWSCredentialsNotFound(source: "ECS container",
                                         reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        var headers: [HTTPHeader] = [HTTPHeader("Accept", "application/json")]
        if let token = system.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            headers.append(HTTPHeader("Authorization", token))
        } else if let tokenFile = system.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let token = system.readFile(tokenFile)?.trimmingCharacters(in: .whitespacesAndNewlines) else {
                throw AWSClientError.credentials("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            }
            headers.append(HTTPHeader("Authorization", token))
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout))
        } catch let error as HTTPTransportError {
            throw AWSClientError.credentials("container credentials endpoint: \(error)")
        }
        guard response.statusCode == 200 else {
            throw AWSClientError.credentials("container credentials endpoint answered HTTP \(response.statusCode)")
        }
        return try MetadataCredentialsDocument.decode(response.body, method: .container, source: "ECS container endpoint \(url.path)")
    }
}

/// EC2 instance role credentials through IMDSv2: PUT /latest/api/token, then GET the role
/// name and its credentials with the token. Endpoint overridable by
/// AWS_EC2_METADATA_SERVICE_ENDPOINT; AWS_EC2_METADATA_DISABLED=true turns it off.
/// IMDSv1 (no token) is deliberately not used.
///
/// As in botocore, every failure here means "no instance role" rather than an error: the
/// metadata service is the last source tried, and off EC2 (or with the hop limit reached in a
/// container) it answers oddly or not at all. The reason is kept for the chain's message.
/// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
public struct InstanceMetadataCredentialProvider: AWSCredentialProvider {
    private let system: AWSSystem
    private let transport: any HTTPTransport
    private let timeout: TimeInterval

    /// Creates a provider.
    public init(system: AWSSystem, transport: any HTTPTransport, timeout: TimeInterval = 1) {
        self.system = system
        self.transport = transport
        self.timeout = timeout
    }

    /// Fetches the instance role's credentials.
    public func credentials() async throws -> AWSCredentials {
        if system.variable("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw notFound("AWS_EC2_METADATA_DISABLED is true")
        }
        let base = (system.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254")
            .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard let tokenURL = URL(string: base + "/latest/api/token"),
              let roleListURL = URL(string: base + "/latest/meta-data/iam/security-credentials/") else {
            throw AWSClientError.credentials("AWS_EC2_METADATA_SERVICE_ENDPOINT is not a URL")
        }
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try await transport.send(HTTPRequest(
                method: "PUT", url: tokenURL, headers: [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600")],
                timeout: timeout))
        } catch let error as HTTPTransportError {
            throw notFound("no instance metadata service at \(base) (\(error))")
        }
        guard tokenResponse.statusCode == 200, !tokenResponse.body.isEmpty else {
            throw notFound("IMDSv2 token request to \(base) answered HTTP \(tokenResponse.statusCode)")
        }
        let tokenHeader = HTTPHeader("X-aws-ec2-metadata-token", tokenResponse.bodyText)
        let roleResponse = try await get(roleListURL, tokenHeader)
        if roleResponse.statusCode == 404 {
            throw notFound("the EC2 instance has no IAM role")
        }
        guard roleResponse.statusCode == 200,
              let role = roleResponse.bodyText.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty,
              let credentialsURL = URL(string: roleListURL.absoluteString + AWSPercentEncoding.encode(role)) else {
            throw notFound("the IAM role listing answered HTTP \(roleResponse.statusCode)")
        }
        let credentialsResponse = try await get(credentialsURL, tokenHeader)
        guard credentialsResponse.statusCode == 200 else {
            throw notFound("the credentials of role \(role) answered HTTP \(credentialsResponse.statusCode)")
        }
        do {
            return try MetadataCredentialsDocument.decode(credentialsResponse.body, method: .instanceRole,
                                                          source: "EC2 instance role \(role)")
        } catch let error as AWSClientError {
            throw notFound("\(error)")
        }
    }

    private func notFound(_ reason: String) -> AWSCredentialsNotFound {
        AWSCredentialsNotFound(source: "EC2 instance metadata", reason: reason)
    }

    private func get(_ url: URL, _ token: HTTPHeader) async throws -> HTTPResponse {
        do {
            return try await transport.send(HTTPRequest(method: "GET", url: url, headers: [token], timeout: timeout))
        } catch let error as HTTPTransportError {
            throw notFound("\(error)")
        }
    }
}
