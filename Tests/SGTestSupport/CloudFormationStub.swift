import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// CloudFormation with resource import on 127.0.0.1 (Tests/Fixtures/aws/cloudformation_stub.py),
/// because moto has no IMPORT change sets: the Query protocol held to botocore's service model for
/// CloudFormation (requests checked against the input shapes, responses serialized from the output
/// shapes), SigV4 checked with botocore's signer, and the import rules the User Guide states.
public final class CloudFormationStub: Sendable {
    /// A request the stub received.
    public struct Request: Sendable, Decodable {
        /// The Query action.
        public let action: String
        /// Every parameter, decoded.
        public let params: [String: String]
        /// True when botocore computed the same signature.
        public let signatureOK: Bool
        /// The error code answered, if any.
        public let error: String?
        /// The HTTP status answered.
        public let status: Int?

        enum CodingKeys: String, CodingKey {
            case action, params, error, status
            case signatureOK = "signature_ok"
        }
    }

    /// Base URL, e.g. http://127.0.0.1:40123.
    public let endpoint: URL
    private let child: ChildProcess

    private init(endpoint: URL, child: ChildProcess) {
        self.endpoint = endpoint
        self.child = child
    }

    /// Starts a stub that accepts signatures by `credentials` (access key id -> secret); with
    /// `ec2Endpoint`, resources to import must exist there.
    public static func start(credentials: [String: String], region: String, ec2Endpoint: URL? = nil) throws -> CloudFormationStub {
        var config: [String: Any] = ["credentials": credentials, "region": region]
        if let ec2Endpoint { config["ec2_endpoint"] = ec2Endpoint.absoluteString }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
        let script = FixturePaths.aws.appendingPathComponent("cloudformation_stub.py").path
        let server = try ChildProcess.launchLoopbackServer(["python3", script, json])
        return CloudFormationStub(endpoint: server.endpoint, child: server.child)
    }

    /// Every request received so far, in order.
    public func requests() async throws -> [Request] {
        let (data, _) = try await URLSession.shared.data(from: endpoint.appendingPathComponent("__stub/requests"))
        return try JSONDecoder().decode([Request].self, from: data)
    }

    /// Stops the stub.
    public func stop() {
        child.stop()
    }
}
