import SGAWS
import SGModel
import SGReports

public extension AdoptionPlan {
    /// The plan for people (show-changes and the start of `--adopt`): the three steps, what no
    /// step does (replace a group, authorise a live rule again), the windows, what blocks it.
    func renderText() -> String {
        guard !tiers.isEmpty || !problems.isEmpty else { return "" }
        let count = tiers.count
        var out = "adoption (create-security-groups --adopt): \(count) existing group\(count == 1 ? "" : "s") taken into the stack"
            + (Set(stacks.map(\.stackName)).count == 1 ? "" : "s")
        out += replacedTiers.isEmpty ? ", none replaced\n" : ", \(replacedTiers.count) would be REPLACED (refused)\n"
        if !preparation.isEmpty {
            out += "  1. prepare (EC2; changes no traffic):\n"
            for step in preparation {
                switch step {
                case .tag(let tier, let groupID, let tags):
                    out += "     tag \(groupID) (\(tier)): \(tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))\n"
                case .closeEgress(let tier, let groupID):
                    out += "     add the egress rule that matches no traffic to \(groupID) (\(tier)): its declared egress has nothing else on the group\n"
                }
            }
        }
        for stack in stacks {
            out += "  2. import into stack \(stack.stackName) (\(stack.intoExistingStack ? "existing stack" : "new stack");"
                + " IMPORT change set, \(stack.resources.count) resource\(stack.resources.count == 1 ? "" : "s"); changes nothing in AWS):\n"
            for resource in stack.resources {
                out += "     \(resource.logicalID)  \(resource.resourceType)  \(resource.physicalID)  \(resource.what)  DeletionPolicy \(resource.deletionPolicy)"
                    + (resource.removedByUpdate ? " (no longer in the config: the update revokes it)" : "") + "\n"
            }
        }
        if !stacks.isEmpty {
            out += "  3. update to the compiled template: the rule changes above, SSM parameters and outputs"
            out += tagChanges.isEmpty ? "\n" : "; on the adopted groups' tags:\n"
            for change in tagChanges {
                switch (change.live, change.compiled) {
                case (nil, let value?): out += "     tier \(change.tier): + tag \(change.key)=\(value)\n"
                case (let value?, nil): out += "     tier \(change.tier): - tag \(change.key)=\(value) (not in the config)\n"
                case (let old?, let new?): out += "     tier \(change.tier): ~ tag \(change.key): \"\(old)\" -> \"\(new)\"\n"
                case (nil, nil): break
                }
            }
        }
        if replacedTiers.isEmpty && !tiers.isEmpty {
            out += "  no group is replaced: each adopted group keeps its id, GroupName, GroupDescription and VpcId\n"
        }
        if !importedResources.isEmpty {
            out += "  rules already live are imported by rule id (sgr-), never authorised again (no InvalidPermission.Duplicate)\n"
        }
        for window in windows {
            out += "  window: tier \(window.tier): \(window.key): description \(quoted(window.liveDescription)) -> \(quoted(window.newDescription)):"
                + " an inline rule; CloudFormation removes it and adds it again, and its traffic is dropped in between\n"
        }
        for note in notes { out += "  note: \(note)\n" }
        if !problems.isEmpty {
            out += "  --adopt refuses: \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            for problem in problems { out += "     \(problem.message)\n" }
        }
        return out
    }

    /// The plan as JSON (show-changes `plan.adoption`).
    func json() -> JSONValue {
        .object([
            "tiers": .object(tiers.mapValues(JSONValue.string)),
            "replaces_groups": .bool(!replacedTiers.isEmpty),
            "replaced_tiers": .array(replacedTiers.map(JSONValue.string)),
            "deployable": .bool(isDeployable),
            "preparation": .array(preparation.map { step in
                switch step {
                case .tag(let tier, let groupID, let tags):
                    return .object([
                        "step": "tag", "tier": .string(tier), "group_id": .string(groupID),
                        "tags": .object(Dictionary(tags.map { ($0.key, JSONValue.string($0.value)) }, uniquingKeysWith: { $1 })),
                    ])
                case .closeEgress(let tier, let groupID):
                    return .object(["step": "close-egress", "tier": .string(tier), "group_id": .string(groupID)])
                }
            }),
            "imports": .array(stacks.map { stack in
                .object([
                    "stack": .string(stack.stackName), "into_existing_stack": .bool(stack.intoExistingStack),
                    "resources": .array(stack.resources.map { resource in
                        .object([
                            "tier": .string(resource.tier), "logical_id": .string(resource.logicalID),
                            "resource_type": .string(resource.resourceType), "id": .string(resource.physicalID), "what": .string(resource.what),
                            "deletion_policy": .string(resource.deletionPolicy), "removed_by_update": .bool(resource.removedByUpdate),
                        ])
                    }),
                ])
            }),
            "windows": .array(windows.map { window in
                .object([
                    "tier": .string(window.tier), "rule": .string(window.key.description),
                    "live_description": .optional(window.liveDescription), "new_description": .optional(window.newDescription),
                ])
            }),
            "tag_changes": .array(tagChanges.map { change in
                .object(["tier": .string(change.tier), "key": .string(change.key), "live": .optional(change.live), "compiled": .optional(change.compiled)])
            }),
            "problems": .array(problems.map { problem in
                .object([
                    "tier": .string(problem.tier), "message": .string(problem.message),
                    "location": problem.location.map { .string("\($0.file):\($0.line):\($0.column)") } ?? .null,
                ])
            }),
            "notes": .array(notes.map(JSONValue.string)),
        ])
    }

    private func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "(none)" }
}
