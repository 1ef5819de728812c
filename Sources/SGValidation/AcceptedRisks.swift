import SGDiagnostics
import SGFindings
import SGModel

/// Binds the config's `accepted_risks` to findings: each acceptance to exactly one finding, by
/// the finding's rule (`ingress:`/`egress:`), its fingerprint, or (for tier-level kinds only) its
/// kind and tier. An active acceptance (today <= expires) marks the finding accepted: shown, not
/// failing. An expired one is still attached (so the report says "accepted until X, expired")
/// but the finding counts again.
///
/// What cannot be bound safely is an error, and the acceptance then accepts nothing: one that
/// would match several findings (it would silently accept the ones nobody approved), one for a
/// rule's finding that names no rule (it would accept every later finding of the kind on the
/// tier), one whose `expires` is more than a year away.
enum AcceptedRisks {
    /// Acceptances that matched nothing (the caller warns), and the errors.
    struct Outcome {
        var unused: [AcceptedRisk]
        var diagnostics: [Diagnostic]
    }

    /// Attaches acceptances to `findings` and reports what could not be bound.
    static func apply(to findings: inout [Finding], acceptedRisks: [AcceptedRisk], today: CalendarDate) -> Outcome {
        guard !acceptedRisks.isEmpty else { return Outcome(unused: [], diagnostics: []) }
        struct Key: Hashable { var id: String; var tier: String }
        var findingsByKey: [Key: [Int]] = [:]
        for index in findings.indices { findingsByKey[Key(id: findings[index].id, tier: findings[index].tier), default: []].append(index) }

        var outcome = Outcome(unused: [], diagnostics: [])
        var acceptancesByFinding: [Int: [Int]] = [:]
        let latest = AcceptedRisk.latestExpiry(judgedOn: today)
        for (riskIndex, risk) in acceptedRisks.enumerated() {
            if risk.expires > latest {
                outcome.diagnostics.append(.error(
                    .acceptedRiskExpiresTooLate,
                    "accepted risk \(risk.findingID) for tier '\(risk.tier)' expires \(risk.expires), more than one year after \(today); the latest allowed is \(latest)",
                    at: risk.expiresLocation ?? risk.location,
                    notes: [.init("an approver re-decides an accepted risk at least once a year; it accepts nothing until the date is brought forward")]))
                continue
            }
            let candidates = findingsByKey[Key(id: risk.findingID, tier: risk.tier)] ?? []
            let matches: [Int]
            switch risk.binding {
            case .tierOnly:
                // An unknown kind is reported by the caller (E506); it matches nothing here.
                if let kind = FindingKind.kind(id: risk.findingID), !kind.isTierLevel {
                    outcome.diagnostics.append(namesNoRule(risk, matches: candidates.map { findings[$0] }))
                    continue
                }
                matches = candidates
            case .rule(let key):
                matches = candidates.filter { findings[$0].isAbout(key) }
            case .fingerprint(let fingerprint):
                matches = candidates.filter { findings[$0].fingerprint == fingerprint }
            }
            if matches.isEmpty {
                outcome.unused.append(risk)
            } else if matches.count > 1 {
                outcome.diagnostics.append(ambiguous(risk, matches: matches.map { findings[$0] }))
            } else {
                acceptancesByFinding[matches[0], default: []].append(riskIndex)
            }
        }

        for (findingIndex, riskIndexes) in acceptancesByFinding {
            // Several acceptances of one finding: an active one wins, then the latest expiry, then
            // the first written, so the choice never depends on dictionary order.
            let chosen = riskIndexes.min { a, b in
                let ra = acceptedRisks[a], rb = acceptedRisks[b]
                if ra.isActive(on: today) != rb.isActive(on: today) { return ra.isActive(on: today) }
                if ra.expires != rb.expires { return ra.expires > rb.expires }
                return a < b
            }!
            let risk = acceptedRisks[chosen]
            findings[findingIndex].acceptance = Finding.Acceptance(
                reason: risk.reason, expires: risk.expires, isExpired: !risk.isActive(on: today), location: risk.location)
        }
        return outcome
    }

    // MARK: - Messages

    private static func namesNoRule(_ risk: AcceptedRisk, matches: [Finding]) -> Diagnostic {
        let now = matches.isEmpty ? "it matches no finding today" : "today it would accept \(count(matches.count))"
        return .error(
            .acceptedRiskNamesNoRule,
            "accepted risk \(risk.findingID) for tier '\(risk.tier)' names no rule, so it would accept every \(risk.findingID) finding on the tier, including ones added later (\(now)); bind it to one finding with ingress:, egress: or fingerprint:",
            at: risk.location, notes: sortedForNotes(matches).map(note))
    }

    private static func ambiguous(_ risk: AcceptedRisk, matches: [Finding]) -> Diagnostic {
        .error(
            .ambiguousAcceptedRisk,
            "accepted risk \(risk.findingID) for tier '\(risk.tier)' (\(risk.binding)) matches \(count(matches.count)); an acceptance binds to exactly one: use the fingerprint of the one meant",
            at: risk.location, notes: sortedForNotes(matches).map(note))
    }

    private static func count(_ n: Int) -> String { n == 1 ? "1 finding" : "\(n) findings" }

    private static func sortedForNotes(_ findings: [Finding]) -> [Finding] {
        findings.sorted { ($0.location, $0.fingerprint) < ($1.location, $1.fingerprint) }
    }

    /// `matches ingress tcp/22 from 0.0.0.0/0: fingerprint: 3f..., or ingress: { ... }`, pointing at the finding.
    private static func note(_ finding: Finding) -> Diagnostic.Note {
        var text = "matches \(finding.ruleText ?? "the tier"): fingerprint: \(finding.fingerprint)"
        if finding.memberRules == nil, let key = finding.rule, let selector = selectorText(key) { text += ", or \(selector)" }
        return .init(text, at: finding.location)
    }

    /// The `ingress:`/`egress:` selector that names `key`, in the config's flow syntax.
    static func selectorText(_ key: RuleKey) -> String? {
        var fields = ["protocol: \(key.ipProtocol)"]
        switch key.ports {
        case .all: break
        case .ports(let range): fields.append(range.isSinglePort ? "port: \(range.lower)" : "port_range: \(range)")
        case .icmp(let type, let code):
            if type != -1 { fields.append("icmp_type: \(type)") }
            if code != -1 { fields.append("icmp_code: \(code)") }
        }
        let side = key.direction == .ingress ? "source" : "destination"
        switch key.peer {
        case .cidr(let block): fields.append("\(side): \"\(block)\"")
        case .tier(let name): fields.append("\(side)_tier: \(name)")
        case .securityGroup(let id): fields.append("\(side)_security_group: \(id)")
        case .prefixList(let id): fields.append("\(side)_prefix_list: \(id)")
        }
        return "\(key.direction.rawValue): { \(fields.joined(separator: ", ")) }"
    }
}
