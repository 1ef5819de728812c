import SGDiagnostics

/// Diagnostic codes of the template compiler (E4xx errors, W4xx warnings). Codes never change meaning.
public extension DiagnosticCode {
    /// A group would carry more rules in one direction than AWS allows (`StackLimits.maxRulesPerDirection`).
    static let cfnTooManyRules: DiagnosticCode = "E401"
    /// A rule names a tier the deployment does not have.
    static let cfnUnknownTier: DiagnosticCode = "E402"
    /// The same rule twice on one group: AWS rejects it with InvalidPermission.Duplicate.
    static let cfnDuplicateRule: DiagnosticCode = "E403"
    /// One tier's group alone does not fit in a stack, even with its rules moved out.
    static let cfnGroupTooLarge: DiagnosticCode = "E404"
    /// A group description AWS would reject (length or characters).
    static let cfnInvalidGroupDescription: DiagnosticCode = "E405"
    /// A rule description AWS would reject (length or characters).
    static let cfnInvalidRuleDescription: DiagnosticCode = "E406"
    /// Ports or ICMP type/code that do not fit the rule's protocol.
    static let cfnInvalidPorts: DiagnosticCode = "E407"
    /// A tag AWS would reject: reserved or duplicate key, length, characters.
    static let cfnInvalidTag: DiagnosticCode = "E408"
    /// A derived AWS name (group name, export, SSM parameter) that AWS would reject.
    static let cfnInvalidName: DiagnosticCode = "E409"
    /// Two tiers with the same name.
    static let cfnDuplicateTier: DiagnosticCode = "E410"
    /// A deployment with targets does not fit one template: a StackSet deploys one per instance.
    static let cfnStackSetTooLarge: DiagnosticCode = "E412"
    /// The deployment does not fit one stack and was compiled into several, deployed in order.
    static let cfnSplitIntoStacks: DiagnosticCode = "W401"

    /// Every code of this module, for the catalog test.
    static let cloudFormationCodes: [DiagnosticCode] = [
        .cfnTooManyRules, .cfnUnknownTier, .cfnDuplicateRule, .cfnGroupTooLarge, .cfnInvalidGroupDescription,
        .cfnInvalidRuleDescription, .cfnInvalidPorts, .cfnInvalidTag, .cfnInvalidName, .cfnDuplicateTier,
        .cfnSplitIntoStacks, .cfnStackSetTooLarge,
    ]
}
