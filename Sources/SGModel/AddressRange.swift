/// A 128-bit unsigned address (IPv4 in the low 32 bits): enough for interval arithmetic on
/// either family.
public struct Address128: Hashable, Comparable, Sendable {
    /// Upper 64 bits (0 for IPv4).
    public var high: UInt64
    /// Lower 64 bits (the IPv4 address in the low 32).
    public var low: UInt64

    /// Creates an address from its halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The first address of the space.
    public static let zero = Address128(high: 0, low: 0)

    public static func < (lhs: Address128, rhs: Address128) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The next address, or nil past the top of the 128-bit space.
    public var successor: Address128? {
        if low != .max { return Address128(high: high, low: low + 1) }
        if high != .max { return Address128(high: high + 1, low: 0) }
        return nil
    }

    /// The previous address, or nil below zero.
    public var predecessor: Address128? {
        if low != 0 { return Address128(high: high, low: low - 1) }
        if high != 0 { return Address128(high: high - 1, low: .max) }
        return nil
    }
}

/// A number of addresses, up to 2^128 - 1: IPv6 counts do not fit 64 bits, and Swift's own
/// `UInt128` is not available on every platform the package declares.
public struct AddressCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Upper 64 bits.
    public var high: UInt64
    /// Lower 64 bits.
    public var low: UInt64

    /// Creates a count from its halves.
    public init(high: UInt64 = 0, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// No addresses.
    public static let zero = AddressCount(low: 0)

    /// 2^exponent (0...127).
    public static func power(_ exponent: Int) -> AddressCount {
        precondition((0...127).contains(exponent), "2^\(exponent) does not fit 128 bits")
        return exponent < 64 ? AddressCount(low: 1 << UInt64(exponent)) : AddressCount(high: 1 << UInt64(exponent - 64), low: 0)
    }

    /// The number of addresses from `lower` to `upper` inclusive; nil for the whole 128-bit space,
    /// which is one more than the type holds (callers never count it: public space is smaller).
    public static func between(_ lower: Address128, _ upper: Address128) -> AddressCount? {
        let (low, borrow) = upper.low.subtractingReportingOverflow(lower.low)
        let high = upper.high &- lower.high &- (borrow ? 1 : 0)
        let difference = AddressCount(high: high, low: low)
        return difference.adding(AddressCount(low: 1))
    }

    /// The sum, or nil on overflow.
    public func adding(_ other: AddressCount) -> AddressCount? {
        let (low, carry) = low.addingReportingOverflow(other.low)
        let (high1, overflow1) = high.addingReportingOverflow(other.high)
        let (high2, overflow2) = high1.addingReportingOverflow(carry ? 1 : 0)
        return overflow1 || overflow2 ? nil : AddressCount(high: high2, low: low)
    }

    /// The sum; traps on overflow (counts of public space never come near 2^128).
    public static func + (lhs: AddressCount, rhs: AddressCount) -> AddressCount {
        guard let sum = lhs.adding(rhs) else { preconditionFailure("address count overflow") }
        return sum
    }

    /// True when no address is counted.
    public var isZero: Bool { high == 0 && low == 0 }

    /// The count as a floating-point number, for percentages in descriptions only.
    public var approximateValue: Double { Double(high) * 18_446_744_073_709_551_616.0 + Double(low) }

    /// Exact decimal text for counts below 2^64 (`2,092,957,696`), else a power of two
    /// (`2^125`, `more than 2^124`): IPv6 counts are only ever read as orders of magnitude.
    public var description: String {
        if high == 0 { return Self.grouped(low) }
        let exponent = 64 + (63 - high.leadingZeroBitCount)
        let isPower = low == 0 && high.nonzeroBitCount == 1
        return isPower ? "2^\(exponent)" : "more than 2^\(exponent)"
    }

    private static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    public static func < (lhs: AddressCount, rhs: AddressCount) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// An inclusive interval of addresses of one family (a CIDR block, or a merge of several).
public struct AddressRange: Hashable, Sendable {
    /// The first address.
    public var lower: Address128
    /// The last address.
    public var upper: Address128

    /// Creates an interval; `lower <= upper`.
    public init(lower: Address128, upper: Address128) {
        self.lower = lower
        self.upper = upper
    }

    /// The addresses of a CIDR block.
    public init(_ block: CIDRBlock) {
        lower = Address128(high: block.high, low: block.low)
        let hostBits = block.sizeLog2
        switch block.family {
        case .ipv4:
            upper = Address128(high: 0, low: block.low | ((UInt64(1) << UInt64(hostBits)) - 1))
        case .ipv6:
            if hostBits >= 64 {
                let highHost: UInt64 = hostBits == 128 ? .max : (UInt64(1) << UInt64(hostBits - 64)) - 1
                upper = Address128(high: block.high | highHost, low: .max)
            } else {
                let lowHost: UInt64 = hostBits == 0 ? 0 : (UInt64(1) << UInt64(hostBits)) - 1
                upper = Address128(high: block.high, low: block.low | lowHost)
            }
        }
    }

    /// The addresses both intervals hold, if any.
    public func intersection(_ other: AddressRange) -> AddressRange? {
        let start = max(lower, other.lower), end = min(upper, other.upper)
        return start <= end ? AddressRange(lower: start, upper: end) : nil
    }

    /// True when every address of `other` is inside.
    public func contains(_ other: AddressRange) -> Bool { lower <= other.lower && other.upper <= upper }

    /// Sorts intervals and merges those that overlap or touch, in place.
    public static func mergeSorted(_ ranges: inout [AddressRange]) {
        guard ranges.count > 1 else { return }
        ranges.sort { $0.lower < $1.lower }
        var merged = 0
        for index in 1..<ranges.count {
            let next = ranges[index]
            let touches = ranges[merged].upper.successor.map { next.lower <= $0 } ?? true
            if touches {
                if next.upper > ranges[merged].upper { ranges[merged].upper = next.upper }
            } else {
                merged += 1
                ranges[merged] = next
            }
        }
        ranges.removeLast(ranges.count - merged - 1)
    }
}
