import Foundation
import SGModel

/// The record every action leaves in the reports directory:
/// `{company}-{env}-{deployment_id}-{region}-sg-{action}-{YYYYMMDD_HHMMSS_mmm}.log`.
///
/// It says who ran what, on which inputs, with which result and which files were written (with
/// their SHA-256). It never holds a secret: only values the action chose to record are written.
public struct AuditLog: Sendable {
    private(set) var lines: [String] = []
    private let started: Date

    /// When the action started.
    public var startedAt: Date { started }
    private let action: ActionName

    /// Starts a log for an action at a time.
    public init(action: ActionName, started: Date) {
        self.action = action
        self.started = started
    }

    /// Adds a line, prefixed with a UTC timestamp offset from the start.
    public mutating func record(_ line: String) {
        lines.append(line)
    }

    /// `YYYYMMDD_HHMMSS_mmm` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = (parts.nanosecond ?? 0) / 1_000_000
        return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))_\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2))_\(pad(millis, 3))"
    }

    /// The file name for a deployment prefix (`qualifiedName`, or a fallback when the config
    /// could not be read). Runs that start in the same millisecond take `attempt` 2, 3, ...:
    /// `...-20260505_101914_057-2.log`, so the seed's pattern stays the prefix of every name.
    public func fileName(prefix: String, attempt: Int = 1) -> String {
        let base = "\(prefix)-sg-\(action.rawValue)-\(Self.timestamp(started))"
        return attempt <= 1 ? base + ".log" : "\(base)-\(attempt).log"
    }

    /// The log's text.
    public func render(header: [(String, String)]) -> String {
        var out = "# sg-provisioner audit log\n"
        for (key, value) in header { out += "\(key): \(value)\n" }
        out += "\n"
        for line in lines { out += line + "\n" }
        return out
    }

    /// A safe file-name prefix from anything (a config path when the config could not be parsed):
    /// lower-case letters, digits and single hyphens only.
    public static func fallbackPrefix(for reference: String?) -> String {
        guard let reference else { return "sg-provisioner" }
        let base = reference.split(separator: "/").last.map(String.init) ?? reference
        let stem = base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base.hasSuffix(".yml") ? String(base.dropLast(4)) : base
        var out = ""
        for scalar in stem.lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if allowed { out.unicodeScalars.append(scalar) } else if !out.hasSuffix("-") && !out.isEmpty { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        let trimmed = String(out.prefix(63))
        return trimmed.isEmpty ? "sg-provisioner" : trimmed
    }
}
