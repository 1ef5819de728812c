import SGAWS
import SGAWSServices
import SGActionKit
import SGDeploy
import SGDiagnostics
import SGFleet
import SGModel
import SGReports
import SGValidation

/// `verify-vpc`: the configured VPC exists in the region; its CIDRs are printed; a configured
/// `vpc_cidr` must be one of them; and the validator runs again with the CIDR AWS reports, so
/// "entire VPC" judgements rest on the real network. Findings that change are printed.
struct VerifyVPCAction {
    let context: ActionContext

    func run() async -> ActionOutcome {
        guard let loaded = Pipeline(context: context).load() else { return .failure }
        if loaded.isFleet { return await Fleet.verifyVPC(context, loaded) }
        guard let setup = await LiveSetup.open(context, for: loaded) else { return .failure }
        let deployment = setup.deployment
        let config = deployment.config
        let vpc: VPC
        do {
            guard let found = try await setup.ec2.describeVpcs(vpcIDs: [config.vpcID]).first(where: { $0.vpcID == config.vpcID }) else {
                return fail("VPC \(config.vpcID) does not exist in \(setup.session.region)")
            }
            vpc = found
        } catch let error as AWSError where error.code.hasPrefix("InvalidVpcID") {
            return fail("VPC \(config.vpcID) does not exist in \(setup.session.region) (\(error.code))")
        } catch {
            AWSContext(context: context).report(error, doing: "describing VPC \(config.vpcID)")
            return .failure
        }
        let secondary = vpc.ipv4CidrBlocks.filter { $0 != vpc.cidrBlock }
        var line = "\(vpc.vpcID) in \(setup.session.region): \(vpc.state), CIDR \(vpc.cidrBlock)"
        if !secondary.isEmpty { line += " (also \(secondary.joined(separator: ", ")))" }
        if !vpc.ipv6CidrBlocks.isEmpty { line += ", IPv6 \(vpc.ipv6CidrBlocks.joined(separator: ", "))" }
        context.say(line + "\n")
        context.record("vpc \(vpc.vpcID) cidr \(vpc.cidrBlock) ipv4=\(vpc.ipv4CidrBlocks) ipv6=\(vpc.ipv6CidrBlocks)")

        guard case .success(let liveCIDR) = CIDRBlock.parse(vpc.cidrBlock) else {
            return fail("AWS reports an unreadable CIDR '\(vpc.cidrBlock)' for \(vpc.vpcID)")
        }
        if let configured = config.vpcCIDR {
            let known = vpc.ipv4CidrBlocks.compactMap { try? CIDRBlock.parse($0).get() }
            if !known.contains(configured) {
                context.report(.error(
                    .vpcMismatch,
                    "vpc_cidr \(configured) differs from the CIDR AWS reports for \(vpc.vpcID): \(vpc.ipv4CidrBlocks.joined(separator: ", "))",
                    at: nil))
            }
        }

        // The same validator, once with the config as written, once with the CIDR AWS reports.
        let asWritten = Pipeline(context: context).judge(deployment)
        var withLiveCIDR = deployment
        withLiveCIDR.config.vpcCIDR = liveCIDR
        let judged = ScenarioValidator().validate(withLiveCIDR, today: context.today)
        let before = Set(asWritten.findings.map(\.fingerprint)), after = Set(judged.findings.map(\.fingerprint))
        let appeared = judged.findings.filter { !before.contains($0.fingerprint) }
        let vanished = asWritten.findings.filter { !after.contains($0.fingerprint) }
        let renderer = FindingTextRenderer(useColor: context.useColor, excerpt: context.sources.excerptProvider)
        for finding in appeared {
            context.say("with the VPC's CIDR \(liveCIDR), a new finding:\n" + renderer.render(finding))
        }
        for finding in vanished {
            context.say("with the VPC's CIDR \(liveCIDR), no longer a finding: [\(finding.id)] tier \(finding.tier): \(finding.title)\n")
        }
        let failing = appeared.filter { !$0.isAccepted && $0.severity >= context.request.failOn }
        for finding in failing {
            context.report(.error(
                .deployRefusedByFindings,
                "with the VPC's real CIDR \(liveCIDR), finding \(finding.id) (\(finding.severity.rawValue)) on tier '\(finding.tier)' is at/above --fail-on \(context.request.failOn.rawValue)",
                at: finding.location))
        }
        let passed = !context.diagnostics.hasErrors
        return .ending(passed ? .success : .failure, [.say(
            "verify-vpc: \(deployment.identity.qualifiedName): \(vpc.vpcID) \(passed ? "OK" : "FAILED"); "
                + "\(appeared.count) finding(s) appear and \(vanished.count) disappear with the VPC's CIDR\n")])
    }

    private func fail(_ message: String) -> ActionOutcome {
        context.report(.error(.vpcMismatch, message, at: nil))
        return .failure
    }
}
