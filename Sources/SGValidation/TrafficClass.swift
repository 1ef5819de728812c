import SGModel

/// What a rule's protocol and ports open, reduced to the one fact each rule family needs: the
/// worst thing reachable. Shared by ingress, egress, broad-CIDR and world-coverage judgements so
/// "how dangerous is this traffic" is decided in exactly one place.
enum TrafficClass: Hashable, Sendable {
    /// Every port: protocol all/-1, or a tcp/udp range covering 1-65535. Carries the worst
    /// cataloged port for the description.
    case allTraffic(worst: PortCatalogEntry?)
    /// A tcp/udp port or range whose worst cataloged port is not a web port.
    case cataloged(PortCatalogEntry, range: PortRange)
    /// Only web ports (80/443): the range lies entirely within web entries.
    case web(PortCatalogEntry, range: PortRange)
    /// A tcp/udp port or range with no cataloged port, or a range reaching beyond web ports.
    case uncataloged(range: PortRange)
    /// A protocol without ports (e.g. 50 ESP): all of it is open.
    case portlessProtocol
    /// ICMP or ICMPv6 of some type.
    case icmp

    /// Classifies a rule's traffic against the catalog.
    static func classify(_ ipProtocol: IPProtocol, _ ports: PortSpec, catalog: PortCatalog) -> TrafficClass {
        if ipProtocol == .all { return .allTraffic(worst: catalog.worstEntry(in: .all, protocol: .all)) }
        if ipProtocol == .icmp || ipProtocol == .icmpv6 { return .icmp }
        guard ipProtocol.hasPorts else { return .portlessProtocol }
        guard let range = ports.portRange else { return .icmp }
        // Port 0 is reserved and never listened on: 1-65535 opens as much as 0-65535.
        if range.lower <= 1 && range.upper == 65535 {
            return .allTraffic(worst: catalog.worstEntry(in: range, protocol: ipProtocol))
        }
        guard let worst = catalog.worstEntry(in: range, protocol: ipProtocol) else { return .uncataloged(range: range) }
        if worst.category == .web {
            return catalog.isEntirely(range, category: .web, protocol: ipProtocol) ? .web(worst, range: range) : .uncataloged(range: range)
        }
        return .cataloged(worst, range: range)
    }

    /// The category driving severity (nil when nothing cataloged is reachable).
    var worstCategory: PortCategory? {
        switch self {
        case .allTraffic(let worst): return worst?.category ?? .database
        case .cataloged(let entry, _), .web(let entry, _): return entry.category
        case .uncataloged, .portlessProtocol, .icmp: return nil
        }
    }

    /// A sentence about the traffic that names the worst port, ending with `predicate`
    /// (`open to 0.0.0.0/0 (every IPv4 address)`): `tcp port 5432 (PostgreSQL) is open to ...`,
    /// `tcp port range 5000-6000 includes 5432 PostgreSQL and is open to ...`.
    func sentence(_ ipProtocol: IPProtocol, _ ports: PortSpec, _ predicate: String) -> String {
        switch self {
        case .allTraffic(let worst):
            let including = worst.map { ", including \($0.label)," } ?? ""
            if ipProtocol == .all { return "all traffic (every protocol and port\(including.dropLast())) is \(predicate)" }
            return "\(ipProtocol) port range \(ports) covers every port\(including) and is \(predicate)"
        case .cataloged(let entry, let range), .web(let entry, let range):
            if range.isSinglePort { return "\(ipProtocol) port \(range) (\(entry.name)) is \(predicate)" }
            return "\(ipProtocol) port range \(range) includes \(entry.label) and is \(predicate)"
        case .uncataloged(let range):
            return "\(ipProtocol) \(range.isSinglePort ? "port" : "port range") \(range) is \(predicate)"
        case .portlessProtocol:
            return "all of protocol \(ipProtocol.number) is \(predicate)"
        case .icmp:
            return "\(ipProtocol) \(ports) is \(predicate)"
        }
    }
}
