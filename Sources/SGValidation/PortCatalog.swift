import SGDiagnostics
import SGModel

/// What a cataloged port is used for; decides the severity of opening it to the world.
public enum PortCategory: String, Codable, Sendable, CaseIterable, Comparable {
    /// Data stores: CRITICAL from the world.
    case database
    /// Remote administration and control planes (SSH, RDP, Docker API, kubelet): HIGH.
    case admin
    /// Application and middleware listeners (8080, 8443, 9090, Kibana): HIGH.
    case application
    /// Web 80/443: MEDIUM from the world on a private tier, LOW on a public one.
    case web
    /// Other known services (DNS, SMTP, LDAP, ...): HIGH from the world like any non-web port.
    case other

    /// Larger is worse; picks the worst entry when several share a range.
    public var rank: Int {
        switch self {
        case .database: return 4
        case .admin: return 3
        case .application: return 2
        case .other: return 1
        case .web: return 0
        }
    }

    /// Orders by `rank`, so `.database` is the maximum.
    public static func < (lhs: PortCategory, rhs: PortCategory) -> Bool { lhs.rank < rhs.rank }
}

/// The transport protocols a catalog entry applies to.
public enum PortProtocols: String, Codable, Sendable, Hashable {
    /// TCP only.
    case tcp
    /// UDP only.
    case udp
    /// Both TCP and UDP (DNS, RDP, Memcached, ...).
    case both

    /// True when a rule of `ipProtocol` can reach the entry's ports (`all` reaches both).
    public func matches(_ ipProtocol: IPProtocol) -> Bool {
        switch (self, ipProtocol) {
        case (.both, .tcp), (.both, .udp), (_, .all), (.tcp, .tcp), (.udp, .udp): return true
        default: return false
        }
    }
}

/// One known service port (or range) with what it is and where the listing comes from.
public struct PortCatalogEntry: Hashable, Sendable {
    /// The ports, e.g. 5432 or 5985-5986.
    public var ports: PortRange
    /// tcp, udp or both.
    public var protocols: PortProtocols
    /// Service name, e.g. `PostgreSQL`.
    public var name: String
    /// What it is used for (decides severity from the world).
    public var category: PortCategory
    /// Lists the port appears in: `EC2.19` (Security Hub), `TrustedAdvisor`, `Prowler`, `seed`,
    /// `common`, or `config` for a user extension.
    public var sources: [String]
    /// Where a user extension was written; nil for built-in entries.
    public var location: SourceLocation?

    /// Creates an entry.
    public init(
        ports: PortRange, protocols: PortProtocols, name: String, category: PortCategory, sources: [String],
        location: SourceLocation? = nil
    ) {
        self.ports = ports
        self.protocols = protocols
        self.name = name
        self.category = category
        self.sources = sources
        self.location = location
    }

    /// `5432 PostgreSQL`, `5985-5986 WinRM`: how findings name the port.
    public var label: String { "\(ports) \(name)" }
}

/// The port catalog as data: known service ports and their categories, searchable by range.
///
/// Lookups never walk the port space. Entries are flattened once per protocol into disjoint,
/// sorted segments (each holding the worst entry covering it); a query binary-searches the first
/// and last overlapping segment and answers "worst in between" from a sparse table in O(1).
public struct PortCatalog: Sendable {
    /// Every entry, sorted by ports then name; an extension replaces a built-in entry with the
    /// same ports only when its category is at least as high.
    public let entries: [PortCatalogEntry]
    private let tcpIndex: SegmentIndex
    private let udpIndex: SegmentIndex

    /// Creates a catalog from entries (one layer: where entries overlap, the worst wins).
    public init(entries: [PortCatalogEntry]) {
        self.init(layers: [entries])
    }

    /// Later layers may rename ports and raise their category, never lower it: on ports where a
    /// later entry's category is lower, the earlier entry stays in force.
    private init(layers: [[PortCatalogEntry]]) {
        var kept: [PortCatalogEntry] = []
        for layer in layers {
            // An entry replaced exactly (same ports, overlapping protocols, no lower category)
            // disappears from the list; a partial overlap keeps both and the segment index decides.
            kept.removeAll { old in
                layer.contains {
                    $0.ports == old.ports && ($0.protocols == old.protocols || $0.protocols == .both) && $0.category >= old.category
                }
            }
            kept += layer
        }
        entries = kept.sorted { ($0.ports, $0.name) < ($1.ports, $1.name) }
        tcpIndex = SegmentIndex(layers: layers, matching: .tcp)
        udpIndex = SegmentIndex(layers: layers, matching: .udp)
        builtLayers = layers
    }

    private let builtLayers: [[PortCatalogEntry]]

    /// This catalog plus the config's `port_catalog` entries, which add names and ports (Kafka on
    /// 9093) and may raise a category (8125 as a database), but never lower one: where an entry
    /// is lower than this catalog on a port, this catalog's rating stays. A config that tries is
    /// an error (`loweringDiagnostics`); the rating holds even for callers that do not check.
    public func extended(with extensions: [PortCatalogExtension]) -> PortCatalog {
        guard !extensions.isEmpty else { return self }
        return PortCatalog(layers: builtLayers + [extensions.map(Self.entry)])
    }

    private static func entry(_ ext: PortCatalogExtension) -> PortCatalogEntry {
        PortCatalogEntry(
            ports: ext.ports, protocols: PortProtocols(ext.ipProtocol), name: ext.name,
            category: PortCategory(rawValue: ext.category.lowercased()) ?? .other, sources: ["config"],
            location: ext.location)
    }

    /// E804 for every extension that would give one of this catalog's ports a lower category,
    /// naming the ports (at most five, then a count), located at the config entry.
    public func loweringDiagnostics(for extensions: [PortCatalogExtension]) -> [Diagnostic] {
        extensions.compactMap { ext in
            let added = Self.entry(ext)
            let lowered = entries.filter { old in
                old.ports.overlaps(added.ports) && old.category > added.category
                    && (old.protocols == added.protocols || old.protocols == .both || added.protocols == .both)
            }
            guard !lowered.isEmpty else { return nil }
            let shown = lowered.prefix(5).map { "\($0.label) (\($0.category.rawValue))" }.joined(separator: ", ")
            let more = lowered.count > 5 ? " and \(lowered.count - 5) more" : ""
            return .error(
                .portCatalogLowersBuiltIn,
                "port_catalog entry '\(ext.name)' (\(ext.ipProtocol) \(ext.ports), \(added.category.rawValue)) would lower built-in ports: \(shown)\(more)",
                at: ext.location,
                notes: [.init("an entry may add names and raise a category, never lower one; leave these ports out of its range, or give it a category at least as high")])
        }
    }

    /// The most dangerous entry whose ports overlap `range` for `ipProtocol` (`all` looks at tcp
    /// and udp); ties go to the lowest port so the answer is stable. Nil when nothing overlaps or
    /// the protocol has no ports.
    public func worstEntry(in range: PortRange, protocol ipProtocol: IPProtocol) -> PortCatalogEntry? {
        var candidates: [PortCatalogEntry] = []
        if ipProtocol == .tcp || ipProtocol == .all, let entry = tcpIndex.worst(in: range) { candidates.append(entry) }
        if ipProtocol == .udp || ipProtocol == .all, let entry = udpIndex.worst(in: range) { candidates.append(entry) }
        return candidates.min(by: PortCatalog.isWorse)
    }

    /// Every entry overlapping `range` for `ipProtocol`, in port order (for reports that list them).
    public func entries(overlapping range: PortRange, protocol ipProtocol: IPProtocol) -> [PortCatalogEntry] {
        entries.filter { $0.ports.overlaps(range) && $0.protocols.matches(ipProtocol) }
    }

    /// True when every port of `range` is covered by entries of `category` (for `ipProtocol`).
    func isEntirely(_ range: PortRange, category: PortCategory, protocol ipProtocol: IPProtocol) -> Bool {
        let indexes: [SegmentIndex]
        switch ipProtocol {
        case .tcp: indexes = [tcpIndex]
        case .udp: indexes = [udpIndex]
        case .all: indexes = [tcpIndex, udpIndex]
        default: return false
        }
        return indexes.allSatisfy { $0.isEntirely(range, category: category) }
    }

    /// Ordering used everywhere "worst" is chosen: higher category first, then lower port, then name.
    static func isWorse(_ lhs: PortCatalogEntry, _ rhs: PortCatalogEntry) -> Bool {
        if lhs.category != rhs.category { return lhs.category > rhs.category }
        if lhs.ports != rhs.ports { return lhs.ports < rhs.ports }
        return lhs.name < rhs.name
    }
}

extension PortProtocols {
    /// Maps a rule protocol to the entry protocols it names (`all` and anything else mean both).
    init(_ ipProtocol: IPProtocol) {
        switch ipProtocol {
        case .tcp: self = .tcp
        case .udp: self = .udp
        default: self = .both
        }
    }
}

/// Disjoint sorted port segments for one transport protocol, each with the entry that owns it,
/// plus a sparse table answering "worst entry among segments i...j" in constant time.
private struct SegmentIndex: Sendable {
    private struct Segment: Sendable {
        var lower: Int
        var upper: Int
        var entry: PortCatalogEntry
    }

    private let segments: [Segment]
    /// `table[k][i]` = index of the worst segment among `i ..< i + 2^k`.
    private let table: [[Int]]

    init(layers: [[PortCatalogEntry]], matching transport: IPProtocol) {
        let layered = layers.map { $0.filter { $0.protocols.matches(transport) } }
        // Elementary boundaries: every lower and upper+1 of every entry, sorted and unique.
        var cuts = Set<Int>()
        for entry in layered.joined() {
            cuts.insert(entry.ports.lower)
            cuts.insert(entry.ports.upper + 1)
        }
        let bounds = cuts.sorted()
        // owner[i] covers bounds[i] ..< bounds[i+1]; a later layer replaces, the same layer keeps the worst.
        var owner = [PortCatalogEntry?](repeating: nil, count: max(0, bounds.count - 1))
        var ownerLayer = [Int](repeating: -1, count: owner.count)
        for (layerIndex, layer) in layered.enumerated() {
            for entry in layer {
                var index = SegmentIndex.firstIndex(in: bounds, notBelow: entry.ports.lower)
                while index < owner.count, bounds[index] <= entry.ports.upper {
                    // A later layer renames a segment at the same category or raises it, never
                    // lowers it; within a layer the worst entry keeps the segment.
                    let replaces = owner[index].map { current in
                        ownerLayer[index] < layerIndex ? entry.category >= current.category : PortCatalog.isWorse(entry, current)
                    } ?? true
                    if replaces {
                        owner[index] = entry
                        ownerLayer[index] = layerIndex
                    }
                    index += 1
                }
            }
        }
        var built: [Segment] = []
        for (index, entry) in owner.enumerated() {
            guard let entry else { continue }
            built.append(Segment(lower: bounds[index], upper: bounds[index + 1] - 1, entry: entry))
        }
        segments = built

        var levels: [[Int]] = [Array(built.indices)]
        var width = 1
        while width * 2 <= built.count {
            let previous = levels[levels.count - 1]
            var level: [Int] = []
            for start in 0...(built.count - width * 2) {
                let a = previous[start], b = previous[start + width]
                level.append(PortCatalog.isWorse(built[b].entry, built[a].entry) ? b : a)
            }
            levels.append(level)
            width *= 2
        }
        table = levels
    }

    /// Lowest index whose value is >= `value` (binary search).
    static func firstIndex(in sorted: [Int], notBelow value: Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Indexes of the segments overlapping `range`, found by two binary searches.
    private func overlapping(_ range: PortRange) -> Range<Int> {
        var low = 0, high = segments.count
        while low < high {  // first segment ending at or after range.lower
            let mid = (low + high) / 2
            if segments[mid].upper < range.lower { low = mid + 1 } else { high = mid }
        }
        let first = low
        high = segments.count
        while low < high {  // first segment starting after range.upper
            let mid = (low + high) / 2
            if segments[mid].lower <= range.upper { low = mid + 1 } else { high = mid }
        }
        return first..<low
    }

    func worst(in range: PortRange) -> PortCatalogEntry? {
        let span = overlapping(range)
        guard !span.isEmpty else { return nil }
        var level = 0
        while (1 << (level + 1)) <= span.count { level += 1 }
        let a = table[level][span.lowerBound], b = table[level][span.upperBound - (1 << level)]
        return PortCatalog.isWorse(segments[b].entry, segments[a].entry) ? segments[b].entry : segments[a].entry
    }

    func isEntirely(_ range: PortRange, category: PortCategory) -> Bool {
        let span = overlapping(range)
        guard !span.isEmpty else { return false }
        var expected = range.lower
        for index in span {
            let segment = segments[index]
            guard segment.lower <= expected, segment.entry.category == category else { return false }
            expected = segment.upper + 1
        }
        return expected > range.upper
    }
}
