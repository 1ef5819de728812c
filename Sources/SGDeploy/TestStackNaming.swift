import SGCloudFormation
import SGModel

/// Renames a compiled deployment for test-deploy so that nothing it creates can collide with, or be
/// mistaken for, the real deployment: stack names (`{stackName}-test-{hex}`, split stacks keep
/// their `-groups-N`/`-rules-N` tail), group names and their Name tags, the
/// `sg-provisioner:deployment` tag (so drift and audit never count test groups as the real ones),
/// export names with every `!ImportValue` of them, and SSM parameter names.
public struct TestStackNaming: Sendable {
    /// The random suffix, e.g. `test-1a2b3c4d`.
    public let suffix: String
    /// The real deployment's identity.
    public let identity: DeploymentIdentity

    /// AWS limits: security group names 255 characters, stack names 128, SSM names 1011 (2048
    /// with the path).
    public static let maxGroupName = 255
    /// CloudFormation's limit on stack names.
    public static let maxStackName = 128

    /// Names with `test-{hex}` as the suffix.
    public init(hex: String, identity: DeploymentIdentity) {
        self.suffix = "test-" + hex
        self.identity = identity
    }

    /// The renamed stacks, in the same order.
    public func rename(_ stacks: [StackTemplate]) -> [StackTemplate] {
        stacks.map { stack in
            var renamed = stack
            renamed.stackName = stackName(stack.stackName)
            renamed.template.description = String((stack.template.description + " [test deployment \(suffix)]").utf8.prefix(1024)) ?? stack.template.description
            renamed.template.resources = stack.template.resources.map(rename)
            renamed.template.outputs = stack.template.outputs.map { output in
                var output = output
                output.exportName = output.exportName.map { tagged($0) }
                return output
            }
            return renamed
        }
    }

    /// The `sg-provisioner:deployment` tag value the test groups carry (what the deletion check
    /// looks for once the test stacks are gone).
    public var deploymentTag: String { tagged(identity.qualifiedName, limit: 256) }

    /// `{base}-test-{hex}` for the main stack; `{base}-test-{hex}-groups-2` for split stacks.
    public func stackName(_ name: String) -> String {
        let base = identity.stackName
        guard name.hasPrefix(base) else { return tagged(name) }
        return base + "-" + suffix + name.dropFirst(base.count)
    }

    /// `name-test-{hex}`, cutting `name` so the result fits `limit`.
    public func tagged(_ name: String, limit: Int = .max) -> String {
        let tail = "-" + suffix
        return String(name.prefix(max(0, limit - tail.count))) + tail
    }

    private func rename(_ resource: TemplateResource) -> TemplateResource {
        var properties = resource.properties.mapEntries ?? []
        for index in properties.indices {
            let (key, value) = properties[index]
            switch (resource.type, key) {
            case ("AWS::EC2::SecurityGroup", "GroupName"):
                properties[index].1 = .string(tagged(value.stringValue ?? "", limit: Self.maxGroupName))
            case ("AWS::EC2::SecurityGroup", "Tags"):
                properties[index].1 = .list((value.listValue ?? []).map { tag in
                    guard let tagKey = tag["Key"]?.stringValue, let tagValue = tag["Value"]?.stringValue,
                          tagKey == "Name" || tagKey == DeploymentIdentity.deploymentTagKey else { return tag }
                    return .map([("Key", .string(tagKey)), ("Value", .string(tagged(tagValue, limit: 256)))])
                })
            case ("AWS::SSM::Parameter", "Name"):
                properties[index].1 = .string(tagged(value.stringValue ?? ""))
            case ("AWS::SSM::Parameter", "Tags"):
                properties[index].1 = .map((value.mapEntries ?? []).map { entry in
                    guard entry.0 == "Name" || entry.0 == DeploymentIdentity.deploymentTagKey, let text = entry.1.stringValue else { return entry }
                    return (entry.0, .string(tagged(text, limit: 256)))
                })
            default:
                properties[index].1 = renameImports(value)
            }
        }
        // No DeletionPolicy/UpdateReplacePolicy: an adopted tier's test copy is a new group that
        // must go with the test stack, unlike the adopted group itself.
        return TemplateResource(logicalID: resource.logicalID, type: resource.type, properties: properties)
    }

    private func renameImports(_ value: TemplateValue) -> TemplateValue {
        switch value {
        case .importValue(let name):
            if let text = name.stringValue { return .importValue(.string(tagged(text))) }
            return value
        case .list(let items): return .list(items.map(renameImports))
        case .map(let entries): return .map(entries.map { ($0.0, renameImports($0.1)) })
        default: return value
        }
    }
}
