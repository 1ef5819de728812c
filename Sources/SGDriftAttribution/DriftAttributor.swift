import Foundation
import SGAWS
import SGAWSServices
import SGDrift
import SGModel

/// Answers "who did this, and when?" for a drift report from CloudTrail's event history: one
/// LookupEvents search per group with drifted rules (ResourceName = the group id, one page after
/// another, newest first), stopping as soon as every drifted rule of the group has its event, at
/// the end of the window, or at a page bound.
///
/// Best effort by design: the search never fails a drift check. No permission, or CloudTrail
/// unreachable, ends the search with a warning that says so; an event not found is "not found yet"
/// (CloudTrail delivers events about five minutes after the call).
/// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
public struct DriftAttributor: Sendable {
    /// One page of LookupEvents for a group between two instants, after `nextToken`.
    public typealias PageSource = @Sendable (_ groupID: String, _ start: Date, _ end: Date, _ nextToken: String?) async throws -> LookupEventsPage

    /// The most days back event history goes (and so the widest window).
    public static let maximumLookbackDays = 90
    /// Pages read per group at most: 10 pages of 50 events, about five seconds at two calls a second.
    public static let defaultPageBound = 10

    private let pages: PageSource
    private let now: Date
    private let lookbackDays: Int
    private let pageBound: Int

    /// A searcher over a CloudTrail client.
    public init(cloudTrail: CloudTrailClient, now: Date, lookbackDays: Int, pageBound: Int = DriftAttributor.defaultPageBound) {
        self.init(pages: { group, start, end, token in
            try await cloudTrail.lookupEvents(attribute: "ResourceName", value: group, start: start, end: end, nextToken: token)
        }, now: now, lookbackDays: lookbackDays, pageBound: pageBound)
    }

    /// A searcher over any page source (tests).
    public init(pages: @escaping PageSource, now: Date, lookbackDays: Int, pageBound: Int = DriftAttributor.defaultPageBound) {
        self.pages = pages
        self.now = now
        self.lookbackDays = min(max(1, lookbackDays), Self.maximumLookbackDays)
        self.pageBound = max(1, pageBound)
    }

    /// What the search found: events by drift fingerprint, how the search went, and the warning to
    /// give when it could not be completed.
    public struct Outcome: Sendable {
        /// The event of each drifted item one was found for.
        public var attributions: [String: DriftChangeEvent]
        /// The search as the report records it.
        public var search: CloudTrailSearch
        /// Set when the search stopped at a failure; names `cloudtrail:LookupEvents` when access was denied.
        public var warning: String?
    }

    /// Searches every group of `report` with rule drift. `tiersByGroupID` maps the deployment's group
    /// ids to tiers, so rule peers in events compare with the report's.
    public func attribute(_ report: DriftReport, tiersByGroupID: [String: String]) async -> Outcome {
        var targetsByGroup: [(String, [AttributionTarget])] = []
        for group in report.groups where group.hasDrift {
            var targets = group.added.map { AttributionTarget(fingerprint: $0.fingerprint, kind: .added, key: $0.key, ruleID: $0.ruleID) }
            targets += group.removed.map { AttributionTarget(fingerprint: $0.fingerprint, kind: .removed, key: $0.key) }
            targets += group.changed.map {
                AttributionTarget(fingerprint: $0.fingerprint, kind: .changed, key: $0.key, ruleID: $0.ruleID, liveDescription: $0.liveDescription)
            }
            targetsByGroup.append((group.groupID, targets))
        }
        for extra in report.extraGroups where !extra.rules.isEmpty {
            targetsByGroup.append((extra.groupID, extra.rules.map {
                AttributionTarget(fingerprint: $0.fingerprint, kind: .added, key: $0.key, ruleID: $0.ruleID)
            }))
        }
        var search = CloudTrailSearch(outcome: .searched, lookbackDays: lookbackDays)
        guard !targetsByGroup.isEmpty else {
            search.outcome = .skipped("no rule drifted")
            return Outcome(attributions: [:], search: search, warning: nil)
        }
        let start = now.addingTimeInterval(-Double(lookbackDays) * 86_400)
        var attributions: [String: DriftChangeEvent] = [:]
        for (groupID, targets) in targetsByGroup {
            let matcher = CloudTrailMatcher(groupID: groupID, tiersByGroupID: tiersByGroupID)
            var events: [CloudTrailEventSummary] = []
            var token: String?
            var found: [String: DriftChangeEvent] = [:]
            var pagesRead = 0
            do {
                repeat {
                    let page = try await pages(groupID, start, now, token)
                    search.calls += 1
                    search.events += page.events.count
                    pagesRead += 1
                    events += page.events
                    token = page.nextToken
                    found = matcher.attribute(targets, events: events)
                } while token != nil && found.count < targets.count && pagesRead < pageBound
            } catch {
                search.outcome = .failed(Self.failureReason(error))
                attributions.merge(found) { first, _ in first }
                return Outcome(attributions: attributions, search: search, warning: Self.warning(error))
            }
            search.searchedGroups.append(groupID)
            if token != nil && found.count < targets.count { search.truncatedGroups.append(groupID) }
            attributions.merge(found) { first, _ in first }
        }
        return Outcome(attributions: attributions, search: search, warning: nil)
    }

    /// Codes that mean the credentials may not call LookupEvents.
    static let permissionCodes: Set<String> = [
        "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException", "OperationNotPermittedException",
    ]

    /// For the report: why the search stopped.
    static func failureReason(_ error: any Error) -> String {
        if let error = error as? AWSError, permissionCodes.contains(error.code) {
            return "the credentials may not call cloudtrail:LookupEvents"
        }
        return "the CloudTrail search failed"
    }

    /// The warning a run prints when the search stops.
    static func warning(_ error: any Error) -> String {
        if let error = error as? AWSError, permissionCodes.contains(error.code) {
            return "who changed the drift is not known: the credentials may not call cloudtrail:LookupEvents (\(error.code)); "
                + "add it to the role (the read-only policy of -act create-iam-policy has it) or run with --no-cloudtrail"
        }
        return "who changed the drift is not known: the CloudTrail search (cloudtrail:LookupEvents) failed: \(error); "
            + "the drift itself is reported as usual (--no-cloudtrail skips the search)"
    }
}
