/// Codes of the action layer: the command line, files given and written, and the actions' own
/// self-checks (E5xx).
public extension DiagnosticCode {
    /// The action needs `-con`.
    static let missingConfigOption = DiagnosticCode("E501", .action, "The action needs `-con CONFIG`.")
    /// An output file could not be written.
    static let cannotWriteOutput = DiagnosticCode("E502", .action, "An output file (report, template, config, audit log) cannot be written.")
    /// An input file given on the command line (--snapshot, --template, --approved-report) is unusable.
    static let badInputFile = DiagnosticCode("E505", .action, "A file given on the command line (`--snapshot`, `--template`, `--approved-report`) cannot be used.")
    /// The IAM policy the tool generated for itself failed its own policy check.
    static let iamPolicySelfCheck = DiagnosticCode("E507", .action, "The IAM policy the tool generated for itself failed its own check (a bug: please report it).")
    /// validate-prov-template --remote: CloudFormation's ValidateTemplate rejected a stack's template.
    static let remoteValidationRejected = DiagnosticCode("E523", .action, "`validate-prov-template --remote`: CloudFormation's ValidateTemplate refused a template.")
    /// `-con DIR` or `-con 'GLOB'` names no config file (an empty directory, a pattern that
    /// matches nothing).
    static let noConfigSelected = DiagnosticCode("E530", .action, "`-con DIR` or `-con 'GLOB'` names no config file.")

    /// The codes of this stage, in the catalog's order.
    static let actionCodes: [DiagnosticCode] = [
        .missingConfigOption, .cannotWriteOutput, .badInputFile, .iamPolicySelfCheck, .remoteValidationRejected, .noConfigSelected,
    ]
}
