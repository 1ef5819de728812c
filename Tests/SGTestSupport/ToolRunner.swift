import Foundation

/// Runs the built `sg-provisioner` binary in a scratch copy of the project's configs and scenarios,
/// the way a user would, and captures stdout, stderr and the exit code.
package struct ToolRunner {
    /// What one run produced.
    package struct Outcome {
        package var exitCode: Int32
        package var stdout: String
        package var stderr: String

        /// Creates the value from its parts (memberwise; other modules of the package call it).
        package init(exitCode: Int32, stdout: String, stderr: String) {
            self.exitCode = exitCode
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The package root (two levels above this file's directory).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary under test: `SG_PROVISIONER_BINARY` when set (`make test-asan` points it at the
    /// AddressSanitizer build), else the debug build.
    package static let binary: URL = ProcessInfo.processInfo.environment["SG_PROVISIONER_BINARY"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.appendingPathComponent(".build/debug/sg-provisioner")

    /// A scratch working directory holding copies of configs/ and scenarios/ and an empty reports/.
    package let directory: URL

    package init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sg-e2e-\(UUID().uuidString)")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        for folder in ["configs", "scenarios"] {
            try fileManager.copyItem(
                at: Self.packageRoot.appendingPathComponent(folder), to: directory.appendingPathComponent(folder))
        }
        try fileManager.createDirectory(at: directory.appendingPathComponent("reports"), withIntermediateDirectories: true)
    }

    /// Removes the scratch directory.
    package func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a file relative to the scratch directory.
    package func write(_ text: String, to relativePath: String) throws {
        let url = directory.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Writes raw bytes relative to the scratch directory.
    package func write(bytes: [UInt8], to relativePath: String) throws {
        let url = directory.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Reads a file relative to the scratch directory.
    package func read(_ relativePath: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// File names in reports/, sorted.
    package func reports() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("reports").path).sorted()
    }

    /// Runs the tool with arguments and extra environment variables, from the scratch directory
    /// or from `workingDirectory`.
    package func run(_ arguments: [String], environment extra: [String: String] = [:], workingDirectory: URL? = nil) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            // A thrown error fails the test that ran it (SGTestSupport is a library target: it
            // builds in release too, where the Testing module is not on the search path).
            throw TestSupportError.binaryNotBuilt(Self.binary.path)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        return try Self.launch(Self.binary, arguments, environment: environment, in: workingDirectory ?? directory)
    }

    /// Runs `/bin/sh -c script` with exactly `environment` (nothing inherited), as cron does.
    package static func shell(_ script: String, environment: [String: String], in directory: URL) throws -> Outcome {
        try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, in: directory)
    }

    /// Runs `executable` with exactly `environment` in `directory`, no stdin, and captures both
    /// outputs (read concurrently, so a full pipe cannot block the child).
    package static func launch(_ executable: URL, _ arguments: [String], environment: [String: String], in directory: URL) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a full pipe buffer cannot deadlock the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        process.waitUntilExit()
        return Outcome(
            exitCode: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
