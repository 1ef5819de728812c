import Foundation
import SGDiagnostics

/// The file system as the actions see it. Only the live implementation touches the disk, so tests
/// can run actions against memory.
public protocol FileSystem: Sendable {
    /// The bytes of a file.
    func read(_ path: String) throws -> [UInt8]
    /// True when a regular file exists at the path.
    func fileExists(_ path: String) -> Bool
    /// True when a directory exists at the path.
    func directoryExists(_ path: String) -> Bool
    /// Creates a directory and its parents.
    func createDirectory(_ path: String) throws
    /// File names (not paths) in a directory, sorted.
    func list(_ directory: String) throws -> [String]
    /// Writes a file atomically: a temporary file in the same directory, then rename. A failed or
    /// interrupted write leaves any previous file intact.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws
}

/// Everything an action may take from the outside world, injected.
public struct ActionEnvironment: Sendable {
    /// Files.
    public var fileSystem: any FileSystem
    /// The clock (audit log names, default `--today`).
    public var now: @Sendable () -> Date
    /// Environment variables (AWS settings); secrets in here are never printed.
    public var variables: [String: String]
    /// Standard output.
    public var writeOut: @Sendable (String) -> Void
    /// Standard error.
    public var writeErr: @Sendable (String) -> Void
    /// True when stdout is a terminal (colour only then).
    public var isTerminal: Bool
    /// The tool's version, printed in reports and templates.
    public var toolVersion: String

    /// Creates an environment.
    public init(
        fileSystem: any FileSystem, now: @escaping @Sendable () -> Date, variables: [String: String],
        writeOut: @escaping @Sendable (String) -> Void, writeErr: @escaping @Sendable (String) -> Void,
        isTerminal: Bool, toolVersion: String
    ) {
        self.fileSystem = fileSystem
        self.now = now
        self.variables = variables
        self.writeOut = writeOut
        self.writeErr = writeErr
        self.isTerminal = isTerminal
        self.toolVersion = toolVersion
    }
}

/// The real disk.
public struct LocalFileSystem: FileSystem {
    /// Creates the live file system.
    public init() {}

    public func read(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileSystemError.cannotRead(path: path, reason: fileExists(path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        return [UInt8](handle.readDataToEndOfFile())
    }

    public func fileExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func list(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        // A file replaced keeps its permissions (a config made group-readable stays so).
        var existing = stat()
        if failure == nil, stat(path, &existing) == 0, fchmod(descriptor, existing.st_mode & 0o7777) != 0 {
            failure = String(cString: strerror(errno))
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw FileSystemError.cannotWrite(path: path, reason: failure)
        }
    }
}

/// File-system failures, with the path and the operating system's reason.
public enum FileSystemError: Error, Sendable, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
