/// How EC2 and CloudFormation spell one rule (an `IpPermission`, a `SecurityGroupRule`, or an
/// inline/standalone rule of a template), decided once for every stage that reads or writes it:
/// the compiler writes with `wirePorts`, and the live inventory, snapshots, the compiled-template
/// reader and the template audit read with `decode` and `peerCIDR`.
///
/// EC2's conventions (EC2 API reference, `IpPermission`; CloudFormation,
/// `AWS::EC2::SecurityGroupIngress`): `IpProtocol` is a name or an IANA number, `-1` for all
/// traffic (then ports are ignored); for tcp/udp `FromPort`-`ToPort` is the range, absent or `-1`
/// for both meaning every port; for icmp and icmpv6 `FromPort` is the type and `ToPort` the code,
/// `-1` meaning any; other protocols have no ports. A CIDR written with host bits is stored as
/// its network.
public enum EC2Permission {
    /// Why a rule could not be understood.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// An `IpProtocol` that is neither a known name nor a number 0-255 or -1.
        case unknownProtocol(String)
        /// Ports (or ICMP type and code) outside what the protocol allows.
        case badPorts(Int?, Int?)
        /// A peer CIDR that is not one, with why.
        case badCIDR(String, String)
        /// A rule naming no peer at all.
        case noPeer

        public var description: String {
            switch self {
            case .unknownProtocol(let text): return "unknown IpProtocol '\(text)'"
            case .badCIDR(let text, let why): return "invalid CIDR '\(text)': \(why)"
            case .noPeer: return "rule without a peer"
            case .badPorts(let from, let to): return "invalid FromPort/ToPort \(from.map(String.init) ?? "-")/\(to.map(String.init) ?? "-")"
            }
        }
    }

    /// The protocol and ports of `IpProtocol`, `FromPort` and `ToPort` as the model holds them.
    public static func decode(ipProtocol: String, fromPort: Int?, toPort: Int?) -> Result<(IPProtocol, PortSpec), Problem> {
        guard let proto = IPProtocol(text: ipProtocol) else { return .failure(.unknownProtocol(ipProtocol)) }
        switch proto {
        case .all:
            return .success((.all, .all))
        case .tcp, .udp:
            let from = fromPort ?? 0, to = toPort ?? 65535
            if from == -1 && to == -1 { return .success((proto, .ports(.all))) }
            guard 0 <= from, from <= to, to <= 65535 else { return .failure(.badPorts(fromPort, toPort)) }
            return .success((proto, .ports(PortRange(from, to))))
        case .icmp, .icmpv6:
            let type = fromPort ?? -1, code = toPort ?? -1
            guard (-1...255).contains(type), (-1...255).contains(code) else { return .failure(.badPorts(fromPort, toPort)) }
            return .success((proto, .icmp(type: type, code: type == -1 ? -1 : code)))
        case .number:
            return .success((proto, .all))
        }
    }

    /// A peer CIDR as EC2 stores it: the network, host bits cleared (`hadHostBits` says so).
    public static func peerCIDR(_ text: String) -> Result<CIDRBlock.Canonicalised, Problem> {
        switch CIDRBlock.parseCanonicalising(text) {
        case .success(let read): return .success(read)
        case .failure(let problem): return .failure(.badCIDR(text, problem.description))
        }
    }

    /// `FromPort`/`ToPort` to write for a rule, nil when none are written: protocol all and
    /// protocols without ports (EC2 ignores them and cfn-lint's W3687 warns when they are given),
    /// and icmpv6 of any type, which EC2 documents as expressed by omitting them.
    public static func wirePorts(_ ipProtocol: IPProtocol, _ ports: PortSpec) -> (from: Int, to: Int)? {
        switch (ipProtocol, ports) {
        case (.tcp, .ports(let range)), (.udp, .ports(let range)): return (range.lower, range.upper)
        case (.tcp, _), (.udp, _): return (PortRange.all.lower, PortRange.all.upper)
        case (.icmp, .icmp(let type, let code)): return (type, code)
        case (.icmp, _): return (-1, -1)
        case (.icmpv6, .icmp(let type, let code)) where type != -1: return (type, code)
        default: return nil
        }
    }

    /// Why a protocol and ports cannot be written as one EC2 rule, or nil when they can.
    public static func encodingProblem(_ ipProtocol: IPProtocol, _ ports: PortSpec) -> String? {
        switch (ipProtocol, ports) {
        case (.tcp, .ports), (.udp, .ports), (.tcp, .all), (.udp, .all):
            return nil
        case (.icmp, .all), (.icmpv6, .all):
            return nil
        case (.icmp, .icmp(let type, let code)), (.icmpv6, .icmp(let type, let code)):
            guard (-1...255).contains(type), (-1...255).contains(code) else {
                return "icmp type \(type) code \(code) is out of range -1-255"
            }
            if type == -1, code != -1 { return "icmp code \(code) needs a type; with any type the code must be any" }
            return nil
        case (.all, .all), (.number, .all):
            return nil
        case (let ipProtocol, .ports(let range)):
            return "protocol \(ipProtocol) has no ports, but the rule gives port \(range)"
        case (let ipProtocol, .icmp):
            return "protocol \(ipProtocol) has no icmp type or code"
        }
    }
}
