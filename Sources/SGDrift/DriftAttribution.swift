import Foundation

/// Who made a drifted change, when, from where and with what: one CloudTrail management event,
/// chosen because its request (or response) names the drifted rule.
public struct DriftChangeEvent: Hashable, Sendable {
    /// CloudTrail's `eventID`.
    public var eventID: String
    /// The API call, e.g. `AuthorizeSecurityGroupIngress`.
    public var eventName: String
    /// When, ISO 8601 in UTC (`2026-05-05T10:19:14Z`).
    public var eventTime: String
    /// The caller: its ARN, or what CloudTrail says of it when there is none.
    public var principal: String
    /// `userIdentity.type`: IAMUser, AssumedRole, Root, AWSService, ...
    public var principalType: String?
    /// The caller's account.
    public var accountID: String?
    /// `sourceIPAddress`: an address, or a service name when a service acted.
    public var sourceIPAddress: String?
    /// `userAgent` (clipped, control characters removed: it is whatever the caller sent).
    public var userAgent: String?
    /// The service that made the call on the caller's behalf (cloudformation.amazonaws.com).
    public var invokedBy: String?
    /// How the event was tied to the rule: `rule id sgr-...` or `request parameters`.
    public var matchedBy: String

    /// Creates an event.
    public init(eventID: String, eventName: String, eventTime: String, principal: String, principalType: String? = nil,
                accountID: String? = nil, sourceIPAddress: String? = nil, userAgent: String? = nil, invokedBy: String? = nil,
                matchedBy: String) {
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.principal = principal
        self.principalType = principalType
        self.accountID = accountID
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.invokedBy = invokedBy
        self.matchedBy = matchedBy
    }

    /// `arn:aws:iam::123456789012:user/alice (via cloudformation.amazonaws.com)`.
    public var who: String { principal + (invokedBy.map { " (via \($0))" } ?? "") }

    /// The user agent's first product (`aws-cli/2.15.0`, `Boto3/1.34.0`): what a line for people shows;
    /// the JSON report keeps the whole (clipped) user agent.
    public var client: String? { userAgent?.split(separator: " ").first.map(String.init) }

    /// One line: `arn:... at 2026-05-05T10:19:14Z from 203.0.113.7 (aws-cli/2.15.0), AuthorizeSecurityGroupIngress event 1f2e...`.
    public var line: String {
        var text = "\(who) at \(eventTime)"
        if let sourceIPAddress { text += " from \(sourceIPAddress)" }
        if let client { text += " (\(client))" }
        return text + ", \(eventName) event \(eventID)"
    }
}

/// How the CloudTrail search of one run went: searched (with what it covered), skipped (and why),
/// or failed (the warning says why; drift is reported all the same).
public struct CloudTrailSearch: Hashable, Sendable {
    /// What happened.
    public enum Outcome: Hashable, Sendable {
        /// Every group with drifted rules was searched (up to the page bound).
        case searched
        /// Not attempted: `--no-cloudtrail`, or nothing drifted at rule level.
        case skipped(String)
        /// Stopped at a failure (no permission, CloudTrail unreachable); the text says which.
        case failed(String)
    }

    /// What happened.
    public var outcome: Outcome
    /// How many days back the search looked.
    public var lookbackDays: Int
    /// Groups whose events were read, by id.
    public var searchedGroups: [String]
    /// Groups whose search stopped at the page bound before every drifted rule was found.
    public var truncatedGroups: [String]
    /// LookupEvents calls made.
    public var calls: Int
    /// Events read.
    public var events: Int

    /// Creates a search record.
    public init(outcome: Outcome, lookbackDays: Int, searchedGroups: [String] = [], truncatedGroups: [String] = [], calls: Int = 0, events: Int = 0) {
        self.outcome = outcome
        self.lookbackDays = lookbackDays
        self.searchedGroups = searchedGroups
        self.truncatedGroups = truncatedGroups
        self.calls = calls
        self.events = events
    }
}

/// What the report can say about who changed one drifted item.
public enum DriftWho: Hashable, Sendable {
    /// The CloudTrail event that made the change.
    case found(DriftChangeEvent)
    /// The group was searched and no event names the change: CloudTrail delivers events minutes
    /// after the call, the change may be older than the window, or made by a call it cannot tie.
    case notFoundYet(days: Int, truncated: Bool)
    /// No search covered the item; the text says why.
    case notSearched(String)

    /// The who/when cell: the event's line, or why there is none.
    public var text: String {
        switch self {
        case .found(let event): return event.line
        case .notFoundYet(let days, let truncated):
            return truncated
                ? "not found in the newest events of the last \(days) days (search stopped at its page bound)"
                : "not found yet in CloudTrail (searched \(days) days; events arrive about 5 minutes after the call)"
        case .notSearched(let why): return "not looked up: \(why)"
        }
    }
}

extension DriftReport {
    /// Who changed `item`, as far as this run's CloudTrail search knows.
    public func who(_ item: DriftItem) -> DriftWho {
        if let event = attributions[item.fingerprint] { return .found(event) }
        guard let search = cloudTrail else { return .notSearched("compared with a snapshot") }
        switch search.outcome {
        case .skipped(let why): return .notSearched(why)
        case .failed(let why): return .notSearched(why)
        case .searched:
            guard let group = item.groupID, search.searchedGroups.contains(group) else { return .notSearched("the group was not searched") }
            return .notFoundYet(days: search.lookbackDays, truncated: search.truncatedGroups.contains(group))
        }
    }
}

/// Text from CloudTrail, made safe to print and to write into reports and configs: whatever a
/// caller sent (a user agent) may hold terminal escapes or line breaks. Control characters become
/// spaces, runs of blanks one space, and the text is clipped.
/// Package-visible: the CloudTrail matching (SGDriftAttribution) cleans what it reads the same way.
package enum UntrustedText {
    package static func clean(_ text: String?, limit: Int = 200) -> String? {
        guard let text else { return nil }
        var out = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            if isControl || scalar == " " {
                if !lastWasSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
            if out.unicodeScalars.count >= limit {
                out += "..."
                break
            }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out.isEmpty ? nil : out
    }
}
