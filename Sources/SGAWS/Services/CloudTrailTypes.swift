import Foundation

/// One event of a LookupEvents answer: the summary fields CloudTrail returns beside the event,
/// and the event record itself (`CloudTrailEvent`, a JSON document inside a string).
/// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html
public struct CloudTrailEventSummary: Sendable, Hashable {
    /// `EventId`.
    public var eventID: String
    /// `EventName`, e.g. `AuthorizeSecurityGroupIngress`.
    public var eventName: String
    /// `EventTime`.
    public var eventTime: Date?
    /// `EventSource`, e.g. `ec2.amazonaws.com`.
    public var eventSource: String?
    /// `Username`: the user or role name of the caller.
    public var username: String?
    /// `Resources[].ResourceName`.
    public var resourceNames: [String]
    /// The event record, when `CloudTrailEvent` held one that parses.
    public var record: CloudTrailRecord?

    /// Creates a summary.
    public init(eventID: String, eventName: String, eventTime: Date? = nil, eventSource: String? = nil, username: String? = nil,
                resourceNames: [String] = [], record: CloudTrailRecord? = nil) {
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.username = username
        self.resourceNames = resourceNames
        self.record = record
    }

    /// Decodes one `Events` item. A record that does not parse leaves `record` nil (the event is
    /// still listed); an item without an id or name is a malformed answer.
    init(decoding item: AWSJSON) throws {
        guard let id = item["EventId"]?.string, let name = item["EventName"]?.string else {
            throw AWSClientError.malformedResponse(action: "LookupEvents", detail: "an event without EventId or EventName")
        }
        self.init(
            eventID: id, eventName: name, eventTime: item["EventTime"]?.number.map { Date(timeIntervalSince1970: $0) },
            eventSource: item["EventSource"]?.string, username: item["Username"]?.string,
            resourceNames: (item["Resources"]?.array ?? []).compactMap { $0["ResourceName"]?.string },
            record: item["CloudTrailEvent"]?.string.flatMap { try? CloudTrailRecord(parsing: $0) })
    }
}

/// The parts of a CloudTrail event record that say who did what, from where, with what.
/// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
public struct CloudTrailRecord: Sendable, Hashable {
    /// `eventID`.
    public var eventID: String?
    /// `eventName`.
    public var eventName: String?
    /// `eventTime` as written (ISO 8601, UTC).
    public var eventTime: String?
    /// `eventSource`.
    public var eventSource: String?
    /// `awsRegion`.
    public var region: String?
    /// `sourceIPAddress`: an IP address, or a service name when a service acted.
    public var sourceIPAddress: String?
    /// `userAgent`.
    public var userAgent: String?
    /// `errorCode`: the call failed and changed nothing.
    public var errorCode: String?
    /// `userIdentity`.
    public var identity: Identity
    /// `requestParameters`.
    public var requestParameters: AWSJSON?
    /// `responseElements`.
    public var responseElements: AWSJSON?

    /// Who made a call (`userIdentity`).
    /// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
    public struct Identity: Sendable, Hashable {
        /// `type`: IAMUser, AssumedRole, Root, FederatedUser, AWSService, ...
        public var type: String?
        /// `arn` of the caller.
        public var arn: String?
        /// `principalId`.
        public var principalID: String?
        /// `accountId`.
        public var accountID: String?
        /// `userName` (IAM users).
        public var userName: String?
        /// `invokedBy`: the service that made the call on the caller's behalf (cloudformation.amazonaws.com).
        public var invokedBy: String?
        /// `sessionContext.sessionIssuer.arn`: the role behind an assumed-role session.
        public var sessionIssuerARN: String?

        /// Creates an identity.
        public init(type: String? = nil, arn: String? = nil, principalID: String? = nil, accountID: String? = nil,
                    userName: String? = nil, invokedBy: String? = nil, sessionIssuerARN: String? = nil) {
            self.type = type
            self.arn = arn
            self.principalID = principalID
            self.accountID = accountID
            self.userName = userName
            self.invokedBy = invokedBy
            self.sessionIssuerARN = sessionIssuerARN
        }
    }

    /// Creates a record.
    public init(eventID: String? = nil, eventName: String? = nil, eventTime: String? = nil, eventSource: String? = nil,
                region: String? = nil, sourceIPAddress: String? = nil, userAgent: String? = nil, errorCode: String? = nil,
                identity: Identity = Identity(), requestParameters: AWSJSON? = nil, responseElements: AWSJSON? = nil) {
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.region = region
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.errorCode = errorCode
        self.identity = identity
        self.requestParameters = requestParameters
        self.responseElements = responseElements
    }

    /// Parses the JSON text of `CloudTrailEvent`.
    public init(parsing text: String) throws {
        let document = try AWSJSON.parse(text)
        guard case .object = document else { throw AWSJSONError.malformed("the event record is not an object") }
        let identity = document["userIdentity"]
        self.init(
            eventID: document["eventID"]?.string, eventName: document["eventName"]?.string, eventTime: document["eventTime"]?.string,
            eventSource: document["eventSource"]?.string, region: document["awsRegion"]?.string,
            sourceIPAddress: document["sourceIPAddress"]?.string, userAgent: document["userAgent"]?.string,
            errorCode: document["errorCode"]?.string,
            identity: Identity(
                type: identity?["type"]?.string, arn: identity?["arn"]?.string, principalID: identity?["principalId"]?.string,
                accountID: identity?["accountId"]?.string, userName: identity?["userName"]?.string,
                invokedBy: identity?["invokedBy"]?.string,
                sessionIssuerARN: identity?["sessionContext"]?["sessionIssuer"]?["arn"]?.string),
            requestParameters: document["requestParameters"].flatMap { $0 == .null ? nil : $0 },
            responseElements: document["responseElements"].flatMap { $0 == .null ? nil : $0 })
    }
}
