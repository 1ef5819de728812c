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
        /// No known region ends the name, or what comes before it is not three names.
        case unparsable(String)
        /// More than one split is possible (a part contains '-'): every reading.
        case ambiguous([DeploymentIdentity])

        public var description: String {
            switch self {
            case .unparsable(let why): return why
            case .ambiguous(let readings):
                let texts = readings.map { "company \($0.company), environment \($0.environment), deployment \($0.deploymentID)" }
                return "it reads several ways (\(texts.joined(separator: "; ")))"
            }
        }
    }

    /// Splits `{company}-{env}-{deployment_id}-{region}`. The region is a known region ending the
    /// name; the rest must be exactly three valid names joined by '-': a company, environment or
    /// deployment id containing '-' makes the split ambiguous (`a-b-c-d-us-east-1` could be
    /// `a-b`/`c`/`d` or `a`/`b-c`/`d`), and then the flags must say.
    public static func parse(_ name: String) -> Result<DeploymentIdentity, Problem> {
        var readings: [DeploymentIdentity] = []
        var regionFound = false
        for region in ConfigRules.regions where name.hasSuffix("-" + region) {
            regionFound = true
            let prefix = name.dropLast(region.count + 1)
            let parts = prefix.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3, parts.allSatisfy({ !$0.isEmpty }) else { continue }
            // Every way of cutting the prefix into three non-empty names.
            for first in 1..<(parts.count - 1) {
                for second in (first + 1)..<parts.count {
                    let company = parts[0..<first].joined(separator: "-")
                    let environment = parts[first..<second].joined(separator: "-")
                    let deploymentID = parts[second...].joined(separator: "-")
                    guard [company, environment, deploymentID].allSatisfy({ ConfigRules.nameProblem($0) == nil }) else { continue }
                    readings.append(DeploymentIdentity(company: company, environment: environment, deploymentID: deploymentID, region: region))
                }
            }
        }
        switch readings.count {
        case 1: return .success(readings[0])
        case 0:
            return .failure(.unparsable(regionFound
                ? "what comes before the region is not {company}-{environment}-{deployment_id}"
                : "it does not end with an AWS region"))
        default:
            return .failure(.ambiguous(readings))
        }
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
                // Every reading of an ambiguous name ends with the same region.
                if case .ambiguous(let readings) = failure { agreedRegion = readings.first?.region }
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
