import Synchronization

/// A 1-based position in an input file. Every diagnostic and every finding carries one.
///
/// Marks from libyaml are 0-based; they are converted once, in `SGYAML`, and nowhere else.
///
/// The file is stored as an interned `SourcePath` (a 32-bit index), not as a `String`: a rule
/// carries four locations and is copied between the model, the validator and the compiler, and
/// a `String` path longer than 15 bytes (too long to be stored inline) would be retained and
/// released by every one of those copies.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// The file, interned.
    public var path: SourcePath

    /// The path as the user gave it (relative paths stay relative so output is stable).
    public var file: String {
        get { path.string }
        set { path = SourcePath(newValue) }
    }

    /// Creates a location; `line` and `column` are 1-based.
    public init(file: String, line: Int, column: Int) {
        self.init(path: SourcePath(file), line: line, column: column)
    }

    /// Creates a location in an already interned file; `line` and `column` are 1-based. Readers
    /// that make many locations in one file intern its path once and use this.
    public init(path: SourcePath, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// A location naming a whole file (line 1, column 1), for problems with no better position.
    public static func file(_ path: String) -> SourceLocation {
        SourceLocation(file: path, line: 1, column: 1)
    }

    /// `file:line:column`, the form editors and CI annotations understand.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        // Same order as comparing (file, line, column): paths are compared as strings, and
        // only when they differ (equal paths have equal indices).
        if lhs.path != rhs.path { return lhs.file < rhs.file }
        return (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// An input file's path, interned for the life of the process: equal paths get equal values,
/// so comparing or hashing one compares a number and copying one retains nothing.
///
/// The table only grows; a run reads a handful of files (plus one pseudo-path per live security
/// group in audits), so it stays small.
public struct SourcePath: Hashable, Sendable, CustomStringConvertible {
    private let index: UInt32

    /// The interned form of `path`.
    public init(_ path: String) {
        index = SourcePathTable.shared.intern(path)
    }

    /// The path as given.
    public var string: String { SourcePathTable.shared.path(at: index) }

    /// The path as given.
    public var description: String { string }
}

/// The process-wide table behind `SourcePath`.
private final class SourcePathTable: Sendable {
    static let shared = SourcePathTable()

    private struct State {
        var indices: [String: UInt32] = [:]
        var paths: [String] = []
    }

    private let state = Mutex(State())

    func intern(_ path: String) -> UInt32 {
        state.withLock { state in
            if let index = state.indices[path] { return index }
            let index = UInt32(state.paths.count)
            state.paths.append(path)
            state.indices[path] = index
            return index
        }
    }

    func path(at index: UInt32) -> String {
        state.withLock { $0.paths[Int(index)] }
    }
}
