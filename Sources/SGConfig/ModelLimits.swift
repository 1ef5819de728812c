/// Bounds on the size of a deployment model. Each is a named constant with an error just over it,
/// so a runaway generator or hostile input fails with a located message instead of a slow
/// deploy failure (or an out-of-memory crash).
public struct ModelLimits: Sendable, Hashable {
    /// Most tiers in one scenario.
    public var maxTiers: Int
    /// Most rules in one direction of one tier: AWS's default quota "inbound or outbound rules per
    /// security group" is 60.
    public var maxRulesPerDirection: Int
    /// Most entries in a config's `overrides`.
    public var maxOverrides: Int
    /// Most entries in a config's `accepted_risks`.
    public var maxAcceptedRisks: Int
    /// Most user tags: AWS allows 50 per resource and the tool adds 3 of its own.
    public var maxTags: Int
    /// Most rules across all tiers of a deployment.
    public var maxTotalRules: Int
    /// Most entries in a config's `port_catalog`.
    public var maxPortCatalogEntries: Int
    /// Longest security group name (`{company}-{env}-{deployment_id}-{tier}`): AWS allows 255.
    public var maxGroupNameLength: Int

    /// Creates limits.
    public init(
        maxTiers: Int, maxRulesPerDirection: Int, maxOverrides: Int, maxAcceptedRisks: Int, maxTags: Int,
        maxTotalRules: Int, maxPortCatalogEntries: Int, maxGroupNameLength: Int
    ) {
        self.maxTiers = maxTiers
        self.maxRulesPerDirection = maxRulesPerDirection
        self.maxOverrides = maxOverrides
        self.maxAcceptedRisks = maxAcceptedRisks
        self.maxTags = maxTags
        self.maxTotalRules = maxTotalRules
        self.maxPortCatalogEntries = maxPortCatalogEntries
        self.maxGroupNameLength = maxGroupNameLength
    }

    /// AWS's own quotas where they exist, generous bounds elsewhere.
    public static let `default` = ModelLimits(
        maxTiers: 5_000,
        maxRulesPerDirection: 60,
        maxOverrides: 1_000,
        maxAcceptedRisks: 1_000,
        maxTags: 50 - 3,
        maxTotalRules: 100_000,
        maxPortCatalogEntries: 1_000,
        maxGroupNameLength: 255
    )
}

/// Fixed AWS constraints on text the tool sends to AWS. Unlike `ModelLimits` these are not
/// tunable: AWS rejects anything past them, late, at deploy time.
enum AWSTextRules {
    /// Longest rule description and group description.
    static let maxDescriptionLength = 255
    /// Characters AWS accepts in rule and group descriptions (EC2-VPC):
    /// `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`.
    static let descriptionPunctuation: Set<Character> = [
        ".", " ", "_", "-", ":", "/", "(", ")", "#", ",", "@", "[", "]", "+", "=", "&", ";", "{", "}", "!", "$", "*",
    ]
    /// `descriptionPunctuation` plus ASCII letters and digits, indexed by byte value.
    private static let descriptionASCII: [Bool] = (0..<128).map { value in
        let character = Character(Unicode.Scalar(UInt8(value)))
        return (character.isLetter || character.isNumber) || descriptionPunctuation.contains(character)
    }
    /// The description charset as printed in messages.
    static let descriptionCharsetText = "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"
    /// Longest tag key.
    static let maxTagKeyLength = 128
    /// Longest tag value.
    static let maxTagValueLength = 256
    /// Punctuation AWS accepts in tag keys and values (besides letters, digits and spaces).
    static let tagPunctuation: Set<Character> = ["_", ".", ":", "/", "=", "+", "-", "@"]

    /// The first character of `text` AWS would reject in a description, if any.
    static func firstInvalidDescriptionCharacter(_ text: String) -> Character? {
        // Fast path, run for every rule of a big scenario: when every byte is an allowed ASCII
        // character there is nothing to find, without the per-Character Unicode property lookups.
        if text.utf8.allSatisfy({ $0 < 0x80 && descriptionASCII[Int($0)] }) { return nil }
        return text.first { character in
            !(character.isASCII && (character.isLetter || character.isNumber)) && !descriptionPunctuation.contains(character)
        }
    }

    /// The first character of `text` AWS would reject in a tag key or value, if any. AWS allows
    /// Unicode letters, digits and spaces (`\p{L}\p{Z}\p{N}`), plus `_ . : / = + - @`.
    static func firstInvalidTagCharacter(_ text: String) -> Character? {
        text.first { character in
            if tagPunctuation.contains(character) { return false }
            guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return true }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .spaceSeparator:
                return false
            default:
                return true
            }
        }
    }
}
