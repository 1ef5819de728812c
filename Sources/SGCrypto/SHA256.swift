import CCrypto

/// SHA-256 (FIPS 180-4) over OpenSSL's EVP digest API.
///
/// OpenSSL's libcrypto is linked as a system library rather than vendoring swift-crypto:
/// it builds in seconds on CI and the digest/HMAC surface we need is tiny.
public enum SHA256 {
    /// The digest length in bytes.
    public static let digestLength = 32

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        guard let context = EVP_MD_CTX_new() else {
            // Allocation failure inside OpenSSL leaves no meaningful way to continue.
            fatalError("EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let ok = input.withUnsafeBufferPointer { buffer -> Bool in
            guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { return false }
            // EVP_DigestUpdate accepts a null pointer only with a zero length, which is what an
            // empty array's buffer gives.
            guard EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1 else { return false }
            return digest.withUnsafeMutableBufferPointer { out in
                EVP_DigestFinal_ex(context, out.baseAddress, &length) == 1
            }
        }
        precondition(ok && Int(length) == digestLength, "OpenSSL SHA-256 failed")
        return digest
    }

    /// Returns the SHA-256 digest of `bytes` as lowercase hexadecimal.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(hash(bytes))
    }

    /// Returns the SHA-256 digest of the UTF-8 encoding of `text` as lowercase hexadecimal.
    public static func hex(_ text: String) -> String {
        Hex.encode(hash(text.utf8))
    }
}
