import SGModel

/// Turns AWS's permission fields (IpProtocol, FromPort, ToPort) into the model's protocol and
/// ports, with AWS's conventions: `-1` protocol means all traffic; for icmp, FromPort is the type
/// and ToPort the code, -1 meaning any; tcp/udp without ports mean all ports.
public enum PermissionDecoder {
    /// Why a permission could not be understood.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownProtocol(String)
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

    /// Decodes protocol and ports.
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
}
