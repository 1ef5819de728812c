import SGModel
import Testing
@testable import SGValidation

/// The one reachability graph: what becomes a hop, from whom, and the shortest paths.
@Suite("Reachability")
struct ReachabilityTests {
    /// Hops as `sender->receiver label` (`~` for a hop that carries no traffic), in graph order.
    static func hops(_ result: ValidationResult) -> [String] {
        let graph = result.reachability
        return graph.hops.map { hop in
            let from: String
            switch hop.from {
            case .internet: from = "internet"
            case .otherNetworks: from = "other"
            case .tier(let index): from = graph.tiers[index].name
            }
            return "\(from)\(hop.carriesTraffic ? "->" : "~>")\(graph.tiers[hop.to].name) \(graph.rules(of: hop).portsLabel)"
        }
    }

    @Test("each receiver's ingress splits into the internet, other networks and tier senders, both sides judged")
    func hopsBySender() {
        let result = validate([
            tier("web", line: 1, isPublic: true, ["ingress tcp 443 from 0.0.0.0/0", "ingress tcp 80 from ::/0", "ingress tcp 22 from 10.0.9.0/24",
                                                  "egress tcp 8080 to tier:app"]),
            tier("app", line: 10, ["ingress tcp 8080 from tier:web", "ingress tcp 9000 from tier:web", "ingress tcp 8443 from sg-0123456789abcdef0",
                                   "ingress tcp 7000 from tier:app", "ingress tcp 5000 from tier:ghost", "egress tcp 7000 to tier:app"]),
        ], vpc: "10.0.0.0/16")
        #expect(Self.hops(result) == [
            "internet->web 443,80", "other->web 22",
            "other->app 8443,5000", "web->app 8080", "web~>app 9000", "app->app 7000",
        ])
        #expect(result.reachability.hopsFromInternet == [1, 2])
    }

    @Test("every member of a world-equivalent union is a rule of the internet's hop")
    func unionMembersAreInternetHops() {
        let result = validate([
            tier("web", line: 1, isPublic: true, ["ingress tcp 443-444 from 0.0.0.0/1", "ingress tcp 443 from 128.0.0.0/1",
                                                  "ingress tcp 22 from 10.0.0.0/8", "egress tcp 8080 to tier:app"]),
            tier("app", line: 10, ["ingress tcp 8080 from tier:web"]),
        ])
        #expect(Self.hops(result) == ["internet->web 443-444,443", "other->web 22", "web->app 8080"])
        let path = result.findings.first { $0.id == "SG-EXPOSURE-PATH" }
        #expect(path?.description.hasSuffix("internet -(443-444,443)-> web -(8080)-> app") == true)
    }

    @Test("shortest paths: depth, arrival hop and the hops of the path, ties to the tier written first")
    func shortestPaths() {
        let result = validate([
            tier("a", line: 1, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0"]),
            tier("b", line: 10, egress: .awsDefault, ["ingress tcp 443 from 0.0.0.0/0"]),
            tier("c", line: 20, egress: .awsDefault, ["ingress tcp 1 from tier:b", "ingress tcp 2 from tier:a"]),
            tier("d", line: 30, ["ingress tcp 3 from tier:c", "ingress tcp 4 from tier:a"]),
            tier("island", line: 40, ["ingress tcp 5 from 10.1.0.0/16"]),
        ])
        let graph = result.reachability
        #expect(graph.hopsFromInternet == [1, 1, 2, 2, 0])
        #expect(graph.path(to: 2).map { graph.tiers[$0.to].name } == ["a", "c"], "a is written first, so its hop wins the tie")
        #expect(graph.path(to: 3).map { graph.rules(of: $0).portsLabel } == ["443", "4"])
        #expect(graph.path(to: 4).isEmpty && graph.arrival[4] == nil)
        #expect(graph.firstRule(of: graph.hops[graph.arrival[3]!]).location.line == 32)
    }

    @Test("an empty graph has no hops")
    func empty() {
        let graph = Reachability()
        #expect(graph.hops.isEmpty && graph.tiers.isEmpty && graph.hopsFromInternet.isEmpty)
    }
}
