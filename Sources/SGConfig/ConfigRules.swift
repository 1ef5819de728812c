/// The rules a config's and a scenario's values follow, for code that writes them
/// (`import-security-groups`): the same checks the reader applies, so what a writer decides is
/// writable is exactly what the reader accepts.
public enum ConfigRules {
    /// Why `name` is not a valid `company_prefix`, `environment`, `deployment_id`, scenario or tier
    /// name (`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`), or nil when it is.
    public static func nameProblem(_ name: String) -> String? { NameRules.problem(in: name) }

    /// The longest name.
    public static let maxNameLength = NameRules.maxLength

    /// Why `name` is not a valid `company_prefix`, `environment` or `deployment_id`: the name rule,
    /// and no '-' (the three are joined with '-' into every derived name), or nil when it is.
    public static func identityPartProblem(_ name: String) -> String? {
        if let problem = NameRules.problem(in: name) { return problem }
        return name.contains("-") ? "'-' is not allowed in company_prefix, environment or deployment_id" : nil
    }

    /// True for an AWS region the config reader accepts.
    public static func isRegion(_ text: String) -> Bool { AWSRegions.set.contains(text) }

    /// Every region the config reader accepts.
    public static var regions: [String] { AWSRegions.all }

    /// True for `prefix-` followed by 8 or 17 lowercase hex digits (`sg`, `pl`, `vpc`).
    public static func isResourceID(_ text: String, prefix: String) -> Bool { ResourceID.isValid(text, prefix: prefix) }

    /// True for an AWS account id: exactly 12 decimal digits.
    public static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Why AWS would reject `text` as a rule or tier description, or nil when it accepts it.
    public static func descriptionProblem(_ text: String) -> String? {
        if let bad = AWSTextRules.firstInvalidDescriptionCharacter(text) {
            return "contains \(TextSupport.describe(bad)), which AWS does not allow (allowed: \(AWSTextRules.descriptionCharsetText))"
        }
        if text.count > AWSTextRules.maxDescriptionLength {
            return "is \(text.count) characters; AWS allows at most \(AWSTextRules.maxDescriptionLength)"
        }
        return nil
    }

    /// Why EC2 would reject `text` as the value of a security group's Name tag, or nil. EC2 takes
    /// any character in its own tags (the config's `tags` follow a stricter set because they also
    /// go on SSM parameters); control characters are refused so the name stays one line.
    /// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html
    public static func nameTagProblem(_ text: String) -> String? {
        if text.count > AWSTextRules.maxTagValueLength { return "is \(text.count) characters; AWS allows at most \(AWSTextRules.maxTagValueLength)" }
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "contains \(TextSupport.describe(Character(bad))), a control character"
        }
        return nil
    }

    /// A value as messages quote it (single quotes, control characters escaped, long values cut).
    public static func quoted(_ text: String) -> String { TextSupport.quoted(text) }
}

/// What an adopted group's recorded name and description must be for CloudFormation to take the
/// group over unchanged (`AWS::EC2::SecurityGroup`: GroupName and GroupDescription at most 255
/// characters of `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`, a name not starting with `sg-`).
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
public enum AdoptionRules {
    /// Why `name` cannot be an adopted group's `GroupName`, or nil when it can.
    public static func groupNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name == "default" {
            return "is the VPC's default group, which AWS creates with the VPC and CloudFormation cannot manage; it cannot be adopted"
        }
        if name.hasPrefix("sg-") { return "starts with 'sg-', which AWS does not allow in a group name" }
        return ConfigRules.descriptionProblem(name).map { $0.replacingOccurrences(of: "AWS does not allow", with: "AWS does not allow in a group name") }
    }

    /// Why `text` cannot be an adopted group's `GroupDescription`, or nil when it can.
    public static func groupDescriptionProblem(_ text: String) -> String? {
        if text.isEmpty { return "must not be empty (AWS requires a group description)" }
        return ConfigRules.descriptionProblem(text)
    }
}
