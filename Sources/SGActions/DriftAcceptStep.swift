import SGActionKit
import SGConfig
import SGConfigEditing
import SGCrypto
import SGDiagnostics
import SGDrift
import SGInventory
import SGModel
import SGValidation

/// `check-drift --accept FINGERPRINT... --reason TEXT` (or `--accept-all`): the other way out of
/// drift that the security guide names ("update your config to match"). Plans the overrides and
/// accepted risks (`DriftAcceptancePlanner`), edits the config in place (`ConfigEditor`), proves the
/// edited config loads, judges no worse and leaves the accepted items in sync with the same live
/// groups, and only then replaces the file atomically. Any refusal writes nothing.
struct DriftAcceptStep {
    let context: ActionContext

    func run(deployment: Deployment, report: inout DriftReport, liveGroups: [LiveSecurityGroup], comparator: DriftComparator) {
        let request = context.request
        let plan = DriftAcceptancePlanner(deployment: deployment, report: report).plan(DriftAcceptanceRequest(
            fingerprints: request.accept, all: request.acceptAll, reason: request.reason ?? "", expires: request.expires,
            failOn: request.failOn, today: context.today))
        for problem in plan.problems { context.report(.error(Self.code(problem.kind), problem.message, at: nil)) }
        for leftOut in plan.leftOut { context.report(.warning(.acceptLeftOut, "not accepted: \(leftOut.message)", at: nil)) }
        for note in plan.notes { context.report(.warning(.acceptStaleRisk, note, at: nil)) }
        guard plan.problems.isEmpty else {
            context.record("accept: refused (\(plan.problems.count) problem(s)); the config was not written")
            return
        }
        guard !plan.changes.isEmpty else {
            context.record("accept: nothing that can be accepted; the config was not written")
            return
        }

        let path = deployment.config.file
        let fileSystem = context.environment.fileSystem
        let original: [UInt8]
        do {
            original = try fileSystem.read(path)
        } catch {
            context.report(.error(.acceptConfigChanged, "cannot read the config again to edit it: \(error)", at: .file(path)))
            return
        }
        if let loaded = context.sources.file(path)?.bytes, loaded != original {
            context.report(.error(.acceptConfigChanged, "the config changed on disk since this run read it; nothing was written: run check-drift again", at: .file(path)))
            return
        }
        let edited: [UInt8]
        do {
            edited = try ConfigEditor(source: SourceFile(path: path, bytes: original))
                .appending(overrides: plan.overrides, acceptedRisks: plan.acceptedRisks)
        } catch {
            context.report(.error(.acceptSelfCheck, "cannot edit the config in place: \(error.message); nothing was written", at: error.location))
            return
        }
        let diff = UnifiedDiff.render(
            old: String(decoding: original, as: UTF8.self), new: String(decoding: edited, as: UTF8.self), oldName: "a/\(path)", newName: "b/\(path)")
        guard selfCheck(edited, path: path, deployment: deployment, report: report, plan: plan, liveGroups: liveGroups) else { return }

        do {
            // The file must still be what was edited: a write never overwrites someone else's change.
            guard try fileSystem.read(path) == original else {
                context.report(.error(.acceptConfigChanged, "the config changed on disk while the edit was prepared; nothing was written: run check-drift again", at: .file(path)))
                return
            }
            try fileSystem.writeAtomically(edited, to: path)
        } catch {
            context.report(.error(.cannotWriteOutput, "cannot write the config: \(error)", at: .file(path)))
            return
        }
        context.record("accept: wrote \(path) sha256=\(SHA256.hex(edited)) (was \(SHA256.hex(original)))")
        for change in plan.changes { context.record("accept: \(change.item.fingerprint) \(change.item.line) on tier \(change.item.tier)") }
        report.acceptance = DriftAcceptanceRecord(
            configPath: path, accepted: plan.changes.map(\.item), acceptedRisks: plan.acceptedRisks.map(Self.describe), diff: diff, written: true)
    }

    /// The edited config loads without errors, judges no finding newly failing, and compared with
    /// the same live groups no longer has the accepted items and has no drift the original had not.
    private func selfCheck(
        _ edited: [UInt8], path: String, deployment: Deployment, report: DriftReport, plan: DriftAcceptancePlan, liveGroups: [LiveSecurityGroup]
    ) -> Bool {
        let fileSystem = context.environment.fileSystem
        let loader = DeploymentLoader(
            readFile: { $0 == path ? edited : try fileSystem.read($0) },
            fileExists: { fileSystem.fileExists($0) },
            configsDirectory: context.request.configsDirectory,
            scenariosDirectory: context.layout.scenariosDirectory)
        let loaded = loader.load(config: path)
        func refuse(_ why: String) -> Bool {
            context.report(.error(.acceptSelfCheck, "the edited config \(why); nothing was written", at: .file(path)))
            return false
        }
        guard let amended = loaded.deployment, !loaded.diagnostics.hasErrors else {
            let errors = loaded.diagnostics.all.filter { $0.severity == .error }.prefix(3).map { "\($0.location.map { "\($0): " } ?? "")\($0.message)" }
            return refuse("would not load: \(errors.joined(separator: "; "))")
        }
        let validator = ScenarioValidator()
        let failOn = context.request.failOn
        let before = validator.validate(deployment, today: context.today)
        let after = validator.validate(amended, today: context.today)
        let failingBefore = Set(before.failing(at: failOn).map(\.fingerprint))
        let newlyFailing = after.failing(at: failOn).filter { !failingBefore.contains($0.fingerprint) }
        if let finding = newlyFailing.first {
            return refuse("would fail validation: \(finding.id) on tier '\(finding.tier)' \(finding.ruleText ?? "")")
        }
        if let problem = after.diagnostics.first(where: { diagnostic in !before.diagnostics.contains { $0.message == diagnostic.message } }) {
            return refuse("would have an invalid accepted risk: \(problem.message)")
        }
        let comparison = DriftComparator(deployment: amended, today: context.today).compare(liveGroups: liveGroups, keepLocations: false)
        let now = DriftReport(
            deployment: report.deployment, vpcID: report.vpcID, source: report.source, groups: comparison.groups,
            missingGroups: comparison.missingGroups, extraGroups: comparison.extraGroups, notes: [], revertPlan: report.revertPlan)
        let remaining = Set(now.items.map(\.fingerprint))
        let accepted = Set(plan.changes.map(\.item.fingerprint))
        if let still = plan.changes.first(where: { remaining.contains($0.item.fingerprint) }) {
            return refuse("would still drift on \(still.item.line) (tier \(still.item.tier))")
        }
        let previous = Set(report.items.map(\.fingerprint))
        if let new = now.items.first(where: { !previous.contains($0.fingerprint) && !accepted.contains($0.fingerprint) }) {
            return refuse("would drift anew on \(new.line) (tier \(new.tier))")
        }
        return true
    }

    private static func code(_ kind: DriftAcceptancePlan.Problem.Kind) -> DiagnosticCode {
        switch kind {
        case .unknownFingerprint: return .acceptUnknownFingerprint
        case .cannotAccept: return .acceptNotPossible
        case .needsAcceptedRisk: return .acceptNeedsAcceptedRisk
        case .expiresTooLate: return .acceptExpires
        }
    }

    /// `SG-WORLD-ADMIN on tier app (ingress tcp/22 from 0.0.0.0/0) until 2027-05-05`.
    static func describe(_ risk: AcceptedRisk) -> String {
        let binding = risk.binding == .tierOnly ? "" : " (\(risk.binding))"
        return "\(risk.findingID) on tier \(risk.tier)\(binding) until \(risk.expires)"
    }
}
