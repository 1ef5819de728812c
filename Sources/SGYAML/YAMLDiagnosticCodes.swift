import SGDiagnostics

/// Diagnostic codes of the YAML front end (E1xx). Codes never change meaning.
public extension DiagnosticCode {
    /// The YAML is not well-formed (libyaml's own message follows).
    static let yamlSyntax: DiagnosticCode = "E101"
    /// The file is not valid UTF-8 (or is UTF-16/32).
    static let yamlEncoding: DiagnosticCode = "E102"
    /// More than one YAML document in a file.
    static let yamlMultipleDocuments: DiagnosticCode = "E103"
    /// The same key twice in one mapping.
    static let yamlDuplicateKey: DiagnosticCode = "E104"
    /// Nesting deeper than `YAMLLimits.maxDepth`.
    static let yamlTooDeep: DiagnosticCode = "E105"
    /// Aliases expand to more than `YAMLLimits.maxAliasExpansion` nodes.
    static let yamlAliasBudget: DiagnosticCode = "E106"
    /// File larger than `YAMLLimits.maxFileBytes`.
    static let yamlFileTooLarge: DiagnosticCode = "E107"
    /// Scalar longer than `YAMLLimits.maxScalarBytes`.
    static let yamlScalarTooLarge: DiagnosticCode = "E108"
    /// A mapping key that is not a scalar.
    static let yamlComplexKey: DiagnosticCode = "E109"
    /// An alias to an anchor that was not defined before it.
    static let yamlUnknownAlias: DiagnosticCode = "E110"
    /// More than `YAMLLimits.maxNodes` nodes.
    static let yamlTooManyNodes: DiagnosticCode = "E111"
    /// A merge key (`<<`) whose value is not a mapping or a sequence of mappings.
    static let yamlInvalidMerge: DiagnosticCode = "E112"

    /// Every code of this module, for the catalog test.
    static let yamlCodes: [DiagnosticCode] = [
        .yamlSyntax, .yamlEncoding, .yamlMultipleDocuments, .yamlDuplicateKey, .yamlTooDeep,
        .yamlAliasBudget, .yamlFileTooLarge, .yamlScalarTooLarge, .yamlComplexKey,
        .yamlUnknownAlias, .yamlTooManyNodes, .yamlInvalidMerge,
    ]
}
