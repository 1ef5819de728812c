import SGDiagnostics
import SGInventory
import SGModel
import SGReports
import Testing

@testable import SGDrift

/// check-drift over adopted tiers (`adopted_groups`): their groups are found by id, whatever their
/// names and tags, and compared like any other tier.
@Suite struct AdoptedDriftTests {
    typealias Base = DriftComparatorTests

    static let webID = "sg-0aa00001", dbID = "sg-0aa00003"

    /// The comparator tests' deployment with web and db adopting existing groups.
    static let deployment: Deployment = {
        var deployment = Base.deployment
        deployment.config.adoptedGroups = [
            AdoptedGroup(tier: "web", groupID: webID, groupName: "launch-wizard-1", groupDescription: "made by hand",
                         location: SourceLocation(file: "configs/drift.yaml", line: 8, column: 3)),
            AdoptedGroup(tier: "db", groupID: dbID, groupName: "db", groupDescription: "Database",
                         location: SourceLocation(file: "configs/drift.yaml", line: 12, column: 3)),
        ]
        return deployment
    }()

    /// The in-sync groups with web and db as hand-made groups: other ids, other names, no tags;
    /// references to them use the new ids.
    static func liveGroups() -> [LiveSecurityGroup] {
        let renamed = ["sg-web": webID, "sg-db": dbID]
        return Base.inSyncGroups().map { group in
            var group = group
            func remap(_ rules: [LiveRule]) -> [LiveRule] {
                rules.map { rule in
                    var rule = rule
                    if case .securityGroup(let id) = rule.key.peer, let new = renamed[id] { rule.key.peer = .securityGroup(new) }
                    return rule
                }
            }
            group.ingress = remap(group.ingress)
            group.egress = remap(group.egress)
            if let new = renamed[group.groupID] {
                group.groupID = new
                group.name = group.tierTag == "web" ? "launch-wizard-1" : "db"
                group.tags = ["Name": "made by hand"]
            }
            return group
        }
    }

    static func compare(_ groups: [LiveSecurityGroup]) -> DriftComparator.Comparison {
        DriftComparator(deployment: deployment, today: CalendarDate(year: 2026, month: 1, day: 1)).compare(liveGroups: groups, keepLocations: false)
    }

    @Test func adoptedGroupsAreFoundByIDWithoutTheToolsNamesOrTags() {
        let comparison = Self.compare(Self.liveGroups())
        #expect(comparison.groups.count == 4)
        #expect(comparison.groups.allSatisfy { !$0.hasDrift }, "\(comparison.groups.filter(\.hasDrift))")
        #expect(comparison.missingGroups.isEmpty && comparison.extraGroups.isEmpty && comparison.notes.isEmpty)
        #expect(comparison.groupIDsByTier["web"] == Self.webID)
        #expect(comparison.groupIDsByTier["db"] == Self.dbID)
        #expect(comparison.groups.first { $0.tier == "web" }?.groupName == "launch-wizard-1")
    }

    @Test func theSameGroupsWithoutTheConfigsAdoptionAreNotTheDeployments() {
        let comparison = DriftComparator(deployment: Base.deployment, today: CalendarDate(year: 2026, month: 1, day: 1))
            .compare(liveGroups: Self.liveGroups(), keepLocations: false)
        #expect(comparison.missingGroups.map(\.tier) == ["web", "db"])
    }

    @Test func aDeletedAdoptedGroupIsMissingByItsID() throws {
        let comparison = Self.compare(Self.liveGroups().filter { $0.groupID != Self.webID })
        let missing = try #require(comparison.missingGroups.first)
        #expect(comparison.missingGroups.count == 1)
        #expect(missing.tier == "web")
        #expect(missing.adoptedGroupID == Self.webID)
        #expect(missing.expectedName == "launch-wizard-1")
        let report = DriftReport(
            deployment: "acme", vpcID: "vpc-1", source: .snapshot(path: "s.json"), groups: comparison.groups,
            missingGroups: comparison.missingGroups, extraGroups: [], notes: [],
            revertPlan: DriftRevertPlanner(deployment: Self.deployment).plan(comparison).0)
        #expect(DriftTextRenderer().render(report).contains(
            "  tier web: MISSING: its adopted group sg-0aa00001 (launch-wizard-1) is not there (2 rules; tier defined at scenarios/drift.yaml:3:3)\n"))
        #expect(DriftMarkdownRenderer().render(report, toolVersion: "1").contains(
            "- tier `web`: its adopted group `sg-0aa00001` (`launch-wizard-1`) is not there (2 rules; defined at `scenarios/drift.yaml:3:3`)\n"))
        #expect(report.revertPlan.warnings.contains(
            "tier web adopts sg-0aa00001, which is not there; if it was replaced, import the new group (import-security-groups) or update adopted_groups, else remove the tier's adoption and redeploy with create-security-groups"))
    }

    @Test func anotherGroupTaggedForAnAdoptedTierIsExtra() throws {
        let stray = Base.group("sg-0cc00001", tier: "web")
        let comparison = Self.compare(Self.liveGroups() + [stray])
        #expect(comparison.groupIDsByTier["web"] == Self.webID)
        let extra = try #require(comparison.extraGroups.first)
        #expect(extra.groupID == "sg-0cc00001")
        #expect(extra.reason == "tagged for tier 'web', which adopts sg-0aa00001 (the one compared)")
    }

    @Test func anAdoptedGroupInAnotherVPCIsNotedAndMissing() {
        let groups = Self.liveGroups().map { group -> LiveSecurityGroup in
            var group = group
            if group.groupID == Self.dbID { group.vpcID = "vpc-2" }
            return group
        }
        let comparison = Self.compare(groups)
        #expect(comparison.notes == ["sg-0aa00003 is adopted by tier 'db' but is in vpc-2, not the config's vpc-1; ignored"])
        #expect(comparison.missingGroups.map(\.tier) == ["db"])
    }

    @Test func anAdoptedGroupsRulesDriftLikeAnyOther() throws {
        var groups = Self.liveGroups()
        let index = try #require(groups.firstIndex { $0.groupID == Self.webID })
        groups[index].ingress.append(Base.live(
            Base.key(.ingress, .tcp, Base.port(22), Base.cidr("0.0.0.0/0")), "debug", id: "sgr-ssh"))
        let comparison = Self.compare(groups)
        let web = try #require(comparison.groups.first { $0.tier == "web" })
        #expect(web.added.map { "\($0.key) \($0.risk.rawValue) \($0.ruleID ?? "")" } == ["ingress tcp/22 from 0.0.0.0/0 high sgr-ssh"])
        #expect(web.groupID == Self.webID)
    }
}
