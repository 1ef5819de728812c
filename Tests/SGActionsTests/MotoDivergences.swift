import Foundation

/// The ONE place listing where the local AWS (`scripts/local-aws`: moto 5.2.1 with the project's
/// patches in `scripts/moto_patches`) still differs from AWS, measured against it. What the patches
/// restore (inline and standalone egress, rule descriptions, IPv6, updates in place, termination
/// protection, "No updates", tokens on events, deleted stacks that stay deleted, SSM tags) is no
/// longer here: the end-to-end tests expect AWS's behaviour for it, with no tolerance. Each entry
/// says how the suite copes, which is never by accepting a difference in what the tool reports
/// about security groups. `make test-aws` runs the lifecycle against a real account.
struct MotoDivergence: Sendable {
    /// A short name.
    var name: String
    /// What moto does, and what AWS does instead.
    var behaviour: String
    /// Why the suite is still right on moto.
    var coping: String
}

enum MotoDivergences {
    /// Every known difference that remains with the patches applied.
    static let all: [MotoDivergence] = [
        MotoDivergence(
            name: "synchronous-stack-operations",
            behaviour: "moto completes CreateStack, UpdateStack and DeleteStack within the call and records only stack-level"
                + " events; AWS works asynchronously and adds an event per resource",
            coping: "the watcher's polling, time limit and Ctrl-C are tested against scripted progress (StackWatcherTests) and the"
                + " fault proxy's delayed answers (WireFaultTests); end-to-end tests assert stack events, not resource events"),
        MotoDivergence(
            name: "create-retry-token-not-recognised",
            behaviour: "a CreateStack retried with the ClientRequestToken that created the stack gets AlreadyExistsException from"
                + " moto; AWS documents the token as what lets it recognise the retry of the same request",
            coping: "the tool never relies on either: a retry meeting AlreadyExists asks the stack's events for its token"
                + " (WireFaultTests, StackDeployerTokenTests), which works whichever way AWS answers"),
        MotoDivergence(
            name: "stack-policy-not-enforced",
            behaviour: "moto stores SetStackPolicy's document and enforces nothing; AWS refuses updates the policy denies",
            coping: "the policy's content is unit-tested (StackPolicyTests); the replacements it guards against fail on moto as on"
                + " AWS anyway, because the tool's groups are custom-named (custom-named-replacement-refused patch)"),
        MotoDivergence(
            name: "renamed-replacement-keeps-old-references",
            behaviour: "replacing a group under a new GroupName deletes the old group first and leaves resources that referenced"
                + " it untouched; AWS creates the new group, updates every resource whose GetAtt changed, then deletes the old one",
            coping: "the tool's group names derive from the deployment and tier, which also name the logical id: a rename is a"
                + " new resource, never a replacement, so no test reaches this"),
        MotoDivergence(
            name: "no-dependency-violation",
            behaviour: "moto deletes a security group that rules of other groups or network interfaces still use; AWS refuses"
                + " with DependencyViolation (and CloudFormation ends in DELETE_FAILED)",
            coping: "the delete check (DeletionCheck) reports any group left, whatever kept it; its failure path is tested with a"
                + " group tagged by hand and with unpatched moto re-creating groups (DeploymentLifecycleTests)"),
        MotoDivergence(
            name: "empty-change-set-completes",
            behaviour: "an UPDATE change set with nothing to change is CREATE_COMPLETE with no changes on moto; on AWS it is"
                + " FAILED with the reason \"The submitted information didn't contain changes\"",
            coping: "show-changes reads both as 'nothing to change' (ChangePlanner); the lifecycle test's show-changes after"
                + " a deploy expects exactly that"),
        MotoDivergence(
            name: "create-failures-are-call-errors",
            behaviour: "a resource moto cannot create (a duplicate rule, a missing referenced group) fails CreateStack itself with"
                + " an HTTP error; AWS accepts the call and ends in ROLLBACK_COMPLETE with the resource's reason",
            coping: "rollbacks and their reasons are tested against scripted progress (StackWatcherTests); the compiler rejects"
                + " duplicates before any deploy"),
        MotoDivergence(
            name: "update-failures-keep-the-new-template",
            behaviour: "an UpdateStack that fails on a resource (InvalidPermission.Duplicate for a rule that exists live) fails the"
                + " call on moto and leaves the new template as the stack's; AWS rolls the stack back to the old template",
            coping: "create-security-groups revokes such rules before the update so it never fails on them (AcceptDeployEndToEndTests);"
                + " the test of a failed update makes it fail on a group that does not exist, and checks the rule put back, not the template"),
        MotoDivergence(
            name: "cloudtrail-history-without-cloudformation",
            behaviour: "the local event history (cloudtrail-event-history patch) records the security-group calls made to it, by the"
                + " access key that signed them; AWS also records the calls CloudFormation makes for a stack (invokedBy"
                + " cloudformation.amazonaws.com) and every other management event",
            coping: "check-drift asks about out-of-band changes, which are direct calls; how it reads CloudFormation's own calls,"
                + " every record shape and the service's pagination, rate limit and errors are tested against the LookupEvents stub"
                + " (CloudTrailClientTests, CloudTrailMatcherTests, DriftWhoEndToEndTests)"),
        MotoDivergence(
            name: "host-bits-kept",
            behaviour: "moto stores a rule's CIDR written with host bits (10.20.30.40/16) as written and describes it so; AWS"
                + " stores the network (10.20.0.0/16)",
            coping: "the live reader clears host bits as EC2 does (LiveInventory), so the template round trip of"
                + " ImportTemplateEndToEndTests reads what AWS would hold"),
        MotoDivergence(
            name: "no-cross-account-references",
            behaviour: "moto refuses a rule naming a group of another account (InvalidGroup.NotFound: it looks in the caller's"
                + " account only); AWS accepts it with the owner's account id",
            coping: "the owner account is tested from a snapshot (ImportSnapshotEndToEndTests) and from AWS's documented"
                + " DescribeSecurityGroupRules response (EC2DecodingTests)"),
        MotoDivergence(
            name: "no-import-change-sets",
            behaviour: "moto treats ChangeSetType IMPORT like CREATE and ignores ResourcesToImport, so executing it would create"
                + " new groups; AWS takes the existing resources into the stack (create-security-groups --adopt)",
            coping: "adoption runs with EC2 on the local AWS and CloudFormation on a stub held to botocore's model"
                + " (Tests/Fixtures/aws/cloudformation_stub.py: AdoptionEndToEndTests, AdoptionDeployerTests, ImportChangeSetWireTests);"
                + " docs/ADOPT.md lists what stays untested against CloudFormation"),
        MotoDivergence(
            name: "stackset-updates-do-not-reach-instances",
            behaviour: "UpdateStackSet changes only the StackSet's own template on moto, and UpdateStackInstances only the recorded"
                + " overrides: the instance stacks keep what they were created with; AWS updates every instance stack",
            coping: "the update paths (a template update reaching every instance, new overrides, bringing an OUTDATED instance"
                + " current) are tested against a stub of the documented API (StackSetDeployerTests, StackSetPlanTests); the end-to-end"
                + " test on the local AWS creates and deletes instances only"),
        MotoDivergence(
            name: "stackset-operations-always-succeed",
            behaviour: "every StackSet operation finishes within its call as SUCCEEDED with its operation preferences ignored, and"
                + " ListStackSetOperationResults repeats the operation's status for every instance; on AWS operations take time, run"
                + " as the preferences say, stop at the failure tolerance and report each instance's status and reason",
            coping: "waiting, time limits, Ctrl-C, per-instance reasons and the failure tolerance are tested against the stub"
                + " (StackSetDeployerTests); the tool's own --failure-tolerance handling of instances it starts is tested through"
                + " the fault proxy (OptionsWalkTests)"),
        MotoDivergence(
            name: "stackset-instance-stacks",
            behaviour: "moto names an instance's stack `StackSet:{name}` and reports a StackId for the instance that matches no"
                + " stack; AWS names it `StackSet-{name}-{uuid}` with the instance's StackId",
            coping: "the tool never reads instance stacks: drift, audit and the deletion check find a target's groups through EC2 by"
                + " the deployment tag of the target's region"),
        MotoDivergence(
            name: "inverted-port-range-accepted",
            behaviour: "moto stores an ingress rule whose FromPort is above its ToPort (tcp 9443-8443) and describes it so; AWS"
                + " refuses it with InvalidParameterValue",
            coping: "the suite uses it on purpose as a live rule the tool cannot read, standing in for a protocol or peer AWS may"
                + " add (LiveAuditUnreadableRuleTests: the live audit's W704); no test expects moto to refuse it"),
        MotoDivergence(
            name: "vpc-id-parameter-not-checked",
            behaviour: "moto creates an instance whose VpcId names no VPC (it does not check AWS::EC2::VPC::Id parameters), and its"
                + " groups in that VPC; AWS fails the instance before creating anything",
            coping: "verify-vpc checks every target's VPC and block through its role; the end-to-end tests create the targets'"
                + " VPCs in their accounts"),
    ]
}
