import SGActionKit
import SGReports

extension ShippedArtifacts {
    /// The container image this build of the project ships, when it ships one. `make image` (the
    /// container build) sets `SG_PROVISIONER_IMAGE` in the image it builds; a release that publishes
    /// an image names it here. Nil means the project ships no image, and the review report's
    /// "Docker image scanned" item is not applicable.
    static let builtIn: String? = nil

    /// What the review report is told: the built-in fact, or the image the tool runs in.
    static func current(variables: [String: String]) -> ShippedArtifacts {
        let fromEnvironment = variables["SG_PROVISIONER_IMAGE"].flatMap { $0.isEmpty ? nil : $0 }
        return ShippedArtifacts(containerImage: fromEnvironment ?? builtIn)
    }
}
