/// The naming rules shared by `company_prefix`, `environment`, `deployment_id`, scenario and tier
/// names: `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`. These names end up in stack names, group
/// names, SSM paths and report file names, so anything that could escape a path or a shell is
/// named specifically in the error.
enum NameRules {
    /// Longest name.
    static let maxLength = 63

    /// Explains the pattern; attached as a note to every name error.
    static let patternNote = "names use lowercase letters, digits and hyphens, start and end with a letter or digit, and have at most 63 characters"

    /// Characters that mean something to a shell.
    static let shellMetacharacters: Set<Character> = [
        ";", "|", "&", "$", "`", "(", ")", "<", ">", "*", "?", "!", "'", "\"", " ", "\n", "\r\n", "\r", "\t",
    ]

    /// Why `name` breaks the pattern, as the tail of a message, or nil when it is valid.
    static func problem(in name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        for sequence in ["../", "..\\"] where name.contains(sequence) {
            return "path traversal ('\(sequence)') is not allowed"
        }
        if name == ".." || name.hasSuffix("/..") || name.hasSuffix("\\..") {
            return "path traversal ('..') is not allowed"
        }
        for character in name where !isNameCharacter(character) {
            if character == "/" || character == "\\" {
                return "path separator \(TextSupport.describe(character)) is not allowed"
            }
            if shellMetacharacters.contains(character) {
                return "shell metacharacter \(TextSupport.describe(character)) is not allowed"
            }
            if character.isASCII, character.isUppercase {
                return "uppercase letter \(TextSupport.describe(character)) is not allowed; use lowercase"
            }
            return "character \(TextSupport.describe(character)) is not allowed"
        }
        if name.first == "-" { return "must start with a letter or digit, not '-'" }
        if name.last == "-" { return "must end with a letter or digit, not '-'" }
        if name.count > maxLength { return "\(name.count) characters; at most \(maxLength) are allowed" }
        return nil
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character == "-" || (character.isASCII && (character.isLowercase || character.isNumber))
    }
}

/// AWS resource ids the config and rules may name.
enum ResourceID {
    /// True for `prefix-` followed by 8 or 17 lowercase hex digits (the two id lengths AWS has used).
    static func isValid(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix + "-") else { return false }
        let digits = text.dropFirst(prefix.count + 1)
        return (digits.count == 8 || digits.count == 17)
            && digits.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}

/// The AWS regions a deployment may name. Hard-coded on purpose: a typo such as `us-west2` must
/// fail validation in CI, not at deploy time. Add new regions here as AWS opens them.
enum AWSRegions {
    /// Every region name, commercial partition first, then GovCloud and China.
    static let all: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1",
        "me-south-1", "me-central-1",
        "mx-central-1",
        "sa-east-1",
        "us-gov-east-1", "us-gov-west-1",
        "cn-north-1", "cn-northwest-1",
    ]

    static let set = Set(all)
}
