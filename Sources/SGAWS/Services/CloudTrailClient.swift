import Foundation

extension AWSService {
    /// AWS CloudTrail (AWS JSON 1.1 protocol; `AWS_ENDPOINT_URL_CLOUDTRAIL` overrides its endpoint).
    public static let cloudTrail = AWSService(signingName: "cloudtrail", apiVersion: "2013-11-01", endpointVariableSuffix: "CLOUDTRAIL")
}

/// One page of LookupEvents: the events, newest first, and the token of the next page.
public struct LookupEventsPage: Sendable, Equatable {
    /// Events in the order CloudTrail returned them (most recent first).
    public var events: [CloudTrailEventSummary]
    /// The token for the next page; nil on the last one.
    public var nextToken: String?

    /// Creates a page.
    public init(events: [CloudTrailEventSummary], nextToken: String?) {
        self.events = events
        self.nextToken = nextToken
    }
}

/// AWS CloudTrail's event history over the JSON 1.1 protocol: LookupEvents only, which is all the
/// tool needs to say who changed a security group and when.
/// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
public struct CloudTrailClient: Sendable {
    /// The `X-Amz-Target` prefix of CloudTrail's 2013-11-01 API.
    public static let targetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"
    /// The most events one LookupEvents page can hold.
    public static let maxResults = 50
    /// LookupEvents allows two requests per second per account and region; calls start at least
    /// this far apart (a little more than half a second, so clock skew between the two sides never
    /// makes a third call land inside AWS's one-second window).
    public static let requestInterval: TimeInterval = 0.55

    /// The underlying JSON client (service `.cloudTrail`).
    public let json: AWSJSONClient

    /// Wraps a JSON client configured for CloudTrail.
    public init(json: AWSJSONClient) { self.json = json }

    /// One page of the management events whose `attribute` is `value` (for example ResourceName =
    /// a security group id) between `start` and `end`. LookupEvents takes exactly one lookup
    /// attribute, so any further filtering (event names) is the caller's.
    public func lookupEvents(
        attribute: String, value: String, start: Date?, end: Date?, maxResults: Int = CloudTrailClient.maxResults,
        nextToken: String? = nil
    ) async throws -> LookupEventsPage {
        var input: [String: AWSJSON] = [
            "LookupAttributes": [["AttributeKey": .string(attribute), "AttributeValue": .string(value)]],
            "MaxResults": .number(Double(min(max(1, maxResults), Self.maxResults))),
        ]
        // Timestamps travel as epoch seconds in the JSON protocols.
        if let start { input["StartTime"] = .number(start.timeIntervalSince1970.rounded(.down)) }
        if let end { input["EndTime"] = .number(end.timeIntervalSince1970.rounded(.up)) }
        if let nextToken { input["NextToken"] = .string(nextToken) }
        let output = try await json.send("LookupEvents", input: .object(input), idempotency: .idempotent)
        guard case .object = output else {
            throw AWSClientError.malformedResponse(action: "LookupEvents", detail: "the answer is not a JSON object")
        }
        let events = try (output["Events"]?.array ?? []).map { try CloudTrailEventSummary(decoding: $0) }
        let token = output["NextToken"]?.string
        return LookupEventsPage(events: events, nextToken: token?.isEmpty == false ? token : nil)
    }
}

extension AWSSession {
    /// A CloudTrail client for the session's region and endpoint, paced to LookupEvents' rate with
    /// every other client of the process for the same endpoint and region (the limit is per account
    /// and region; a run over many configs searches for several at once). The retry policy is the
    /// caller's: a best-effort lookup may want fewer attempts than a deploy.
    public func cloudTrail(retryPolicy: RetryPolicy? = nil) throws -> CloudTrailClient {
        let endpoint = try AWSEndpointResolver.resolve(
            service: .cloudTrail, region: region, explicit: options.endpointURL, environment: system.environment,
            configured: configuredEndpoints)
        return CloudTrailClient(json: AWSJSONClient(
            service: .cloudTrail, targetPrefix: CloudTrailClient.targetPrefix, region: region, endpoint: endpoint,
            credentials: credentials, transport: transport, system: system, retryPolicy: retryPolicy ?? options.retryPolicy,
            timeout: options.timeout,
            pacer: AWSRequestPacer.shared(key: "\(endpoint.absoluteString) \(region)", interval: CloudTrailClient.requestInterval),
            debugLog: options.debugLog))
    }
}
