import SGCrypto
import SGDiagnostics
import SGFindings
import SGModel
import SGValidation

/// The SHA-256 of one stack template exactly as `create-prov-template` writes it (YAML), so an
/// approval can be tied to the bytes `create-security-groups` deploys.
public struct TemplateDigest: Hashable, Sendable {
    /// The CloudFormation stack name.
    public var stackName: String
    /// The file name in reports/, e.g. `acme-dev-d001-eu-west-1-sg-stack-template.yaml`.
    public var fileName: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String

    /// Creates a digest from known values.
    public init(stackName: String, fileName: String, sha256: String) {
        self.stackName = stackName
        self.fileName = fileName
        self.sha256 = sha256
    }

    /// Hashes the template text as UTF-8, the encoding the file is written in.
    public init(stackName: String, fileName: String, text: String) {
        self.init(stackName: stackName, fileName: fileName, sha256: SHA256.hex(Array(text.utf8)))
    }

    /// One hash over several stacks: SHA-256 of the `sha256sum`-style lines `"{sha256}  {stack}\n"`
    /// in deployment order. Any change to any stack, or to the set or order of stacks, changes it.
    public static func combined(_ digests: [TemplateDigest]) -> String {
        SHA256.hex(Array(digests.map { "\($0.sha256)  \($0.stackName)\n" }.joined().utf8))
    }
}

/// What one override of the config did to the scenario as written.
public struct OverrideEffect: Hashable, Sendable {
    /// A rule the override names, and whether it changed anything.
    public struct Change: Hashable, Sendable {
        /// The rule added or removed.
        public var rule: Rule
        /// False for a removal that matched no rule of the scenario (or an addition already present).
        public var hadEffect: Bool
    }

    /// Position in the config's `overrides` (0-based).
    public var index: Int
    /// The tier changed.
    public var tier: String
    /// The mandatory description.
    public var description: String
    /// Where the override is written.
    public var location: SourceLocation
    /// Rules added (ingress then egress).
    public var added: [Change]
    /// Rules removed (ingress then egress).
    public var removed: [Change]
}

/// An accepted risk with what became of it on the report's date.
public struct AcceptedRiskStatus: Hashable, Sendable {
    /// What an acceptance is doing right now.
    public enum State: String, Hashable, Sendable {
        /// Covers its one finding and has not expired.
        case active
        /// Past its expiry: the findings it named count again (shown as failing).
        case expired
        /// Matches no finding: hides nothing today, but would hide the finding it names if it came back.
        case unused
    }

    /// The config entry.
    public var risk: AcceptedRisk
    /// Active, expired or unused.
    public var state: State
    /// Fingerprint of the finding it matched (one at most: an acceptance binds to one finding).
    public var matchedFindings: [String]
}

/// The seed guide's governance tags against the config's tags.
public struct TagCoverage: Hashable, Sendable {
    /// The keys the guide's "Tagging for Governance" section lists.
    public static let governanceKeys = ["cost_center", "project", "owner", "compliance", "data_classification"]

    /// Governance keys with their values, in the guide's order; nil value when missing.
    public var governance: [(key: String, value: String?)]
    /// Other tags of the config, in file order.
    public var extra: [Tag]

    /// Governance keys the config lacks (or leaves empty).
    public var missing: [String] { governance.filter { ($0.value ?? "").isEmpty }.map(\.key) }

    /// Computes coverage for a config's tags.
    public init(tags: [Tag]) {
        var byKey: [String: String] = [:]
        for tag in tags where byKey[tag.key] == nil { byKey[tag.key] = tag.value }
        governance = Self.governanceKeys.map { ($0, byKey[$0]) }
        extra = tags.filter { !Self.governanceKeys.contains($0.key) }
    }

    public static func == (lhs: TagCoverage, rhs: TagCoverage) -> Bool {
        lhs.governance.map { "\($0.key)=\($0.value ?? "\u{0}")" } == rhs.governance.map { "\($0.key)=\($0.value ?? "\u{0}")" }
            && lhs.extra == rhs.extra
    }

    public func hash(into hasher: inout Hasher) {
        for entry in governance { hasher.combine(entry.key); hasher.combine(entry.value) }
        hasher.combine(extra)
    }
}

/// Everything an approver needs to decide on one deployment, computed once and rendered as
/// Markdown, HTML and JSON so the three never disagree.
///
/// Pure: no clock and no file system. The same inputs give byte-identical renderings.
public struct ReviewReport: Sendable {
    /// Deployment names.
    public var identity: DeploymentIdentity
    /// `vpc_id`.
    public var vpcID: String
    /// `vpc_cidr`, when known.
    public var vpcCIDR: CIDRBlock?
    /// The scenario as written.
    public var scenario: Scenario
    /// The tiers after overrides.
    public var tiers: [Tier]
    /// The config file's path.
    public var configFile: String
    /// The tool version that made the report.
    public var toolVersion: String
    /// `--today`, when given; no date is shown otherwise (the report carries no timestamp).
    public var date: CalendarDate?
    /// The threshold the verdict line uses (`--fail-on`).
    public var failOn: RiskLevel
    /// One digest per stack, in deployment order.
    public var templates: [TemplateDigest]
    /// The validator's result.
    public var validation: ValidationResult
    /// Who can reach whom.
    public var graph: ReachabilityGraph
    /// Overrides against the scenario.
    public var overrides: [OverrideEffect]
    /// Accepted risks and their state.
    public var acceptedRisks: [AcceptedRiskStatus]
    /// Governance tags.
    public var tags: TagCoverage
    /// What the project ships, which decides whether some checklist items apply.
    public var shipped: ShippedArtifacts
    /// The seed guide's pre-production checklist.
    public var checklist: [ChecklistItem]
    /// The existing groups tiers adopt (`adopted_groups`): an approver signs off taking them over.
    public var adoptedGroups: [AdoptedGroup]
    /// The accounts and regions of a deployment with targets (empty for one stack).
    public var targets: [DeploymentTarget] = []

    /// Assembles the report from a loaded deployment, its validation and its template digests.
    public init(
        deployment: Deployment, validation: ValidationResult, templates: [TemplateDigest], toolVersion: String,
        date: CalendarDate?, failOn: RiskLevel = .high, shipped: ShippedArtifacts = ShippedArtifacts()
    ) {
        identity = deployment.identity
        vpcID = deployment.config.vpcID
        vpcCIDR = deployment.config.vpcCIDR
        scenario = deployment.scenario
        tiers = deployment.tiers
        configFile = deployment.config.file
        self.toolVersion = toolVersion
        self.date = date
        self.failOn = failOn
        self.templates = templates
        self.validation = validation
        graph = ReachabilityGraph(validation: validation)
        overrides = Self.effects(of: deployment)
        acceptedRisks = Self.statuses(of: deployment.config.acceptedRisks, validation: validation)
        tags = TagCoverage(tags: deployment.config.tags)
        adoptedGroups = deployment.config.adoptedGroups
        targets = deployment.config.targets
        self.shipped = shipped
        checklist = []
        checklist = PreProductionChecklist(report: self).items
    }

    /// SHA-256 over all stacks; nil for a deployment with a single stack (its own hash is the one).
    public var combinedSHA256: String? { templates.count > 1 ? TemplateDigest.combined(templates) : nil }

    /// Findings that fail `failOn`: not actively accepted and at or above the threshold.
    public var failingFindings: [Finding] { validation.failing(at: failOn) }

    /// One line for the top of every rendering.
    public var verdict: String {
        let failing = failingFindings.count
        let failedItems = checklist.filter { $0.status == .failed }.count
        if failing == 0 && failedItems == 0 {
            return "The tool found no finding at or above \(failOn.rawValue) that is not accepted, and no checklist item failed; "
                + "\(checklist.filter { $0.status == .needsHuman }.count) item(s) need a person."
        }
        return "DO NOT APPROVE as is: \(failing) finding(s) at or above \(failOn.rawValue) without an active acceptance, "
            + "\(failedItems) checklist item(s) failed."
    }

    /// Findings of one severity, in report order.
    public func findings(at level: RiskLevel) -> [Finding] { validation.findings.filter { $0.severity == level } }

    /// Hop-by-hop exposure from the internet: direct exposures (internet -> tier) and the
    /// validator's SG-EXPOSURE-PATH findings, each hop labelled with the ports it carries.
    public var exposurePaths: [ExposurePath] {
        var paths: [ExposurePath] = []
        for tier in tiers where graph.edge(from: ReachabilityGraph.internet, to: tier.name) != nil {
            paths.append(ExposurePath(hops: hops(["internet", tier.name]), findingID: nil))
        }
        for finding in validation.findings where finding.id == FindingKind.exposurePath.id {
            guard let path = finding.path, path.count >= 2 else { continue }
            paths.append(ExposurePath(hops: hops(path), findingID: finding.fingerprint))
        }
        return paths
    }

    /// What the drawing shows, for the line above it (HTML) or the table (Markdown).
    static let drawingCaption = "Columns are hops from the internet; tiers it cannot reach are drawn below a dashed line. "
        + "An edge is traffic both sides allow (the receiver's ingress and the sender's egress), labelled with its ports "
        + "and coloured by the worst risk of its rules."

    /// Tier references no traffic uses, in one sentence; nil when there are none.
    var oneSidedNote: String? {
        let references = graph.oneSidedReferences
        guard !references.isEmpty else { return nil }
        let shown = references.prefix(50).map { "\($0.to) admits \($0.from) on \($0.label)" }
        let more = references.count > 50 ? " and \(references.count - 50) more" : ""
        return "Ingress that no traffic uses, because the sender's egress does not allow it: " + shown.joined(separator: "; ") + more + "."
    }

    private func hops(_ names: [String]) -> [ExposurePath.Hop] {
        zip(names, names.dropFirst()).map { from, to in
            let edge = graph.edge(from: from, to: to)
            return ExposurePath.Hop(from: from, to: to, ports: edge?.label ?? "?", risk: edge?.risk ?? .info)
        }
    }

    // MARK: - Assembly

    private static func effects(of deployment: Deployment) -> [OverrideEffect] {
        deployment.config.overrides.enumerated().map { index, override in
            let written = deployment.scenario.tier(named: override.tier)
            let writtenKeys = Set((written?.rules ?? []).map(\.key))
            let added = (override.addIngress + override.addEgress).map {
                OverrideEffect.Change(rule: $0, hadEffect: !writtenKeys.contains($0.key))
            }
            let removed = (override.removeIngress + override.removeEgress).map {
                OverrideEffect.Change(rule: $0, hadEffect: writtenKeys.contains($0.key))
            }
            return OverrideEffect(
                index: index, tier: override.tier, description: override.description, location: override.location,
                added: added, removed: removed)
        }
    }

    private static func statuses(of risks: [AcceptedRisk], validation: ValidationResult) -> [AcceptedRiskStatus] {
        risks.map { risk in
            let matched = validation.findings.filter { $0.acceptance?.location == risk.location && $0.id == risk.findingID && $0.tier == risk.tier }
            let state: AcceptedRiskStatus.State
            if matched.isEmpty {
                state = .unused
            } else {
                state = matched.contains { $0.acceptance?.isExpired == false } ? .active : .expired
            }
            return AcceptedRiskStatus(risk: risk, state: state, matchedFindings: matched.map(\.fingerprint))
        }
    }
}

/// A way in from the internet, one hop per reachability edge.
public struct ExposurePath: Hashable, Sendable {
    /// One edge of the path.
    public struct Hop: Hashable, Sendable {
        /// Sender (`internet` or a tier).
        public var from: String
        /// Receiver tier.
        public var to: String
        /// Ports the receiver accepts from the sender, e.g. `443` or `8080,8443`.
        public var ports: String
        /// Worst risk among the rules on the hop.
        public var risk: RiskLevel
    }

    /// The hops, from the internet onwards.
    public var hops: [Hop]
    /// The SG-EXPOSURE-PATH finding's fingerprint; nil for a direct exposure.
    public var findingID: String?

    /// `internet -(443)-> web -(8080)-> app`.
    public var text: String {
        guard let first = hops.first else { return "" }
        return first.from + hops.map { " -(\($0.ports))-> \($0.to)" }.joined()
    }
}
