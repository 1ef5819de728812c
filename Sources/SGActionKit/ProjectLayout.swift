import SGConfig

/// Where one run reads scenarios and writes reports, decided once from `-con` and the directory
/// options, so the tool behaves the same from any working directory (cron runs it from `$HOME`).
///
/// A config's project is the directory above its `configs/` directory
/// (`/srv/net/configs/a.yaml` -> `/srv/net`). A config in a directory with another name is its
/// own project when that directory looks like one (it has `scenarios/` or `reports/`:
/// `/tmp/team/a.yaml` with `/tmp/team/scenarios/`). Scenarios are read from the project's
/// `scenarios/` and reports written to its `reports/`, unless `--scenarios-dir` /
/// `--reports-dir` say otherwise.
///
/// Nothing is ever created outside a project: a path that is no project's config (`-con
/// /etc/passwd`, `-con /dev/zero`, a path that names nothing) falls back to the working
/// directory's `scenarios/` and `reports/` as the tool always used them, and an audit log is
/// written there only when that `reports/` already exists; otherwise the run says that no audit
/// log was written (`--reports-dir` gives it a place).
package struct ProjectLayout: Equatable {
    /// The config file, when `-con` names one that exists.
    package var configPath: String?
    /// The project directory, when the config belongs to one.
    package var project: String?
    /// Where scenario names are looked up.
    package var scenariosDirectory: String
    /// Where outputs and the audit log go; nil when there is nowhere to write.
    package var reportsDirectory: String?

    /// The layout for a request.
    package static func resolve(_ request: ActionRequest, fileSystem: any FileSystem) -> ProjectLayout {
        var configPath: String?
        var project: String?
        if request.action == .importSecurityGroups {
            // The config is about to be written to the configs directory: the project is the
            // directory above it when it is a `configs/`, the working directory otherwise, and
            // the import makes its scenarios/ and reports/ there.
            let configs = request.configsDirectory
            let name = configs.split(separator: "/").last.map(String.init) ?? configs
            project = name == "configs" ? parent(of: configs) : "."
        } else if let reference = request.config {
            let loader = DeploymentLoader(
                readFile: { _ in [] }, fileExists: { fileSystem.fileExists($0) }, configsDirectory: request.configsDirectory)
            configPath = loader.resolveConfigPath(reference)
            project = projectDirectory(
                ofConfig: configPath ?? reference, isRegularFile: configPath.map(fileSystem.regularFileExists) ?? false,
                fileSystem: fileSystem)
        } else {
            // Actions that need no config (audit, list-actions) work in the current directory.
            project = "."
        }
        let reports: String?
        if let given = request.reportsDirectory {
            reports = given
        } else if let project {
            reports = join(project, "reports")
        } else {
            reports = fileSystem.directoryExists("reports") ? "reports" : nil
        }
        return ProjectLayout(
            configPath: configPath, project: project,
            scenariosDirectory: request.scenariosDirectory ?? join(project ?? ".", "scenarios"),
            reportsDirectory: reports)
    }

    /// The project of a config path, or nil when it belongs to none. Relative paths stay relative
    /// (`configs/a.yaml` -> `.`), so diagnostics keep naming files the way the user wrote them.
    static func projectDirectory(ofConfig path: String, isRegularFile: Bool, fileSystem: any FileSystem) -> String? {
        let directory = parent(of: path)
        let name = directory.split(separator: "/").last.map(String.init) ?? directory
        if name == "configs", fileSystem.directoryExists(directory) { return parent(of: directory) }
        guard isRegularFile else { return nil }
        let looksLikeProject = fileSystem.directoryExists(join(directory, "scenarios"))
            || fileSystem.directoryExists(join(directory, "reports"))
        return looksLikeProject ? directory : nil
    }

    /// The directory part of a path: `.` for a bare name, `/` for a file at the root.
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        let directory = String(trimmed[..<slash])
        return directory == "." ? "." : directory
    }

    /// `directory/name` without a leading `./` (so relative paths print as before).
    static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
