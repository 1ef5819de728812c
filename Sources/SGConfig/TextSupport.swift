/// Helpers for messages: quoting user values safely and suggesting close names.
enum TextSupport {
    /// A value as it appears in a message: single-quoted, control characters escaped (so a
    /// newline in a value cannot forge a second diagnostic line), long values shortened.
    static func quoted(_ value: String) -> String {
        var out = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == 60 {
                out += "..."
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return "'\(out)'"
    }

    /// One character for a message, with a name for the invisible ones.
    static func describe(_ character: Character) -> String {
        switch character {
        case " ": return "' ' (space)"
        case "\n", "\r\n", "\r": return "'\\n' (newline)"
        case "\t": return "'\\t' (tab)"
        default: return quoted(String(character))
        }
    }

    /// The candidate closest to `word` when it is close enough to be a likely typo, else nil.
    /// Ties go to the earliest candidate so suggestions are deterministic.
    static func suggestion(for word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        let wordLength = lowered.unicodeScalars.count
        for candidate in candidates where candidate != word {
            let allowed = max(1, min(3, candidate.count / 3))
            // The distance is at least the length difference: skip the quadratic computation when
            // that alone rules a candidate out (a 64 KiB key against short names would take seconds).
            guard abs(wordLength - candidate.unicodeScalars.count) <= allowed else { continue }
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// `; did you mean 'x'?` or the empty string.
    static func didYouMean(_ word: String, in candidates: [String]) -> String {
        suggestion(for: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// "Did you mean" for many names against one candidate list. A comparison costs one edit
    /// distance per candidate, so a search per name would be quadratic in a file with thousands of
    /// unknown names and tiers: each distinct name is looked up once, and only the first
    /// `maxDistinctNames` get a suggestion (past that many, the input is not a typo).
    struct Suggester {
        /// The names suggestions are chosen from.
        let candidates: [String]
        private var cache: [String: String] = [:]
        /// Most distinct names looked up.
        static let maxDistinctNames = 20

        init(candidates: [String]) {
            self.candidates = candidates
        }

        /// `; did you mean 'x'?` or the empty string.
        mutating func didYouMean(_ word: String) -> String {
            if let cached = cache[word] { return cached }
            guard cache.count < Self.maxDistinctNames else { return "" }
            let text = TextSupport.didYouMean(word, in: candidates)
            cache[word] = text
            return text
        }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions each cost 1 (`us-wset-2` is one step from `us-west-2`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
