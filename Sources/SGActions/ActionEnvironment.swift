import Foundation
import SGDiagnostics
import SGIO

/// The file system as the actions see it. Only the live implementation touches the disk, so tests
/// can run actions against memory.
public protocol FileSystem: Sendable {
    /// The bytes of a file, at most `limit` of them (`BoundedRead`): every input is read this way.
    func read(_ path: String, limit: Int) throws(BoundedRead.Failure) -> [UInt8]
    /// True when a regular file exists at the path.
    func fileExists(_ path: String) -> Bool
    /// True when a directory exists at the path.
    func directoryExists(_ path: String) -> Bool
    /// True when a regular file (not a device, pipe or directory) exists at the path.
    func regularFileExists(_ path: String) -> Bool
    /// Creates a directory and its parents.
    func createDirectory(_ path: String) throws(FileSystemError)
    /// File names (not paths) in a directory, sorted.
    func list(_ directory: String) throws -> [String]
    /// Writes a file atomically: a temporary file in the same directory, then rename. A failed or
    /// interrupted write leaves any previous file intact.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError)
    /// Creates a new file with these bytes, complete or not at all, and never over an existing one:
    /// throws `FileSystemError.exists` when the name is taken (also by a concurrent run).
    func createNew(_ bytes: [UInt8], at path: String) throws(FileSystemError)
}

extension FileSystem {
    public func regularFileExists(_ path: String) -> Bool { fileExists(path) }

    /// A document-sized input (config, scenario, snapshot, template, report).
    public func read(_ path: String) throws(BoundedRead.Failure) -> [UInt8] {
        try read(path, limit: InputLimits.documentBytes)
    }
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

    public func read(_ path: String, limit: Int) throws(BoundedRead.Failure) -> [UInt8] {
        try BoundedRead.file(path, limit: limit)
    }

    public func fileExists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFDIR
    }

    public func directoryExists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    public func regularFileExists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// `mkdir -p` with plain-words failures naming the path (Foundation's would be an
    /// `NSCocoaErrorDomain` dump): "a file is in the way", "permission denied".
    public func createDirectory(_ path: String) throws(FileSystemError) {
        if directoryExists(path) { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o755) != 0 else { return }
        let code = errno
        if code == EEXIST {
            if directoryExists(path) { return }
            throw .cannotCreateDirectory(path: path, reason: "a file with that name is in the way")
        }
        throw .cannotCreateDirectory(path: path, reason: Self.reason(code))
    }

    public func list(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        let temporary = try writeTemporary(bytes, beside: path)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw .cannotWrite(path: path, reason: code == EISDIR ? "a directory with that name is in the way" : Self.reason(code))
        }
    }

    /// The complete file is written under a temporary name first and then linked to `path`:
    /// `link(2)` fails with EEXIST when the name is taken, so two runs can never share a name and
    /// nobody ever sees a half-written file.
    public func createNew(_ bytes: [UInt8], at path: String) throws(FileSystemError) {
        let temporary = try writeTemporary(bytes, beside: path)
        defer { unlink(temporary) }
        guard link(temporary, path) != 0 else { return }
        let code = errno
        if code == EEXIST { throw .exists(path: path) }
        throw .cannotWrite(path: path, reason: Self.reason(code))
    }

    /// Writes and syncs `.NAME.tmp-PID-RANDOM` in the target's directory, created with O_EXCL.
    private func writeTemporary(_ bytes: [UInt8], beside path: String) throws(FileSystemError) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOTDIR || code == ENOENT {
                throw .cannotWrite(path: path, reason: "\(directory) is not a directory")
            }
            throw .cannotWrite(path: path, reason: Self.reason(code))
        }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Self.reason(errno)
                    return
                }
                offset += written
            }
        }
        // A file replaced keeps its permissions (a config made group-readable stays so).
        var existing = stat()
        if failure == nil, stat(path, &existing) == 0, fchmod(descriptor, existing.st_mode & 0o7777) != 0 {
            failure = Self.reason(errno)
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Self.reason(errno) }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: failure)
        }
        return temporary
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case EROFS: return "the file system is read-only"
        case EDQUOT: return "disk quota exceeded"
        default: return String(cString: strerror(code))
        }
    }
}

/// File-system failures, with the path and what is wrong in plain words.
public enum FileSystemError: Error, Sendable, CustomStringConvertible {
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// `createNew` found the name taken.
    case exists(path: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .cannotCreateDirectory(let path, let reason): return "cannot create directory \(path): \(reason)"
        case .exists(let path): return "\(path) already exists"
        }
    }
}
