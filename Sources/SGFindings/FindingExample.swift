import SGDiagnostics
import SGModel

/// A small scenario written one rule per line, used as a finding kind's documented example and
/// as its test. Each line reads:
///
///     TIER[+public]: DIRECTION PROTOCOL PORTS from|to PEER     e.g. db: ingress tcp 5432 from tier:app
///     TIER: egress default                                      the tier omits `egress`
///
/// PORTS is `22`, `5000-6000`, `all`, or for ICMP `any` / `TYPE/CODE`. PEER is a CIDR,
/// `tier:NAME`, `sg-...` or `pl-...`. A tier without egress lines has closed egress (`egress: []`),
/// so examples stay free of default-egress noise unless they ask for it.
public struct FindingExample: Hashable, Sendable, CustomStringConvertible {
    /// The lines, as documented.
    public var lines: [String]
    /// The VPC CIDR the example assumes, if any.
    public var vpcCIDR: String?

    /// Creates an example from its lines.
    public init(_ lines: String..., vpcCIDR: String? = nil) {
        self.lines = lines
        self.vpcCIDR = vpcCIDR
    }

    /// The lines joined with newlines (help text).
    public var description: String {
        let header = vpcCIDR.map { ["# vpc_cidr: \($0)"] } ?? []
        return (header + lines).joined(separator: "\n")
    }

    /// Builds the tiers, in order of first mention. Line N of the example is line N of `file`,
    /// and a rule's peer location is the column where the peer is written, so examples exercise
    /// locations the way real YAML does. Traps on a malformed line: examples are code, and a typo
    /// in one must fail its test loudly.
    public func makeTiers(file: String = "example.yaml") -> [Tier] {
        var order: [String] = []
        var tiers: [String: Tier] = [:]
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            guard let colon = line.firstIndex(of: ":") else { preconditionFailure("example line without 'tier:': \(line)") }
            var head = String(line[..<colon])
            let isPublic = head.hasSuffix("+public")
            if isPublic { head.removeLast("+public".count) }
            let name = head
            if tiers[name] == nil {
                order.append(name)
                tiers[name] = Tier(name: name, location: SourceLocation(file: file, line: lineNumber, column: 1))
            }
            if isPublic { tiers[name]!.isPublic = true }
            let body = line[line.index(after: colon)...]
            let words = body.split(separator: " ").map(String.init)
            if words == ["egress", "default"] {
                tiers[name]!.usesDefaultEgress = true
                continue
            }
            guard words.count == 5, let direction = Direction(rawValue: words[0]),
                  let ipProtocol = IPProtocol(text: words[1]), words[3] == (direction == .ingress ? "from" : "to") else {
                preconditionFailure("malformed example line: \(line)")
            }
            let ports = Self.portSpec(words[2], protocol: ipProtocol)
            let peer = Self.peer(words[4])
            let peerColumn = line.distance(from: line.startIndex, to: line.range(of: " " + words[4], options: .backwards)!.lowerBound) + 2
            let rule = Rule(
                direction: direction, ipProtocol: ipProtocol, ports: ports, peer: peer,
                locations: RuleLocations(
                    rule: SourceLocation(file: file, line: lineNumber, column: name.count + 3),
                    peer: SourceLocation(file: file, line: lineNumber, column: peerColumn)))
            if direction == .ingress { tiers[name]!.ingress.append(rule) } else { tiers[name]!.egress.append(rule) }
        }
        return order.map { tiers[$0]! }
    }

    private static func portSpec(_ text: String, protocol ipProtocol: IPProtocol) -> PortSpec {
        if text == "all" { return .all }
        if ipProtocol == .icmp || ipProtocol == .icmpv6 {
            if text == "any" { return .icmp(type: -1, code: -1) }
            let parts = text.split(separator: "/").compactMap { Int($0) }
            precondition(parts.count == 2, "malformed ICMP type/code: \(text)")
            return .icmp(type: parts[0], code: parts[1])
        }
        let bounds = text.split(separator: "-").compactMap { Int($0) }
        precondition(bounds.count == 1 || bounds.count == 2, "malformed ports: \(text)")
        return .ports(PortRange(bounds[0], bounds.last!))
    }

    private static func peer(_ text: String) -> Peer {
        if text.hasPrefix("tier:") { return .tier(String(text.dropFirst(5))) }
        if text.hasPrefix("sg-") { return .securityGroup(text) }
        if text.hasPrefix("pl-") { return .prefixList(text) }
        guard case .success(let block) = CIDRBlock.parse(text) else { preconditionFailure("malformed example peer: \(text)") }
        return .cidr(block)
    }
}
