/// Codes of the template compiler and the checks of what it emits (E4xx, W4xx, E504).
public extension DiagnosticCode {
    /// A group would carry more rules in one direction than AWS allows (`StackLimits.maxRulesPerDirection`).
    static let cfnTooManyRules = DiagnosticCode("E401", .compile, "A group would carry more rules in one direction than AWS allows.")
    /// A rule names a tier the deployment does not have.
    static let cfnUnknownTier = DiagnosticCode("E402", .compile, "A rule names a tier the deployment does not have.")
    /// The same rule twice on one group: AWS rejects it with InvalidPermission.Duplicate.
    static let cfnDuplicateRule = DiagnosticCode("E403", .compile, "The same rule twice on one group; AWS would refuse it (InvalidPermission.Duplicate).")
    /// One tier's group alone does not fit in a stack, even with its rules moved out.
    static let cfnGroupTooLarge = DiagnosticCode("E404", .compile, "One tier's group alone does not fit in a stack, even with its rules moved to other stacks.")
    /// A group description AWS would reject (length or characters).
    static let cfnInvalidGroupDescription = DiagnosticCode("E405", .compile, "A group description AWS would refuse (length or characters).")
    /// A rule description AWS would reject (length or characters).
    static let cfnInvalidRuleDescription = DiagnosticCode("E406", .compile, "A rule description AWS would refuse (length or characters).")
    /// Ports or ICMP type/code that do not fit the rule's protocol.
    static let cfnInvalidPorts = DiagnosticCode("E407", .compile, "Ports or an ICMP type and code that do not fit the rule's protocol.")
    /// A tag AWS would reject: reserved or duplicate key, length, characters.
    static let cfnInvalidTag = DiagnosticCode("E408", .compile, "A tag AWS would refuse: reserved or duplicate key, length, characters.")
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
        .cfnTooManyRules, .cfnUnknownTier, .cfnDuplicateRule, .cfnGroupTooLarge, .cfnInvalidGroupDescription,
        .cfnInvalidRuleDescription, .cfnInvalidPorts, .cfnInvalidTag, .cfnInvalidName, .cfnDuplicateTier,
        .cfnStackSetTooLarge, .cfnSplitIntoStacks, .templateSelfCheck,
    ]
}
