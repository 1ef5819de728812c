import SGConfig

/// Where one run reads scenarios and writes reports, decided once from `-con` and the directory
/// options, so the tool behaves the same from any working directory (cron runs it from `/`).
///
/// A config's project is the directory above its `configs/` directory
/// (`/srv/net/configs/a.yaml` -> `/srv/net`); a config whose directory is not called `configs` is
/// its own project (`/tmp/a.yaml` -> `/tmp`). Scenarios are read from the project's `scenarios/`
/// and reports written to its `reports/`, unless `--scenarios-dir` / `--reports-dir` say
/// otherwise. The project directory itself is never created: when it does not exist (a config
/// path that names nothing) or the config is not a regular file (`/dev/zero`), the run writes
/// nothing unless `--reports-dir` is given.
struct ProjectLayout: Equatable {
    /// The config file, when `-con` names one that exists.
    var configPath: String?
    /// The project directory, when one is known.
    var project: String?
    /// Where scenario names are looked up.
    var scenariosDirectory: String
    /// Where outputs and the audit log go; nil when there is no project to write into.
    var reportsDirectory: String?

    /// The layout for a request.
    static func resolve(_ request: ActionRequest, fileSystem: any FileSystem) -> ProjectLayout {
        let project: String?
        var configPath: String?
        if let reference = request.config {
            let loader = DeploymentLoader(
                readFile: { _ in [] }, fileExists: { fileSystem.fileExists($0) }, configsDirectory: request.configsDirectory)
            configPath = loader.resolveConfigPath(reference)
            if let path = configPath, !fileSystem.regularFileExists(path) {
                // A device or a pipe (`-con /dev/zero`) belongs to no project: nothing is written
                // next to it.
                project = nil
            } else if let path = configPath ?? (reference.contains("/") ? reference : nil) {
                project = projectDirectory(ofConfig: path)
            } else {
                // A bare name that is not in the configs directory: the configs directory's
                // project, if that directory exists at all.
                project = fileSystem.directoryExists(request.configsDirectory)
                    ? projectDirectory(ofConfig: join(request.configsDirectory, "-")) : nil
            }
        } else {
            // Actions that need no config (audit, list-actions) work in the current directory.
            project = "."
        }
        let reports: String?
        if let given = request.reportsDirectory {
            reports = given
        } else if let project, fileSystem.directoryExists(project) {
            reports = join(project, "reports")
        } else {
            reports = nil
        }
        return ProjectLayout(
            configPath: configPath, project: project,
            scenariosDirectory: request.scenariosDirectory ?? join(project ?? ".", "scenarios"),
            reportsDirectory: reports)
    }

    /// The project of a config path: the parent of its directory when that is `configs`, else the
    /// directory itself. Relative paths stay relative (`configs/a.yaml` -> `.`), so diagnostics
    /// keep naming files the way the user wrote them.
    static func projectDirectory(ofConfig path: String) -> String {
        let directory = parent(of: path)
        let name = directory.split(separator: "/").last.map(String.init) ?? directory
        return name == "configs" ? parent(of: directory) : directory
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
