import SGDeploy
import SGDiagnostics

extension CreateSecurityGroupsAction {
    /// The adoption plan `--adopt` carries out, or nil after reporting why it cannot (E570, one
    /// located error per problem). With nothing left to adopt (every adopted group is in a stack
    /// already), an empty plan: the run is an ordinary deploy.
    func adoptionPlan(_ plan: ChangePlan, hasAdoptedGroups: Bool) -> AdoptionPlan? {
        guard let adoption = plan.adoption, !adoption.tiers.isEmpty || !adoption.problems.isEmpty else {
            context.say(!hasAdoptedGroups
                ? "--adopt: the config has no adopted_groups; nothing to import\n"
                : "--adopt: every adopted group is in a stack already; nothing to import\n")
            return AdoptionPlan()
        }
        for problem in adoption.problems {
            context.report(.error(.adoptionRefused, problem.message, at: problem.location))
        }
        return adoption.isDeployable ? adoption : nil
    }
}
