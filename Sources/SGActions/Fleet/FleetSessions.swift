import Foundation
import SGAWS
import SGModel

/// AWS sessions for the targets of a deployment with `targets`: the caller's own session (in the
/// administration region, identified once by `AWSContext`) chains into one role per target
/// account (`target_role`, `sts:AssumeRole`), shared by every region of that account and fetched
/// again before it expires; every request in an account takes a token from that account's bucket
/// (`--account-rate`), whichever region or target it is for.
struct FleetSessions: Sendable {
    /// Requests per second per account when `--account-rate` is not given. EC2 refills a
    /// non-mutating bucket at 20 requests per second per account and region; 10 leaves the other
    /// half to everything else running in the account, also when several regions are read at once.
    static let defaultAccountRate = 10.0

    /// The caller's session (administration region).
    let base: AWSSession
    /// The role assumed in each target account.
    let roleName: String
    /// `RoleSessionName`: CloudTrail shows it next to every call the tool makes in a target.
    let sessionName: String
    private let credentialsByAccount: [String: any AWSCredentialProvider]
    private let limiters: [String: RequestRateLimiter]

    /// Sessions for `targets`, one role and one bucket per account.
    init(base: AWSSession, targets: [DeploymentTarget], roleName: String, action: ActionName, accountRate: Double) {
        self.base = base
        self.roleName = roleName
        // RoleSessionName allows [\w+=,.@-]{2,64}; the action names the purpose in CloudTrail.
        sessionName = String("sg-provisioner-\(action.rawValue)".prefix(64))
        var credentials: [String: any AWSCredentialProvider] = [:]
        var limiters: [String: RequestRateLimiter] = [:]
        for target in targets where credentials[target.account] == nil {
            let request = AssumeRoleRequest(roleARN: target.roleARN(roleName), sessionName: sessionName)
            credentials[target.account] = base.assumingRole(request, origin: "target_role").credentials
            limiters[target.account] = RequestRateLimiter(ratePerSecond: accountRate, burst: max(1, accountRate), now: base.system.now)
        }
        credentialsByAccount = credentials
        self.limiters = limiters
    }

    /// The session for one target: the account's role, the target's region, the account's bucket.
    func session(for target: DeploymentTarget) -> AWSSession {
        let limiter = limiters[target.account] ?? RequestRateLimiter(ratePerSecond: Self.defaultAccountRate, burst: Self.defaultAccountRate)
        return AWSSession(
            region: target.region, credentials: credentialsByAccount[target.account] ?? base.credentials, options: base.options,
            system: base.system, transport: RateLimitedTransport(base.transport, limiter: limiter),
            configuredEndpoints: base.configuredEndpoints)
    }

    /// How often requests waited for their account's bucket, per account (for the audit log).
    func pacing() async -> [(account: String, waits: Int, seconds: Double)] {
        var lines: [(account: String, waits: Int, seconds: Double)] = []
        for account in limiters.keys.sorted() {
            guard let limiter = limiters[account] else { continue }
            lines.append((account, await limiter.waits, await limiter.waitedSeconds))
        }
        return lines
    }
}
