import Foundation

/// An IPv4 or IPv6 network in CIDR notation, with host bits known to be zero.
///
/// Addresses are held as a 128-bit value (`high`, `low`); IPv4 uses the low 32 bits. Two spellings
/// of the same IPv6 network (`2001:DB8::/32`, `2001:db8:0::/32`) compare equal.
public struct CIDRBlock: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// IPv4 or IPv6.
    public enum Family: String, Hashable, Sendable, Codable { case ipv4, ipv6 }

    /// The address family.
    public let family: Family
    /// Upper 64 bits of an IPv6 address; 0 for IPv4.
    public let high: UInt64
    /// Lower 64 bits of an IPv6 address, or the IPv4 address in the low 32 bits.
    public let low: UInt64
    /// The prefix length (0-32 for IPv4, 0-128 for IPv6).
    public let prefixLength: Int

    /// Why a CIDR string was rejected.
    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case malformed(String)
        case prefixOutOfRange(prefix: Int, max: Int)
        case hostBitsSet(suggestion: String)

        public var description: String {
            switch self {
            case .malformed(let text): return "'\(text)' is not a CIDR block (expected e.g. 10.0.0.0/16 or 2001:db8::/32)"
            case .prefixOutOfRange(let prefix, let max): return "prefix length /\(prefix) is out of range 0-\(max)"
            case .hostBitsSet(let suggestion): return "host bits are set; the network is \(suggestion)"
            }
        }
    }

    /// Creates a block from raw parts; host bits are cleared.
    public init(family: Family, high: UInt64, low: UInt64, prefixLength: Int) {
        self.family = family
        self.prefixLength = prefixLength
        let masked = Self.mask(family: family, high: high, low: low, prefix: prefixLength)
        self.high = masked.high
        self.low = masked.low
    }

    /// An IPv4 block from a 32-bit address.
    public static func ipv4(_ address: UInt32, prefix: Int) -> CIDRBlock {
        CIDRBlock(family: .ipv4, high: 0, low: UInt64(address), prefixLength: prefix)
    }

    /// 0.0.0.0/0.
    public static let anyIPv4 = CIDRBlock(family: .ipv4, high: 0, low: 0, prefixLength: 0)
    /// ::/0.
    public static let anyIPv6 = CIDRBlock(family: .ipv6, high: 0, low: 0, prefixLength: 0)

    /// Parses `a.b.c.d/n` or an IPv6 address with `/n`. A missing prefix is an error: a bare
    /// address in a security rule is almost always a mistake.
    public static func parse(_ text: String) -> Result<CIDRBlock, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit),
              let prefix = Int(parts[1]) else {
            return .failure(.malformed(text))
        }
        let addressText = String(parts[0])
        if let v4 = parseIPv4(addressText) {
            guard prefix <= 32 else { return .failure(.prefixOutOfRange(prefix: prefix, max: 32)) }
            let block = CIDRBlock.ipv4(v4, prefix: prefix)
            guard UInt64(v4) == block.low else {
                return .failure(.hostBitsSet(suggestion: block.description))
            }
            return .success(block)
        }
        if let v6 = parseIPv6(addressText) {
            guard prefix <= 128 else { return .failure(.prefixOutOfRange(prefix: prefix, max: 128)) }
            let block = CIDRBlock(family: .ipv6, high: v6.high, low: v6.low, prefixLength: prefix)
            guard block.high == v6.high, block.low == v6.low else {
                return .failure(.hostBitsSet(suggestion: block.description))
            }
            return .success(block)
        }
        return .failure(.malformed(text))
    }

    /// Number of address bits in the family.
    public var addressBits: Int { family == .ipv4 ? 32 : 128 }

    /// True for 0.0.0.0/0 and ::/0.
    public var isEntireFamily: Bool { prefixLength == 0 }

    /// True when every address of `other` is inside this block (same family only).
    public func contains(_ other: CIDRBlock) -> Bool {
        guard family == other.family, other.prefixLength >= prefixLength else { return false }
        let masked = Self.mask(family: family, high: other.high, low: other.low, prefix: prefixLength)
        return masked.high == high && masked.low == low
    }

    /// True when the two blocks share at least one address.
    public func overlaps(_ other: CIDRBlock) -> Bool {
        contains(other) || other.contains(self)
    }

    /// The number of addresses, as a power of two (`addressBits - prefixLength`).
    public var sizeLog2: Int { addressBits - prefixLength }

    /// Canonical text: dotted quad for IPv4, RFC 5952 compressed lower-case form for IPv6.
    public var description: String {
        switch family {
        case .ipv4:
            let a = UInt32(truncatingIfNeeded: low)
            return "\(a >> 24).\((a >> 16) & 0xFF).\((a >> 8) & 0xFF).\(a & 0xFF)/\(prefixLength)"
        case .ipv6:
            return "\(Self.formatIPv6(high: high, low: low))/\(prefixLength)"
        }
    }

    public static func < (lhs: CIDRBlock, rhs: CIDRBlock) -> Bool {
        (lhs.family == .ipv4 ? 0 : 1, lhs.high, lhs.low, lhs.prefixLength)
            < (rhs.family == .ipv4 ? 0 : 1, rhs.high, rhs.low, rhs.prefixLength)
    }

    // MARK: - Bits

    private static func mask(family: Family, high: UInt64, low: UInt64, prefix: Int) -> (high: UInt64, low: UInt64) {
        switch family {
        case .ipv4:
            let p = max(0, min(32, prefix))
            let mask: UInt64 = p == 0 ? 0 : (UInt64(0xFFFF_FFFF) << UInt64(32 - p)) & 0xFFFF_FFFF
            return (0, low & mask)
        case .ipv6:
            let p = max(0, min(128, prefix))
            let highMask: UInt64 = p >= 64 ? ~0 : (p == 0 ? 0 : ~0 << UInt64(64 - p))
            let lowMask: UInt64 = p <= 64 ? 0 : (p == 128 ? ~0 : ~0 << UInt64(128 - p))
            return (high & highMask, low & lowMask)
        }
    }

    // MARK: - Text

    static func parseIPv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            // No leading zeros: 010 is octal to some tools and decimal to others.
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCIIDigit),
                  octet == "0" || !octet.hasPrefix("0"), let number = UInt32(octet), number <= 255 else { return nil }
            value = value << 8 | number
        }
        return value
    }

    static func parseIPv6(_ text: String) -> (high: UInt64, low: UInt64)? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        var groups: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        let pieces = text.components(separatedByDoubleColon: ())
        guard pieces.count <= 2 else { return nil }
        func parseGroups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if allowIPv4Tail, index == fields.count - 1, field.contains(".") {
                    guard let v4 = parseIPv4(String(field)) else { return nil }
                    out.append(UInt16(v4 >> 16))
                    out.append(UInt16(v4 & 0xFFFF))
                    continue
                }
                guard !field.isEmpty, field.count <= 4, field.allSatisfy(\.isHexDigit), let value = UInt16(field, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        if pieces.count == 2 {
            sawGap = true
            guard let head = parseGroups(pieces[0], allowIPv4Tail: false),
                  let rest = parseGroups(pieces[1], allowIPv4Tail: true) else { return nil }
            groups = head
            tail = rest
            guard groups.count + tail.count <= 7 else { return nil }
        } else {
            guard let all = parseGroups(pieces[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            groups = all
        }
        if sawGap {
            groups += Array(repeating: 0, count: 8 - groups.count - tail.count) + tail
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, group) in groups.enumerated() {
            if index < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return (high, low)
    }

    static func formatIPv6(high: UInt64, low: UInt64) -> String {
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16((high >> UInt64(shift)) & 0xFFFF)) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16((low >> UInt64(shift)) & 0xFFFF)) }
        // RFC 5952: compress the longest run of two or more zero groups, the first if tied.
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength, length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// Splits on the first "::" only; a second "::" yields three pieces (invalid).
    func components(separatedByDoubleColon: Void) -> [Substring] {
        var pieces: [Substring] = []
        var rest = self[...]
        while let range = rest.range(of: "::") {
            pieces.append(rest[rest.startIndex..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        pieces.append(rest)
        return pieces
    }
}
