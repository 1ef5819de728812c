#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way the tool reads an input: a file (config, scenario, snapshot, template, report,
/// AWS shared files, a web-identity token) or a descriptor (a child process's output), never
/// more than `limit` bytes. Reading stops at `limit + 1` bytes, so `-con /dev/zero` or a runaway
/// generator fails in milliseconds instead of filling memory; a regular file whose size already
/// says it is too large is refused before a byte is read.
public enum BoundedRead {
    /// Why an input could not be read, in words a user acts on (never an `NSError` dump).
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nothing exists at the path.
        case notFound(path: String)
        /// The path exists but this user may not read it (or a directory on the way).
        case permissionDenied(path: String)
        /// The path is a directory where a file was expected.
        case isDirectory(path: String)
        /// The input is larger than the limit (it may be endless, like `/dev/zero`).
        case tooLarge(path: String, limit: Int)
        /// Any other operating-system failure, with its reason.
        case failed(path: String, reason: String)

        /// The path the failure is about.
        public var path: String {
            switch self {
            case .notFound(let path), .permissionDenied(let path), .isDirectory(let path), .tooLarge(let path, _),
                 .failed(let path, _):
                return path
            }
        }

        /// What is wrong, without the path: "no such file", "is larger than 16 MiB (the limit)".
        public var reason: String {
            switch self {
            case .notFound: return "no such file"
            case .permissionDenied: return "permission denied"
            case .isDirectory: return "is a directory, not a file"
            case .tooLarge(_, let limit): return "is larger than \(Self.size(limit)), the limit for this input"
            case .failed(_, let reason): return reason
            }
        }

        /// `cannot read PATH: reason`.
        public var description: String { "cannot read \(path): \(reason)" }

        /// `16 MiB`, `64 KiB`, `512 bytes`: limits are powers of two, so this is exact for them.
        static func size(_ bytes: Int) -> String {
            if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
            if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
            return "\(bytes) bytes"
        }
    }

    /// The bytes of the file at `path`, at most `limit` of them.
    public static func file(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno, path: path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errno, path: path) }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR { throw .isDirectory(path: path) }
        var expected = 0
        if kind == S_IFREG {
            if Int(status.st_size) > limit { throw .tooLarge(path: path, limit: limit) }
            expected = Int(status.st_size)
        }
        return try descriptorBytes(descriptor, limit: limit, expected: expected, name: path)
    }

    /// What a descriptor yields until end of file, at most `limit` bytes; `name` labels failures
    /// (a process's output: "output of credential_process").
    public static func descriptor(_ descriptor: Int32, limit: Int, name: String) throws(Failure) -> [UInt8] {
        try descriptorBytes(descriptor, limit: limit, expected: 0, name: name)
    }

    private static func descriptorBytes(_ descriptor: Int32, limit: Int, expected: Int, name: String) throws(Failure) -> [UInt8] {
        // One byte more than the limit tells "exactly at the limit" from "over it". The buffer
        // starts at the expected size and doubles, in raw memory (no per-element work).
        let cap = limit + 1
        var capacity = min(cap, max(expected + 1, 4096))
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var count = 0
        while count < cap {
            if count == capacity {
                let grown = min(cap, capacity * 2)
                let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 1)
                larger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = larger
                capacity = grown
            }
            let got = read(descriptor, buffer + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                throw failure(errno, path: name)
            }
            if got == 0 { break }
            count += got
        }
        if count > limit { throw .tooLarge(path: name, limit: limit) }
        return [UInt8](UnsafeRawBufferPointer(start: buffer, count: count))
    }

    private static func failure(_ code: Int32, path: String) -> Failure {
        switch code {
        case ENOENT, ENOTDIR: return .notFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case EISDIR: return .isDirectory(path: path)
        default: return .failed(path: path, reason: String(cString: strerror(code)))
        }
    }
}

/// How much of each kind of input the tool reads at most. One table, documented in docs/LIMITS.md.
public enum InputLimits {
    /// Config, scenario, snapshot, CloudFormation template and review report: 16 MiB, 8× a
    /// 20,000-rule scenario (the YAML front end's `maxFileBytes` is the same number).
    public static let documentBytes = 16 << 20
    /// AWS's own files: `~/.aws/config`, `~/.aws/credentials` (hundreds of profiles fit) and a
    /// web-identity token file (OIDC tokens are a few KiB): 1 MiB.
    public static let awsFileBytes = 1 << 20
    /// What a helper process prints (credential_process): 1 MiB.
    public static let processOutputBytes = 1 << 20
}
