/// `-con` naming many configs: a directory (its `*.yaml` and `*.yml` files, walked as
/// `InputPaths` walks) or a quoted glob (`-con '/srv/net/configs/prod-*.yaml'`). Expansion is
/// `InputPaths`'s, the same as `--template DIR` and `--snapshot GLOB` use.
package enum ConfigSelection {
    /// Config file extensions.
    static let extensions = ["yaml", "yml"]

    /// True when `-con` names many configs rather than one.
    package static func isSelection(_ reference: String, fileSystem: any FileSystem) -> Bool {
        InputPaths.isPattern(reference) || fileSystem.directoryExists(reference)
    }

    /// The config files, in path order, and what named none.
    package static func configs(in reference: String, fileSystem: any FileSystem) -> (files: [String], problems: [String]) {
        let (files, problems) = InputPaths(fileSystem: fileSystem, extensions: extensions).expand([reference])
        return (files, problems.map(\.description))
    }
}
