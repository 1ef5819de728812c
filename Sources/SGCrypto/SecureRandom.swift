import CCrypto

/// Cryptographically secure random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` random bytes. Traps if the CSPRNG fails: continuing with predictable
    /// bytes (used for request tokens and stack suffixes) would be worse than stopping.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let result = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(result == 1, "RAND_bytes failed")
        return out
    }

    /// Returns `count` random bytes as lowercase hexadecimal (2 × `count` characters).
    public static func hex(_ count: Int) -> String {
        Hex.encode(bytes(count))
    }
}
