import SGAWS
import SGCloudFormation

public extension DeletionVerifier {
    /// The rules a stack holds as their own `AWS::EC2::SecurityGroupIngress/Egress` resources on
    /// groups it retains (an adopted group's tier-to-tier rules): deleting the stack deletes them,
    /// which revokes them, while the group and its inline rules stay. Logical ids, template order.
    func rulesRevokedOnRetainedGroups(in stack: StackDescription) async throws -> [String] {
        Self.rulesOnRetainedGroups(templateBody: try await cloudFormation.getTemplate(stackName: stack.stackID), stackName: stack.stackName)
    }

    /// `rulesRevokedOnRetainedGroups`, from the template text. A rule naming its group through
    /// another stack's export (split stacks) is not followed.
    internal static func rulesOnRetainedGroups(templateBody: String, stackName: String) -> [String] {
        guard let template = try? TemplateRuleReader.parse(text: templateBody, path: "stack \(stackName)") else { return [] }
        let retained = Set(retainingGroupResources(templateBody: templateBody, stackName: stackName))
        return template.resources.filter { resource in
            guard [AdoptionResources.ingressType, AdoptionResources.egressType].contains(resource.type), !resource.isRetainedOnStackDeletion else { return false }
            switch resource["GroupId"] {
            case .getAtt(let group, _)?, .ref(let group)?: return retained.contains(group)
            default: return false
            }
        }.map(\.logicalID)
    }
}
