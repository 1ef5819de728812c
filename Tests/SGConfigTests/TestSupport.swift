import SGConfig
import SGDiagnostics
import SGModel
import SGTestSupport
import Testing

/// A scenario whose single rule (on line 5, column 9 onwards) is `flow`, in `direction` of tier web.
func scenario(rule flow: String, direction: Direction = .ingress) -> String {
    """
    name: web
    tiers:
      web:
        \(direction.rawValue):
          - \(flow)
      app:
        ingress: []

    """
}

/// One expected diagnostic: its code, exact message, file and line, and the text it points at
/// (the column is where `token` first occurs on that line; nil means column 1).
struct Expected: Sendable, CustomStringConvertible {
    var code: String
    var message: String
    var file: String
    var line: Int
    var token: String?

    init(_ code: String, _ message: String, _ file: String = configPath, line: Int, at token: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.token = token
    }

    var description: String { "\(code) \(file):\(line) \(token ?? "^") \(message)" }

    /// `file:line:column: CODE message`, with the column resolved in the input texts.
    func rendered(in files: [String: String]) -> String {
        var column = 1
        if let token, let text = files[file] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if line - 1 < lines.count, let range = lines[line - 1].range(of: token) {
                column = lines[line - 1].unicodeScalars.distance(
                    from: lines[line - 1].unicodeScalars.startIndex, to: range.lowerBound) + 1
            } else {
                column = -1  // the token is not on that line: the test is wrong, make it fail loudly
            }
        }
        return "\(file):\(line):\(column): \(code) \(message)"
    }
}

/// `file:line:column: CODE message` for each diagnostic, in print order.
func rendered(_ diagnostics: Diagnostics) -> [String] {
    diagnostics.sorted.map { diagnostic in
        let location = diagnostic.location.map { "\($0)" } ?? "-"
        return "\(location): \(diagnostic.code) \(diagnostic.message)"
    }
}

/// A table row: a config and scenario text, and every diagnostic the load must report.
struct InputCase: Sendable, CustomTestStringConvertible {
    var name: String
    var config: String
    var scenario: String
    var expected: [Expected]
    var limits: ModelLimits

    init(_ name: String, config: String = SGTestSupport.config(), scenario: String = baseScenario, limits: ModelLimits = .default, _ expected: Expected...) {
        self.name = name
        self.config = config
        self.scenario = scenario
        self.expected = expected
        self.limits = limits
    }

    var testDescription: String { name }

    var files: [String: String] { [configPath: config, scenarioPath: scenario] }

    /// Loads the case and compares every diagnostic.
    func check(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let result = makeLoader(files, limits: limits).load(config: "c")
        let want = expected.map { $0.rendered(in: files) }
        #expect(rendered(result.diagnostics) == want, "\(name)", sourceLocation: sourceLocation)
        if expected.contains(where: { $0.code.hasPrefix("E") }) {
            #expect(result.deployment == nil, "\(name): a deployment despite errors", sourceLocation: sourceLocation)
        }
    }
}
