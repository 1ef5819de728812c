import SGFindings
import SGModel

/// Everything the rules need beyond the tiers themselves. Built from a config by
/// `ScenarioValidator.validate(_:today:)`, or by hand for audit and drift, where the groups do
/// not come from a config.
public struct ValidationContext: Sendable {
    /// The VPC's CIDR when known: a source equal to (or wider than) it is "the entire VPC", and
    /// addresses inside it are internal even when the block is public space.
    public var vpcCIDR: CIDRBlock? {
        didSet { addressSpace = PublicAddressSpace(treatingAsInternal: vpcCIDR) }
    }
    /// Findings an approver accepted.
    public var acceptedRisks: [AcceptedRisk]
    /// The day acceptances are judged against (injected, never read from the clock here).
    public var today: CalendarDate
    /// Known ports and their categories.
    public var catalog: PortCatalog
    /// The public internet, with the VPC counted as internal: what every peer is measured against.
    public private(set) var addressSpace: PublicAddressSpace

    /// Creates a context.
    public init(vpcCIDR: CIDRBlock? = nil, acceptedRisks: [AcceptedRisk] = [], today: CalendarDate, catalog: PortCatalog = .builtIn) {
        self.vpcCIDR = vpcCIDR
        self.acceptedRisks = acceptedRisks
        self.today = today
        self.catalog = catalog
        addressSpace = vpcCIDR.map { PublicAddressSpace(treatingAsInternal: $0) } ?? .standard
    }
}

extension FindingExample {
    /// The context the example runs in: its VPC CIDR, the built-in catalog, no accepted risks.
    public func makeContext(today: CalendarDate) -> ValidationContext {
        ValidationContext(vpcCIDR: vpcCIDR.map { try! CIDRBlock.parse($0).get() }, today: today)
    }
}
