import SGConfig
import SGModel

// The minimal config and scenario of the config reader's tests, and a loader over in-memory files:
// the config editor's tests load what they edit through the same loader.

/// The error an in-memory file system throws for unreadable files.
package struct InMemoryReadError: Error, CustomStringConvertible {
    /// What went wrong.
    package var description: String

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(description: String) {
        self.description = description
    }
}

/// A loader over an in-memory file map: `unreadable` paths exist but throw when read.
package func makeLoader(_ files: [String: String], unreadable: Set<String> = [], limits: ModelLimits = .default) -> DeploymentLoader {
    let bytes = files.mapValues { Array($0.utf8) }
    return DeploymentLoader(
        readFile: { path in
            if unreadable.contains(path) { throw InMemoryReadError(description: "permission denied") }
            guard let content = bytes[path] else { throw InMemoryReadError(description: "no such file") }
            return content
        },
        fileExists: { bytes[$0] != nil || unreadable.contains($0) },
        limits: limits,
        listFiles: { directory in
            bytes.keys.filter { $0.hasPrefix(directory + "/") }.map { String($0.dropFirst(directory.count + 1)) }
                .filter { !$0.contains("/") }.sorted()
        })
}

/// Where the minimal config is.
package let configPath = "configs/c.yaml"
/// Where the minimal scenario is.
package let scenarioPath = "scenarios/web.yaml"

/// The minimal valid config; line N of the file is `baseConfigLines[N-1]`.
package let baseConfigLines = [
    "company_prefix: globalbank",
    "environment: prod",
    "deployment_id: c001",
    "region: us-west-2",
    "vpc_id: vpc-0a1b2c3d4e5f67890",
    "scenario: web",
]

/// The base config with the line starting `key:` replaced (nil removes it), and `append` added
/// after the last line (so appended text starts on line 7).
package func config(_ key: String? = nil, _ line: String? = nil, append: String = "") -> String {
    var lines: [String] = []
    for existing in baseConfigLines {
        if let key, existing.hasPrefix(key + ":") {
            if let line { lines.append(line) }
        } else {
            lines.append(existing)
        }
    }
    return lines.joined(separator: "\n") + "\n" + append
}

/// The minimal valid scenario: tier `web` (public ingress 443, default egress) and tier `app`
/// (8080 from web, closed egress).
package let baseScenario = """
    name: web
    tiers:
      web:
        ingress:
          - { protocol: tcp, port: 443, source: 0.0.0.0/0 }
      app:
        ingress:
          - { protocol: tcp, port: 8080, source_tier: web }
        egress: []

    """
