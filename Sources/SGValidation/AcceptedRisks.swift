import SGModel

/// Matches findings against the config's `accepted_risks` by finding id and tier. An active
/// acceptance (today <= expires) marks the finding accepted: shown, not failing. An expired one
/// is still attached (so the report says "accepted until X, expired") but the finding counts again.
enum AcceptedRisks {
    /// Attaches acceptances and returns the accepted risks that matched nothing, in config order.
    static func apply(to findings: inout [Finding], acceptedRisks: [AcceptedRisk], today: CalendarDate) -> [AcceptedRisk] {
        guard !acceptedRisks.isEmpty else { return [] }
        struct Key: Hashable { var id: String; var tier: String }
        var byKey: [Key: [Int]] = [:]
        for (index, risk) in acceptedRisks.enumerated() { byKey[Key(id: risk.findingID, tier: risk.tier), default: []].append(index) }
        var used = Set<Int>()
        for index in findings.indices {
            guard let candidates = byKey[Key(id: findings[index].id, tier: findings[index].tier)] else { continue }
            // Several entries for the same id and tier: an active one wins, then the latest expiry,
            // then the first written, so the choice never depends on dictionary order.
            let chosen = candidates.min { a, b in
                let ra = acceptedRisks[a], rb = acceptedRisks[b]
                if ra.isActive(on: today) != rb.isActive(on: today) { return ra.isActive(on: today) }
                if ra.expires != rb.expires { return ra.expires > rb.expires }
                return a < b
            }!
            used.formUnion(candidates)
            let risk = acceptedRisks[chosen]
            findings[index].acceptance = Finding.Acceptance(
                reason: risk.reason, expires: risk.expires, isExpired: !risk.isActive(on: today), location: risk.location)
        }
        return acceptedRisks.indices.filter { !used.contains($0) }.map { acceptedRisks[$0] }
    }
}
