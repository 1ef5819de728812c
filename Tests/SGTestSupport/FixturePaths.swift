import Foundation

/// Absolute locations of checked-in test fixtures, found from this file's own path so tests
/// work from any working directory.
public enum FixturePaths {
    /// `Tests/Fixtures`.
    public static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // SGTestSupport
            .deletingLastPathComponent()   // Tests
            .appendingPathComponent("Fixtures")
    }

    /// `Tests/Fixtures/aws`.
    public static var aws: URL { root.appendingPathComponent("aws") }

    /// The package root (above `Tests`).
    public static var project: URL { root.deletingLastPathComponent().deletingLastPathComponent() }

    /// `scripts/local-aws`: moto with the project's patches, the API peer of every live test.
    public static var localAWS: URL { project.appendingPathComponent("scripts/local-aws") }
}
