/// Codes of the YAML front end (E1xx).
public extension DiagnosticCode {
    /// The YAML is not well-formed (libyaml's own message follows).
    static let yamlSyntax = DiagnosticCode("E101", .yaml, "The YAML is not well-formed; libyaml's message says what it expected.")
    /// The file is not valid UTF-8 (or is UTF-16/32).
    static let yamlEncoding = DiagnosticCode("E102", .yaml, "The file is not valid UTF-8 (UTF-16 and UTF-32 are refused too).")
    /// More than one YAML document in a file.
    static let yamlMultipleDocuments = DiagnosticCode("E103", .yaml, "The file holds more than one YAML document.")
    /// The same key twice in one mapping.
    static let yamlDuplicateKey = DiagnosticCode("E104", .yaml, "The same key twice in one mapping (a tier, a tag, any key).")
    /// Nesting deeper than `YAMLLimits.maxDepth`.
    static let yamlTooDeep = DiagnosticCode("E105", .yaml, "Nesting deeper than the parser allows.")
    /// Aliases expand to more than `YAMLLimits.maxAliasExpansion` nodes.
    static let yamlAliasBudget = DiagnosticCode("E106", .yaml, "Aliases expand to more nodes than the parser allows (an alias bomb).")
    /// File larger than `YAMLLimits.maxFileBytes`.
    static let yamlFileTooLarge = DiagnosticCode("E107", .yaml, "The file is larger than the tool reads.")
    /// Scalar longer than `YAMLLimits.maxScalarBytes`.
    static let yamlScalarTooLarge = DiagnosticCode("E108", .yaml, "A value is longer than the parser allows.")
    /// A mapping key that is not a scalar.
    static let yamlComplexKey = DiagnosticCode("E109", .yaml, "A mapping key that is not a plain value (a mapping or a list as a key).")
    /// An alias to an anchor that was not defined before it.
    static let yamlUnknownAlias = DiagnosticCode("E110", .yaml, "An alias to an anchor that is not defined before it.")
    /// More than `YAMLLimits.maxNodes` nodes.
    static let yamlTooManyNodes = DiagnosticCode("E111", .yaml, "The file has more nodes than the parser allows.")
    /// A merge key (`<<`) whose value is not a mapping or a sequence of mappings.
    static let yamlInvalidMerge = DiagnosticCode("E112", .yaml, "A merge key (`<<`) whose value is not a mapping or a list of mappings.")

    /// The codes of this stage, in the catalog's order.
    static let yamlCodes: [DiagnosticCode] = [
        .yamlSyntax, .yamlEncoding, .yamlMultipleDocuments, .yamlDuplicateKey, .yamlTooDeep,
        .yamlAliasBudget, .yamlFileTooLarge, .yamlScalarTooLarge, .yamlComplexKey,
        .yamlUnknownAlias, .yamlTooManyNodes, .yamlInvalidMerge,
    ]
}
