import SGDiagnostics
import SGInventory
import SGModel
import SGValidation
import Testing

@testable import SGDrift

/// Accepting drift into the config: which items can be accepted, what each becomes, and the
/// refusals that keep an acceptance from hiding risk.
@Suite struct DriftAcceptanceTests {
    typealias Fixture = DriftComparatorTests
    static let today = CalendarDate(year: 2026, month: 5, day: 6)

    static let ssh = Fixture.key(.ingress, .tcp, Fixture.port(22), Fixture.cidr("0.0.0.0/0"))
    static let metrics = Fixture.key(.ingress, .tcp, Fixture.port(9100), Fixture.cidr("10.0.7.0/24"))

    /// The fixture deployment's groups with: SSH from the world and a metrics port added on app,
    /// web's HTTPS removed, app's DNS description edited, worker's default egress removed.
    static func drifted() -> [LiveSecurityGroup] {
        Fixture.inSyncGroups().map { group in
            var group = group
            switch group.tierTag {
            case "app":
                group.ingress.append(Fixture.live(ssh, "debug", id: "sgr-ssh"))
                group.ingress.append(Fixture.live(metrics, "node exporter", id: "sgr-metrics"))
                group.egress[1].description = "DNS (edited)"
            case "web":
                group.ingress.removeAll()
            case "worker":
                group.egress.removeAll()
            default:
                break
            }
            return group
        }
    }

    static func report(_ groups: [LiveSecurityGroup] = drifted()) -> DriftReport {
        let comparison = DriftComparator(deployment: Fixture.deployment, today: today).compare(liveGroups: groups, keepLocations: false)
        let (plan, _) = DriftRevertPlanner(deployment: Fixture.deployment).plan(comparison)
        return DriftReport(deployment: "d", vpcID: "vpc-1", source: .live(region: "eu-west-1"), groups: comparison.groups,
                           missingGroups: comparison.missingGroups, extraGroups: comparison.extraGroups, notes: [], revertPlan: plan)
    }

    static func fingerprint(_ report: DriftReport, _ kind: DriftKind, _ tier: String, _ key: RuleKey? = nil) -> String {
        report.items.first { $0.kind == kind && $0.tier == tier && (key == nil || $0.key == key) }!.fingerprint
    }

    static func request(_ fingerprints: [String], all: Bool = false, expires: CalendarDate? = nil) -> DriftAcceptanceRequest {
        DriftAcceptanceRequest(fingerprints: fingerprints, all: all, reason: "SEC-42 needed\nby ops", expires: expires, failOn: .high, today: today)
    }

    @Test func anAddedRuleBecomesAnOverridesAddedRuleWithItsLiveDescriptionAndTheReason() throws {
        let report = Self.report()
        let plan = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report)
            .plan(Self.request([Self.fingerprint(report, .added, "app", Self.metrics)]))
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let override = try #require(plan.overrides.first)
        #expect(plan.overrides.count == 1)
        #expect(override.tier == "app")
        #expect(override.addIngress.map(\.key) == [Self.metrics])
        #expect(override.addIngress.first?.description == "node exporter")
        #expect(override.addIngress.first?.origin == .override(index: 0))
        #expect(override.description == "SEC-42 needed by ops (accepted drift on 2026-05-06: + ingress tcp/9100 from 10.0.7.0/24)")
        #expect(plan.acceptedRisks.isEmpty)
    }

    @Test func whoMadeTheChangeIsWrittenBesideTheReason() throws {
        var report = Self.report()
        let fingerprint = Self.fingerprint(report, .added, "app", Self.metrics)
        report.attributions[fingerprint] = DriftChangeEvent(
            eventID: "7c2a", eventName: "AuthorizeSecurityGroupIngress", eventTime: "2026-05-05T10:19:14Z",
            principal: "arn:aws:iam::123456789012:user/alice", matchedBy: "rule id sgr-metrics")
        let plan = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report).plan(Self.request([fingerprint]))
        #expect(plan.overrides.first?.description == "SEC-42 needed by ops (accepted drift on 2026-05-06: + ingress tcp/9100 from 10.0.7.0/24 by arn:aws:iam::123456789012:user/alice at 2026-05-05T10:19:14Z (CloudTrail event 7c2a))")
    }

    @Test func aRuleAtOrAboveFailOnNeedsAnExpiryAndThenGetsAnAcceptedRiskBoundToIt() throws {
        let report = Self.report()
        let ssh = Self.fingerprint(report, .added, "app", Self.ssh)
        let refused = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report).plan(Self.request([ssh]))
        #expect(refused.problems.map(\.kind) == [.needsAcceptedRisk])
        #expect(refused.problems.first?.fingerprint == ssh)
        #expect(refused.problems.first?.message == "refusing to accept: SG-WORLD-ADMIN (HIGH) on tier 'app' about ingress tcp/22 from 0.0.0.0/0 is at or above --fail-on high; give --expires YYYY-MM-DD (at most a year ahead) to write an accepted risk bound to it alongside, or revert it")
        #expect(!refused.canWrite)

        let accepted = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report)
            .plan(Self.request([ssh], expires: CalendarDate(year: 2026, month: 8, day: 31)))
        #expect(accepted.problems.isEmpty, "\(accepted.problems)")
        let risk = try #require(accepted.acceptedRisks.first)
        #expect(accepted.acceptedRisks.count == 1)
        #expect(risk.findingID == "SG-WORLD-ADMIN")
        #expect(risk.tier == "app")
        #expect(risk.binding == .rule(Self.ssh))
        #expect(risk.expires == CalendarDate(year: 2026, month: 8, day: 31))
        #expect(risk.reason == "SEC-42 needed by ops (accepted drift)")
    }

    @Test(arguments: [(2027, 5, 7, "more than one year after 2026-05-06; the latest an accepted risk may run to is 2027-05-06"), (2026, 5, 5, "is before 2026-05-06")])
    func anExpiryOutOfBoundsIsRefused(year: Int, month: Int, day: Int, message: String) {
        let report = Self.report()
        let plan = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report)
            .plan(Self.request([Self.fingerprint(report, .added, "app", Self.ssh)], expires: CalendarDate(year: year, month: month, day: day)))
        #expect(plan.problems.contains { $0.kind == .expiresTooLate && $0.message.contains(message) }, "\(plan.problems)")
    }

    @Test func aRemovalBecomesARemovalAndAChangeBoth() throws {
        let report = Self.report()
        let plan = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report).plan(Self.request([
            Self.fingerprint(report, .changed, "app"), Self.fingerprint(report, .removed, "web"),
        ]))
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.overrides.map(\.tier) == ["web", "app"], "one override per tier, in scenario order")
        #expect(plan.overrides[0].removeIngress.map(\.key) == [Fixture.key(.ingress, .tcp, Fixture.port(443), Fixture.cidr("0.0.0.0/0"))])
        #expect(plan.overrides[0].addIngress.isEmpty)
        let dns = Fixture.key(.egress, .udp, Fixture.port(53), Fixture.cidr("2001:db8::/32"))
        #expect(plan.overrides[1].removeEgress.map(\.key) == [dns])
        #expect(plan.overrides[1].addEgress.map(\.key) == [dns])
        #expect(plan.overrides[1].addEgress.first?.description == "DNS (edited)")
        #expect(plan.changes.map(\.item.kind) == [.removed, .changed], "report order")
    }

    @Test func whatCannotBeExpressedIsRefusedOrLeftOut() throws {
        var groups = Self.drifted().filter { $0.tierTag != "db" }
        groups.append(Fixture.group("sg-stray", tier: "cache", ingress: [Fixture.live(Self.metrics, nil, id: "sgr-stray")]))
        let report = Self.report(groups)
        let missing = Self.fingerprint(report, .missingGroup, "db")
        let defaultEgress = Self.fingerprint(report, .removed, "worker")
        let extra = try #require(report.items.first { $0.kind == .extraGroup }).fingerprint
        let planner = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report)
        let explicit = planner.plan(Self.request([missing, defaultEgress, extra, String(repeating: "0", count: 32)]))
        #expect(explicit.problems.map(\.kind) == [.cannotAccept, .cannotAccept, .cannotAccept, .unknownFingerprint])
        #expect(explicit.problems[0].message.hasPrefix("cannot accept ! tier db: missing group on tier db: a missing group can only be reverted"))
        #expect(explicit.problems[1].message.contains("keeps AWS's default egress"))
        #expect(explicit.problems[3].message.hasPrefix("no drifted rule or group has fingerprint 00000000000000000000000000000000"))

        let all = planner.plan(Self.request([], all: true))
        #expect(all.problems.map(\.kind) == [.needsAcceptedRisk], "SSH needs --expires even with --accept-all")
        #expect(all.leftOut.count == 6, "missing db, app's egress to it by name and by id, worker's default egress, the extra group and its rule: \(all.leftOut.map(\.message))")
        #expect(all.leftOut.contains { $0.message.hasPrefix("+ egress tcp/5432 to sg-db on tier app: it stands for egress tcp/5432 to tier db (tier db has no live group to name it by)") })
        #expect(all.leftOut.contains { $0.message == "- egress tcp/5432 to tier db on tier app: its peer, tier db, has no live group; recreate it first (-act create-security-groups --force)" })
        let withExpiry = planner.plan(Self.request([], all: true, expires: CalendarDate(year: 2026, month: 6, day: 30)))
        #expect(withExpiry.problems.isEmpty, "\(withExpiry.problems)")
        #expect(withExpiry.changes.map(\.item.line) == [
            "- ingress tcp/443 from 0.0.0.0/0", "+ ingress tcp/22 from 0.0.0.0/0", "+ ingress tcp/9100 from 10.0.7.0/24",
            "~ egress udp/53 to 2001:db8::/32",
        ])
    }

    @Test func addedEgressOnADefaultEgressTierIsRefused() throws {
        let groups = Fixture.inSyncGroups().map { group -> LiveSecurityGroup in
            var group = group
            if group.tierTag == "worker" { group.egress.append(Fixture.live(Fixture.key(.egress, .tcp, Fixture.port(443), Fixture.cidr("0.0.0.0/0")), nil, id: "sgr-e")) }
            return group
        }
        let report = Self.report(groups)
        let plan = DriftAcceptancePlanner(deployment: Fixture.deployment, report: report).plan(Self.request([Self.fingerprint(report, .added, "worker")]))
        #expect(plan.problems.first?.kind == .cannotAccept)
        #expect(plan.problems.first?.message.contains("an override's add_egress would replace") == true)
    }

    @Test func eachItemHasBothWaysOutAndTheSuggestionItsRatingGives() throws {
        let report = Self.report()
        let entries = DriftRemediation.entries(for: report, config: "acme prod", failOn: .high, deployment: Fixture.deployment)
        let ssh = try #require(entries.first { $0.item.key == Self.ssh })
        #expect(ssh.suggestion == .revert)
        #expect(ssh.revert.hasPrefix("aws ec2 revoke-security-group-ingress --group-id sg-app --security-group-rule-ids sgr-ssh; or the whole plan: sg-provisioner -con 'acme prod' -act check-drift --force"))
        #expect(ssh.accept == "sg-provisioner -con 'acme prod' -act check-drift --accept \(ssh.item.fingerprint) --reason 'WHY (ticket)' --expires YYYY-MM-DD")
        let metrics = try #require(entries.first { $0.item.key == Self.metrics })
        #expect(metrics.suggestion == .accept, "\(metrics.rating)")
        #expect(metrics.accept?.hasSuffix("--reason 'WHY (ticket)'") == true)
        let removed = try #require(entries.first { $0.item.kind == .removed && $0.item.tier == "web" })
        #expect(removed.suggestion == .review)
        #expect(removed.revert.hasPrefix(#"aws ec2 authorize-security-group-ingress --group-id sg-web --ip-permissions '[{"FromPort": 443, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from internet"}], "ToPort": 443}]'"#))
        let defaultEgress = try #require(entries.first { $0.item.kind == .removed && $0.item.tier == "worker" })
        #expect(defaultEgress.accept == nil)
        #expect(defaultEgress.acceptBlocked?.contains("egress: []") == true)
        #expect(defaultEgress.acceptBlocked?.contains("keeps AWS's default egress") == true, "the planner's own reason")
        let changed = try #require(entries.first { $0.item.kind == .changed })
        #expect(changed.suggestion == .accept)
        #expect(changed.revert == "aws ec2 update-security-group-rule-descriptions-egress --group-id sg-app --security-group-rule-descriptions SecurityGroupRuleId=sgr-app-egress-1,Description=DNS")
        #expect(DriftRemediation.entries(for: report, config: "c", failOn: .medium).first { $0.item.key == Self.metrics }?.accept?.hasSuffix("--fail-on medium") == true)
    }

    @Test func fingerprintsComeFromTheOneFunctionAndTellKindsApart() throws {
        let report = Self.report()
        let added = try #require(report.groups.flatMap(\.added).first { $0.key == Self.ssh })
        #expect(added.fingerprint == FindingFingerprint.make(findingID: "SG-DRIFT-ADDED", tier: "app", rule: Self.ssh))
        #expect(FindingFingerprint.isWellFormed(added.fingerprint))
        let fingerprints = report.items.map(\.fingerprint)
        #expect(Set(fingerprints).count == fingerprints.count)
        let asRemoval = DriftRemovedRule(groupID: "sg-app", tier: "app", key: Self.ssh, description: nil, configLocation: nil).fingerprint
        #expect(asRemoval != added.fingerprint, "accepting an addition can never accept a removal of the same rule")
    }
}
