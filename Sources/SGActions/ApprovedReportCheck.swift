import SGCloudFormation
import SGDeploy
import SGDiagnostics
import SGModel
import SGReports

/// `create-security-groups --approved-report FILE`: the approver signed off a review report that
/// names the SHA-256 of every stack template; the deployment goes ahead only if the templates about
/// to be sent to CloudFormation are exactly those, byte for byte (same stacks, same hashes).
enum ApprovedReportCheck {
    /// Reports an error for every way the compiled stacks differ from the approved report.
    /// `targets`: a deployment's targets, which the report must list exactly (an account added
    /// after the approval was not approved, even with the same template).
    static func check(reportPath: String, stacks: [StackTemplate], targets: [DeploymentTarget] = [], context: ActionContext) {
        let bytes: [UInt8]
        do {
            bytes = try context.environment.fileSystem.read(reportPath)
        } catch {
            context.report(.error(.badInputFile, "--approved-report: \(error)", at: .file(reportPath)))
            return
        }
        let approved: [String: String]
        do {
            approved = try ReviewReportReader.templateHashes(fromReportJSON: bytes)
        } catch {
            context.report(.error(
                .badInputFile, "--approved-report: \(error) (give the .json file create-review-report wrote)", at: .file(reportPath)))
            return
        }
        var compiledNames: Set<String> = []
        for stack in stacks {
            compiledNames.insert(stack.stackName)
            // The same bytes StackDeployer sends as TemplateBody.
            let digest = TemplateDigest(stackName: stack.stackName, fileName: "", text: stack.template.renderYAML())
            guard let expected = approved[stack.stackName] else {
                context.report(.error(
                    .approvedReportMismatch,
                    "stack \(stack.stackName) is not in the approved report; create and approve a new review report",
                    at: .file(reportPath)))
                continue
            }
            if expected != digest.sha256 {
                context.report(.error(
                    .approvedReportMismatch,
                    "the template of stack \(stack.stackName) changed since it was approved (approved sha256 \(expected), now \(digest.sha256)); create and approve a new review report",
                    at: .file(reportPath)))
            } else {
                context.record("approved: \(stack.stackName) sha256=\(expected) matches \(reportPath)")
            }
        }
        if !targets.isEmpty {
            let listed = ReviewReportReader.targets(fromReportJSON: bytes) ?? []
            let wanted = targets.map(ReviewReportReader.describe)
            for target in wanted where !listed.contains(target) {
                context.report(.error(
                    .approvedReportMismatch,
                    "target \(target) is not in the approved report; create and approve a new review report",
                    at: .file(reportPath)))
            }
            for target in listed where !wanted.contains(target) {
                context.report(.error(
                    .approvedReportMismatch,
                    "the approved report lists target \(target), which the config no longer has; create and approve a new review report",
                    at: .file(reportPath)))
            }
        }
        for name in approved.keys.sorted() where !compiledNames.contains(name) {
            context.report(.error(
                .approvedReportMismatch,
                "the approved report names stack \(name), which this config no longer compiles to; create and approve a new review report",
                at: .file(reportPath)))
        }
    }
}
