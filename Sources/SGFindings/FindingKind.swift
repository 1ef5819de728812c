import SGModel

/// A kind of finding with its help text and its own examples (SwiftLint style): reports and SARIF
/// list the help, and a test runs every example through the validator so the documentation can
/// never drift from the behaviour.
///
/// Ids are stable: `accepted_risks` entries and CI suppressions name them. Never reuse or rename one.
public struct FindingKind: Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `SG-WORLD-DB`.
    public var id: String
    /// One line, e.g. `Database port open to the world`.
    public var title: String
    /// The severity a finding of this kind usually has (SG-PUBLIC-WIDE-CIDR raises it to HIGH for
    /// database and admin ports; SG-EGRESS-PUBLIC-WIDE and SG-INTERNAL-PORT-RANGE to MEDIUM).
    public var defaultSeverity: RiskLevel
    /// Category: `world-exposure`, `broad-cidr`, `egress`, `least-privilege`, `exposure-path`.
    public var type: String
    /// What the kind detects and why it matters (help text).
    public var summary: String
    /// What to do instead.
    public var remediation: String
    /// Small scenarios that must produce this kind.
    public var triggeringExamples: [FindingExample]
    /// Near misses that must not produce it.
    public var nonTriggeringExamples: [FindingExample]

    /// Creates a kind.
    public init(
        id: String, title: String, defaultSeverity: RiskLevel, type: String, summary: String, remediation: String,
        triggeringExamples: [FindingExample], nonTriggeringExamples: [FindingExample]
    ) {
        self.id = id
        self.title = title
        self.defaultSeverity = defaultSeverity
        self.type = type
        self.summary = summary
        self.remediation = remediation
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }

    /// The kind with an id, if any (accepted risks naming an unknown id are a config error).
    public static func kind(id: String) -> FindingKind? { all.first { $0.id == id } }

    /// True for kinds raised about a tier rather than one rule (at most one per tier): an
    /// accepted risk may name them by finding and tier alone.
    public var isTierLevel: Bool { id == Self.defaultEgress.id || id == Self.exposurePath.id }

    /// Every kind, worst default severity first, then by id.
    public static let all: [FindingKind] = [
        worldAll, worldDatabase, worldAdmin, worldApplication, worldPort, worldWeb, worldWebPublic, worldICMP,
        egressWorldAll, defaultEgress, egressWorldPort, egressWorldHTTPS, egressPublicWide,
        broadInternalDatabase, broadInternalAdmin, publicWideCIDR,
        internalAllTraffic, selfAllTraffic, internalPortRange, exposurePath,
    ].sorted { ($0.defaultSeverity.rank, $1.id) > ($1.defaultSeverity.rank, $0.id) }
}

// MARK: - World exposure (ingress from a world-equivalent peer or union of peers)
//
// "The world" is any peer whose public reach is world-equivalent (PublicAddressSpace): 0.0.0.0/0
// and ::/0, but also 0.0.0.0/1, 2000::/3, the NAT64 and 6to4 prefixes that embed every IPv4
// address, and several narrower CIDRs whose union reaches as much. Each is judged exactly as the
// /0 form of the same rule.

extension FindingKind {
    /// `SG-WORLD-ALL`.
    public static let worldAll = FindingKind(
        id: "SG-WORLD-ALL", title: "All traffic open to the world", defaultSeverity: .critical, type: "world-exposure",
        summary: "Every port (protocol all/-1, or a tcp/udp range covering 1-65535) accepts traffic from the internet (0.0.0.0/0, ::/0, or a world-equivalent peer such as 0.0.0.0/1, 2000::/3 or 64:ff9b::/96), so every service on the instances is exposed, databases included.",
        remediation: "Allow only the ports the tier serves, from a tier reference or a narrow CIDR; never all traffic from 0.0.0.0/0 or ::/0.",
        triggeringExamples: [
            FindingExample("web: ingress all all from 0.0.0.0/0"),
            FindingExample("web: ingress tcp 0-65535 from ::/0"),
            FindingExample("web: ingress all all from 0.0.0.0/1", "web: ingress all all from 128.0.0.0/1"),
            FindingExample("web: ingress all all from 64:ff9b::/96"),
            FindingExample("web: ingress all all from 11.0.0.0/10", "web: ingress all all from 11.64.0.0/10"),
        ],
        nonTriggeringExamples: [
            FindingExample("web: ingress all all from tier:app", "app: egress all all to tier:web"),
            FindingExample("web: ingress all all from 10.0.0.0/8"),
            FindingExample("web: ingress all all from 11.0.0.0/10"),
        ])

    /// `SG-WORLD-DB`.
    public static let worldDatabase = FindingKind(
        id: "SG-WORLD-DB", title: "Database port open to the world", defaultSeverity: .critical, type: "world-exposure",
        summary: "A database port (or a range containing one, e.g. 5000-6000 hides 5432 PostgreSQL) accepts traffic from the internet or a world-equivalent peer (0.0.0.0/1, 2000::/3, 2002::/16, the thirty-one blocks of public IPv4 ...).",
        remediation: "Never expose databases to the internet: allow the port only from the application tier (source_tier) and reach the database through it.",
        triggeringExamples: [
            FindingExample("db: ingress tcp 5432 from 0.0.0.0/0"),
            FindingExample("db: ingress tcp 5000-6000 from 0.0.0.0/0"),
            FindingExample("db: ingress tcp 27017 from ::/0"),
            FindingExample("db: ingress tcp 3306 from 0.0.0.0/1", "db: ingress tcp 3306 from 128.0.0.0/1"),
            FindingExample("db: ingress tcp 5432 from 0.0.0.0/1"),
            FindingExample("db: ingress tcp 5432 from 2000::/3"),
            FindingExample("db: ingress tcp 5432 from 2002::/16"),
            FindingExample("db: ingress tcp 3306 from 11.0.0.0/10", "db: ingress tcp 3306 from 11.64.0.0/10"),
        ],
        nonTriggeringExamples: [
            FindingExample("db: ingress tcp 5432 from tier:app", "app: egress tcp 5432 to tier:db"),
            FindingExample("db: ingress tcp 5432 from 11.0.0.0/10"),
            FindingExample("db: ingress tcp 3306 from 11.0.0.0/10", "db: ingress tcp 5432 from 11.64.0.0/10"),
        ])

    /// `SG-WORLD-ADMIN`.
    public static let worldAdmin = FindingKind(
        id: "SG-WORLD-ADMIN", title: "Remote administration open to the world", defaultSeverity: .high, type: "world-exposure",
        summary: "A remote administration port (SSH 22, RDP 3389, Telnet 23, VNC 5900, WinRM 5985-5986, Docker API, kubelet, ...) accepts traffic from the internet, inviting brute force and exploits.",
        remediation: "Use a bastion tier or AWS Systems Manager Session Manager (Fleet Manager for RDP); if direct access is unavoidable, restrict the source to a VPN /32 and accept the risk with an expiry date.",
        triggeringExamples: [
            FindingExample("bastion: ingress tcp 22 from 0.0.0.0/0"),
            FindingExample("windows: ingress tcp 3389 from ::/0"),
        ],
        nonTriggeringExamples: [
            FindingExample("bastion: ingress tcp 22 from 203.0.113.10/32"),
            FindingExample("app: ingress tcp 22 from tier:bastion", "bastion: egress tcp 22 to tier:app"),
        ])

    /// `SG-WORLD-APP`.
    public static let worldApplication = FindingKind(
        id: "SG-WORLD-APP", title: "Application port open to the world", defaultSeverity: .high, type: "world-exposure",
        summary: "An application or middleware port (8080, 8443, 9090, Kibana 5601, Kafka 9092, ...) accepts traffic from the internet; these listeners are rarely hardened for direct exposure.",
        remediation: "Put the application behind the public web tier (load balancer on 443) and allow the port only from that tier.",
        triggeringExamples: [
            FindingExample("app: ingress tcp 8080 from 0.0.0.0/0"),
            FindingExample("app: ingress tcp 9090 from ::/0"),
        ],
        nonTriggeringExamples: [
            FindingExample("app: ingress tcp 8080 from tier:web", "web: egress tcp 8080 to tier:app"),
        ])

    /// `SG-WORLD-PORT`.
    public static let worldPort = FindingKind(
        id: "SG-WORLD-PORT", title: "Non-web port or broad port range open to the world", defaultSeverity: .high, type: "world-exposure",
        summary: "A port other than 80/443 (not a database, admin or application port), a broad range whose worst port is such a port, or a portless protocol such as ESP accepts traffic from the internet.",
        remediation: "Open only the specific ports the tier serves, and from the narrowest source that works.",
        triggeringExamples: [
            FindingExample("mail: ingress tcp 25 from 0.0.0.0/0"),
            FindingExample("web: ingress tcp 40000-40100 from 0.0.0.0/0"),
            FindingExample("vpn: ingress 50 all from 0.0.0.0/0"),
            FindingExample("gre: ingress 47 all from 11.0.0.0/10", "gre: ingress 47 all from 11.64.0.0/10"),
        ],
        nonTriggeringExamples: [
            FindingExample("mail: ingress tcp 25 from 10.0.5.0/24"),
            FindingExample("web+public: ingress tcp 443 from 0.0.0.0/0"),
            FindingExample("gre: ingress 47 all from 11.0.0.0/10", "gre: ingress 50 all from 11.64.0.0/10"),
        ])

    /// `SG-WORLD-WEB`.
    public static let worldWeb = FindingKind(
        id: "SG-WORLD-WEB", title: "Web port open to the world on a non-public tier", defaultSeverity: .medium, type: "world-exposure",
        summary: "Port 80 or 443 accepts traffic from the internet on a tier not marked `public: true`: either the tier is meant to be internet-facing (say so) or it is exposed by mistake.",
        remediation: "Mark the tier `public: true` if it is internet-facing; otherwise allow 80/443 only from the public web tier.",
        triggeringExamples: [FindingExample("app: ingress tcp 443 from 0.0.0.0/0")],
        nonTriggeringExamples: [
            FindingExample("web+public: ingress tcp 443 from 0.0.0.0/0"),
            FindingExample("app: ingress tcp 443 from tier:web", "web: egress tcp 443 to tier:app"),
        ])

    /// `SG-WORLD-WEB-PUBLIC`.
    public static let worldWebPublic = FindingKind(
        id: "SG-WORLD-WEB-PUBLIC", title: "Web port open to the world on a public tier", defaultSeverity: .low, type: "world-exposure",
        summary: "Port 80 or 443 accepts traffic from the internet on a `public: true` tier: the guide accepts this for the web tier, and it is listed so approvers see the tier's attack surface.",
        remediation: "Acceptable for a public web tier; prefer 443 only, and redirect 80 at the load balancer.",
        triggeringExamples: [FindingExample("web+public: ingress tcp 443 from 0.0.0.0/0")],
        nonTriggeringExamples: [FindingExample("web+public: ingress tcp 443 from 10.0.0.0/24")])

    /// `SG-WORLD-ICMP`.
    public static let worldICMP = FindingKind(
        id: "SG-WORLD-ICMP", title: "ICMP open to the world", defaultSeverity: .low, type: "world-exposure",
        summary: "ICMP from the internet lets anyone map the tier's hosts (ping sweeps); path-MTU discovery needs only type 3 code 4.",
        remediation: "Allow only the ICMP types you need (type 3 code 4 for path MTU), or none.",
        triggeringExamples: [FindingExample("web+public: ingress icmp any from 0.0.0.0/0")],
        nonTriggeringExamples: [FindingExample("web+public: ingress icmp any from 10.0.0.0/16")])
}

// MARK: - Egress

extension FindingKind {
    /// `SG-EGRESS-WORLD-ALL`.
    public static let egressWorldAll = FindingKind(
        id: "SG-EGRESS-WORLD-ALL", title: "All outbound traffic to the world", defaultSeverity: .medium, type: "egress",
        summary: "The tier may send anything anywhere (0.0.0.0/0, ::/0, or a world-equivalent destination such as 0.0.0.0/1, 2000::/3 or the NAT64 prefix 64:ff9b::/96): a compromised host can exfiltrate data or fetch tooling on any port.",
        remediation: "Restrict egress to the ports and destinations needed (443 to the world for AWS APIs, tier references inside the VPC).",
        triggeringExamples: [
            FindingExample("app: egress all all to 0.0.0.0/0"),
            FindingExample("app: egress tcp 0-65535 to ::/0"),
            FindingExample("app: egress all all to 2000::/3"),
            FindingExample("app: egress all all to 64:ff9b::/96"),
        ],
        nonTriggeringExamples: [
            FindingExample("app: egress tcp 443 to 0.0.0.0/0"),
            FindingExample("app: egress all all to 11.0.0.0/10"),
        ])

    /// `SG-DEFAULT-EGRESS`.
    public static let defaultEgress = FindingKind(
        id: "SG-DEFAULT-EGRESS", title: "Default egress allows all outbound traffic", defaultSeverity: .medium, type: "egress",
        summary: "The tier omits `egress`, so AWS adds its default rule allowing all outbound traffic to 0.0.0.0/0.",
        remediation: "Write the egress the tier needs, or `egress: []` for a fully isolated tier.",
        triggeringExamples: [FindingExample("app: ingress tcp 8080 from tier:web", "app: egress default")],
        nonTriggeringExamples: [FindingExample("db: ingress tcp 5432 from 10.0.1.0/24")])

    /// `SG-EGRESS-WORLD-PORT`.
    public static let egressWorldPort = FindingKind(
        id: "SG-EGRESS-WORLD-PORT", title: "Outbound traffic to the world on a port other than 443", defaultSeverity: .medium, type: "egress",
        summary: "The tier may send traffic to the internet on a port other than 443 (a specific port, a range, or ICMP); only HTTPS to AWS APIs and package mirrors is expected.",
        remediation: "Send through a proxy or VPC endpoint, or restrict the destination to the service's CIDR or prefix list.",
        triggeringExamples: [
            FindingExample("app: egress tcp 80 to 0.0.0.0/0"),
            FindingExample("app: egress tcp 5432 to ::/0"),
        ],
        nonTriggeringExamples: [
            FindingExample("app: egress tcp 443 to 0.0.0.0/0"),
            FindingExample("app: egress tcp 5432 to tier:db", "db: ingress tcp 5432 from tier:app"),
        ])

    /// `SG-EGRESS-WORLD-HTTPS`.
    public static let egressWorldHTTPS = FindingKind(
        id: "SG-EGRESS-WORLD-HTTPS", title: "HTTPS to the world", defaultSeverity: .low, type: "egress",
        summary: "The tier may send HTTPS to the internet: acceptable for AWS API access and package repositories, listed for the approver.",
        remediation: "Acceptable; prefer VPC endpoints or a prefix list when the destinations are AWS services.",
        triggeringExamples: [FindingExample("app: egress tcp 443 to 0.0.0.0/0")],
        nonTriggeringExamples: [FindingExample("app: egress tcp 443 to pl-0123456789abcdef0")])

    /// `SG-EGRESS-PUBLIC-WIDE`.
    public static let egressPublicWide = FindingKind(
        id: "SG-EGRESS-PUBLIC-WIDE", title: "Outbound traffic to a wide public range", defaultSeverity: .low, type: "egress",
        summary: "The tier may send traffic to a public range wider than one site (a /24 of IPv4, a /48 of IPv6) but short of world-equivalent: whoever holds an address in it can receive what a compromised host sends. MEDIUM for every port or all traffic, LOW otherwise; never above the same rule to the world.",
        remediation: "Narrow the destination to the service's published addresses or a managed prefix list, or send through a proxy or VPC endpoint.",
        triggeringExamples: [
            FindingExample("app: egress all all to 11.0.0.0/10"),
            FindingExample("app: egress tcp 5432 to 2a00:1450::/40"),
        ],
        nonTriggeringExamples: [
            FindingExample("app: egress tcp 443 to 8.8.8.0/24"),
            FindingExample("app: egress all all to 0.0.0.0/1"),
            FindingExample("app: egress all all to 10.0.0.0/8"),
        ])
}

// MARK: - Broad CIDRs

extension FindingKind {
    /// `SG-BROAD-INTERNAL-DB`.
    public static let broadInternalDatabase = FindingKind(
        id: "SG-BROAD-INTERNAL-DB", title: "Broad internal CIDR to a database port", defaultSeverity: .medium, type: "broad-cidr",
        summary: "A database port accepts traffic from the entire VPC or a private range wider than /24 (/64 for IPv6): any compromised host in that range reaches the data.",
        remediation: "Use a tier reference (source_tier: app) so only the application tier reaches the database.",
        triggeringExamples: [
            FindingExample("db: ingress tcp 5432 from 10.0.0.0/16"),
            FindingExample("db: ingress tcp 3306 from 10.1.0.0/24", vpcCIDR: "10.1.0.0/24"),
        ],
        nonTriggeringExamples: [
            FindingExample("db: ingress tcp 5432 from 10.0.11.0/24"),
            FindingExample("db: ingress tcp 5432 from tier:app", "app: egress tcp 5432 to tier:db"),
            FindingExample("app: ingress tcp 8080 from 10.0.0.0/16"),
        ])

    /// `SG-BROAD-INTERNAL-ADMIN`.
    public static let broadInternalAdmin = FindingKind(
        id: "SG-BROAD-INTERNAL-ADMIN", title: "Remote administration from a range broader than the VPC", defaultSeverity: .medium, type: "broad-cidr",
        summary: "An admin port (SSH, RDP, WinRM, kubelet, ...) accepts traffic from an internal range broader than the VPC (without vpc_cidr: shorter than /16, /56 for IPv6): every host of every network in it, offices and peered VPCs included, can try to log in.",
        remediation: "Allow administration only from a bastion tier (source_tier) or the admin subnet's /24, or use AWS Systems Manager Session Manager.",
        triggeringExamples: [
            FindingExample("ops: ingress tcp 22 from 10.0.0.0/8", vpcCIDR: "10.0.0.0/16"),
            FindingExample("ops: ingress tcp 3389 from 172.16.0.0/12"),
        ],
        nonTriggeringExamples: [
            FindingExample("ops: ingress tcp 22 from 10.0.0.0/16", vpcCIDR: "10.0.0.0/16"),
            FindingExample("ops: ingress tcp 22 from 10.1.0.0/24"),
            FindingExample("ops: ingress tcp 22 from tier:bastion", "bastion: egress tcp 22 to tier:ops"),
        ])

    /// `SG-PUBLIC-WIDE-CIDR`.
    public static let publicWideCIDR = FindingKind(
        id: "SG-PUBLIC-WIDE-CIDR", title: "Wide public CIDR", defaultSeverity: .medium, type: "broad-cidr",
        summary: "Ingress from public (internet-routable) space wider than one site (a /24 of IPv4, a /48 of IPv6) but short of world-equivalent, or from narrow blocks that together exceed 256 sites, opens the tier to many parties you do not control; HIGH when a database or admin port (or every port) is reachable, never above the same rule from the world.",
        remediation: "Narrow the source to the partner's published addresses (/24 or smaller) or use a managed prefix list.",
        triggeringExamples: [
            FindingExample("partner: ingress tcp 443 from 198.51.0.0/16"),
            FindingExample("partner: ingress tcp 22 from 2a00:1450::/40"),
        ],
        nonTriggeringExamples: [
            FindingExample("partner: ingress tcp 443 from 8.8.8.0/24"),
            FindingExample("partner: ingress tcp 443 from 172.16.0.0/12"),
            FindingExample("partner: ingress tcp 22 from 2001:db8::/32"),
        ])
}

// MARK: - Least privilege inside the network

extension FindingKind {
    /// `SG-INTERNAL-ALL-TRAFFIC`.
    public static let internalAllTraffic = FindingKind(
        id: "SG-INTERNAL-ALL-TRAFFIC", title: "All traffic between tiers or from an internal range", defaultSeverity: .medium, type: "least-privilege",
        summary: "Every protocol and port (protocol all, or a tcp/udp range covering 1-65535) is allowed to or from another tier, an existing security group, a prefix list or an internal CIDR: one compromised host reaches every service on the other side, which tier isolation exists to prevent.",
        remediation: "Name the protocol and ports the tiers really use, e.g. { protocol: tcp, port: 8080, source_tier: web }.",
        triggeringExamples: [
            FindingExample("app: ingress all all from tier:web", "web: egress tcp 8080 to tier:app"),
            FindingExample("app: ingress tcp 0-65535 from 10.0.0.0/16"),
            FindingExample("app: egress all all to 10.0.0.0/8"),
        ],
        nonTriggeringExamples: [
            FindingExample("app: ingress tcp 8080 from tier:web", "web: egress tcp 8080 to tier:app"),
            FindingExample("nodes: ingress all all from tier:nodes", "nodes: egress all all to tier:nodes"),
        ])

    /// `SG-SELF-ALL-TRAFFIC`.
    public static let selfAllTraffic = FindingKind(
        id: "SG-SELF-ALL-TRAFFIC", title: "All traffic among the members of a tier", defaultSeverity: .low, type: "least-privilege",
        summary: "A tier references itself for every protocol and port: each member reaches every service of the others. Common for node groups and clusters (EKS requires pod-to-pod traffic), and the blast radius is the tier itself, hence LOW; listed so the approver sees it.",
        remediation: "Where the members' protocols are known, name them (e.g. tcp 7000-7001 for Cassandra gossip); for a Kubernetes node group, keep it and rely on network policies inside the cluster.",
        triggeringExamples: [FindingExample("nodes: ingress all all from tier:nodes", "nodes: egress all all to tier:nodes")],
        nonTriggeringExamples: [
            FindingExample("nodes: ingress tcp 10250 from tier:nodes", "nodes: egress tcp 10250 to tier:nodes"),
            FindingExample("app: ingress all all from tier:web", "web: egress all all to tier:app"),
        ])

    /// `SG-INTERNAL-PORT-RANGE`.
    public static let internalPortRange = FindingKind(
        id: "SG-INTERNAL-PORT-RANGE", title: "Wide port range between tiers or from an internal range", defaultSeverity: .low, type: "least-privilege",
        summary: "A tcp/udp range of more than 1,024 ports (short of every port) is allowed to or from another tier, a group, a prefix list or an internal CIDR. MEDIUM when the range includes a database or admin port the rule does not name, LOW otherwise (Kubernetes' NodePort range 30000-32767 is the usual case).",
        remediation: "Open only the ports in use, e.g. the node ports the services were given, or the one listener port.",
        triggeringExamples: [
            FindingExample("nodes: ingress tcp 30000-32767 from tier:lb", "lb: egress tcp 30000-32767 to tier:nodes"),
            FindingExample("app: egress tcp 1024-65535 to 10.0.0.0/16"),
        ],
        nonTriggeringExamples: [
            FindingExample("events: ingress tcp 9092-9094 from tier:events", "events: egress tcp 9092-9094 to tier:events"),
            FindingExample("app: ingress tcp 1024-2047 from tier:web", "web: egress tcp 1024-2047 to tier:app"),
        ])
}

// MARK: - Transitive exposure

extension FindingKind {
    /// `SG-EXPOSURE-PATH`.
    public static let exposurePath = FindingKind(
        id: "SG-EXPOSURE-PATH", title: "Reachable from the internet through other tiers", defaultSeverity: .info, type: "exposure-path",
        summary: "The tier accepts no traffic from the internet itself, but a chain of tiers that do (internet -> web -> app -> db) reaches it: compromising each hop in turn exposes it.",
        remediation: "Confirm every hop is intended; keep the ports on each hop as narrow as possible and the inner tiers' egress closed.",
        triggeringExamples: [
            FindingExample(
                "web+public: ingress tcp 443 from 0.0.0.0/0", "web: egress tcp 8080 to tier:app",
                "app: ingress tcp 8080 from tier:web", "app: egress tcp 5432 to tier:db",
                "db: ingress tcp 5432 from tier:app"),
        ],
        nonTriggeringExamples: [
            FindingExample("web+public: ingress tcp 443 from 0.0.0.0/0", "db: ingress tcp 5432 from tier:app", "app: ingress tcp 8080 from 10.0.1.0/24"),
            FindingExample("web+public: ingress tcp 443 from 0.0.0.0/0", "app: ingress tcp 8080 from tier:web"),
        ])
}
