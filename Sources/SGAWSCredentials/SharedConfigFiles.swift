import Foundation
import SGAWS

/// The AWS CLI's shared files: `credentials` (sections `[name]`) and `config` (sections
/// `[profile name]`, `[default]`, `[sso-session name]`, `[services name]`), located by
/// AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE or ~/.aws/.
///
/// Both files are kept apart as well as merged, because the AWS CLI tells them apart: keys in
/// the credentials file come before `credential_process`, keys in the config file after it.
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
public struct SharedConfigFiles: Sendable, Equatable {
    /// Where the config file was looked for.
    public let configPath: String
    /// Where the credentials file was looked for.
    public let credentialsPath: String
    /// Profiles of the config file, settings keyed by lowercased name.
    public let configProfiles: [String: [String: String]]
    /// Profiles of the credentials file.
    public let credentialsProfiles: [String: [String: String]]
    /// `[sso-session name]` sections of the config file.
    public let ssoSessions: [String: [String: String]]
    /// `[services name]` sections: service id (lowercased, e.g. "sts") to its nested settings.
    public let services: [String: [String: [String: String]]]

    /// Creates from already-parsed sections.
    public init(configPath: String = "~/.aws/config", credentialsPath: String = "~/.aws/credentials",
                configProfiles: [String: [String: String]] = [:], credentialsProfiles: [String: [String: String]] = [:],
                ssoSessions: [String: [String: String]] = [:], services: [String: [String: [String: String]]] = [:]) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        self.configProfiles = configProfiles
        self.credentialsProfiles = credentialsProfiles
        self.ssoSessions = ssoSessions
        self.services = services
    }

    /// Loads both files through the injected reader; missing files count as empty.
    public static func load(system: AWSSystem) -> SharedConfigFiles {
        let home = system.homeDirectory ?? ""
        let credentialsPath = system.variable("AWS_SHARED_CREDENTIALS_FILE").map { expandTilde($0, home: home) }
            ?? "\(home)/.aws/credentials"
        let configPath = system.variable("AWS_CONFIG_FILE").map { expandTilde($0, home: home) } ?? "\(home)/.aws/config"
        let config = INIFile.parse(system.readFile(configPath) ?? "")
        let credentials = INIFile.parse(system.readFile(credentialsPath) ?? "")

        var configProfiles: [String: [String: String]] = [:]
        var ssoSessions: [String: [String: String]] = [:]
        var services: [String: [String: [String: String]]] = [:]
        for section in config {
            if section.name == "default" {
                configProfiles["default", default: [:]].merge(section.settings) { _, new in new }
            } else if let name = section.name.droppingPrefix("profile ") {
                configProfiles[name, default: [:]].merge(section.settings) { _, new in new }
            } else if let name = section.name.droppingPrefix("sso-session ") {
                ssoSessions[name, default: [:]].merge(section.settings) { _, new in new }
            } else if let name = section.name.droppingPrefix("services ") {
                services[name, default: [:]].merge(section.nested) { _, new in new }
            }
        }
        var credentialsProfiles: [String: [String: String]] = [:]
        for section in credentials {
            credentialsProfiles[section.name, default: [:]].merge(section.settings) { _, new in new }
        }
        return SharedConfigFiles(configPath: configPath, credentialsPath: credentialsPath, configProfiles: configProfiles,
                                 credentialsProfiles: credentialsProfiles, ssoSessions: ssoSessions, services: services)
    }

    /// The merged settings of `profile` (the credentials file winning), or nil when neither file
    /// defines it.
    public func profile(_ name: String) -> [String: String]? {
        let fromConfig = configProfiles[name]
        let fromCredentials = credentialsProfiles[name]
        if fromConfig == nil && fromCredentials == nil { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, fromCredentialsFile in fromCredentialsFile }
    }

    /// Every profile either file defines, sorted (for shell completion of --profile).
    public var profileNames: [String] {
        Set(configProfiles.keys).union(credentialsProfiles.keys).sorted()
    }

    /// "/home/x/.aws/config or /home/x/.aws/credentials", for messages.
    public var bothPaths: String { "\(configPath) or \(credentialsPath)" }

    static func expandTilde(_ path: String, home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }
}

/// The INI dialect of the AWS shared files, as botocore reads it: `[section]` headers, `key =
/// value` lines, comments starting with `#` or `;` (inline only after whitespace), keys
/// lowercased, and indented lines below a key with an empty value forming a nested block
/// (`sts =` then `  endpoint_url = ...` in a services section).
enum INIFile {
    struct Section: Equatable {
        var name: String
        var settings: [String: String] = [:]
        /// Nested blocks: key to its indented settings.
        var nested: [String: [String: String]] = [:]
    }

    static func parse(_ text: String) -> [Section] {
        var sections: [Section] = []
        var nestedKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = String(rawLine).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if !indented && trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                // "profile  x" with several spaces still names profile x.
                let words = name.split(separator: " ", omittingEmptySubsequences: true)
                sections.append(Section(name: words.joined(separator: " ")))
                nestedKey = nil
                continue
            }
            guard !sections.isEmpty, let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // Inline comments need whitespace before the marker, as in botocore.
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let range = value.range(of: marker) { value = value[..<range.lowerBound].trimmingCharacters(in: .whitespaces) }
            }
            if indented {
                if let nestedKey { sections[sections.count - 1].nested[nestedKey, default: [:]][key] = value }
                continue
            }
            if value.isEmpty {
                nestedKey = key
                sections[sections.count - 1].nested[key] = sections[sections.count - 1].nested[key] ?? [:]
            } else {
                nestedKey = nil
                sections[sections.count - 1].settings[key] = value
            }
        }
        return sections
    }
}

extension String {
    /// The rest after `prefix`, trimmed, or nil when the string does not start with it.
    func droppingPrefix(_ prefix: String) -> String? {
        guard hasPrefix(prefix) else { return nil }
        let rest = dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return rest.isEmpty ? nil : rest
    }
}

extension ConfiguredEndpoints {
    /// What `profile` configures; an unknown services section is a configuration error, as in the AWS CLI.
    public static func of(profile name: String, in files: SharedConfigFiles) throws -> ConfiguredEndpoints {
        guard let settings = files.profile(name) else { return ConfiguredEndpoints() }
        var perService: [String: String] = [:]
        if let sectionName = settings["services"] {
            guard let section = files.services[sectionName] else {
                throw AWSClientError.configuration("profile \(name) names services section '\(sectionName)', which \(files.configPath) does not define")
            }
            for (service, nested) in section { if let url = nested["endpoint_url"] { perService[service] = url } }
        }
        return ConfiguredEndpoints(global: settings["endpoint_url"], perService: perService,
                                   ignored: settings["ignore_configured_endpoint_urls"]?.lowercased() == "true")
    }
}
