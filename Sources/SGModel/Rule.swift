import SGDiagnostics

/// Traffic direction, relative to the group that owns the rule.
public enum Direction: String, Hashable, Sendable, Codable, CaseIterable {
    case ingress, egress
}

/// The IP protocol of a rule. Numbers that have names (6, 17, 1, 58) and -1 are normalised to the
/// named cases, so `"17"` and `udp` are the same rule.
public enum IPProtocol: Hashable, Sendable, Comparable, CustomStringConvertible {
    case tcp, udp, icmp, icmpv6
    /// All protocols (and therefore all ports): AWS's `-1`.
    case all
    /// Any other IANA protocol number (0-255), e.g. 50 for ESP.
    case number(UInt8)

    /// Normalising initialiser from an IANA number or -1.
    public init?(number: Int) {
        switch number {
        case -1: self = .all
        case 6: self = .tcp
        case 17: self = .udp
        case 1: self = .icmp
        case 58: self = .icmpv6
        case 0...255: self = .number(UInt8(number))
        default: return nil
        }
    }

    /// Parses the spellings users and AWS use: names (any case), numbers, `-1`.
    public init?(text: String) {
        switch text.lowercased() {
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "icmp": self = .icmp
        case "icmpv6", "icmp6", "ipv6-icmp": self = .icmpv6
        case "all", "-1": self = .all
        default:
            guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit }), text.count <= 3, let value = Int(text) else { return nil }
            self.init(number: value)
        }
    }

    /// IANA protocol number, -1 for all.
    public var number: Int {
        switch self {
        case .tcp: return 6
        case .udp: return 17
        case .icmp: return 1
        case .icmpv6: return 58
        case .all: return -1
        case .number(let value): return Int(value)
        }
    }

    /// True for protocols that have ports (tcp, udp).
    public var hasPorts: Bool { self == .tcp || self == .udp }

    /// The value CloudFormation and EC2 use in `IpProtocol`.
    public var wireValue: String {
        switch self {
        case .tcp: return "tcp"
        case .udp: return "udp"
        case .icmp: return "icmp"
        case .icmpv6: return "icmpv6"
        case .all: return "-1"
        case .number(let value): return String(value)
        }
    }

    /// Name for people: `tcp`, `all`, `50`.
    public var description: String { self == .all ? "all" : wireValue }

    public static func < (lhs: IPProtocol, rhs: IPProtocol) -> Bool { lhs.number < rhs.number }
}

/// An inclusive port range; a single port has `lower == upper`.
public struct PortRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// First port, 0-65535.
    public let lower: Int
    /// Last port, `lower`-65535.
    public let upper: Int

    /// Creates a range; the caller has checked 0 <= lower <= upper <= 65535.
    public init(_ lower: Int, _ upper: Int) {
        precondition(0 <= lower && lower <= upper && upper <= 65535, "invalid port range \(lower)-\(upper)")
        self.lower = lower
        self.upper = upper
    }

    /// A single port.
    public init(port: Int) { self.init(port, port) }

    /// Every port.
    public static let all = PortRange(0, 65535)

    /// True when the range is a single port.
    public var isSinglePort: Bool { lower == upper }

    /// Number of ports in the range.
    public var count: Int { upper - lower + 1 }

    /// True when `port` is inside.
    public func contains(_ port: Int) -> Bool { lower <= port && port <= upper }

    /// True when the ranges share a port.
    public func overlaps(_ other: PortRange) -> Bool { lower <= other.upper && other.lower <= upper }

    /// `22` or `1024-65535`.
    public var description: String { isSinglePort ? "\(lower)" : "\(lower)-\(upper)" }

    public static func < (lhs: PortRange, rhs: PortRange) -> Bool { (lhs.lower, lhs.upper) < (rhs.lower, rhs.upper) }
}

/// What part of the protocol's space a rule opens.
public enum PortSpec: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Every port (protocol `all`, or a protocol without ports such as 50).
    case all
    /// A tcp/udp port range.
    case ports(PortRange)
    /// An ICMP type and code; -1 means any.
    case icmp(type: Int, code: Int)

    /// The port range the spec opens, for tcp/udp-style reasoning (`all` is 0-65535, ICMP is nil).
    public var portRange: PortRange? {
        switch self {
        case .all: return .all
        case .ports(let range): return range
        case .icmp: return nil
        }
    }

    /// `all`, `22`, `1024-65535`, `icmp 8/0`, `icmp any`.
    public var description: String {
        switch self {
        case .all: return "all"
        case .ports(let range): return range.description
        case .icmp(let type, let code):
            if type == -1 { return "type any" }
            return code == -1 ? "type \(type)" : "type \(type) code \(code)"
        }
    }

    private var sortKey: (Int, Int, Int) {
        switch self {
        case .all: return (0, 0, 0)
        case .ports(let range): return (1, range.lower, range.upper)
        case .icmp(let type, let code): return (2, type, code)
        }
    }

    public static func < (lhs: PortSpec, rhs: PortSpec) -> Bool { lhs.sortKey < rhs.sortKey }
}

/// The other side of a rule: where traffic comes from (ingress) or goes to (egress).
public enum Peer: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// An IPv4 or IPv6 block.
    case cidr(CIDRBlock)
    /// Another tier of the same deployment (compiled to a security-group reference).
    case tier(String)
    /// An existing security group, `sg-...`.
    case securityGroup(String)
    /// A managed prefix list, `pl-...`.
    case prefixList(String)

    /// `0.0.0.0/0`, `tier app`, `sg-0123`, `pl-0123`.
    public var description: String {
        switch self {
        case .cidr(let block): return block.description
        case .tier(let name): return "tier \(name)"
        case .securityGroup(let id): return id
        case .prefixList(let id): return id
        }
    }

    private var sortKey: (Int, String) {
        switch self {
        case .cidr: return (0, "")  // blocks are ordered by value in `<`
        case .tier(let name): return (1, name)
        case .securityGroup(let id): return (2, id)
        case .prefixList(let id): return (3, id)
        }
    }

    public static func < (lhs: Peer, rhs: Peer) -> Bool {
        if case .cidr(let a) = lhs, case .cidr(let b) = rhs { return a < b }
        return lhs.sortKey < rhs.sortKey
    }
}

/// Where a rule came from: the scenario, or an override of the config.
public enum RuleOrigin: Hashable, Sendable {
    /// Written in the scenario file.
    case scenario
    /// Added by the override at this index of the config's `overrides`.
    case override(index: Int)
}

/// The identity of a rule for duplicate detection, diffing and drift: everything that changes
/// what traffic is allowed, and nothing else (not the description, not the position).
public struct RuleKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Direction.
    public var direction: Direction
    /// Protocol.
    public var ipProtocol: IPProtocol
    /// Ports or ICMP type/code.
    public var ports: PortSpec
    /// The other side.
    public var peer: Peer

    /// Creates a key.
    public init(direction: Direction, ipProtocol: IPProtocol, ports: PortSpec, peer: Peer) {
        self.direction = direction
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.peer = peer
    }

    /// `ingress tcp/5432 from tier app`, `egress all to 0.0.0.0/0`.
    public var description: String {
        let what: String
        switch ports {
        case .all: what = ipProtocol == .all ? "all traffic" : "\(ipProtocol)"
        case .ports(let range): what = "\(ipProtocol)/\(range)"
        case .icmp: what = "\(ipProtocol) \(ports)"
        }
        return "\(direction.rawValue) \(what) \(direction == .ingress ? "from" : "to") \(peer)"
    }

    public static func < (lhs: RuleKey, rhs: RuleKey) -> Bool {
        if lhs.direction != rhs.direction { return lhs.direction == .ingress }
        if lhs.peer != rhs.peer { return lhs.peer < rhs.peer }
        if lhs.ipProtocol != rhs.ipProtocol { return lhs.ipProtocol < rhs.ipProtocol }
        return lhs.ports < rhs.ports
    }
}

/// Positions of a rule's parts in the YAML, so findings and errors point at the exact field.
public struct RuleLocations: Hashable, Sendable {
    /// The rule's mapping.
    public var rule: SourceLocation
    /// The `protocol` value.
    public var ipProtocol: SourceLocation?
    /// The `port`/`port_range`/`icmp_type` value.
    public var ports: SourceLocation?
    /// The peer value (`source`, `source_tier`, ...).
    public var peer: SourceLocation?

    /// Creates locations; only the rule's own is required.
    public init(rule: SourceLocation, ipProtocol: SourceLocation? = nil, ports: SourceLocation? = nil, peer: SourceLocation? = nil) {
        self.rule = rule
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.peer = peer
    }
}

/// One allowed flow of traffic on one tier's group.
public struct Rule: Hashable, Sendable {
    /// Ingress or egress.
    public var direction: Direction
    /// Protocol.
    public var ipProtocol: IPProtocol
    /// Ports or ICMP type/code.
    public var ports: PortSpec
    /// The other side.
    public var peer: Peer
    /// The description, already checked against AWS's limits.
    public var description: String?
    /// Where it was written.
    public var locations: RuleLocations
    /// Scenario or override.
    public var origin: RuleOrigin
    /// The AWS account that owns `peer` when it is a security group of another account
    /// (`source_security_group_owner`, compiled to `SourceSecurityGroupOwnerId`). Not part of the
    /// rule's key: a group id names one group whoever owns it, so the owner qualifies the peer
    /// without changing what traffic the rule allows.
    public var peerAccount: String?

    /// Creates a rule.
    public init(
        direction: Direction, ipProtocol: IPProtocol, ports: PortSpec, peer: Peer,
        description: String? = nil, locations: RuleLocations, origin: RuleOrigin = .scenario, peerAccount: String? = nil
    ) {
        self.direction = direction
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.peer = peer
        self.description = description
        self.locations = locations
        self.origin = origin
        self.peerAccount = peerAccount
    }

    /// The rule's identity, ignoring description and position.
    public var key: RuleKey { RuleKey(direction: direction, ipProtocol: ipProtocol, ports: ports, peer: peer) }

    /// The location of the rule itself.
    public var location: SourceLocation { locations.rule }
}
