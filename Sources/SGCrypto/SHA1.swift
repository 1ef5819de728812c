import CCrypto

/// SHA-1 (FIPS 180-4) over OpenSSL's EVP digest API.
///
/// Not for security: the AWS CLI names its IAM Identity Center token cache files by the SHA-1
/// of the session name or start URL (`~/.aws/sso/cache/{sha1}.json`), and reading those files
/// needs the same name.
public enum SHA1 {
    /// The digest length in bytes.
    public static let digestLength = 20

    /// Returns the 20-byte SHA-1 digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let ok = input.withUnsafeBufferPointer { buffer in
            digest.withUnsafeMutableBufferPointer { out in
                // EVP_Digest accepts a null data pointer only with a zero length, which is what an
                // empty array's buffer gives.
                EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, EVP_sha1(), nil) == 1
            }
        }
        precondition(ok && Int(length) == digestLength, "OpenSSL SHA-1 failed")
        return digest
    }

    /// Returns the SHA-1 digest of the UTF-8 encoding of `text` as lowercase hexadecimal.
    public static func hex(_ text: String) -> String {
        Hex.encode(hash(text.utf8))
    }
}
