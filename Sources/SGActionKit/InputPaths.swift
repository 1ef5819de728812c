#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns what the user gave `--template` or `--snapshot` (files, directories, quoted globs, each
/// option repeated or followed by several values) into the files to read, in a stable order.
///
/// - a file is taken as given, whatever its name;
/// - a directory is walked recursively for files with one of `extensions` (hidden entries skipped),
///   in path order;
/// - a pattern with `*`, `?` or `[...]` is matched component by component (`**` matches any number
///   of directories); a file it matches is taken, a directory it matches is walked.
/// Each file appears once, at its first mention. A pattern that matches nothing, or a directory
/// with no matching file, is a problem the caller reports; a missing plain path is left for the
/// read to report (so the error names the file the way every other unreadable input does).
package struct InputPaths {
    /// Why an input named no file.
    package enum Problem: Equatable, CustomStringConvertible {
        case noMatch(pattern: String)
        case noFiles(directory: String, extensions: [String])

        package var description: String {
            switch self {
            case .noMatch(let pattern): return "no file matches '\(pattern)'"
            case .noFiles(let directory, let extensions):
                return "directory \(directory) holds no \(extensions.map { "*.\($0)" }.joined(separator: ", ")) file"
            }
        }
    }

    let fileSystem: any FileSystem
    /// File name extensions a directory walk takes (lower case, no dot).
    let extensions: [String]

    /// Creates the value from its parts (memberwise; other modules of the package call it).
    package init(fileSystem: any FileSystem, extensions: [String]) {
        self.fileSystem = fileSystem
        self.extensions = extensions
    }

    /// Directories deeper than this are not walked (a symbolic-link loop ends here).
    static let maxDepth = 32

    /// The files the inputs name, and the inputs that named none.
    package func expand(_ inputs: [String]) -> (files: [String], problems: [Problem]) {
        var files: [String] = []
        var seen = Set<String>()
        var problems: [Problem] = []
        func add(_ path: String) {
            if seen.insert(path).inserted { files.append(path) }
        }
        for input in inputs {
            if Self.isPattern(input) {
                let matches = match(input)
                if matches.isEmpty { problems.append(.noMatch(pattern: input)) }
                for path in matches {
                    if fileSystem.directoryExists(path) { walk(path, depth: 0).forEach(add) } else { add(path) }
                }
            } else if fileSystem.directoryExists(input) {
                let found = walk(input, depth: 0)
                if found.isEmpty { problems.append(.noFiles(directory: input, extensions: extensions)) }
                found.forEach(add)
            } else {
                add(input)
            }
        }
        return (files, problems)
    }

    package static func isPattern(_ text: String) -> Bool {
        text.contains("*") || text.contains("?") || text.contains("[")
    }

    /// Files under a directory with a wanted extension, depth first in name order.
    private func walk(_ directory: String, depth: Int) -> [String] {
        guard depth <= Self.maxDepth, let names = try? fileSystem.list(directory) else { return [] }
        var out: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = join(directory, name)
            if fileSystem.directoryExists(path) {
                out += walk(path, depth: depth + 1)
            } else if let dot = name.lastIndex(of: "."), extensions.contains(name[name.index(after: dot)...].lowercased()) {
                out.append(path)
            }
        }
        return out
    }

    private func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty || directory == "." ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
    }

    /// Every existing path a glob matches, in order.
    private func match(_ pattern: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var current: [String] = [absolute ? "/" : "."]
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            var next: [String] = []
            for base in current {
                if component == "**" {
                    next += [base] + directories(under: base, depth: 0)
                } else if Self.isPattern(component) {
                    for name in (try? fileSystem.list(base)) ?? [] where Self.fnmatch(component, name) {
                        let path = join(base == "." ? "" : base, name)
                        if last || fileSystem.directoryExists(path) { next.append(path) }
                    }
                } else {
                    let path = join(base == "." ? "" : base, component)
                    if last ? (fileSystem.fileExists(path) || fileSystem.directoryExists(path)) : fileSystem.directoryExists(path) {
                        next.append(path)
                    }
                }
            }
            var seen = Set<String>()
            current = next.filter { seen.insert($0).inserted }
        }
        return current.filter { $0 != "." && $0 != "/" }
    }

    private func directories(under base: String, depth: Int) -> [String] {
        guard depth <= Self.maxDepth, let names = try? fileSystem.list(base) else { return [] }
        var out: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = join(base == "." ? "" : base, name)
            if fileSystem.directoryExists(path) { out += [path] + directories(under: path, depth: depth + 1) }
        }
        return out
    }

    /// Shell-style matching of one path component; a leading `.` is matched only explicitly.
    static func fnmatch(_ pattern: String, _ name: String) -> Bool {
        #if canImport(Glibc) || canImport(Darwin)
        return pattern.withCString { p in name.withCString { n in
            #if canImport(Glibc)
            Glibc.fnmatch(p, n, FNM_PERIOD) == 0
            #else
            Darwin.fnmatch(p, n, FNM_PERIOD) == 0
            #endif
        } }
        #else
        return pattern == name
        #endif
    }
}
