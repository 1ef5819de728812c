import Foundation
import SGAWS

/// A profile's `credential_process`: a program the user trusts prints version-1 JSON
/// (`Version`, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
/// The command line is split like a POSIX shell splits words and run without a shell, as the AWS
/// CLI does; its standard error is only quoted (one line) when it fails.
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
public struct ProcessCredentialProvider: AWSCredentialProvider {
    /// The configured command line.
    public let command: String
    /// Who configured it, for messages ("profile build").
    public let origin: String
    private let system: AWSSystem

    /// Creates a provider for `command`.
    public init(command: String, origin: String, system: AWSSystem) {
        self.command = command
        self.origin = origin
        self.system = system
    }

    private struct Document: Decodable {
        let Version: Int?
        let AccessKeyId: String?
        let SecretAccessKey: String?
        let SessionToken: String?
        let Expiration: String?
    }

    /// Runs the program and reads its credentials.
    public func credentials() async throws -> AWSCredentials {
        let words: [String]
        do {
            words = try ShellWords.split(command)
        } catch {
            throw failure("cannot split the command line: \(error)")
        }
        guard let program = words.first else { throw failure("the command is empty") }
        guard let executable = locate(program) else {
            throw failure("'\(program)' is not an executable file" + (program.contains("/") ? "" : " in PATH"))
        }
        let output: ProcessOutput
        do {
            output = try await system.runProcess(ProcessInvocation(
                executable: executable, arguments: Array(words.dropFirst()), environment: system.environment))
        } catch {
            throw failure("'\(program)' could not be started: \(error.localizedDescription)")
        }
        guard output.status == 0 else {
            let lastLine = String(decoding: output.standardError, as: UTF8.self)
                .split(whereSeparator: \.isNewline).last.map { String($0.prefix(200)) } ?? "(nothing on standard error)"
            throw failure("'\(program)' exited with status \(output.status): \(lastLine)")
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(output.standardOutput)) else {
            throw failure("'\(program)' did not print a JSON object with the credential_process fields")
        }
        guard document.Version == 1 else {
            throw failure("'\(program)' printed Version \(document.Version.map(String.init) ?? "(missing)"); only version 1 is defined")
        }
        guard let keyID = document.AccessKeyId, !keyID.isEmpty else { throw failure("'\(program)' printed no AccessKeyId") }
        guard let secret = document.SecretAccessKey, !secret.isEmpty else { throw failure("'\(program)' printed no SecretAccessKey") }
        var expiration: Date?
        if let text = document.Expiration {
            guard let parsed = WireDecoding.date(text) else {
                throw failure("'\(program)' printed an Expiration that is not an ISO 8601 time: \(text)")
            }
            guard parsed > system.now() else {
                throw failure("'\(program)' printed credentials that expired at \(text)")
            }
            expiration = parsed
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: document.SessionToken,
                              expiration: expiration, method: .process, source: "\(origin): credential_process \(program)")
    }

    private func failure(_ detail: String) -> AWSClientError {
        .credentials("\(origin): credential_process: \(detail)")
    }

    /// The program as given when it holds a slash, else the first executable of that name in PATH.
    private func locate(_ program: String) -> String? {
        let fileManager = FileManager.default
        // No `~` expansion: the AWS CLI runs the words as they are, without a shell.
        if program.contains("/") {
            return fileManager.isExecutableFile(atPath: program) ? program : nil
        }
        let searchPath = system.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }
}

/// Splits a command line into words as Python's `shlex.split` does in POSIX mode (botocore's
/// splitter): blanks separate words, single quotes keep everything literally, double quotes keep
/// everything but `\"` and `\\`, and a backslash outside quotes takes the next character
/// literally. No expansion of any kind happens.
enum ShellWords {
    enum SplitError: Error, Equatable, CustomStringConvertible {
        case unterminatedQuote(Character)
        case trailingBackslash

        var description: String {
            switch self {
            case .unterminatedQuote(let quote): return "no closing \(quote)"
            case .trailingBackslash: return "it ends in a backslash"
            }
        }
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'":
                inWord = true
                while true {
                    guard let next = iterator.next() else { throw SplitError.unterminatedQuote("'") }
                    if next == "'" { break }
                    current.append(next)
                }
            case "\"":
                inWord = true
                while true {
                    guard let next = iterator.next() else { throw SplitError.unterminatedQuote("\"") }
                    if next == "\"" { break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { throw SplitError.unterminatedQuote("\"") }
                        if escaped != "\"" && escaped != "\\" { current.append("\\") }
                        current.append(escaped)
                    } else {
                        current.append(next)
                    }
                }
            case "\\":
                guard let escaped = iterator.next() else { throw SplitError.trailingBackslash }
                inWord = true
                current.append(escaped)
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
