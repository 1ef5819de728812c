/// A unified diff of two texts, line by line, as `diff -u` prints it: what a config edit changes,
/// shown before (and recorded after) the file is written.
///
/// The line matching is Myers' O(ND) algorithm ("An O(ND) Difference Algorithm and Its
/// Variations", 1986): D, the number of changed lines, is small for an edit that adds a few
/// entries, so the cost stays near the file's length.
public enum UnifiedDiff {
    /// `--- old` / `+++ new` and hunks with `context` lines around each change; empty when equal.
    public static func render(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let script = edits(a, b)
        guard script.contains(where: { $0 != .keep }) else { return "" }
        // Indices into a and b for every step of the script.
        var steps: [(Edit, Int, Int)] = []
        var i = 0, j = 0
        for edit in script {
            steps.append((edit, i, j))
            switch edit {
            case .keep: i += 1; j += 1
            case .delete: i += 1
            case .insert: j += 1
            }
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < steps.count {
            guard let firstChange = steps[index...].firstIndex(where: { $0.0 != .keep }) else { break }
            let start = max(index, firstChange - context)
            var end = firstChange
            // Extend the hunk while the next change is within 2 × context kept lines.
            while true {
                guard let nextKeep = steps[end...].firstIndex(where: { $0.0 == .keep }) else { end = steps.count; break }
                guard let nextChange = steps[nextKeep...].firstIndex(where: { $0.0 != .keep }) else {
                    end = min(steps.count, nextKeep + context)
                    break
                }
                if nextChange - nextKeep > 2 * context {
                    end = nextKeep + context
                    break
                }
                end = nextChange
            }
            let hunk = steps[start..<end]
            let oldStart = hunk.first!.1, newStart = hunk.first!.2
            let oldCount = hunk.filter { $0.0 != .insert }.count, newCount = hunk.filter { $0.0 != .delete }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for (edit, ai, bj) in hunk {
                switch edit {
                case .keep: out += " \(a[ai])\n"
                case .delete: out += "-\(a[ai])\n"
                case .insert: out += "+\(b[bj])\n"
                }
            }
            index = end
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        // diff -u numbers lines from 1; an empty range names the line before it.
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    /// Lines without their breaks (CRLF and CR count as breaks too).
    static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var result = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    enum Edit: Equatable { case keep, delete, insert }

    /// The shortest edit script from `a` to `b` (Myers, greedy forward search with traces).
    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        let maximum = n + m
        guard maximum > 0 else { return [] }
        var v = [Int](repeating: 0, count: 2 * maximum + 2)
        var trace: [[Int]] = []
        var finalD = 0
        search: for d in 0...maximum {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + maximum] < v[k + 1 + maximum]) {
                    x = v[k + 1 + maximum]
                } else {
                    x = v[k - 1 + maximum] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[k + maximum] = x
                if x >= n, y >= m {
                    finalD = d
                    break search
                }
            }
        }
        // Walk the traces back from (n, m).
        var script: [Edit] = []
        var x = n, y = m
        for d in stride(from: finalD, to: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[k - 1 + maximum] < v[k + 1 + maximum])) ? k + 1 : k - 1
            let previousX = v[previousK + maximum]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                script.append(.keep)
                x -= 1
                y -= 1
            }
            script.append(x == previousX ? .insert : .delete)
            x = previousX
            y = previousY
        }
        while x > 0, y > 0 {
            script.append(.keep)
            x -= 1
            y -= 1
        }
        return script.reversed()
    }
}
