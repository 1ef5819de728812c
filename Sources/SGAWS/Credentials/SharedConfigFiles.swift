import Foundation

/// The AWS CLI's shared files: `credentials` (sections `[name]`) and `config` (sections
/// `[profile name]`, `[default]`), located by AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE
/// or ~/.aws/. Settings of one profile are merged, the credentials file winning.
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
public struct SharedConfigFiles: Sendable, Equatable {
    /// Settings (lowercased keys) by profile name.
    public let profiles: [String: [String: String]]

    /// Creates from already-parsed profiles.
    public init(profiles: [String: [String: String]]) { self.profiles = profiles }

    /// Loads both files through the injected reader; missing files count as empty.
    public static func load(system: AWSSystem) -> SharedConfigFiles {
        let home = system.homeDirectory ?? ""
        let credentialsPath = system.variable("AWS_SHARED_CREDENTIALS_FILE").map { expandTilde($0, home: home) }
            ?? "\(home)/.aws/credentials"
        let configPath = system.variable("AWS_CONFIG_FILE").map { expandTilde($0, home: home) } ?? "\(home)/.aws/config"
        let config = parseINI(system.readFile(configPath) ?? "", isConfigFile: true)
        let credentials = parseINI(system.readFile(credentialsPath) ?? "", isConfigFile: false)
        var merged = config
        for (name, settings) in credentials {
            merged[name, default: [:]].merge(settings) { _, fromCredentials in fromCredentials }
        }
        return SharedConfigFiles(profiles: merged)
    }

    /// The settings of `profile`, or nil when neither file defines it.
    public func profile(_ name: String) -> [String: String]? { profiles[name] }

    /// Parses INI text. In the config file, `[profile x]` names profile x and `[default]` the
    /// default; in the credentials file the section name is the profile. Comments start with
    /// `#` or `;`; indented lines (nested settings such as s3 blocks) are ignored.
    static func parseINI(_ text: String, isConfigFile: Bool) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = String(rawLine).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                var name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if isConfigFile {
                    if name.hasPrefix("profile ") {
                        name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil   // sso-session, services, ...: not profiles
                        continue
                    }
                }
                current = name
                if profiles[name] == nil { profiles[name] = [:] }
                continue
            }
            guard let current, line.first != " ", line.first != "\t", let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // Inline comments need whitespace before the marker, as in botocore.
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let range = value.range(of: marker) { value = value[..<range.lowerBound].trimmingCharacters(in: .whitespaces) }
            }
            profiles[current]![key] = value
        }
        return profiles
    }

    static func expandTilde(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }
}
