import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// What `check-drift --accept` was asked to accept into the config.
public struct DriftAcceptanceRequest: Sendable {
    /// Fingerprints given with `--accept` (empty with `--accept-all`).
    public var fingerprints: [String]
    /// `--accept-all`: every drifted item that can be accepted.
    public var all: Bool
    /// `--reason`: why, written into each override and accepted risk.
    public var reason: String
    /// `--expires`: the last day of the accepted risks written for rules at or above `failOn`.
    public var expires: CalendarDate?
    /// `--fail-on`: the lowest severity that needs an accepted risk.
    public var failOn: RiskLevel
    /// The day acceptances are judged on (and written into the override's description).
    public var today: CalendarDate

    /// Creates a request.
    public init(fingerprints: [String], all: Bool, reason: String, expires: CalendarDate?, failOn: RiskLevel, today: CalendarDate) {
        self.fingerprints = fingerprints
        self.all = all
        self.reason = reason
        self.expires = expires
        self.failOn = failOn
        self.today = today
    }
}

/// What the accept would write, or why it must not write anything.
public struct DriftAcceptancePlan: Sendable {
    /// Why an item was not accepted.
    public struct Problem: Sendable, Hashable {
        /// What kind of refusal.
        public enum Kind: Sendable, Hashable {
            /// No drifted item has the fingerprint.
            case unknownFingerprint
            /// The item cannot be expressed in the config (missing or extra group, AWS default egress).
            case cannotAccept
            /// A finding at or above `--fail-on` needs an accepted risk with an expiry (`--expires`).
            case needsAcceptedRisk
            /// `--expires` is further away than an acceptance may be.
            case expiresTooLate
        }
        /// What kind.
        public var kind: Kind
        /// The fingerprint concerned (empty for a problem with `--expires` itself).
        public var fingerprint: String
        /// The message.
        public var message: String
    }

    /// One accepted change.
    public struct Change: Sendable, Hashable {
        /// The item.
        public var item: DriftItem
        /// Its who/when, when CloudTrail said.
        public var event: DriftChangeEvent?
    }

    /// The accepted changes, in report order.
    public var changes: [Change] = []
    /// Overrides to append to the config, one per tier, in tier order.
    public var overrides: [Override] = []
    /// Accepted risks to append, for findings the accepted rules bring at or above `--fail-on`.
    public var acceptedRisks: [AcceptedRisk] = []
    /// Refusals: with any of them nothing is written.
    public var problems: [Problem] = []
    /// Items `--accept-all` left out because they cannot be accepted (said as warnings).
    public var leftOut: [Problem] = []
    /// Context for the reader (accepted risks that the change leaves unused, ...).
    public var notes: [String] = []

    /// True when there is something to write and nothing refused.
    public var canWrite: Bool { problems.isEmpty && !changes.isEmpty }
}

/// What an accepting run did, as the drift report records it.
public struct DriftAcceptanceRecord: Hashable, Sendable {
    /// The config file written.
    public var configPath: String
    /// Fingerprint and line of each accepted change.
    public var accepted: [DriftItem]
    /// `finding tier (binding) until date` of each accepted risk written.
    public var acceptedRisks: [String]
    /// The unified diff of the config.
    public var diff: String
    /// True once the file was replaced.
    public var written: Bool

    /// Creates a record.
    public init(configPath: String, accepted: [DriftItem], acceptedRisks: [String], diff: String, written: Bool) {
        self.configPath = configPath
        self.accepted = accepted
        self.acceptedRisks = acceptedRisks
        self.diff = diff
        self.written = written
    }
}

/// Turns accepted drift into config changes: an added rule becomes an override's added rule, a
/// removed one a removal, a changed one both (removal, then the rule with its live description);
/// each override carries the reason and, when CloudTrail said, who made the change and when.
/// Findings the accepted rules bring at or above `--fail-on` are refused unless `--expires` is
/// given, and then each gets an accepted risk bound to exactly that finding.
///
/// It judges the amended deployment with the one validator before and after, so whatever the
/// change makes newly failing (the rule's own findings, an exposure path through it) is covered or
/// refused, never written silently.
public struct DriftAcceptancePlanner: Sendable {
    /// The deployment as configured now.
    public let deployment: Deployment
    /// The drift found.
    public let report: DriftReport

    /// Creates a planner.
    public init(deployment: Deployment, report: DriftReport) {
        self.deployment = deployment
        self.report = report
    }

    /// The plan for a request.
    public func plan(_ request: DriftAcceptanceRequest) -> DriftAcceptancePlan {
        var plan = DriftAcceptancePlan()
        let items = report.items
        var selected: [DriftItem] = []
        if request.all {
            for item in items {
                if let why = reasonItCannotBeAccepted(item, among: items) {
                    plan.leftOut.append(.init(kind: .cannotAccept, fingerprint: item.fingerprint, message: "\(item.line) on tier \(item.tier): \(why)"))
                } else {
                    selected.append(item)
                }
            }
        } else {
            var seen = Set<String>()
            for fingerprint in request.fingerprints where seen.insert(fingerprint).inserted {
                guard let item = items.first(where: { $0.fingerprint == fingerprint }) else {
                    plan.problems.append(.init(
                        kind: .unknownFingerprint, fingerprint: fingerprint,
                        message: "no drifted rule or group has fingerprint \(fingerprint) (the drift may have changed since it was printed; run check-drift again)"))
                    continue
                }
                if let why = reasonItCannotBeAccepted(item, among: items) {
                    plan.problems.append(.init(kind: .cannotAccept, fingerprint: fingerprint, message: "cannot accept \(item.line) on tier \(item.tier): \(why)"))
                } else {
                    selected.append(item)
                }
            }
        }
        if let expires = request.expires {
            let latest = AcceptedRisk.latestExpiry(judgedOn: request.today)
            if expires > latest {
                plan.problems.append(.init(
                    kind: .expiresTooLate, fingerprint: "",
                    message: "--expires \(expires) is more than one year after \(request.today); the latest an accepted risk may run to is \(latest)"))
            } else if expires < request.today {
                plan.problems.append(.init(kind: .expiresTooLate, fingerprint: "", message: "--expires \(expires) is before \(request.today): the accepted risk would count as expired"))
            }
        }
        // Report order, whatever order the fingerprints came in.
        let order = Dictionary(items.enumerated().map { ($1.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        selected.sort { order[$0.fingerprint, default: 0] < order[$1.fingerprint, default: 0] }
        guard !selected.isEmpty else { return plan }
        plan.changes = selected.map { .init(item: $0, event: report.attributions[$0.fingerprint]) }
        plan.overrides = overrides(for: plan.changes, request: request)

        // Judge before and after: what the accepted change makes newly failing needs an acceptance.
        let validator = ScenarioValidator()
        let before = Set(validator.validate(deployment, today: request.today).failing(at: request.failOn).map(\.fingerprint))
        var amended = amend(deployment, with: plan.overrides, risks: [])
        let after = validator.validate(amended, today: request.today)
        let newlyFailing = after.failing(at: request.failOn).filter { !before.contains($0.fingerprint) }
        if !newlyFailing.isEmpty {
            if let expires = request.expires, plan.problems.isEmpty {
                plan.acceptedRisks = newlyFailing.map { finding in
                    AcceptedRisk(
                        findingID: finding.id, tier: finding.tier, binding: binding(for: finding, among: after.findings),
                        reason: Self.riskReason(request.reason), expires: expires, location: .file(deployment.config.file))
                }
                amended = amend(deployment, with: plan.overrides, risks: plan.acceptedRisks)
                let checked = validator.validate(amended, today: request.today)
                let stillFailing = checked.failing(at: request.failOn).filter { !before.contains($0.fingerprint) }
                for finding in stillFailing {
                    plan.problems.append(.init(
                        kind: .needsAcceptedRisk, fingerprint: fingerprint(of: finding, in: plan.changes),
                        message: "\(finding.id) (\(finding.severity.rawValue)) on tier '\(finding.tier)' \(finding.ruleText.map { "about \($0) " } ?? "")could not be covered by an accepted risk"))
                }
                for diagnostic in checked.diagnostics where !after.diagnostics.contains(diagnostic) {
                    plan.problems.append(.init(kind: .needsAcceptedRisk, fingerprint: "", message: "the accepted risk written would be invalid: \(diagnostic.message)"))
                }
            } else if request.expires == nil {
                for finding in newlyFailing {
                    plan.problems.append(.init(
                        kind: .needsAcceptedRisk, fingerprint: fingerprint(of: finding, in: plan.changes),
                        message: "refusing to accept: \(finding.id) (\(finding.severity.label)) on tier '\(finding.tier)'"
                            + "\(finding.ruleText.map { " about \($0)" } ?? "") is at or above --fail-on \(request.failOn.rawValue); "
                            + "give --expires YYYY-MM-DD (at most a year ahead) to write an accepted risk bound to it alongside, or revert it"))
                }
            }
        }
        for risk in deployment.config.acceptedRisks {
            if case .rule(let key) = risk.binding, plan.changes.contains(where: { $0.item.kind == .removed && $0.item.tier == risk.tier && $0.item.key == key }) {
                plan.notes.append("the accepted risk \(risk.findingID) for tier '\(risk.tier)' at \(risk.location) binds to \(key), which the config no longer has; remove it")
            }
        }
        return plan
    }

    // MARK: What can be accepted

    /// Why `item` cannot be accepted into the config; nil when it can.
    public func whyNotAcceptable(_ item: DriftItem) -> String? { reasonItCannotBeAccepted(item, among: report.items) }

    private func reasonItCannotBeAccepted(_ item: DriftItem, among items: [DriftItem]) -> String? {
        if item.inExtraGroup {
            return "its group is not a tier of the config (an extra group); delete the group, or describe it as a tier in the scenario"
        }
        switch item.kind {
        case .missingGroup:
            return "a missing group can only be reverted: run -act create-security-groups --force to recreate it, or remove the tier from the scenario"
        case .extraGroup:
            return "an extra group cannot be expressed as an override; delete it, or describe it as a tier in the scenario"
        case .added, .removed, .changed:
            guard let key = item.key, let tier = deployment.tier(named: item.tier) else { return "its tier is not in the config" }
            if case .tier(let peer) = key.peer, report.missingGroups.contains(where: { $0.tier == peer }) {
                return "its peer, tier \(peer), has no live group; recreate it first (-act create-security-groups --force)"
            }
            // A rule to a group id that stands in for a rule to a tier whose group is missing (the
            // same traffic, removed with the tier's name): accepting it would pin the group id.
            if item.kind == .added, case .securityGroup = key.peer,
               let twin = items.first(where: { other in
                   guard other.kind == .removed, other.tier == item.tier, let otherKey = other.key, case .tier(let peer) = otherKey.peer else { return false }
                   return otherKey.direction == key.direction && otherKey.ipProtocol == key.ipProtocol && otherKey.ports == key.ports
                       && report.missingGroups.contains { $0.tier == peer }
               }), case .tier(let peer)? = twin.key?.peer {
                return "it stands for \(twin.key!) (tier \(peer) has no live group to name it by); recreate that group first (-act create-security-groups --force)"
            }
            if item.kind == .removed, key == DriftComparator.awsDefaultEgress, tier.usesDefaultEgress {
                return "the tier keeps AWS's default egress (its scenario omits egress), which an override cannot remove; "
                    + "write `egress: []` or the egress it needs in the scenario (tier at \(tier.location)), or revert"
            }
            if item.kind == .added, key.direction == .egress, tier.usesDefaultEgress {
                return "the tier keeps AWS's default egress, which an override's add_egress would replace (and the live allow-all rule would then drift); "
                    + "write the tier's egress in the scenario (tier at \(tier.location)), or revert"
            }
            return nil
        }
    }

    // MARK: Building the amendment

    private func overrides(for changes: [DriftAcceptancePlan.Change], request: DriftAcceptanceRequest) -> [Override] {
        let file = SourceLocation.file(deployment.config.file)
        var result: [Override] = []
        let base = deployment.config.overrides.count
        for tier in deployment.tiers {
            let mine = changes.filter { $0.item.tier == tier.name }
            guard !mine.isEmpty else { continue }
            let origin = RuleOrigin.override(index: base + result.count)
            var override = Override(tier: tier.name, description: Self.overrideDescription(request, changes: mine), location: file)
            for change in mine {
                guard let key = change.item.key else { continue }
                switch change.item.kind {
                case .added:
                    let live = report.groups.first { $0.tier == tier.name }?.added.first { $0.key == key }
                    append(Self.rule(key, description: live?.description, origin: origin, at: file), to: &override, removing: false)
                case .removed:
                    append(Self.rule(key, description: nil, origin: origin, at: file), to: &override, removing: true)
                case .changed:
                    let live = report.groups.first { $0.tier == tier.name }?.changed.first { $0.key == key }
                    append(Self.rule(key, description: nil, origin: origin, at: file), to: &override, removing: true)
                    append(Self.rule(key, description: live?.liveDescription, origin: origin, at: file), to: &override, removing: false)
                case .missingGroup, .extraGroup:
                    continue
                }
            }
            result.append(override)
        }
        return result
    }

    private func append(_ rule: Rule, to override: inout Override, removing: Bool) {
        switch (rule.direction, removing) {
        case (.ingress, false): override.addIngress.append(rule)
        case (.ingress, true): override.removeIngress.append(rule)
        case (.egress, false): override.addEgress.append(rule)
        case (.egress, true): override.removeEgress.append(rule)
        }
    }

    static func rule(_ key: RuleKey, description: String?, origin: RuleOrigin, at location: SourceLocation) -> Rule {
        Rule(direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer, description: description,
             locations: RuleLocations(rule: location), origin: origin)
    }

    /// The deployment as it will load once the overrides and risks are in the config.
    func amend(_ deployment: Deployment, with overrides: [Override], risks: [AcceptedRisk]) -> Deployment {
        var amended = deployment
        amended.config.overrides += overrides
        amended.config.acceptedRisks += risks
        for override in overrides {
            guard let index = amended.tiers.firstIndex(where: { $0.name == override.tier }) else { continue }
            var tier = amended.tiers[index]
            for removal in override.removeIngress { tier.ingress.removeAll { $0.key == removal.key } }
            for removal in override.removeEgress { tier.egress.removeAll { $0.key == removal.key } }
            tier.ingress += override.addIngress
            if !override.addEgress.isEmpty { tier.usesDefaultEgress = false }
            tier.egress += override.addEgress
            amended.tiers[index] = tier
        }
        return amended
    }

    /// Binds to the finding's rule when that names it alone, else to its fingerprint; a tier-level
    /// kind binds by kind and tier.
    private func binding(for finding: Finding, among findings: [Finding]) -> AcceptanceBinding {
        if FindingKind.kind(id: finding.id)?.isTierLevel == true { return .tierOnly }
        if finding.memberRules == nil, let key = finding.rule,
           findings.filter({ $0.id == finding.id && $0.tier == finding.tier && $0.isAbout(key) }).count == 1 {
            return .rule(key)
        }
        return .fingerprint(finding.fingerprint)
    }

    private func fingerprint(of finding: Finding, in changes: [DriftAcceptancePlan.Change]) -> String {
        changes.first { $0.item.tier == finding.tier && $0.item.key.map(finding.isAbout) == true }?.item.fingerprint ?? ""
    }

    // MARK: Text

    /// `REASON (accepted drift on DATE: + ingress tcp/22 from 0.0.0.0/0 by arn:... at TIME, CloudTrail event ID; ...)`.
    static func overrideDescription(_ request: DriftAcceptanceRequest, changes: [DriftAcceptancePlan.Change]) -> String {
        let parts = changes.map { change -> String in
            var text = change.item.line
            if let event = change.event {
                text += " by \(event.who) at \(event.eventTime) (CloudTrail event \(event.eventID))"
            }
            return text
        }
        return "\(oneLine(request.reason)) (accepted drift on \(request.today): \(parts.joined(separator: "; ")))"
    }

    static func riskReason(_ reason: String) -> String {
        "\(oneLine(reason)) (accepted drift)"
    }

    /// The reason as one line: line breaks and other control characters become spaces.
    static func oneLine(_ text: String) -> String {
        UntrustedText.clean(text, limit: 500) ?? ""
    }
}
