import Foundation
import SGModel
import SGValidation

extension ReviewReport {
    /// The schema name written into every JSON report; `ReviewReportReader` checks it.
    public static let jsonSchema = "sg-provisioner/review-report/v1"

    /// The report as a JSON document (sorted keys, no timestamps): what machines read, e.g.
    /// `create-security-groups --approved-report` through `ReviewReportReader`.
    public func json() -> JSONValue {
        var templatesJSON: [JSONValue] = []
        for digest in templates {
            templatesJSON.append(["stack": .string(digest.stackName), "file": .string(digest.fileName), "sha256": .string(digest.sha256)])
        }
        let identityJSON: JSONValue = [
            "company": .string(identity.company), "environment": .string(identity.environment),
            "deployment_id": .string(identity.deploymentID), "region": .string(identity.region),
            "qualified_name": .string(identity.qualifiedName), "stack_name": .string(identity.stackName),
            "vpc_id": .string(vpcID), "vpc_cidr": .optional(vpcCIDR?.description),
            "scenario": .string(scenario.name), "config": .string(configFile),
        ]
        let edgesJSON: [JSONValue] = graph.edges.map { edge in
            ["from": .string(edge.from), "to": .string(edge.to), "ports": .string(edge.label), "risk": .string(edge.risk.rawValue)]
        }
        let pathsJSON: [JSONValue] = exposurePaths.map { path in
            [
                "text": .string(path.text), "finding": .optional(path.findingID),
                "hops": .array(path.hops.map { ["from": .string($0.from), "to": .string($0.to), "ports": .string($0.ports), "risk": .string($0.risk.rawValue)] }),
            ]
        }
        let rulesJSON: [JSONValue] = validation.assessments.map { assessment in
            let rule = assessment.rule
            return [
                "tier": .string(assessment.tier), "direction": .string(rule.direction.rawValue),
                "protocol": .string(rule.ipProtocol.description), "ports": .string(rule.ports.description),
                "peer": .string(rule.peer.description), "description": .optional(rule.description),
                "risk": .string(assessment.risk.rawValue), "risk_label": .string(assessment.riskLabel),
                "reason": .string(assessment.reason), "findings": .array(assessment.findingIDs.map(JSONValue.string)),
                "origin": .string(Self.origin(rule)), "location": FindingJSON.location(rule.location),
            ]
        }
        let postureJSON: [JSONValue] = validation.tierAssessments.map {
            ["tier": .string($0.tier), "egress": .string($0.egress.rawValue), "risk": .string($0.risk.rawValue), "risk_label": .string($0.riskLabel), "reason": .string($0.reason)]
        }
        let acceptedJSON: [JSONValue] = acceptedRisks.map { status in
            [
                "finding": .string(status.risk.findingID), "tier": .string(status.risk.tier), "binding": .string(status.risk.binding.description),
                "reason": .string(status.risk.reason),
                "expires": .string(status.risk.expires.description), "state": .string(status.state.rawValue),
                "matched": .array(status.matchedFindings.map(JSONValue.string)), "location": FindingJSON.location(status.risk.location),
            ]
        }
        let overridesJSON: [JSONValue] = overrides.map { effect in
            func change(_ change: OverrideEffect.Change) -> JSONValue {
                ["rule": .string(change.rule.key.description), "description": .optional(change.rule.description), "effective": .bool(change.hadEffect)]
            }
            return [
                "index": .int(effect.index + 1), "tier": .string(effect.tier), "description": .string(effect.description),
                "location": FindingJSON.location(effect.location),
                "added": .array(effect.added.map(change)), "removed": .array(effect.removed.map(change)),
            ]
        }
        var presentTags: [String: JSONValue] = [:]
        for entry in tags.governance { presentTags[entry.key] = .optional(entry.value) }
        for tag in tags.extra { presentTags[tag.key] = .string(tag.value) }

        let document: JSONValue = [
            "schema": .string(Self.jsonSchema),
            "tool_version": .string(toolVersion),
            "date": .optional(date?.description),
            "verdict": .string(verdict),
            "fail_on": .string(failOn.rawValue),
            "deployment": identityJSON,
            "templates": .array(templatesJSON),
            "combined_sha256": .optional(combinedSHA256),
            "graph": ["summarised": .bool(graph.isSummarised), "edges": .array(edgesJSON)],
            "exposure_paths": .array(pathsJSON),
            "findings": .array(validation.findings.map(FindingJSON.finding)),
            "summary": FindingJSON.severityCounts(validation.findings),
            "rules": .array(rulesJSON),
            "egress_posture": .array(postureJSON),
            "accepted_risks": .array(acceptedJSON),
            "overrides": .array(overridesJSON),
            "adopted_groups": .array(adoptedGroups.map { group -> JSONValue in
                [
                    "tier": .string(group.tier), "group_id": .string(group.groupID), "group_name": .string(group.groupName),
                    "group_description": .string(group.groupDescription), "name_tag": .optional(group.nameTag),
                ]
            }),
            "tags": ["values": .object(presentTags), "missing": .array(tags.missing.map(JSONValue.string))],
            "checklist": .array(checklist.map { item -> JSONValue in
                [
                    "item": .string(item.item), "status": .string(item.status.rawValue), "evidence": .string(item.evidence),
                    "checks": .array(item.checks.map { check -> JSONValue in
                        [
                            "id": .string(check.id), "summary": .string(check.summary),
                            "found": .array(check.found.map(JSONValue.string)), "accepted": .array(check.accepted.map(JSONValue.string)),
                        ]
                    }),
                ]
            }),
            "approval": ["approver": .null, "date": .null, "decision": .null],
        ]
        // Only a deployment with targets has the key, so reports of single stacks stay as they were.
        guard !targets.isEmpty, case .object(var object) = document else { return document }
        object["targets"] = targetsJSON
        return .object(object)
    }
}

/// Reads the template hashes back out of a JSON review report, so a deploy can refuse a template
/// other than the one an approver saw.
///
/// Usage (create-security-groups `--approved-report FILE`): read the file, call
/// `templateHashes(fromReportJSON:)`, compile the config, hash each stack's YAML with
/// `TemplateDigest(stackName:fileName:text:)` and refuse unless every stack name is present with an
/// equal hash (and no extra stack exists). Only the `.json` report is machine-readable; the Markdown
/// and HTML show the same hashes to people.
public enum ReviewReportReader {
    /// Why a file is not a usable review report.
    public enum ReadError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Not JSON at all.
        case notJSON
        /// JSON, but not a review report of this schema.
        case wrongSchema(found: String?)
        /// A template entry lacks its stack name or has a hash that is not 64 hex digits.
        case badTemplateEntry(index: Int)
        /// The report lists no template.
        case noTemplates

        public var description: String {
            switch self {
            case .notJSON: return "not a JSON document"
            case .wrongSchema(let found): return "not a review report (schema \(found.map { "'\($0)'" } ?? "missing"), expected '\(ReviewReport.jsonSchema)')"
            case .badTemplateEntry(let index): return "template entry \(index + 1) has no stack name or no valid SHA-256"
            case .noTemplates: return "the report lists no template"
            }
        }
    }

    /// Stack name -> lower-case hex SHA-256 of its YAML template, as approved.
    public static func templateHashes(fromReportJSON bytes: [UInt8]) throws(ReadError) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { throw .notJSON }
        let schema = object["schema"] as? String
        guard schema == ReviewReport.jsonSchema else { throw .wrongSchema(found: schema) }
        guard let entries = object["templates"] as? [[String: Any]], !entries.isEmpty else { throw .noTemplates }
        var hashes: [String: String] = [:]
        for (index, entry) in entries.enumerated() {
            guard let stack = entry["stack"] as? String, !stack.isEmpty, let hash = entry["sha256"] as? String,
                  hash.count == 64, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), hashes[stack] == nil
            else { throw .badTemplateEntry(index: index) }
            hashes[stack] = hash
        }
        return hashes
    }

    /// Same, from text.
    public static func templateHashes(fromReportJSON text: String) throws(ReadError) -> [String: String] {
        try templateHashes(fromReportJSON: Array(text.utf8))
    }
}
