import SGDiagnostics
import SGModel

/// One risk the validator found, in the shape of the seed's analyzer findings (id, severity, type,
/// description, remediation) plus where it came from, so CI can annotate the exact YAML line.
public struct Finding: Hashable, Sendable, Encodable {
    /// The finding kind id, e.g. `SG-WORLD-ADMIN`: what `accepted_risks` entries name.
    public var id: String
    /// How bad it is.
    public var severity: RiskLevel
    /// Category: `world-exposure`, `broad-cidr`, `egress`, `least-privilege`, `exposure-path`.
    public var type: String
    /// The tier (security group) the finding is about.
    public var tier: String
    /// The direction of the judged rule; nil for tier-level findings such as default egress.
    public var direction: Direction?
    /// The rule judged; nil for tier-level findings.
    public var rule: RuleKey?
    /// The rule as people read it, e.g. `ingress tcp/22 from 0.0.0.0/0`; for a set of CIDRs that
    /// together cover the world, every CIDR joined with ` + `.
    public var ruleText: String?
    /// The peer value of the rule if known, else the rule, else the tier.
    public var location: SourceLocation
    /// One line, e.g. `SSH open to the world`.
    public var title: String
    /// What and why, naming the worst port, e.g. `port range 5000-6000 includes 5432 PostgreSQL`.
    public var description: String
    /// What to do instead.
    public var remediation: String
    /// Hops of an exposure path, e.g. `["internet", "web", "app", "db"]`; nil for other findings.
    public var path: [String]?
    /// The accepted risk that matched this finding, active or expired.
    public var acceptance: Acceptance?
    /// `FindingFingerprint` of the kind, tier and rule (the union's CIDRs, the path), never of a
    /// position: the same in SARIF, accepted risks and drift, and across line moves.
    public var fingerprint: String
    /// For a finding about several rules together (CIDRs whose union is world-equivalent, or a
    /// wide allowlist of narrow blocks): every member rule, so an accepted risk naming any of them
    /// binds to it. Nil for a finding about one rule or a tier.
    public var memberRules: [RuleKey]?

    /// An approver's acceptance attached to a finding.
    public struct Acceptance: Hashable, Sendable, Encodable {
        /// Why it was accepted (ticket, reason).
        public var reason: String
        /// The last day the acceptance holds.
        public var expires: CalendarDate
        /// True when `today` is after `expires`: the finding counts again.
        public var isExpired: Bool
        /// Where the `accepted_risks` entry was written.
        public var location: SourceLocation

        /// Creates an acceptance.
        public init(reason: String, expires: CalendarDate, isExpired: Bool, location: SourceLocation) {
            self.reason = reason
            self.expires = expires
            self.isExpired = isExpired
            self.location = location
        }

        private enum CodingKeys: String, CodingKey { case reason, expires, isExpired = "is_expired", location }

        /// Encodes dates as `YYYY-MM-DD` and locations as `file:line:column`.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reason, forKey: .reason)
            try container.encode(expires.description, forKey: .expires)
            try container.encode(isExpired, forKey: .isExpired)
            try container.encode(location.description, forKey: .location)
        }
    }

    /// Creates a finding.
    public init(
        id: String, severity: RiskLevel, type: String, tier: String, direction: Direction?, rule: RuleKey?,
        ruleText: String?, location: SourceLocation, title: String, description: String, remediation: String,
        path: [String]? = nil, acceptance: Acceptance? = nil, fingerprint: String, memberRules: [RuleKey]? = nil
    ) {
        self.id = id
        self.severity = severity
        self.type = type
        self.tier = tier
        self.direction = direction
        self.rule = rule
        self.ruleText = ruleText
        self.location = location
        self.title = title
        self.description = description
        self.remediation = remediation
        self.path = path
        self.acceptance = acceptance
        self.fingerprint = fingerprint
        self.memberRules = memberRules
    }

    /// True when an active (unexpired) acceptance covers the finding: shown, but not failing.
    public var isAccepted: Bool { acceptance.map { !$0.isExpired } ?? false }

    private enum CodingKeys: String, CodingKey {
        case id, severity, type, tier, direction, rule, location, file, line, column, title, description
        case remediation, path, acceptance, accepted, fingerprint
    }

    /// Encodes flat keys; `rule` is the rule text and the location is given both
    /// as `file:line:column` and as separate fields (SARIF wants the parts, people want the text).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(severity, forKey: .severity)
        try container.encode(type, forKey: .type)
        try container.encode(tier, forKey: .tier)
        try container.encodeIfPresent(direction, forKey: .direction)
        try container.encodeIfPresent(ruleText, forKey: .rule)
        try container.encode(location.description, forKey: .location)
        try container.encode(location.file, forKey: .file)
        try container.encode(location.line, forKey: .line)
        try container.encode(location.column, forKey: .column)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(remediation, forKey: .remediation)
        try container.encodeIfPresent(path, forKey: .path)
        try container.encodeIfPresent(acceptance, forKey: .acceptance)
        try container.encode(isAccepted, forKey: .accepted)
        try container.encode(fingerprint, forKey: .fingerprint)
    }
}

extension Finding {
    /// Builds a finding of a catalogued kind about one rule, or about a union of rules
    /// (`members`, with `ruleText` naming every CIDR).
    ///
    /// The location is the peer value of `anchor` when the parser recorded it, else the rule: the
    /// peer is what makes a rule dangerous, so that is where the caret belongs.
    package init(
        kind: FindingKind, severity: RiskLevel? = nil, tier: Tier, anchor: Rule, ruleText: String? = nil, members: [RuleKey]? = nil,
        description: String
    ) {
        let text = ruleText ?? anchor.key.description
        self.init(
            id: kind.id, severity: severity ?? kind.defaultSeverity, type: kind.type, tier: tier.name,
            direction: anchor.direction, rule: anchor.key, ruleText: text,
            location: anchor.locations.peer ?? anchor.location, title: kind.title, description: description,
            remediation: kind.remediation, fingerprint: FindingFingerprint.make(findingID: kind.id, tier: tier.name, subject: text),
            memberRules: members
        )
    }

    /// Builds a tier-level finding (no rule), located at the tier's key.
    package init(kind: FindingKind, tier: Tier, description: String) {
        self.init(
            id: kind.id, severity: kind.defaultSeverity, type: kind.type, tier: tier.name, direction: nil, rule: nil,
            ruleText: nil, location: tier.location, title: kind.title, description: description,
            remediation: kind.remediation, fingerprint: FindingFingerprint.make(findingID: kind.id, tier: tier.name, subject: "")
        )
    }

    /// True when the finding is about `key`: its own rule, or one of the members of a union
    /// (how accepted risks and drift tie a finding to a rule).
    public func isAbout(_ key: RuleKey) -> Bool {
        if let memberRules { return memberRules.contains(key) }
        return rule == key
    }

    /// The report order: severity (worst first), then file/line/column, then id, then fingerprint.
    package static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.id != rhs.id { return lhs.id < rhs.id }
        return lhs.fingerprint < rhs.fingerprint
    }
}
