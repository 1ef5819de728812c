import SGConfig
import SGModel

/// The deployment identity of an import: from `--company-prefix`, `--environment`,
/// `--deployment-id` and `--region`, or, for the parts not given, from the config name when it
/// reads unambiguously as `{company}-{env}-{deployment_id}-{region}`.
public enum DeploymentName {
    /// The identity parts given as flags; nil for a part not given.
    public struct Parts: Sendable, Equatable {
        public var company: String?
        public var environment: String?
        public var deploymentID: String?
        public var region: String?

        /// Creates parts.
        public init(company: String? = nil, environment: String? = nil, deploymentID: String? = nil, region: String? = nil) {
            self.company = company
            self.environment = environment
            self.deploymentID = deploymentID
            self.region = region
        }

        /// True when every part is given.
        var isComplete: Bool { company != nil && environment != nil && deploymentID != nil && region != nil }
    }

    /// Why the name does not give an identity.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// No known region ends the name, or what comes before it is not three valid names.
        case unparsable(String)
        /// More than three words come before the region: company_prefix, environment and
        /// deployment_id have no '-', so the name does not say which words are which. The region
        /// is still known.
        case ambiguous(words: [String], region: String)

        public var description: String {
            switch self {
            case .unparsable(let why): return why
            case .ambiguous(let words, _):
                return "\(words.count) words come before the region (\(words.joined(separator: ", "))), and company_prefix, environment and deployment_id are one word each"
            }
        }
    }

    /// Splits `{company}-{env}-{deployment_id}-{region}`: a known region ends the name and exactly
    /// three words come before it, each a valid name without '-' (the identity rule: the three are
    /// joined with '-' into every derived name, so only then does the name read one way).
    public static func parse(_ name: String) -> Result<DeploymentIdentity, Problem> {
        // No region is another region with a '-...' tail, so at most one region ends the name.
        guard let region = ConfigRules.regions.first(where: { name.hasSuffix("-" + $0) }) else {
            return .failure(.unparsable("it does not end with an AWS region"))
        }
        let words = name.dropLast(region.count + 1).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if words.count > 3, words.allSatisfy({ !$0.isEmpty }) {
            return .failure(.ambiguous(words: words, region: region))
        }
        guard words.count == 3, words.allSatisfy({ ConfigRules.identityPartProblem($0) == nil }) else {
            return .failure(.unparsable("what comes before the region is not {company}-{environment}-{deployment_id}"))
        }
        return .success(DeploymentIdentity(company: words[0], environment: words[1], deploymentID: words[2], region: region))
    }

    /// The identity from the flags, completed from the name where the flags are silent. The error
    /// names the flags still needed and why the name could not supply them.
    public static func identity(name: String, flags: Parts) -> Result<DeploymentIdentity, IdentityError> {
        var parsed: DeploymentIdentity?
        var agreedRegion: String?
        var problem: Problem?
        if !flags.isComplete {
            switch parse(name) {
            case .success(let identity): parsed = identity
            case .failure(let failure):
                problem = failure
                if case .ambiguous(_, let region) = failure { agreedRegion = region }
            }
        }
        let company = flags.company ?? parsed?.company
        let environment = flags.environment ?? parsed?.environment
        let deploymentID = flags.deploymentID ?? parsed?.deploymentID
        let region = flags.region ?? parsed?.region ?? agreedRegion
        guard let company, let environment, let deploymentID, let region else {
            let missing = [
                (company, "--company-prefix"), (environment, "--environment"), (deploymentID, "--deployment-id"), (region, "--region"),
            ].filter { $0.0 == nil }.map(\.1)
            return .failure(IdentityError(missing: missing, nameProblem: problem))
        }
        return .success(DeploymentIdentity(company: company, environment: environment, deploymentID: deploymentID, region: region))
    }

    /// The identity cannot be completed.
    public struct IdentityError: Error, Equatable, Sendable {
        /// Flags to give.
        public var missing: [String]
        /// Why the config name did not supply them.
        public var nameProblem: Problem?
    }
}
