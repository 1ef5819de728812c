import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGDiagnostics
import SGInventory
import SGModel
import SGValidation
import Testing

@testable import SGDrift
@testable import SGDriftAttribution

/// Who changed a drifted rule: CloudTrail records of every shape EC2's security-group calls take,
/// tied to the drifted rules by rule id or request parameters.
@Suite struct CloudTrailMatcherTests {
    static let tiers = ["sg-web": "web", "sg-app": "app", "sg-db": "db"]

    static func event(_ id: String, _ name: String, by principal: String, request: AWSJSON, response: AWSJSON? = nil,
                      error: String? = nil, invokedBy: String? = nil, agent: String = "aws-cli/2.15.0") -> CloudTrailEventSummary {
        let record = CloudTrailRecord(
            eventID: id, eventName: name, eventTime: "2026-05-0\(id.last!)T10:00:00Z", eventSource: "ec2.amazonaws.com", region: "eu-west-1",
            sourceIPAddress: invokedBy ?? "203.0.113.7", userAgent: invokedBy ?? agent, errorCode: error,
            identity: .init(type: "IAMUser", arn: principal, accountID: "123456789012", invokedBy: invokedBy),
            requestParameters: request, responseElements: response)
        return CloudTrailEventSummary(eventID: id, eventName: name, resourceNames: ["sg-app"], record: record)
    }

    static func permission(_ proto: String, _ port: Int, cidr: String? = nil, group: String? = nil) -> AWSJSON {
        var object: [String: AWSJSON] = ["ipProtocol": .string(proto), "fromPort": .number(Double(port)), "toPort": .number(Double(port)),
                                         "ipRanges": [:], "ipv6Ranges": [:], "prefixListIds": [:], "groups": [:]]
        if let cidr { object["ipRanges"] = ["items": [["cidrIp": .string(cidr)]]] }
        if let group { object["groups"] = ["items": [["groupId": .string(group)]]] }
        return .object(object)
    }

    static func key(_ direction: Direction, _ proto: IPProtocol, _ port: Int, _ peer: Peer) -> RuleKey {
        RuleKey(direction: direction, ipProtocol: proto, ports: .ports(PortRange(port: port)), peer: peer)
    }

    static func cidr(_ text: String) -> Peer {
        guard case .success(let block) = CIDRBlock.parse(text) else { fatalError(text) }
        return .cidr(block)
    }

    static let ssh = AttributionTarget(fingerprint: "A", kind: .added, key: key(.ingress, .tcp, 22, cidr("0.0.0.0/0")), ruleID: "sgr-new-ssh")
    static let fromWeb = AttributionTarget(fingerprint: "B", kind: .removed, key: key(.ingress, .tcp, 8080, .tier("web")))
    static let dns = AttributionTarget(fingerprint: "C", kind: .changed, key: key(.egress, .udp, 53, cidr("2001:db8::/32")), ruleID: "sgr-dns",
                                       liveDescription: "edited")
    static let legacy = AttributionTarget(fingerprint: "D", kind: .added, key: key(.ingress, .tcp, 9000, cidr("10.1.0.0/16")))
    static let modified = AttributionTarget(fingerprint: "E", kind: .added, key: key(.ingress, .tcp, 8443, cidr("10.0.0.0/8")), ruleID: "sgr-mod")
    static let revokedWithSet = AttributionTarget(fingerprint: "F", kind: .removed, key: key(.egress, .tcp, 5432, .tier("db")))

    /// Newest first, as LookupEvents returns them.
    static let events: [CloudTrailEventSummary] = [
        CloudTrailEventSummary(eventID: "e9", eventName: "DescribeSecurityGroups", resourceNames: ["sg-app"], record: CloudTrailRecord(eventName: "DescribeSecurityGroups")),
        event("e8", "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/eve",
              request: ["groupId": "sg-app", "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]], error: "InvalidPermission.Duplicate"),
        event("e7", "UpdateSecurityGroupRuleDescriptionsEgress", by: "arn:aws:iam::123456789012:user/bob",
              request: ["groupId": "sg-app", "securityGroupRuleDescriptions": ["items": [["securityGroupRuleId": "sgr-dns", "description": "edited"]]]]),
        event("e6", "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/trudy",
              request: ["groupId": "sg-web", "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]]),
        event("e5", "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/alice",
              request: ["groupId": "sg-app", "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]],
              response: ["_return": true, "securityGroupRuleSet": ["items": [[
                  "groupId": "sg-app", "securityGroupRuleId": "sgr-new-ssh", "isEgress": false, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                  "cidrIpv4": "0.0.0.0/0"]]]],
              agent: "aws-cli/2.15.0 \u{1B}[31mred\nsecond line"),
        event("e4", "RevokeSecurityGroupIngress", by: "arn:aws:sts::123456789012:assumed-role/Ops/carol",
              request: ["groupId": "sg-app", "securityGroupRuleIds": ["items": [["securityGroupRuleId": "sgr-old-8080"]]]]),
        event("e3", "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/dave",
              request: ["groupId": "sg-app", "ipProtocol": "tcp", "fromPort": 9000, "toPort": 9000, "cidrIp": "10.1.0.0/16"]),
        event("e2", "AuthorizeSecurityGroupIngress", by: "arn:aws:sts::123456789012:assumed-role/Deployer/cfn",
              request: ["groupId": "sg-app", "ipPermissions": ["items": [permission("tcp", 8080, group: "sg-web")]]],
              response: ["securityGroupRuleSet": ["items": [[
                  "groupId": "sg-app", "securityGroupRuleId": "sgr-old-8080", "isEgress": false, "ipProtocol": "tcp", "fromPort": 8080, "toPort": 8080,
                  "referencedGroupInfo": ["groupId": "sg-web"]]]]],
              invokedBy: "cloudformation.amazonaws.com"),
        event("e1", "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/mallory",
              request: ["groupId": "sg-app", "ipPermissions": ["items": [permission("tcp", 22, cidr: "0.0.0.0/0")]]]),
    ]

    @Test func eachDriftedRuleGetsTheNewestCallThatMadeIt() throws {
        let matcher = CloudTrailMatcher(groupID: "sg-app", tiersByGroupID: Self.tiers)
        let found = matcher.attribute([Self.ssh, Self.fromWeb, Self.dns, Self.legacy], events: Self.events)
        let ssh = try #require(found["A"])
        #expect(ssh.eventID == "e5")
        #expect(ssh.principal == "arn:aws:iam::123456789012:user/alice")
        #expect(ssh.matchedBy == "rule id sgr-new-ssh")
        #expect(ssh.eventTime == "2026-05-05T10:00:00Z")
        #expect(ssh.sourceIPAddress == "203.0.113.7")
        #expect(ssh.userAgent == "aws-cli/2.15.0 [31mred second line", "control characters and line breaks never reach a terminal or report")
        #expect(ssh.line == "arn:aws:iam::123456789012:user/alice at 2026-05-05T10:00:00Z from 203.0.113.7 (aws-cli/2.15.0), AuthorizeSecurityGroupIngress event e5")
        #expect(found["B"]?.eventID == "e4")
        #expect(found["B"]?.matchedBy == "rule id sgr-old-8080, created by an earlier AuthorizeSecurityGroupIngress")
        #expect(found["B"]?.principal == "arn:aws:sts::123456789012:assumed-role/Ops/carol")
        #expect(found["C"]?.eventID == "e7")
        #expect(found["C"]?.matchedBy == "rule id sgr-dns")
        #expect(found["D"]?.eventID == "e3")
        #expect(found["D"]?.matchedBy == "request parameters")
    }

    @Test func failedCallsAndOtherGroupsAreNotEvidence() {
        let matcher = CloudTrailMatcher(groupID: "sg-app", tiersByGroupID: Self.tiers)
        // Without a rule id, the SSH rule matches by parameters: the failed e8 and e6 (on sg-web) are passed over.
        let byKey = AttributionTarget(fingerprint: "A", kind: .added, key: Self.ssh.key)
        #expect(matcher.attribute([byKey], events: Self.events)["A"]?.eventID == "e5")
        #expect(matcher.attribute([byKey], events: Array(Self.events.dropFirst(4)))["A"]?.eventID == "e5")
        #expect(matcher.attribute([byKey], events: Array(Self.events.prefix(4))).isEmpty)
    }

    @Test func cloudFormationCallsNameTheServiceThatActed() throws {
        let target = AttributionTarget(fingerprint: "G", kind: .added, key: Self.key(.ingress, .tcp, 8080, .tier("web")), ruleID: "sgr-old-8080")
        let event = try #require(CloudTrailMatcher(groupID: "sg-app", tiersByGroupID: Self.tiers).attribute([target], events: Self.events)["G"])
        #expect(event.who == "arn:aws:sts::123456789012:assumed-role/Deployer/cfn (via cloudformation.amazonaws.com)")
    }

    @Test func newerCallsWrapTheirRequestAndAnswerWithTheRulesTheyChanged() throws {
        let modify = Self.event("e2", "ModifySecurityGroupRules", by: "arn:aws:iam::123456789012:user/frank", request: [
            "ModifySecurityGroupRulesRequest": ["GroupId": "sg-app", "SecurityGroupRule": [
                "SecurityGroupRuleId": "sgr-mod", "tag": 1,
                "SecurityGroupRule": ["IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "CidrIpv4": "10.0.0.0/8"]]]])
        let revoke = Self.event("e1", "RevokeSecurityGroupEgress", by: "arn:aws:iam::123456789012:user/grace",
                                request: ["groupId": "sg-app", "securityGroupRuleIds": ["items": [["securityGroupRuleId": "sgr-pg"]]]],
                                response: ["revokedSecurityGroupRuleSet": ["items": [[
                                    "groupId": "sg-app", "securityGroupRuleId": "sgr-pg", "isEgress": true, "ipProtocol": "tcp",
                                    "fromPort": 5432, "toPort": 5432, "referencedGroupId": "sg-db"]]]])
        let found = CloudTrailMatcher(groupID: "sg-app", tiersByGroupID: Self.tiers).attribute([Self.modified, Self.revokedWithSet], events: [modify, revoke])
        #expect(found["E"]?.eventID == "e2")
        #expect(found["E"]?.matchedBy == "rule id sgr-mod")
        #expect(found["F"]?.eventID == "e1")
        #expect(found["F"]?.matchedBy == "request parameters")
    }

    @Test func aRecordAsCloudTrailWritesItParses() throws {
        let text = #"""
            {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:alice","arn":"arn:aws:sts::123456789012:assumed-role/Admin/alice","accountId":"123456789012","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::123456789012:role/Admin","accountId":"123456789012","userName":"Admin"}}},"eventTime":"2026-05-05T10:19:14Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-west-2","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2.15.0 md/Botocore#1.34.0","requestParameters":{"groupId":"sg-app","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0","description":"debug"}]},"ipv6Ranges":{},"prefixListIds":{}}]}},"responseElements":{"requestId":"0f0e","_return":true,"securityGroupRuleSet":{"items":[{"groupOwnerId":"123456789012","groupId":"sg-app","securityGroupRuleId":"sgr-new-ssh","isEgress":false,"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIpv4":"0.0.0.0/0","description":"debug"}]}},"requestID":"0f0e","eventID":"7c2a","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}
            """#
        let record = try CloudTrailRecord(parsing: text)
        #expect(record.identity.sessionIssuerARN == "arn:aws:iam::123456789012:role/Admin")
        let summary = CloudTrailEventSummary(eventID: "7c2a", eventName: "AuthorizeSecurityGroupIngress", resourceNames: ["sg-app"], record: record)
        let event = try #require(CloudTrailMatcher(groupID: "sg-app", tiersByGroupID: Self.tiers).attribute([Self.ssh], events: [summary])["A"])
        #expect(event.principal == "arn:aws:sts::123456789012:assumed-role/Admin/alice")
        #expect(event.principalType == "AssumedRole")
        #expect(event.accountID == "123456789012")
        #expect(event.eventTime == "2026-05-05T10:19:14Z")
    }
}

/// The search: pages until every drifted rule of a group has its event, a bound on pages, and a
/// failure that becomes a warning instead of a failed drift check.
@Suite struct DriftAttributorTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// A report with SSH added on app (rule id sgr-ssh) and web's 443 removed.
    static func report() -> DriftReport {
        let ssh = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 22)), peer: CloudTrailMatcherTests.cidr("0.0.0.0/0"))
        let https = RuleKey(direction: .ingress, ipProtocol: .tcp, ports: .ports(PortRange(port: 443)), peer: CloudTrailMatcherTests.cidr("0.0.0.0/0"))
        let added = DriftAddedRule(groupID: "sg-app", tier: "app", key: ssh, description: nil, ruleID: "sgr-ssh", location: nil, risk: .high,
                                   riskLabel: "HIGH", reason: "SSH", findings: [])
        let removed = DriftRemovedRule(groupID: "sg-web", tier: "web", key: https, description: "HTTPS", configLocation: .file("s.yaml"))
        return DriftReport(
            deployment: "d", vpcID: "vpc-1", source: .live(region: "eu-west-1"),
            groups: [DriftGroup(tier: "web", groupID: "sg-web", groupName: "web", removed: [removed], liveRuleCount: 1),
                     DriftGroup(tier: "app", groupID: "sg-app", groupName: "app", added: [added], liveRuleCount: 2)],
            missingGroups: [], extraGroups: [], notes: [],
            revertPlan: FixPlan(summary: "", finding: FixPlanFinding(id: "SG-DRIFT", severity: nil, resource: "d", description: ""), commands: [], notes: [], warnings: []))
    }

    static func authorizeSSH(_ id: String) -> CloudTrailEventSummary {
        CloudTrailMatcherTests.event(id, "AuthorizeSecurityGroupIngress", by: "arn:aws:iam::123456789012:user/alice",
                                     request: ["groupId": "sg-app"], response: ["securityGroupRuleSet": ["items": [[
                                         "groupId": "sg-app", "securityGroupRuleId": "sgr-ssh", "isEgress": false, "ipProtocol": "tcp",
                                         "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"]]]])
    }

    static func noise(_ id: String) -> CloudTrailEventSummary {
        CloudTrailEventSummary(eventID: id, eventName: "CreateTags", resourceNames: ["sg-app"], record: CloudTrailRecord(eventName: "CreateTags"))
    }

    /// Pages per group id, and every call made.
    final class Pages: @unchecked Sendable {
        var pages: [String: [LookupEventsPage]]
        var calls: [(String, Date, Date, String?)] = []
        var failure: (any Error)?
        init(_ pages: [String: [LookupEventsPage]]) { self.pages = pages }
        func source() -> DriftAttributor.PageSource {
            { [self] group, start, end, token in
                calls.append((group, start, end, token))
                if let failure { throw failure }
                let index = token.flatMap { Int($0) } ?? 0
                let list = pages[group] ?? [LookupEventsPage(events: [], nextToken: nil)]
                return list[min(index, list.count - 1)]
            }
        }
    }

    @Test func pagesUntilEveryRuleOfTheGroupIsFoundThenStops() async throws {
        let pages = Pages([
            "sg-app": [LookupEventsPage(events: [Self.noise("n1")], nextToken: "1"), LookupEventsPage(events: [Self.authorizeSSH("e5")], nextToken: "2"),
                       LookupEventsPage(events: [Self.noise("n3")], nextToken: nil)],
            "sg-web": [LookupEventsPage(events: [Self.noise("n4")], nextToken: nil)],
        ])
        let outcome = await DriftAttributor(pages: pages.source(), now: Self.now, lookbackDays: 7).attribute(Self.report(), tiersByGroupID: [:])
        #expect(outcome.warning == nil)
        #expect(outcome.search.outcome == .searched)
        #expect(outcome.search.searchedGroups == ["sg-web", "sg-app"])
        #expect(outcome.search.calls == 3, "page 3 of sg-app is not read: SSH was found on page 2")
        #expect(pages.calls.map(\.0) == ["sg-web", "sg-app", "sg-app"])
        #expect(pages.calls.allSatisfy { $0.1 == Self.now.addingTimeInterval(-7 * 86_400) && $0.2 == Self.now })
        let ssh = try #require(Self.report().groups[1].added.first)
        #expect(outcome.attributions[ssh.fingerprint]?.eventID == "e5")
        let report = { var report = Self.report(); report.attributions = outcome.attributions; report.cloudTrail = outcome.search; return report }()
        let removed = try #require(report.items.first { $0.kind == .removed })
        #expect(report.who(removed) == .notFoundYet(days: 7, truncated: false))
        #expect(report.who(removed).text == "not found yet in CloudTrail (searched 7 days; events arrive about 5 minutes after the call)")
    }

    @Test func thePageBoundEndsASearchAndSaysSo() async {
        let endless = (0..<20).map { LookupEventsPage(events: [Self.noise("n\($0)")], nextToken: String($0 + 1)) }
        let pages = Pages(["sg-app": endless, "sg-web": [LookupEventsPage(events: [], nextToken: nil)]])
        let outcome = await DriftAttributor(pages: pages.source(), now: Self.now, lookbackDays: 90, pageBound: 3).attribute(Self.report(), tiersByGroupID: [:])
        #expect(outcome.search.truncatedGroups == ["sg-app"])
        #expect(pages.calls.filter { $0.0 == "sg-app" }.count == 3)
        #expect(DriftWho.notFoundYet(days: 90, truncated: true).text.contains("page bound"))
    }

    @Test func noPermissionIsAWarningNamingTheActionNotAFailure() async {
        let pages = Pages([:])
        pages.failure = AWSError(code: "AccessDeniedException", message: "User: arn:... is not authorized to perform: cloudtrail:LookupEvents",
                                 requestID: "r", httpStatus: 400)
        let outcome = await DriftAttributor(pages: pages.source(), now: Self.now, lookbackDays: 90).attribute(Self.report(), tiersByGroupID: [:])
        #expect(outcome.search.outcome == .failed("the credentials may not call cloudtrail:LookupEvents"))
        #expect(outcome.warning?.contains("may not call cloudtrail:LookupEvents (AccessDeniedException)") == true)
        #expect(pages.calls.count == 1, "the first refusal ends the search")
        var report = Self.report()
        report.cloudTrail = outcome.search
        #expect(report.who(report.items[0]) == .notSearched("the credentials may not call cloudtrail:LookupEvents"))

        pages.failure = AWSClientError.retriesExhausted(action: "LookupEvents", attempts: 4, failures: [])
        let other = await DriftAttributor(pages: pages.source(), now: Self.now, lookbackDays: 90).attribute(Self.report(), tiersByGroupID: [:])
        #expect(other.warning?.hasPrefix("who changed the drift is not known: the CloudTrail search (cloudtrail:LookupEvents) failed: LookupEvents failed after 4 attempts") == true)
    }
}
