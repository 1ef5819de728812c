import Synchronization

/// The text of an input file, kept so diagnostics can quote the offending line.
public struct SourceFile: Sendable {
    /// The path as given by the user.
    public let path: String
    /// The raw bytes as read.
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    /// Wraps the bytes of a file. Line breaks are LF, CRLF or CR, as YAML defines them.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                starts.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        lineStarts = starts
    }

    /// Wraps text.
    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Number of lines (a trailing newline does not start a new line of content).
    public var lineCount: Int { lineStarts.count }

    /// The text of a 1-based line without its line break; invalid UTF-8 is repaired for display.
    public func line(_ number: Int) -> String? {
        lineRange(number).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// The byte range of a 1-based line without its line break.
    func lineRange(_ number: Int) -> Range<Int>? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return start..<max(start, end)
    }
}

/// A set of source files by path, used by the renderer to quote lines.
public final class SourceFileRegistry: Sendable {
    private let files = Mutex<[String: SourceFile]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Remembers a file.
    public func add(_ file: SourceFile) {
        files.withLock { $0[file.path] = file }
    }

    /// Every file, in path order.
    public var all: [SourceFile] {
        files.withLock { $0.values.sorted { $0.path < $1.path } }
    }

    /// The file for a path, if registered.
    public func file(_ path: String) -> SourceFile? {
        files.withLock { $0[path] }
    }

    /// A line provider for `DiagnosticRenderer` (whole lines; renderers clip them).
    public var lineProvider: DiagnosticRenderer.SourceLineProvider {
        { [self] path, line in self.file(path)?.line(line) }
    }

    /// An excerpt provider: clips without building the whole line, for very long lines.
    public var excerptProvider: DiagnosticRenderer.SourceExcerptProvider {
        { [self] path, line, column in self.file(path)?.excerpt(line: line, column: column) }
    }
}
