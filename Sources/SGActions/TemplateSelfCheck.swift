import SGCloudFormation
import SGConcurrency
import SGDiagnostics
import SGModel

/// The compiled template checked against the model it came from, before anything is written or
/// deployed: an independent second look at the properties that matter most if the compiler had a
/// bug (every tier has its group, closed egress really is closed, every reference resolves, the
/// stack fits AWS's limits). Linear in the template's size.
enum TemplateSelfCheck {
    /// Checks every stack of a compilation. Per stack: limits and references. Per deployment:
    /// the tiers' groups, which sit in the main stack and, for a split deployment, in the
    /// `-groups-N` stacks too (a split deployment's main stack holds none of them).
    static func check(_ stacks: [StackTemplate], deployment: Deployment) -> Diagnostics {
        var diagnostics = Diagnostics()
        let location = SourceLocation.file(deployment.config.file)
        // Stacks are checked independently, on every thread there is; merged in stack order.
        let perStack = Parallel.map(stacks, minimumSlice: 16) { stack in
            var found = Diagnostics()
            checkReferences(stack, location: location, diagnostics: &found)
            return found
        }
        for found in perStack { diagnostics.report(contentsOf: found.all) }
        guard let main = stacks.first(where: { $0.role == .main }) else { return diagnostics }
        func fail(_ message: String) {
            diagnostics.error(.templateSelfCheck, "template self-check: \(message) (stack \(main.stackName))", at: location)
        }
        var groups: [TemplateResource] = []
        for stack in stacks {
            switch stack.role {
            case .main, .groups: groups += stack.template.resources(ofType: "AWS::EC2::SecurityGroup")
            case .rules: break
            }
        }
        var groupsByName: [String: TemplateResource] = [:]
        for group in groups {
            if let name = group["GroupName"]?.stringValue { groupsByName[name] = group }
        }
        for tier in deployment.tiers {
            let name = deployment.groupName(ofTier: tier.name)
            guard let group = groupsByName[name] else {
                fail("tier '\(tier.name)' has no security group named \(name)")
                continue
            }
            let inlineEgress = group["SecurityGroupEgress"]?.listValue ?? []
            let keepsDefault = DefaultEgress.expected(for: tier)
            if keepsDefault, !inlineEgress.isEmpty {
                fail("tier '\(tier.name)' omits egress (AWS default) but its group declares egress rules")
            }
            if !keepsDefault, inlineEgress.isEmpty {
                fail("tier '\(tier.name)' declares its egress, but its group has no inline egress: CloudFormation would add allow-all")
            }
            // A StackSet's groups are in each instance's own VPC: the VpcId parameter.
            let vpc: TemplateValue = deployment.isFleet ? .ref(StackSetForm.vpcIDParameter) : .string(deployment.config.vpcID)
            if group["VpcId"] != vpc {
                fail("group of tier '\(tier.name)' is not in VPC \(deployment.isFleet ? "parameter " + StackSetForm.vpcIDParameter : deployment.config.vpcID)")
            }
            if let adopted = deployment.config.adoptedGroup(tier: tier.name) {
                // Anything else would make CloudFormation replace (or, on stack deletion, delete)
                // a group the tool did not create.
                if group["GroupDescription"]?.stringValue != adopted.groupDescription {
                    fail("group of adopted tier '\(tier.name)' does not keep the live GroupDescription")
                }
                if !group.isRetainedOnStackDeletion || group.updateReplacePolicy != "Retain" {
                    fail("group of adopted tier '\(tier.name)' is not retained when the stack is deleted or replaces it")
                }
            }
        }
        if groups.count != deployment.tiers.count {
            fail("\(groups.count) security groups for \(deployment.tiers.count) tiers")
        }
        return diagnostics
    }

    /// One stack on its own: within CloudFormation's resource limit, and every `Ref`/`GetAtt`
    /// names a resource of the same template.
    private static func checkReferences(_ stack: StackTemplate, location: SourceLocation, diagnostics: inout Diagnostics) {
        let template = stack.template
        func fail(_ message: String) {
            diagnostics.error(.templateSelfCheck, "template self-check: \(message) (stack \(stack.stackName))", at: location)
        }
        let logicalIDs = Set(template.resources.map(\.logicalID) + template.parameters.map(\.logicalID))
        if template.resources.count > StackLimits.awsMaxResourcesPerStack {
            fail("\(template.resources.count) resources exceed CloudFormation's \(StackLimits.awsMaxResourcesPerStack) per stack")
        }
        for resource in template.resources {
            for target in references(in: resource.properties) where !logicalIDs.contains(target) {
                fail("resource \(resource.logicalID) refers to \(target), which is not in the template")
            }
        }
    }

    /// Logical ids named by `Ref`/`GetAtt` inside a value (pseudo-parameters excluded).
    private static func references(in value: TemplateValue) -> [String] {
        var found: [String] = []
        var pending = [value]
        while let next = pending.popLast() {
            switch next {
            case .ref(let name) where !name.hasPrefix("AWS::"): found.append(name)
            case .getAtt(let name, _): found.append(name)
            case .list(let items): pending.append(contentsOf: items)
            case .map(let entries): pending.append(contentsOf: entries.map(\.1))
            case .importValue(let inner): pending.append(inner)
            case .join(_, let items): pending.append(contentsOf: items)
            default: break
            }
        }
        return found
    }
}
