import CCrypto

/// HMAC-SHA256 (RFC 2104) over OpenSSL's one-shot `HMAC` function.
public enum HMACSHA256 {
    /// Returns the 32-byte HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: SHA256.digestLength)
        var length: UInt32 = 0
        // OpenSSL wants non-null pointers even for zero lengths, which empty arrays may not
        // give; a one-byte stand-in with the real (zero) length is read as empty.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            messageBytes.withUnsafeBufferPointer { messageBuffer in
                code.withUnsafeMutableBufferPointer { out in
                    HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress, Int32(key.count),
                        messageBuffer.baseAddress, message.count,
                        out.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && Int(length) == SHA256.digestLength, "OpenSSL HMAC-SHA256 failed")
        return code
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message`, the form SigV4's key derivation uses.
    public static func authenticationCode(key: [UInt8], message: String) -> [UInt8] {
        authenticationCode(key: key, message: Array(message.utf8))
    }
}
