/// Codes of the template compiler and the checks of what it emits (E4xx, W4xx, E504). Where the
/// compiler repeats a check of the config reader (a backstop for models built without it), it
/// reports the reader's code; E402, E403, E405, E406 and E408 are retired for that reason.
public extension DiagnosticCode {
    /// A group would carry more rules in one direction than AWS allows (`StackLimits.maxRulesPerDirection`).
    static let cfnTooManyRules = DiagnosticCode("E401", .compile, "A group would carry more rules in one direction than AWS allows.")
    /// One tier's group alone does not fit in a stack, even with its rules moved out.
    static let cfnGroupTooLarge = DiagnosticCode("E404", .compile, "One tier's group alone does not fit in a stack, even with its rules moved to other stacks.")
    /// Ports or ICMP type/code that do not fit the rule's protocol.
    static let cfnInvalidPorts = DiagnosticCode("E407", .compile, "Ports or an ICMP type and code that do not fit the rule's protocol.")
    /// A derived AWS name (group name, export, SSM parameter) that AWS would reject.
    static let cfnInvalidName = DiagnosticCode("E409", .compile, "A name the tool derives (group name, test stack name) that AWS would refuse.")
    /// Two tiers with the same name.
    static let cfnDuplicateTier = DiagnosticCode("E410", .compile, "Two tiers with the same name.")
    /// A deployment with targets does not fit one template: a StackSet deploys one per instance.
    static let cfnStackSetTooLarge = DiagnosticCode(
        "E412", .compile, "A deployment with targets does not fit one template, and a StackSet deploys exactly one.")
    /// The deployment does not fit one stack and was compiled into several, deployed in order.
    static let cfnSplitIntoStacks = DiagnosticCode("W401", .compile, "The deployment does not fit one stack and was compiled into several, deployed in order.")
    /// The compiled template failed the tool's own self-check.
    static let templateSelfCheck = DiagnosticCode("E504", .compile, "A compiled template failed the tool's own check of it (a bug: please report it).")

    /// The codes of this stage, in the catalog's order.
    static let compileCodes: [DiagnosticCode] = [
        .cfnTooManyRules, .cfnGroupTooLarge,
        .cfnInvalidPorts, .cfnInvalidName, .cfnDuplicateTier,
        .cfnStackSetTooLarge, .cfnSplitIntoStacks, .templateSelfCheck,
    ]
}
