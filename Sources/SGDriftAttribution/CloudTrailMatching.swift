import Foundation
import SGAWS
import SGAWSServices
import SGDrift
import SGInventory
import SGModel

/// A drifted rule to find the CloudTrail event of: what it is and how AWS names it.
public struct AttributionTarget: Sendable, Hashable {
    /// The drift item's fingerprint (the key of the answer).
    public var fingerprint: String
    /// Added, removed or changed.
    public var kind: DriftKind
    /// The rule, with group-id peers of the deployment as tiers.
    public var key: RuleKey
    /// The live rule's id (added and changed rules read live).
    public var ruleID: String?
    /// The live description (changed rules).
    public var liveDescription: String?

    /// Creates a target.
    public init(fingerprint: String, kind: DriftKind, key: RuleKey, ruleID: String? = nil, liveDescription: String? = nil) {
        self.fingerprint = fingerprint
        self.kind = kind
        self.key = key
        self.ruleID = ruleID
        self.liveDescription = liveDescription
    }
}

/// Ties CloudTrail events of one security group to its drifted rules.
///
/// LookupEvents filters on one attribute only (here ResourceName = the group id), so the event
/// names are filtered here, and every call is read the way CloudTrail records it: EC2's Query-era
/// calls with lower-camel request parameters and `items` lists (`ipPermissions.items[].ipRanges.items[].cidrIp`,
/// and the legacy top-level `ipProtocol`/`fromPort`/`toPort`/`cidrIp`), newer ones with their
/// request wrapped and capitalised (`ModifySecurityGroupRulesRequest.SecurityGroupRule`), and the
/// rules a call created or revoked in its response (`securityGroupRuleSet`, `revokedSecurityGroupRuleSet`)
/// with their rule ids. Calls that failed (`errorCode`) changed nothing and are skipped, as are
/// calls on other groups that merely name this one as a peer.
/// Record contents: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
public struct CloudTrailMatcher: Sendable {
    /// The calls that change a group's rules: what the lookup keeps.
    public static let ruleChangingEvents: Set<String> = [
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
        "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress",
    ]

    /// The group whose events are read.
    public let groupID: String
    /// Group ids of the deployment's tiers, so peers compare as tiers.
    public let tiersByGroupID: [String: String]

    /// Creates a matcher for one group.
    public init(groupID: String, tiersByGroupID: [String: String]) {
        self.groupID = groupID
        self.tiersByGroupID = tiersByGroupID
    }

    /// The event of each target that one was found for, by fingerprint. `events` are newest first,
    /// as LookupEvents returns them; the newest event that made the change wins. A match by rule id
    /// (the id AWS gave the live rule) is preferred over a match by the rule's parameters, which
    /// older records are limited to.
    public func attribute(_ targets: [AttributionTarget], events: [CloudTrailEventSummary]) -> [String: DriftChangeEvent] {
        let calls = events.compactMap(call)
        // Rule ids each authorize or revoke answered with, for revokes that name rules by id only.
        var keysByRuleID: [String: (key: RuleKey, call: String)] = [:]
        for call in calls.reversed() {
            for rule in call.answered { if let id = rule.ruleID, let key = rule.key { keysByRuleID[id] = (key, call.summary.eventName) } }
        }
        var found: [String: DriftChangeEvent] = [:]
        for target in targets {
            if let ruleID = target.ruleID, let (call, how) = calls.lazy.compactMap({ call in self.byRuleID(target, ruleID, call).map { (call, $0) } }).first {
                found[target.fingerprint] = event(call, matchedBy: how)
                continue
            }
            if let (call, how) = calls.lazy.compactMap({ call in self.byParameters(target, call, keysByRuleID).map { (call, $0) } }).first {
                found[target.fingerprint] = event(call, matchedBy: how)
            }
        }
        return found
    }

    // MARK: Matching

    private func byRuleID(_ target: AttributionTarget, _ ruleID: String, _ call: RuleChangeCall) -> String? {
        let named = call.answered.contains { $0.ruleID == ruleID } || call.requested.contains { $0.ruleID == ruleID }
        guard named else { return nil }
        switch (target.kind, call.action) {
        case (.added, .authorize), (.added, .modify), (.changed, .authorize), (.changed, .modify), (.changed, .describe):
            return "rule id \(ruleID)"
        default:
            return nil
        }
    }

    private func byParameters(_ target: AttributionTarget, _ call: RuleChangeCall, _ keysByRuleID: [String: (key: RuleKey, call: String)]) -> String? {
        if let direction = call.direction, direction != target.key.direction { return nil }
        let touched = call.requested + call.answered
        let sameRule = touched.contains { same($0, target.key) }
        switch (target.kind, call.action) {
        case (.added, .authorize):
            return sameRule ? "request parameters" : nil
        case (.removed, .revoke):
            if sameRule { return "request parameters" }
            for id in call.requestedRuleIDs {
                if let earlier = keysByRuleID[id], earlier.key == target.key {
                    return "rule id \(id), created by an earlier \(earlier.call)"
                }
            }
            return nil
        case (.changed, .authorize), (.changed, .describe), (.changed, .modify):
            let described = touched.contains { same($0, target.key) && normalised($0.description) == normalised(target.liveDescription) }
            return described ? "request parameters" : nil
        default:
            return nil
        }
    }

    /// Same rule; a rule whose direction the call does not say (ModifySecurityGroupRules) matches either.
    private func same(_ touched: TouchedRule, _ target: RuleKey) -> Bool {
        guard var key = touched.key else { return false }
        if touched.anyDirection { key.direction = target.direction }
        return key == target
    }

    private func normalised(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private func event(_ call: RuleChangeCall, matchedBy how: String) -> DriftChangeEvent {
        let summary = call.summary
        let record = summary.record
        let identity = record?.identity
        let principal = identity?.arn ?? identity?.invokedBy ?? summary.username.map { "user name \($0)" }
            ?? identity?.principalID.map { "principal \($0)" } ?? "unknown caller"
        var time = record?.eventTime ?? ""
        if time.isEmpty, let date = summary.eventTime {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            time = formatter.string(from: date)
        }
        return DriftChangeEvent(
            eventID: UntrustedText.clean(summary.eventID, limit: 80) ?? "?", eventName: UntrustedText.clean(summary.eventName, limit: 80) ?? "?",
            eventTime: UntrustedText.clean(time, limit: 40) ?? "unknown time", principal: UntrustedText.clean(principal, limit: 300) ?? "unknown caller",
            principalType: UntrustedText.clean(identity?.type, limit: 40), accountID: UntrustedText.clean(identity?.accountID, limit: 20),
            sourceIPAddress: UntrustedText.clean(record?.sourceIPAddress, limit: 100), userAgent: UntrustedText.clean(record?.userAgent, limit: 160),
            invokedBy: UntrustedText.clean(identity?.invokedBy, limit: 100).flatMap { $0 == principal ? nil : $0 }, matchedBy: how)
    }

    // MARK: Reading calls

    /// A rule a call names: by its parameters, its id, or both.
    struct TouchedRule: Hashable {
        var key: RuleKey?
        var ruleID: String?
        var description: String?
        /// The call did not say ingress or egress (`key.direction` is a placeholder).
        var anyDirection = false
    }

    /// One rule-changing call on this group, reduced to what matching needs.
    struct RuleChangeCall {
        enum Action { case authorize, revoke, modify, describe }
        var summary: CloudTrailEventSummary
        var action: Action
        /// From the call's name; nil for ModifySecurityGroupRules, which does not say.
        var direction: Direction?
        /// Rules the request names (with or without ids).
        var requested: [TouchedRule]
        /// Rules the response says were created or revoked, with their ids.
        var answered: [TouchedRule]
        /// Rule ids the request names on their own (revoke by id).
        var requestedRuleIDs: [String]
    }

    /// The call an event records, when it is a successful rule change of this group.
    func call(_ summary: CloudTrailEventSummary) -> RuleChangeCall? {
        guard Self.ruleChangingEvents.contains(summary.eventName), let record = summary.record, record.errorCode == nil else { return nil }
        let name = summary.eventName
        let action: RuleChangeCall.Action
        if name.hasPrefix("Authorize") { action = .authorize }
        else if name.hasPrefix("Revoke") { action = .revoke }
        else if name == "ModifySecurityGroupRules" { action = .modify }
        else { action = .describe }
        let direction: Direction? = name.hasSuffix("Ingress") ? .ingress : name.hasSuffix("Egress") ? .egress : nil
        var parameters = record.requestParameters ?? .object([:])
        if let wrapped = parameters.member(ignoringCase: "ModifySecurityGroupRulesRequest") { parameters = wrapped }
        guard parameters.member(ignoringCase: "groupId")?.string == groupID else { return nil }

        var requested: [TouchedRule] = []
        for permission in Self.list(parameters.member(ignoringCase: "ipPermissions")) {
            requested += rules(fromPermission: permission, direction: direction)
        }
        // The legacy form: one permission spelled out at the top of the request.
        if let ipProtocol = Self.text(parameters.member(ignoringCase: "ipProtocol")), let direction {
            var legacy: [String: AWSJSON] = ["ipProtocol": .string(ipProtocol)]
            legacy["fromPort"] = parameters.member(ignoringCase: "fromPort")
            legacy["toPort"] = parameters.member(ignoringCase: "toPort")
            if let cidr = parameters.member(ignoringCase: "cidrIp") { legacy["ipRanges"] = ["items": [["cidrIp": cidr]]] }
            requested += rules(fromPermission: .object(legacy), direction: direction)
        }
        for update in Self.list(parameters.member(ignoringCase: "SecurityGroupRule") ?? parameters.member(ignoringCase: "SecurityGroupRules")) {
            let id = Self.text(update.member(ignoringCase: "SecurityGroupRuleId"))
            var rule = update.member(ignoringCase: "SecurityGroupRule").map { self.rule(fromSecurityGroupRule: $0, direction: direction) }
                ?? TouchedRule()
            rule.ruleID = id
            requested.append(rule)
        }
        for item in Self.list(parameters.member(ignoringCase: "SecurityGroupRuleDescriptions") ?? parameters.member(ignoringCase: "securityGroupRuleDescriptionSet")) {
            requested.append(TouchedRule(key: nil, ruleID: Self.text(item.member(ignoringCase: "SecurityGroupRuleId")),
                                         description: Self.text(item.member(ignoringCase: "Description"))))
        }
        let requestedRuleIDs = Self.list(parameters.member(ignoringCase: "SecurityGroupRuleIds") ?? parameters.member(ignoringCase: "securityGroupRuleIdSet"))
            .compactMap { Self.text($0) ?? Self.text($0.member(ignoringCase: "securityGroupRuleId")) }

        var answered: [TouchedRule] = []
        if let response = record.responseElements {
            for key in ["securityGroupRuleSet", "revokedSecurityGroupRuleSet"] {
                for item in Self.list(response.member(ignoringCase: key)) {
                    if let owner = Self.text(item.member(ignoringCase: "groupId")), owner != groupID { continue }
                    answered.append(rule(fromSecurityGroupRule: item, direction: direction))
                }
            }
        }
        return RuleChangeCall(summary: summary, action: action, direction: direction, requested: requested, answered: answered,
                              requestedRuleIDs: requestedRuleIDs)
    }

    /// Every peer of one `IpPermission` as a rule.
    private func rules(fromPermission permission: AWSJSON, direction: Direction?) -> [TouchedRule] {
        guard let direction, let ipProtocol = Self.text(permission.member(ignoringCase: "ipProtocol")),
              case .success(let decoded) = PermissionDecoder.decode(
                ipProtocol: ipProtocol, fromPort: permission.member(ignoringCase: "fromPort")?.int,
                toPort: permission.member(ignoringCase: "toPort")?.int)
        else { return [] }
        var rules: [TouchedRule] = []
        func add(_ peer: Peer?, _ item: AWSJSON) {
            guard let peer else { return }
            rules.append(TouchedRule(
                key: RuleKey(direction: direction, ipProtocol: decoded.0, ports: decoded.1, peer: peer), ruleID: nil,
                description: Self.text(item.member(ignoringCase: "description"))))
        }
        for item in Self.list(permission.member(ignoringCase: "ipRanges")) { add(cidr(item.member(ignoringCase: "cidrIp")), item) }
        for item in Self.list(permission.member(ignoringCase: "ipv6Ranges")) { add(cidr(item.member(ignoringCase: "cidrIpv6")), item) }
        for item in Self.list(permission.member(ignoringCase: "prefixListIds")) {
            add(Self.text(item.member(ignoringCase: "prefixListId")).map(Peer.prefixList), item)
        }
        for item in Self.list(permission.member(ignoringCase: "groups") ?? permission.member(ignoringCase: "UserIdGroupPairs")) {
            add(Self.text(item.member(ignoringCase: "groupId")).map(peer(group:)), item)
        }
        return rules
    }

    /// One `SecurityGroupRule` (a response's rule set, or the new form of a modified rule).
    private func rule(fromSecurityGroupRule item: AWSJSON, direction: Direction?) -> TouchedRule {
        let id = Self.text(item.member(ignoringCase: "securityGroupRuleId"))
        let description = Self.text(item.member(ignoringCase: "description"))
        let isEgress = item.member(ignoringCase: "isEgress")?.bool
        let ruleDirection = isEgress.map { $0 ? Direction.egress : .ingress } ?? direction ?? .ingress
        guard let ipProtocol = Self.text(item.member(ignoringCase: "ipProtocol")),
              case .success(let decoded) = PermissionDecoder.decode(
                ipProtocol: ipProtocol, fromPort: item.member(ignoringCase: "fromPort")?.int, toPort: item.member(ignoringCase: "toPort")?.int)
        else { return TouchedRule(key: nil, ruleID: id, description: description) }
        let referenced = Self.text(item.member(ignoringCase: "referencedGroupId"))
            ?? Self.text(item.member(ignoringCase: "referencedGroupInfo")?.member(ignoringCase: "groupId"))
        let peer = cidr(item.member(ignoringCase: "cidrIpv4")) ?? cidr(item.member(ignoringCase: "cidrIpv6"))
            ?? Self.text(item.member(ignoringCase: "prefixListId")).map(Peer.prefixList) ?? referenced.map(peer(group:))
        return TouchedRule(
            key: peer.map { RuleKey(direction: ruleDirection, ipProtocol: decoded.0, ports: decoded.1, peer: $0) }, ruleID: id,
            description: description, anyDirection: isEgress == nil && direction == nil)
    }

    private func cidr(_ value: AWSJSON?) -> Peer? {
        guard let text = Self.text(value), case .success(let block) = CIDRBlock.parse(text) else { return nil }
        return .cidr(block)
    }

    private func peer(group id: String) -> Peer {
        tiersByGroupID[id].map(Peer.tier) ?? .securityGroup(id)
    }

    /// A list as CloudTrail writes one: an array, `{"items": [...]}`, or a single object.
    static func list(_ value: AWSJSON?) -> [AWSJSON] {
        guard let value else { return [] }
        switch value {
        case .array(let items): return items
        case .object(let members):
            if let items = value.member(ignoringCase: "items") { return items.array ?? [] }
            return members.isEmpty ? [] : [value]
        case .null: return []
        default: return [value]
        }
    }

    /// A string, or a number written as one (ports, `-1`).
    static func text(_ value: AWSJSON?) -> String? {
        switch value {
        case .string(let text)?: return text.isEmpty ? nil : text
        case .number?: return value?.int.map(String.init)
        default: return nil
        }
    }
}
