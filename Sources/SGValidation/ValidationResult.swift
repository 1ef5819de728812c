import SGDiagnostics
import SGFindings
import SGModel

/// What the validator concluded about a set of tiers.
public struct ValidationResult: Sendable {
    /// Every finding, sorted: severity (worst first), then file/line/column, then id, then fingerprint.
    public var findings: [Finding]
    /// One per rule of every tier, in tier order and, within a tier, ingress then egress in file
    /// order: the "every rule with its risk" table of the review report.
    public var assessments: [RuleAssessment]
    /// One per tier, in tier order: the tier's egress posture (closed is SAFE, default is not).
    public var tierAssessments: [TierAssessment]
    /// Accepted risks that matched no finding, in config order: the caller warns about them,
    /// because a stale acceptance hides nothing today but would silently hide a future finding.
    public var unusedAcceptedRisks: [AcceptedRisk]
    /// Errors in the config's risk inputs that only judging can find, located in the config: an
    /// accepted risk matching several findings or naming no rule, an `expires` past the bound, a
    /// `port_catalog` entry lowering a built-in port (E8xx). Callers report them like input errors.
    public var diagnostics: [Diagnostic]
    /// Who can reach whom, hop by hop: the graph the exposure paths were found in, which the
    /// review report draws.
    public var reachability: Reachability

    /// Creates a result.
    public init(
        findings: [Finding], assessments: [RuleAssessment], tierAssessments: [TierAssessment] = [], unusedAcceptedRisks: [AcceptedRisk] = [],
        diagnostics: [Diagnostic] = [], reachability: Reachability = Reachability()
    ) {
        self.findings = findings
        self.assessments = assessments
        self.tierAssessments = tierAssessments
        self.unusedAcceptedRisks = unusedAcceptedRisks
        self.diagnostics = diagnostics
        self.reachability = reachability
    }

    /// Findings that gate a pipeline: not accepted (or acceptance expired) and at least `threshold`.
    public func failing(at threshold: RiskLevel) -> [Finding] {
        findings.filter { !$0.isAccepted && $0.severity >= threshold }
    }

    /// The highest severity among failing-eligible findings (not accepted), or nil when none.
    public var worstUnacceptedSeverity: RiskLevel? {
        findings.filter { !$0.isAccepted }.map(\.severity).max()
    }
}

/// One rule's risk, for reports that list every rule and for drift, which rates added and removed
/// rules with the same judgement as validation.
public struct RuleAssessment: Hashable, Sendable {
    /// The tier that owns the rule.
    public var tier: String
    /// The rule judged.
    public var rule: Rule
    /// The worst risk of the rule (LOW for a preferred tier reference; a rule with no finding is
    /// at most LOW).
    public var risk: RiskLevel
    /// True for the pattern the guide recommends (a tier reference with no least-privilege
    /// finding): shown as "LOW (preferred)". Never true for a rule with a finding.
    public var isPreferred: Bool
    /// Short reason, e.g. `tier reference (preferred)` or `5432 PostgreSQL open to the world`.
    public var reason: String
    /// Ids of the findings raised against this rule, sorted and unique.
    public var findingIDs: [String]

    /// Creates an assessment.
    public init(tier: String, rule: Rule, risk: RiskLevel, isPreferred: Bool = false, reason: String, findingIDs: [String] = []) {
        self.tier = tier
        self.rule = rule
        self.risk = risk
        self.isPreferred = isPreferred
        self.reason = reason
        self.findingIDs = findingIDs
    }

    /// `CRITICAL`, `LOW (preferred)`, ...: the label reports print.
    public var riskLabel: String { isPreferred ? "\(risk.label) (preferred)" : risk.label }
}

/// A tier's egress posture, which has no rule to hang an assessment on when egress is closed
/// or left to the AWS default.
public struct TierAssessment: Hashable, Sendable {
    /// How the tier's outbound traffic is configured.
    public enum EgressPosture: String, Hashable, Sendable, Codable {
        /// `egress: []`: the group allows no outbound traffic.
        case closed
        /// `egress` omitted: AWS allows all outbound traffic to 0.0.0.0/0.
        case awsDefault = "default"
        /// Explicit egress rules (each assessed on its own).
        case explicit
    }

    /// The tier.
    public var tier: String
    /// Closed, default or explicit.
    public var egress: EgressPosture
    /// Risk of the posture itself: INFO for closed (SAFE), MEDIUM for default, INFO for explicit.
    public var risk: RiskLevel
    /// `SAFE`, `MEDIUM`, ...
    public var riskLabel: String
    /// Short reason.
    public var reason: String

    /// Creates a tier assessment.
    public init(tier: String, egress: EgressPosture, risk: RiskLevel, riskLabel: String, reason: String) {
        self.tier = tier
        self.egress = egress
        self.risk = risk
        self.riskLabel = riskLabel
        self.reason = reason
    }
}
