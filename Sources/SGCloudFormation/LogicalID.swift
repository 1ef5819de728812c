/// Deterministic, collision-free CloudFormation logical ids (alphanumeric, at most 255 characters).
///
/// Ids derive from names only, never from positions, so adding a tier does not rename the
/// resources of the others (a renamed resource is a replaced resource in CloudFormation).
public enum LogicalID {
    /// CloudFormation's limit on a logical id's length.
    public static let maxLength = 255

    /// The logical id of a tier's security group, e.g. `AppDbSecurityGroup` for `app-db`; `taken`
    /// gets the id added.
    public static func forTier(_ name: String, taken: inout Set<String>) -> String {
        unique(camelCase(name) + "SecurityGroup", taken: &taken, disambiguator: "tier " + name)
    }

    /// `app-db_2` -> `AppDb2`: alphanumeric runs, each starting upper-case. Other characters
    /// only separate words; an empty result becomes `X` so an id never starts with nothing.
    ///
    /// Works on UTF-8 bytes: only ASCII letters and digits count as alphanumeric, and every byte
    /// of a non-ASCII character is >= 0x80, so it separates words exactly as the whole character
    /// would. It runs twice per rule, so it allocates once, not per character as upper-casing a
    /// `Character` does.
    public static func camelCase(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var startOfWord = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                out.append(startOfWord ? byte - 0x20 : byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(byte)
            default:
                startOfWord = true
                continue
            }
            startOfWord = false
        }
        return out.isEmpty ? "X" : String(decoding: out, as: UTF8.self)
    }

    /// `candidate` if it is free, otherwise `candidate` + `X` + a hash of `disambiguator` (the
    /// full identity of the thing named), then a counter if even that is taken. Over-long ids are
    /// cut and given the hash, so the result always fits `maxLength`. The disambiguator is only
    /// built when a hash is needed: a free candidate of fitting length is the common case.
    public static func unique(_ candidate: String, taken: inout Set<String>, disambiguator: @autoclosure () -> String) -> String {
        var base = candidate
        // utf8.count bounds count from above, so the character count is only taken when needed.
        if base.utf8.count > maxLength, base.count > maxLength {
            base = String(base.prefix(maxLength - 9)) + "X" + fnv1a32Hex(disambiguator())
        }
        if taken.insert(base).inserted { return base }
        let hashed = String(base.prefix(maxLength - 13)) + "X" + fnv1a32Hex(disambiguator())
        if taken.insert(hashed).inserted { return hashed }
        var counter = 2
        while !taken.insert(hashed + String(counter)).inserted { counter += 1 }
        return hashed + String(counter)
    }

    /// FNV-1a (32-bit) as 8 upper-case hex digits: a stable, dependency-free short hash.
    static func fnv1a32Hex(_ text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let digits = String(hash, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
