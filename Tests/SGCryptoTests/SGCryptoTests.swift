import Testing
import SGCrypto

/// One known-answer case: input and expected lowercase hex digest.
struct DigestVector: Sendable, CustomTestStringConvertible {
    let name: String
    let message: [UInt8]
    let expectedHex: String
    var testDescription: String { name }
}

/// One HMAC known-answer case.
struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: [UInt8]
    let expectedHex: String
    /// RFC 4231 case 5 compares only the first 128 bits.
    let truncateToBytes: Int?
    var testDescription: String { name }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

// NIST FIPS 180-4 example vectors (CSRC "SHA256.pdf", "SHA2_Additional.pdf").
let sha256Vectors: [DigestVector] = [
    DigestVector(name: "empty", message: [],
                 expectedHex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    DigestVector(name: "abc", message: bytes("abc"),
                 expectedHex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    DigestVector(name: "two-block 448-bit", message: bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                 expectedHex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    DigestVector(name: "896-bit", message: bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
                 expectedHex: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    DigestVector(name: "one million a", message: [UInt8](repeating: 0x61, count: 1_000_000),
                 expectedHex: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    DigestVector(name: "single byte 0xbd", message: [0xbd],
                 expectedHex: "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b"),
    DigestVector(name: "four bytes c98c8e55", message: [0xc9, 0x8c, 0x8e, 0x55],
                 expectedHex: "7abc22c0ae5af26ce93dbb94433a0e0b2e119d014f8e7f65bd56c61ccccd9504"),
]

// RFC 4231 section 4 test cases 1-7.
let hmacVectors: [HMACVector] = [
    HMACVector(name: "RFC 4231 case 1", key: [UInt8](repeating: 0x0b, count: 20), message: bytes("Hi There"),
               expectedHex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", truncateToBytes: nil),
    HMACVector(name: "RFC 4231 case 2", key: bytes("Jefe"), message: bytes("what do ya want for nothing?"),
               expectedHex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", truncateToBytes: nil),
    HMACVector(name: "RFC 4231 case 3", key: [UInt8](repeating: 0xaa, count: 20), message: [UInt8](repeating: 0xdd, count: 50),
               expectedHex: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", truncateToBytes: nil),
    HMACVector(name: "RFC 4231 case 4", key: Array(1...25), message: [UInt8](repeating: 0xcd, count: 50),
               expectedHex: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", truncateToBytes: nil),
    HMACVector(name: "RFC 4231 case 5 (truncated)", key: [UInt8](repeating: 0x0c, count: 20), message: bytes("Test With Truncation"),
               expectedHex: "a3b6167473100ee06e0c796c2955552b", truncateToBytes: 16),
    HMACVector(name: "RFC 4231 case 6 (key longer than block)", key: [UInt8](repeating: 0xaa, count: 131),
               message: bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
               expectedHex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", truncateToBytes: nil),
    HMACVector(name: "RFC 4231 case 7 (key and data longer than block)", key: [UInt8](repeating: 0xaa, count: 131),
               message: bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
               expectedHex: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", truncateToBytes: nil),
]

@Suite("SHA-256")
struct SHA256Tests {
    @Test("NIST vectors", arguments: sha256Vectors)
    func nistVector(_ vector: DigestVector) {
        #expect(SHA256.hex(vector.message) == vector.expectedHex)
        #expect(SHA256.hash(vector.message).count == 32)
    }

    @Test("string overload hashes the UTF-8 bytes")
    func stringOverload() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("ሴ") == SHA256.hex([0xe1, 0x88, 0xb4]))
    }
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    @Test("RFC 4231 vectors", arguments: hmacVectors)
    func rfc4231(_ vector: HMACVector) {
        let code = HMACSHA256.authenticationCode(key: vector.key, message: vector.message)
        let compared = vector.truncateToBytes.map { Array(code.prefix($0)) } ?? code
        #expect(Hex.encode(compared) == vector.expectedHex)
    }

    @Test("empty key and empty message")
    func emptyInputs() {
        // Known answer computed independently (python: hmac.new(b"", b"", sha256)).
        #expect(Hex.encode(HMACSHA256.authenticationCode(key: [], message: [UInt8]()))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

@Suite("Hex and SecureRandom")
struct HexAndRandomTests {
    @Test("hex round trip and rejection of bad input")
    func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.decode("000FA5ff") == [0x00, 0x0f, 0xa5, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test("random bytes have the requested length and differ between calls")
    func randomBytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        #expect(first.count == 32)
        // Two equal 256-bit draws would mean the generator is broken, not bad luck.
        #expect(first != second)
        #expect(SecureRandom.hex(8).count == 16)
    }
}

@Suite("SHA-1")
struct SHA1Tests {
    @Test("NIST vectors (FIPS 180-4 examples)")
    func nistVectors() {
        #expect(Hex.encode(SHA1.hash([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test("the AWS CLI's SSO cache file names: SHA-1 of the session name or start URL")
    func ssoCacheNames() {
        // Known answers from Python's hashlib.sha1, which botocore uses for these names.
        #expect(SHA1.hex("my-sso") == "0ad374308c5a4e22f723adf10145eafad7c4031c")
        #expect(SHA1.hex("https://my-sso-portal.awsapps.com/start") == "c7aaaf71fcc8777ae2475525ed049d39fe16c484")
    }
}
