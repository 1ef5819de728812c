/// What AWS accepts in the text the tool sends it: security group names and descriptions, rule
/// descriptions, tag keys and values. Fixed by AWS, not tunable like the config's size limits:
/// anything past them fails late, at deploy time. The config reader reports a breach at its place
/// in the YAML; the compiler checks again for deployments built another way (audit, import).
///
/// Sources: the EC2 API reference (`CreateSecurityGroup` GroupName and GroupDescription,
/// `IpRange`/`Ipv6Range` Description: up to 255 characters of `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`
/// in a VPC; a group name may not start with `sg-`) and the tagging reference (keys up to 128
/// characters, values up to 256, letters, digits and spaces plus `_ . : / = + - @`; the `aws:`
/// prefix is AWS's own).
public enum AWSText {
    /// Longest group name, group description and rule description.
    public static let maxDescriptionLength = 255
    /// Punctuation AWS accepts in group names and descriptions, besides ASCII letters and digits.
    public static let descriptionPunctuation: Set<Character> = [
        ".", " ", "_", "-", ":", "/", "(", ")", "#", ",", "@", "[", "]", "+", "=", "&", ";", "{", "}", "!", "$", "*",
    ]
    /// The description charset as messages print it.
    public static let descriptionCharsetText = "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"
    /// Allowed ASCII bytes, indexed by value.
    private static let descriptionASCII: [Bool] = (0..<128).map { value in
        let character = Character(Unicode.Scalar(UInt8(value)))
        return (character.isLetter || character.isNumber) || descriptionPunctuation.contains(character)
    }
    /// Longest tag key.
    public static let maxTagKeyLength = 128
    /// Longest tag value.
    public static let maxTagValueLength = 256
    /// Punctuation AWS accepts in tag keys and values, besides letters, digits and spaces.
    public static let tagPunctuation: Set<Character> = ["_", ".", ":", "/", "=", "+", "-", "@"]
    /// The prefix AWS reserves for its own tag keys (compared without case).
    public static let reservedTagPrefix = "aws:"
    /// The prefix of security group ids, which a group name may not start with.
    public static let groupIDPrefix = "sg-"

    /// The first character of `text` AWS would reject in a group name or description, if any.
    public static func firstInvalidDescriptionCharacter(_ text: String) -> Character? {
        // Every name and description of a big scenario passes here: when every byte is an allowed
        // ASCII character there is nothing to find, without per-Character Unicode lookups.
        if text.utf8.allSatisfy({ $0 < 0x80 && descriptionASCII[Int($0)] }) { return nil }
        return text.first { character in
            !(character.isASCII && (character.isLetter || character.isNumber)) && !descriptionPunctuation.contains(character)
        }
    }

    /// True when AWS accepts `text` as a group description or rule description: allowed
    /// characters, at most 255 of them.
    public static func isValidDescription(_ text: String) -> Bool {
        // A text has at most as many Characters as UTF-8 bytes: count Characters only when the
        // bytes alone do not settle it.
        firstInvalidDescriptionCharacter(text) == nil
            && (text.utf8.count <= maxDescriptionLength || text.count <= maxDescriptionLength)
    }

    /// True when AWS accepts `name` as a security group name: a valid description that does not
    /// start with `sg-`.
    public static func isValidGroupName(_ name: String) -> Bool {
        isValidDescription(name) && !name.hasPrefix(groupIDPrefix)
    }

    /// The first character of `text` AWS would reject in a tag key or value, if any. AWS's pattern
    /// is `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; of the separators only spaces (`\p{Zs}`) are accepted here,
    /// because the line and paragraph separators (U+2028, U+2029) break lines in YAML 1.1 readers
    /// and JavaScript, and every rendering of a tag would have to escape them.
    public static func firstInvalidTagCharacter(_ text: String) -> Character? {
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
