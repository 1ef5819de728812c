import SGConfig
import SGInventory

/// Tier names for imported groups: valid (`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`) and unique,
/// from what people called the group.
enum TierNaming {
    /// The longest tier name the importer makes: short enough that the tool's derived names
    /// (`{company}-{env}-{id}-{tier}`, `/{company}/{env}/{id}/sg/{tier}`, exports) stay readable,
    /// and room for a `-N` suffix inside the 63-character name limit.
    static let maxLength = 48

    /// One name per group, in the groups' order: the Name tag, else the GroupName, else the group
    /// id (for a template: the logical id, split at its capitals, else the GroupName); `-2`, `-3`,
    /// ... make repeats unique in that order.
    static func names(for groups: [LiveSecurityGroup], fromTemplate: Bool) -> [String] {
        var taken = Set<String>()
        var names: [String] = []
        for group in groups {
            // A template's logical id is unique and chosen by its author; its GroupName is often
            // built from the stack name, so it comes second.
            let candidates = fromTemplate ? [group.groupID, group.name] : [group.tags["Name"] ?? "", group.name, group.groupID]
            let base = candidates.lazy.map { normalised($0) }.first { !$0.isEmpty } ?? "group"
            var name = base
            var suffix = 2
            while taken.contains(name) {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            taken.insert(name)
            names.append(name)
        }
        return names
    }

    /// Lowercase letters and digits, every other run of characters one '-', none at either end;
    /// `CamelCase` and `ELBSecurityGroup` are split where a word starts (`elb-security-group`).
    static func normalised(_ text: String) -> String {
        var out = ""
        var previous: Character?
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if character.isASCII, character.isLetter || character.isNumber {
                if character.isUppercase, let previous, previous.isASCII {
                    let next = index + 1 < characters.count ? characters[index + 1] : nil
                    let startsWord = previous.isLowercase || previous.isNumber
                        || (previous.isUppercase && (next.map { $0.isASCII && $0.isLowercase } ?? false))
                    if startsWord, out.last != "-" { out.append("-") }
                }
                out.append(Character(character.lowercased()))
            } else if out.last != "-" && !out.isEmpty {
                out.append("-")
            }
            previous = character
        }
        let name = trimmed(String(trimmed(out).prefix(maxLength)))
        return ConfigRules.nameProblem(name) == nil ? name : ""
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while text.first == "-" { text = text.dropFirst() }
        while text.last == "-" { text = text.dropLast() }
        return String(text)
    }
}
