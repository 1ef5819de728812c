import SGFindings
import SGModel

extension ScenarioValidator {
    /// Validates a deployment with `targets` as every target would deploy it: the same tiers judged
    /// with each target's own `vpc_cidr` (what is "inside the VPC" differs per target), so a rule
    /// that is internal in one account and reaches another network in the next is caught where it
    /// is wrong. Targets with the same CIDR share one judgement.
    ///
    /// The result reads like a single deployment's: a finding every target has appears once, as it
    /// would for one stack; a finding only some targets have says which
    /// (`(targets: 111122223333/eu-west-1, ...)` in its description). Per rule, the assessment is
    /// the worst any target gets. Accepted risks are unused only when no target uses them.
    public func validateTargets(_ deployment: Deployment, today: CalendarDate, assessingRules: Bool = true) -> ValidationResult {
        let targets = deployment.config.targets
        guard !targets.isEmpty else { return validate(deployment, today: today, assessingRules: assessingRules) }
        // One judgement per distinct CIDR, in order of first appearance.
        var groups: [(cidr: CIDRBlock, targets: [DeploymentTarget])] = []
        for target in targets {
            if let index = groups.firstIndex(where: { $0.cidr == target.vpcCIDR }) {
                groups[index].targets.append(target)
            } else {
                groups.append((target.vpcCIDR, [target]))
            }
        }
        let results = groups.map { group in
            validate(deployment.forTarget(group.targets[0]), today: today, assessingRules: assessingRules)
        }
        guard results.count > 1 else { return results[0] }

        // Findings: keyed by what they say, not where (the same finding in every judgement is one).
        struct Key: Hashable {
            var id: String, severity: RiskLevel, fingerprint: String, accepted: Bool
        }
        var order: [Key] = []
        var found: [Key: (finding: Finding, groups: [Int])] = [:]
        for (index, result) in results.enumerated() {
            for finding in result.findings {
                let key = Key(id: finding.id, severity: finding.severity, fingerprint: finding.fingerprint, accepted: finding.isAccepted)
                if found[key] == nil {
                    order.append(key)
                    found[key] = (finding, [index])
                } else if found[key]?.groups.last != index {
                    found[key]?.groups.append(index)
                }
            }
        }
        var findings: [Finding] = []
        for key in order {
            guard let entry = found[key] else { continue }
            var finding = entry.finding
            let judgements = entry.groups
            if judgements.count < results.count {
                let labels = judgements.flatMap { groups[$0].targets.map(\.label) }
                finding.description += " (targets: \(labels.joined(separator: ", ")))"
            }
            findings.append(finding)
        }
        findings.sort(by: Finding.reportOrder)

        // Assessments line up (same tiers, same rules, same order); the worst of each wins.
        var assessments = results[0].assessments
        for result in results.dropFirst() where result.assessments.count == assessments.count {
            for index in assessments.indices where result.assessments[index].risk > assessments[index].risk {
                assessments[index] = result.assessments[index]
            }
        }
        let unused = results[0].unusedAcceptedRisks.filter { risk in
            results.dropFirst().allSatisfy { $0.unusedAcceptedRisks.contains(risk) }
        }
        var diagnostics = results[0].diagnostics
        for result in results.dropFirst() {
            for diagnostic in result.diagnostics where !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
        }
        return ValidationResult(
            findings: findings, assessments: assessments, tierAssessments: results[0].tierAssessments,
            unusedAcceptedRisks: unused, diagnostics: diagnostics)
    }
}
