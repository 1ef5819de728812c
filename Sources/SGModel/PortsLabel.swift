extension Sequence<Rule> {
    /// The ports these rules open, for people: `443`, `tcp/all`, `udp/53`, `all` (every protocol),
    /// `icmp`; unique, in rule order, joined by commas. The one label of a reachability hop: the
    /// exposure-path findings, the report's paths and its drawing all use it.
    public var portsLabel: String {
        var parts: [String] = []
        for rule in self {
            let text: String
            switch (rule.ipProtocol, rule.ports) {
            case (.all, _): text = "all"
            case (.tcp, .ports(let range)): text = range == .all ? "tcp/all" : range.description
            case (_, .ports(let range)): text = "\(rule.ipProtocol)/\(range)"
            default: text = rule.ipProtocol.description
            }
            if !parts.contains(text) { parts.append(text) }
        }
        return parts.joined(separator: ",")
    }
}
