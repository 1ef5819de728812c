extension CIDRBlock {
    /// A block read the way EC2 reads it, and whether the text had host bits set.
    public struct Canonicalised: Hashable, Sendable {
        /// The network EC2 stores.
        public var block: CIDRBlock
        /// True when the text named an address inside the network rather than the network itself
        /// (`192.168.1.0/0` is stored as `0.0.0.0/0`).
        public var hadHostBits: Bool
    }

    /// Parses like `parse`, but accepts host bits the way EC2 does: it clears them and stores the
    /// network (ansible/ansible#28892 works around EC2 returning `10.0.0.0/8` for `10.1.2.3/8`).
    /// Configs keep the strict `parse`, so a typo there is an error; what AWS or a third-party template
    /// holds is judged as AWS would judge it. Every other problem is still an error.
    public static func parseCanonicalising(_ text: String) -> Result<Canonicalised, ParseError> {
        switch parse(text) {
        case .success(let block):
            return .success(Canonicalised(block: block, hadHostBits: false))
        case .failure(.hostBitsSet):
            // `parse` only reports host bits after the address and prefix were both valid.
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            let prefix = Int(parts[1])!
            if let v4 = parseIPv4(String(parts[0])) {
                return .success(Canonicalised(block: .ipv4(v4, prefix: prefix), hadHostBits: true))
            }
            let v6 = parseIPv6(String(parts[0]))!
            return .success(Canonicalised(block: CIDRBlock(family: .ipv6, high: v6.high, low: v6.low, prefixLength: prefix), hadHostBits: true))
        case .failure(let problem):
            return .failure(problem)
        }
    }
}
