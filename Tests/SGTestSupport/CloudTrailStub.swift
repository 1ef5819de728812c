import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// CloudTrail's LookupEvents on 127.0.0.1 (Tests/Fixtures/aws/cloudtrail_stub.py), because moto has
/// none: the AWS JSON 1.1 protocol, SigV4 checked with botocore's own signer, pagination, the
/// two-calls-a-second limit and AccessDenied, over event records a test supplies.
public final class CloudTrailStub: Sendable {
    /// A call the stub received.
    public struct Call: Sendable, Decodable {
        /// Arrival (epoch seconds, the stub's clock).
        public let time: Double
        /// `X-Amz-Target`.
        public let target: String?
        /// `Content-Type`.
        public let contentType: String?
        /// True when botocore computed the same signature.
        public let signatureOK: Bool
        /// HTTP status answered.
        public let status: Int
        /// The error code answered, if any.
        public let error: String?
        /// `NextToken` of the request, if any.
        public let nextToken: String?
        /// `StartTime` of the request, if any.
        public let startTime: Double?
        /// `MaxResults` of the request, if any.
        public let maxResults: Int?
        /// The lookup attribute value, if any.
        public let attributeValue: String?

        enum CodingKeys: String, CodingKey {
            case time, target, status, error, body
            case contentType = "content_type"
            case signatureOK = "signature_ok"
        }

        struct Body: Decodable {
            struct Attribute: Decodable { let AttributeValue: String? }
            let NextToken: String?
            let StartTime: Double?
            let MaxResults: Int?
            let LookupAttributes: [Attribute]?
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            time = try container.decode(Double.self, forKey: .time)
            target = try container.decodeIfPresent(String.self, forKey: .target)
            contentType = try container.decodeIfPresent(String.self, forKey: .contentType)
            signatureOK = try container.decode(Bool.self, forKey: .signatureOK)
            status = try container.decode(Int.self, forKey: .status)
            error = try container.decodeIfPresent(String.self, forKey: .error)
            let body = try? container.decodeIfPresent(Body.self, forKey: .body)
            nextToken = body?.NextToken
            startTime = body?.StartTime
            maxResults = body?.MaxResults
            attributeValue = body?.LookupAttributes?.first?.AttributeValue
        }
    }

    /// Base URL, e.g. http://127.0.0.1:40123.
    public let endpoint: URL
    private let child: ChildProcess
    private let configFile: URL

    private init(endpoint: URL, child: ChildProcess, configFile: URL) {
        self.endpoint = endpoint
        self.child = child
        self.configFile = configFile
    }

    /// Starts a stub serving `events` (CloudTrail records as JSON objects) to callers signing with
    /// one of `credentials` (access key id -> secret).
    public static func start(
        events: [[String: Any]], credentials: [String: String], deny: Bool = false, throttleFirst: Int = 0, ratePerSecond: Int = 2
    ) throws -> CloudTrailStub {
        let config: [String: Any] = [
            "events": events, "credentials": credentials, "deny": deny, "throttle_first": throttleFirst,
            "rate_per_second": ratePerSecond,
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cloudtrail-stub-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: file)
        let script = FixturePaths.aws.appendingPathComponent("cloudtrail_stub.py").path
        let server: (endpoint: URL, child: ChildProcess)
        do { server = try ChildProcess.launchLoopbackServer(["python3", script, file.path]) } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return CloudTrailStub(endpoint: server.endpoint, child: server.child, configFile: file)
    }

    /// Every call received so far, in order.
    public func calls() async throws -> [Call] {
        let (data, _) = try await URLSession.shared.data(from: endpoint.appendingPathComponent("__stub/requests"))
        return try JSONDecoder().decode([Call].self, from: data)
    }

    /// Stops the stub and removes its config file.
    public func stop() {
        child.stop()
        try? FileManager.default.removeItem(at: configFile)
    }

    /// A CloudTrail record of a security-group call, shaped as CloudTrail writes EC2's Query-era
    /// calls (lower-camel request parameters, `items` lists).
    public static func record(
        id: String, name: String, time: String, principal: String = "arn:aws:iam::123456789012:user/alice",
        type: String = "IAMUser", sourceIP: String = "203.0.113.7", userAgent: String = "aws-cli/2.15.0 Python/3.11.6",
        request: [String: Any], response: [String: Any]? = nil, errorCode: String? = nil, invokedBy: String? = nil
    ) -> [String: Any] {
        var identity: [String: Any] = [
            "type": type, "arn": principal, "accountId": "123456789012", "principalId": "AIDAEXAMPLE", "accessKeyId": "AKIAEXAMPLE",
        ]
        if type == "IAMUser" { identity["userName"] = String(principal.split(separator: "/").last ?? "") }
        if let invokedBy { identity["invokedBy"] = invokedBy }
        var record: [String: Any] = [
            "eventVersion": "1.09", "eventID": id, "eventName": name, "eventTime": time, "eventSource": "ec2.amazonaws.com",
            "awsRegion": "us-west-2", "sourceIPAddress": sourceIP, "userAgent": userAgent, "userIdentity": identity,
            "requestParameters": request, "eventType": "AwsApiCall", "managementEvent": true, "readOnly": false,
            "recipientAccountId": "123456789012", "eventCategory": "Management",
        ]
        record["responseElements"] = response ?? NSNull()
        if let errorCode {
            record["errorCode"] = errorCode
            record["errorMessage"] = "the call failed"
        }
        return record
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`, `secondsAgo` before now: CloudTrail's eventTime.
    public static func time(secondsAgo: TimeInterval) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date().addingTimeInterval(-secondsAgo))
    }
}
