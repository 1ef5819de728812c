import SGFindings
import SGModel

/// Transitive exposure: tiers the internet cannot reach directly but can reach through other
/// tiers (internet -(443)-> web -(8080)-> app -(5432)-> db), along the shortest path of the one
/// reachability graph (`Reachability`, which judges each hop on both sides as AWS does).
enum ExposurePathRule {
    /// Findings for every tier reachable only through other tiers, in tier order.
    static func findings(_ reachability: Reachability) -> [Finding] {
        var findings: [Finding] = []
        let tiers = reachability.tiers
        for (index, tier) in tiers.enumerated() where reachability.hopsFromInternet[index] >= 2 {
            let path = reachability.path(to: index)
            var names = [Reachability.internetName]
            var pathText = Reachability.internetName
            for hop in path {
                let name = tiers[hop.to].name
                names.append(name)
                pathText += " -(\(reachability.rules(of: hop).portsLabel))-> \(name)"
            }
            let anchor = reachability.firstRule(of: path[path.count - 1])
            var finding = Finding(
                kind: .exposurePath, tier: tier, anchor: anchor,
                description: "tier \(tier.name) accepts no traffic from the internet itself but is reachable through \(names.count - 2) other tier\(names.count == 3 ? "" : "s"): \(pathText)")
            finding.path = names
            // The path, not the anchor rule, is what this finding is about.
            finding.fingerprint = FindingFingerprint.make(findingID: finding.id, tier: tier.name, subject: "path " + names.joined(separator: ">"))
            findings.append(finding)
        }
        return findings
    }
}
