import SGDiagnostics

/// The only place actions write to. A file name is checked before every write, so no config value
/// can steer a write elsewhere (no separators, no dot files, no traversal).
public struct ReportsDirectory: Sendable {
    /// The directory path.
    public let path: String
    private let fileSystem: any FileSystem

    /// Wraps the reports directory.
    public init(path: String, fileSystem: any FileSystem) {
        self.path = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        self.fileSystem = fileSystem
    }

    /// True when a name is a plain file name safe to create in the directory.
    public static func isSafeFileName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 255, !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"),
              !name.contains("..") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }

    /// The path a name would be written to.
    public func path(for name: String) -> String { "\(path)/\(name)" }

    /// Writes a file atomically inside the directory and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], named name: String) throws -> String {
        guard Self.isSafeFileName(name) else {
            throw FileSystemError.cannotWrite(path: name, reason: "refusing to write outside the reports directory")
        }
        if !fileSystem.directoryExists(path) { try fileSystem.createDirectory(path) }
        let target = path(for: name)
        try fileSystem.writeAtomically(bytes, to: target)
        return target
    }

    /// Creates a new file under the first free name of `name(1)`, `name(2)`, ... (`attempts` at
    /// most) and returns its path; an existing file is never replaced, also not by a concurrent run.
    @discardableResult
    public func createNew(_ bytes: [UInt8], named name: (Int) -> String, attempts: Int = 1000) throws -> String {
        if !fileSystem.directoryExists(path) { try fileSystem.createDirectory(path) }
        for attempt in 1...attempts {
            let candidate = name(attempt)
            guard Self.isSafeFileName(candidate) else {
                throw FileSystemError.cannotWrite(path: candidate, reason: "refusing to write outside the reports directory")
            }
            do {
                try fileSystem.createNew(bytes, at: path(for: candidate))
                return path(for: candidate)
            } catch FileSystemError.exists {
                continue
            }
        }
        throw FileSystemError.cannotWrite(path: path(for: name(1)), reason: "\(attempts) files with this name already exist")
    }

    /// Writes text as UTF-8.
    @discardableResult
    public func write(_ text: String, named name: String) throws -> String {
        try write(Array(text.utf8), named: name)
    }
}
