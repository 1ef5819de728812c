import SGFindings
import SGModel
import SGValidation

/// How the tool could settle one item of the seed guide's pre-production checklist.
public enum ChecklistStatus: String, Hashable, Sendable, CaseIterable {
    /// Every check behind the item ran and found nothing.
    case verifiedByTool = "verified-by-tool"
    /// A check behind the item found something: the approver must not sign.
    case failed
    /// Outside what the tool can see (AWS account settings, processes), or found only under an
    /// accepted risk: a person confirms it.
    case needsHuman = "needs-human"
    /// About something the project does not ship (facts in `ShippedArtifacts`).
    case notApplicable = "not-applicable"
}

/// One check the tool ran for a checklist item, and what it found.
public struct ChecklistCheck: Hashable, Sendable {
    /// Stable id: a finding kind (`SG-WORLD-DB`) or a report check (`governance-tags`).
    public var id: String
    /// What it looks at.
    public var summary: String
    /// What it found that no active accepted risk covers; empty when clean.
    public var found: [String]
    /// What it found that an active accepted risk covers.
    public var accepted: [String]

    /// Creates a check result.
    public init(id: String, summary: String, found: [String] = [], accepted: [String] = []) {
        self.id = id
        self.summary = summary
        self.found = found
        self.accepted = accepted
    }

    /// `SG-WORLD-DB: clean`, `governance-tags: 2 found`, `SG-WORLD-ADMIN: 1 accepted`.
    public var outcome: String {
        if !found.isEmpty { return "\(id): \(found.count) found" }
        if !accepted.isEmpty { return "\(id): \(accepted.count) accepted" }
        return "\(id): clean"
    }
}

/// One checklist line with the evidence behind its status.
public struct ChecklistItem: Hashable, Sendable {
    /// The item as the seed guide words it.
    public var item: String
    /// Verified, failed, needs a person, or not applicable.
    public var status: ChecklistStatus
    /// Why: what was found, or what the person should look at.
    public var evidence: String
    /// The checks behind a tool-settled item; empty for an item a person settles.
    public var checks: [ChecklistCheck]

    /// An item a person settles (or that does not apply): no checks behind it.
    public init(item: String, status: ChecklistStatus, evidence: String) {
        self.item = item
        self.status = status
        self.evidence = evidence
        checks = []
    }

    /// An item the tool settles from its checks: `failed` when one found something, `needs-human`
    /// when something was found only under an accepted risk, `verified-by-tool` when all are clean.
    public init(item: String, checks: [ChecklistCheck], clean: String) {
        self.item = item
        self.checks = checks
        let found = checks.flatMap(\.found), accepted = checks.flatMap(\.accepted)
        if !found.isEmpty {
            status = .failed
            evidence = found.joined(separator: "; ")
        } else if !accepted.isEmpty {
            status = .needsHuman
            evidence = "found only under an accepted risk: \(accepted.joined(separator: "; ")); the approver confirms the acceptance"
        } else {
            status = .verifiedByTool
            evidence = clean
        }
    }
}

/// What the project ships, as far as the checklist is concerned. The action that makes the report
/// says; the report does not guess.
public struct ShippedArtifacts: Hashable, Sendable {
    /// The container image the tool is distributed as (e.g. `sg-provisioner:0.1.0`), or nil when
    /// the project ships none: then "Docker image scanned" is not applicable.
    public var containerImage: String?

    /// Creates the facts.
    public init(containerImage: String? = nil) {
        self.containerImage = containerImage
    }
}

/// The seed guide's "Security Checklist", item by item in its order and wording. An item is
/// `verified-by-tool` only when every check behind it ran and found nothing, and the checks are
/// listed with the item in every rendering.
struct PreProductionChecklist {
    let report: ReviewReport

    /// Finding kinds whose open findings make the scenario overly permissive: every kind the guide
    /// rates medium or worse (low is what it accepts: 443 on a public tier, 443 out, ICMP).
    static let permissiveKinds = FindingKind.all.filter { $0.defaultSeverity >= .medium }
    /// Finding kinds about egress beyond what the guide accepts (all traffic to another tier or an
    /// internal range counted on the egress side only).
    static let egressKinds = [FindingKind.egressWorldAll, .defaultEgress, .egressWorldPort]

    var items: [ChecklistItem] {
        let identity = report.identity
        return [
            ChecklistItem(
                item: "IAM policy generated and scoped to company prefix", status: .needsHuman,
                evidence: "run -act create-iam-policy: it writes policies scoped to \(identity.company)-* in \(identity.region) and checks them; a person attaches them to the deploying role"),
            ChecklistItem(
                item: "VPC exists and is verified", status: .needsHuman,
                evidence: "run -act verify-vpc (live AWS) for \(report.vpcID) in \(identity.region)"),
            ChecklistItem(
                item: "Scenario reviewed — no overly permissive rules",
                checks: Self.permissiveKinds.map { findingCheck($0, minimum: .medium) },
                clean: "no finding of medium or higher severity without an active acceptance; the rules table lists every rule with its risk"),
            ChecklistItem(
                item: "Overrides reviewed — descriptions provided", checks: [overrideDescriptions, overrideEffects],
                clean: report.overrides.isEmpty ? "no overrides" : "all \(report.overrides.count) override(s) carry a description and change the scenario; each is listed below"),
            ChecklistItem(
                item: "Template validated locally (validate-prov-template)", checks: [inputsAndSelfCheck, failOnThreshold],
                clean: "inputs valid, template compiled and self-checked, no finding fails --fail-on \(report.failOn.rawValue)"),
            ChecklistItem(
                item: "Review report generated and approved (create-review-report)", status: .needsHuman,
                evidence: "this report is generated; approval is the signature block at the end"),
            ChecklistItem(
                item: "Test deployment successful (test-deploy)", status: .needsHuman,
                evidence: "run -act test-deploy against the target account and keep its audit log"),
            ChecklistItem(
                item: "No database ports open to 0.0.0.0/0", checks: [findingCheck(.worldDatabase), findingCheck(.worldAll)],
                clean: "no database-port or all-traffic world exposure on any tier (IPv4, IPv6 and CIDR sets covering the world checked)"),
            ChecklistItem(
                item: "No SSH/RDP open to the world", checks: [findingCheck(.worldAdmin), findingCheck(.worldAll)],
                clean: "no remote-administration or all-traffic world exposure on any tier (IPv4, IPv6 and CIDR sets covering the world checked)"),
            ChecklistItem(
                item: "Egress rules are minimal", checks: Self.egressKinds.map { findingCheck($0) } + [findingCheck(.internalAllTraffic, direction: .egress)],
                clean: "no tier relies on default egress, sends anything but 443 to the world, or opens every port to another tier or an internal range"),
            ChecklistItem(
                item: "Tags applied for cost allocation and governance", checks: [governanceTags],
                clean: "all governance tags present: \(TagCoverage.governanceKeys.joined(separator: ", "))"),
            ChecklistItem(item: "CloudTrail enabled for audit", status: .needsHuman, evidence: "an account setting the tool does not read"),
            ChecklistItem(
                item: "Credentials are temporary or recently rotated", status: .needsHuman,
                evidence: "check the deploying role or key age (rotate every 90 days)"),
            imageScan,
        ]
    }

    // MARK: - Checks

    private static func describe(_ finding: Finding) -> String {
        "\(finding.id) on \(finding.tier) (\(finding.location))"
    }

    /// Open findings of one kind (at or above `minimum`, in `direction` when given) are found;
    /// actively accepted ones are accepted.
    private func findingCheck(_ kind: FindingKind, minimum: RiskLevel = .info, direction: Direction? = nil) -> ChecklistCheck {
        let matching = report.validation.findings.filter {
            $0.id == kind.id && $0.severity >= minimum && (direction == nil || $0.direction == direction)
        }
        return ChecklistCheck(
            id: kind.id, summary: kind.title,
            found: matching.filter { !$0.isAccepted }.map(Self.describe), accepted: matching.filter(\.isAccepted).map(Self.describe))
    }

    private var overrideDescriptions: ChecklistCheck {
        ChecklistCheck(
            id: "override-descriptions", summary: "every override carries a description",
            found: report.overrides.filter { $0.description.allSatisfy(\.isWhitespace) }.map { "override \($0.index + 1) on tier \($0.tier) (\($0.location)) has no description" })
    }

    /// An override that adds a rule the scenario already has, or removes one it does not, changes
    /// nothing: usually a stale override that no longer says what the deployment does.
    private var overrideEffects: ChecklistCheck {
        var found: [String] = []
        for effect in report.overrides {
            for change in effect.added where !change.hadEffect {
                found.append("override \(effect.index + 1) on tier \(effect.tier) adds \(change.rule.key), which the scenario already has")
            }
            for change in effect.removed where !change.hadEffect {
                found.append("override \(effect.index + 1) on tier \(effect.tier) removes \(change.rule.key), which the scenario does not have")
            }
        }
        return ChecklistCheck(id: "override-effect", summary: "every rule an override adds or removes changes the scenario", found: found)
    }

    /// The report is only made from a deployment that loaded without errors and compiled into
    /// templates that passed the self-check (the action stops otherwise); listed so the item names it.
    private var inputsAndSelfCheck: ChecklistCheck {
        ChecklistCheck(id: "inputs-and-self-check", summary: "config and scenario valid, template compiled and self-checked")
    }

    private var failOnThreshold: ChecklistCheck {
        ChecklistCheck(
            id: "fail-on-\(report.failOn.rawValue)", summary: "no finding at or above --fail-on \(report.failOn.rawValue) without an active acceptance",
            found: report.failingFindings.map(Self.describe))
    }

    private var governanceTags: ChecklistCheck {
        ChecklistCheck(
            id: "governance-tags", summary: "the guide's governance tags are set: \(TagCoverage.governanceKeys.joined(separator: ", "))",
            found: report.tags.missing.isEmpty ? [] : ["missing: \(report.tags.missing.joined(separator: ", "))"])
    }

    private var imageScan: ChecklistItem {
        let item = "Docker image scanned for vulnerabilities"
        guard let image = report.shipped.containerImage else {
            return ChecklistItem(item: item, status: .notApplicable, evidence: "the project ships no container image; scan the host the tool runs on instead")
        }
        return ChecklistItem(item: item, status: .needsHuman, evidence: "scan the image in use, e.g. trivy image \(image)")
    }
}
