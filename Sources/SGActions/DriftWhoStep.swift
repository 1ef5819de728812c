import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGDrift
import SGDriftAttribution
import SGModel

/// check-drift's "who did this, and when?": the CloudTrail search over the drifted groups, its
/// record in the audit log, and the warning when it cannot be done. Never fails the drift check.
struct DriftWhoStep {
    let context: ActionContext

    /// Fewer attempts than a deploy gets: the search is best effort and must not hold up cron.
    static let retryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 5, maxTotalTime: 30)

    func run(session: AWSSession, report: inout DriftReport, groupIDsByTier: [String: String]) async {
        let days = context.request.lookbackDays
        guard !context.request.noCloudTrail else {
            report.cloudTrail = CloudTrailSearch(outcome: .skipped("--no-cloudtrail"), lookbackDays: days)
            return
        }
        let cloudTrail: CloudTrailClient
        do {
            cloudTrail = try session.cloudTrail(retryPolicy: Self.retryPolicy)
        } catch {
            report.cloudTrail = CloudTrailSearch(outcome: .failed("CloudTrail cannot be reached: \(error)"), lookbackDays: days)
            context.report(.warning(.cloudTrailUnavailable, "who changed the drift is not known: \(error)", at: nil))
            return
        }
        var tiersByGroupID: [String: String] = [:]
        for (tier, group) in groupIDsByTier { tiersByGroupID[group] = tier }
        let outcome = await DriftAttributor(cloudTrail: cloudTrail, now: context.environment.now(), lookbackDays: days)
            .attribute(report, tiersByGroupID: tiersByGroupID)
        report.attributions = outcome.attributions
        report.cloudTrail = outcome.search
        context.record("cloudtrail: \(outcome.search.calls) LookupEvents call(s), \(outcome.search.events) event(s), \(outcome.attributions.count) drifted item(s) attributed")
        for (fingerprint, event) in outcome.attributions.sorted(by: { $0.key < $1.key }) {
            context.record("cloudtrail: \(fingerprint) \(event.line)")
        }
        if let warning = outcome.warning {
            context.report(.warning(.cloudTrailUnavailable, warning, at: nil))
        }
    }
}
