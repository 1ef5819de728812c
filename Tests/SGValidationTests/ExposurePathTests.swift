import SGModel
import Testing
@testable import SGValidation

@Suite("Exposure paths")
struct ExposurePathTests {
    /// The design's three-tier scenario: web public on 443, app behind it, db behind app.
    let threeTier = [
        tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "egress tcp 8080 to tier:app"]),
        tier("app", line: 10, ["ingress tcp 8080 from tier:web", "egress tcp 5432 to tier:db", "egress tcp 443 to 0.0.0.0/0"]),
        tier("db", line: 20, ["ingress tcp 5432 from tier:app"]),
    ]

    @Test("internet -> web -> app -> db")
    func threeHops() throws {
        let result = validate(threeTier)
        let paths = result.findings.filter { $0.id == "SG-EXPOSURE-PATH" }
        #expect(paths.map(\.tier) == ["app", "db"])
        let db = try #require(paths.first { $0.tier == "db" })
        #expect(db.severity == .info)
        #expect(db.path == ["internet", "web", "app", "db"])
        #expect(db.location.description == "scenarios/test.yaml:21:40")
        #expect(db.description == "tier db accepts no traffic from the internet itself but is reachable through 2 other tiers: internet -(443)-> web -(8080)-> app -(5432)-> db")
        #expect(db.fingerprint == FindingFingerprint.make(findingID: "SG-EXPOSURE-PATH", tier: "db", subject: "path internet>web>app>db"))
        let app = try #require(paths.first { $0.tier == "app" })
        #expect(app.path == ["internet", "web", "app"])
        #expect(app.description.hasSuffix("through 1 other tier: internet -(443)-> web -(8080)-> app"))
    }

    @Test("a hop needs the sender's egress: closed egress on web breaks the chain")
    func closedEgressBreaksPath() {
        var tiers = threeTier
        tiers[0] = tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0"])
        #expect(!validate(tiers).findings.contains { $0.id == "SG-EXPOSURE-PATH" })
    }

    @Test("default egress lets the sender reach any tier that accepts it")
    func defaultEgressSends() {
        let tiers = [
            tier("web", line: 3, isPublic: true, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0"]),
            tier("app", line: 10, ["ingress tcp 8080 from tier:web"]),
        ]
        #expect(validate(tiers).findings.filter { $0.id == "SG-EXPOSURE-PATH" }.map(\.path) == [["internet", "web", "app"]])
    }

    @Test("egress to a CIDR inside the VPC can reach a tier; outside it cannot")
    func egressCIDR() {
        func tiers(_ destination: String) -> [Tier] {
            [
                tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "egress tcp 8080 to \(destination)"]),
                tier("app", line: 10, ["ingress tcp 8080 from tier:web"]),
            ]
        }
        #expect(validate(tiers("10.0.1.0/24"), vpc: "10.0.0.0/16").findings.contains { $0.id == "SG-EXPOSURE-PATH" })
        #expect(!validate(tiers("10.9.0.0/16"), vpc: "10.0.0.0/16").findings.contains { $0.id == "SG-EXPOSURE-PATH" })
    }

    @Test("ports must match: egress 9000 does not carry ingress 8080")
    func portsMustOverlap() {
        let tiers = [
            tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "egress tcp 9000 to tier:app"]),
            tier("app", line: 10, ["ingress tcp 8080 from tier:web"]),
        ]
        #expect(!validate(tiers).findings.contains { $0.id == "SG-EXPOSURE-PATH" })
    }

    @Test("a tier open to the world directly is not reported as a path")
    func directExposureIsNotAPath() {
        let tiers = [
            tier("web", line: 3, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "egress tcp 8080 to tier:app"]),
            tier("app", line: 10, ["ingress tcp 8080 from tier:web", "ingress tcp 8080 from 0.0.0.0/0"]),
        ]
        #expect(!validate(tiers).findings.contains { $0.id == "SG-EXPOSURE-PATH" })
    }

    @Test("the shortest path wins")
    func shortestPath() {
        let tiers = [
            tier("web", line: 3, isPublic: true, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0"]),
            tier("app", line: 10, egress: .awsDefault, ["ingress tcp 8080 from tier:web"]),
            tier("db", line: 20, ["ingress tcp 5432 from tier:app", "ingress tcp 5432 from tier:web"]),
        ]
        let db = validate(tiers).findings.first { $0.id == "SG-EXPOSURE-PATH" && $0.tier == "db" }
        #expect(db?.path == ["internet", "web", "db"])
        #expect(db?.location.line == 22)
    }
}
