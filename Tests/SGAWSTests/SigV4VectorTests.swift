import Foundation
import Testing
import SGTestSupport
@testable import SGAWS
@testable import SGAWSCredentials

/// One case of AWS's published SigV4 suite, loaded from Tests/Fixtures/aws/sigv4/<name>.
struct SigV4Vector: CustomTestStringConvertible, Sendable {
    let name: String
    let request: SigV4Request
    let signer: SigV4Signer
    let date: Date
    let expectedCanonicalRequest: String
    let expectedStringToSign: String
    let expectedSignature: String
    let expectedAuthorization: String

    var testDescription: String { name }

    private struct Context: Decodable {
        struct Credentials: Decodable {
            let access_key_id: String
            let secret_access_key: String
            let token: String?
        }
        let credentials: Credentials
        let region: String
        let service: String
        let timestamp: String
        let normalize: Bool
        let sign_body: Bool
        let omit_session_token: Bool?
    }

    static let directory = FixturePaths.aws.appendingPathComponent("sigv4")

    /// Every vector directory checked in (all of AWS's header-signing cases).
    static let names: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return entries.filter { !$0.contains(".") && $0 != "LICENSE" && $0 != "NOTICE" }.sorted()
    }()

    static func load(_ name: String) throws -> SigV4Vector {
        let folder = directory.appendingPathComponent(name)
        func text(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        let context = try JSONDecoder().decode(Context.self, from: Data(try text("context.json").utf8))
        let credentials = AWSCredentials(accessKeyID: context.credentials.access_key_id,
                                         secretAccessKey: context.credentials.secret_access_key,
                                         sessionToken: context.credentials.token)
        let signer = SigV4Signer(
            credentials: credentials, region: context.region, service: context.service,
            options: SigV4Options(normalizePath: context.normalize, signedBodyHeader: context.sign_body,
                                  signSessionToken: !(context.omit_session_token ?? false)))
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
        let signedRequest = try text("header-signed-request.txt")
        let authorization = try #require(signedRequest.split(separator: "\n")
            .first { $0.hasPrefix("Authorization:") }
            .map { String($0.dropFirst("Authorization:".count)) })
        return SigV4Vector(
            name: name, request: try parseRequest(try text("request.txt")), signer: signer, date: date,
            expectedCanonicalRequest: try text("header-canonical-request.txt"),
            expectedStringToSign: try text("header-string-to-sign.txt"),
            expectedSignature: try text("header-signature.txt").trimmingCharacters(in: .whitespacesAndNewlines),
            expectedAuthorization: authorization)
    }

    /// Parses the suite's request.txt: request line, headers (with folded continuation
    /// lines), blank line, body. Query parameters are percent-decoded, because the signer
    /// takes raw values and encodes them itself.
    static func parseRequest(_ text: String) throws -> SigV4Request {
        let lines = text.components(separatedBy: "\n")
        let requestLine = lines[0]
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if let range = target.range(of: " HTTP/", options: .backwards) { target = String(target[..<range.lowerBound]) }
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var queryItems: [SigV4Request.QueryItem] = []
        if pathAndQuery.count == 2 {
            for pair in pathAndQuery[1].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = try #require(AWSPercentEncoding.decode(String(parts[0])))
                let value = parts.count > 1 ? try #require(AWSPercentEncoding.decode(String(parts[1]))) : ""
                queryItems.append(.init(name, value))
            }
        }
        var headers: [HTTPHeader] = []
        var index = 1
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
            index += 1
        }
        let body = index + 1 < lines.count ? lines[(index + 1)...].joined(separator: "\n") : ""
        return SigV4Request(method: method, path: String(pathAndQuery[0]), queryItems: queryItems,
                            headers: headers, body: Array(body.utf8))
    }
}

@Suite("SigV4 against AWS's published test suite")
struct SigV4VectorTests {
    @Test("the suite's required cases are all present")
    func requiredCasesPresent() {
        let required = ["get-vanilla", "get-vanilla-with-session-token", "post-vanilla", "post-x-www-form-urlencoded",
                        "post-x-www-form-urlencoded-parameters", "get-vanilla-query-order-key-case",
                        "get-header-value-trim", "get-header-key-duplicate", "get-header-value-multiline",
                        "get-header-value-order", "get-vanilla-empty-query-key", "get-vanilla-utf8-query",
                        "get-vanilla-query-unreserved", "get-utf8", "get-unreserved", "post-sts-header-after",
                        "post-sts-header-before"]
        for name in required { #expect(SigV4Vector.names.contains(name), "missing vector \(name)") }
        #expect(SigV4Vector.names.count == 38)
    }

    @Test("stage 1: canonical request", arguments: SigV4Vector.names)
    func canonicalRequest(_ name: String) throws {
        let vector = try SigV4Vector.load(name)
        let prepared = vector.signer.addingSigningHeaders(to: vector.request, date: vector.date)
        #expect(vector.signer.canonicalRequest(prepared).text == vector.expectedCanonicalRequest)
    }

    @Test("stage 2: string to sign", arguments: SigV4Vector.names)
    func stringToSign(_ name: String) throws {
        let vector = try SigV4Vector.load(name)
        // Fed the expected canonical request, so a stage-1 bug cannot mask a stage-2 one.
        #expect(vector.signer.stringToSign(canonicalRequest: vector.expectedCanonicalRequest, date: vector.date)
            == vector.expectedStringToSign)
    }

    @Test("stage 3: signature", arguments: SigV4Vector.names)
    func signature(_ name: String) throws {
        let vector = try SigV4Vector.load(name)
        #expect(vector.signer.signature(stringToSign: vector.expectedStringToSign, date: vector.date)
            == vector.expectedSignature)
    }

    @Test("all stages: Authorization header of the signed request", arguments: SigV4Vector.names)
    func signedRequest(_ name: String) throws {
        let vector = try SigV4Vector.load(name)
        let signed = vector.signer.sign(vector.request, date: vector.date)
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == vector.expectedAuthorization)
    }

    @Test("session token placement: signed, or appended after signing")
    func sessionTokenPlacement() throws {
        let before = try SigV4Vector.load("post-sts-header-before")
        let after = try SigV4Vector.load("post-sts-header-after")
        let signedBefore = before.signer.sign(before.request, date: before.date)
        let signedAfter = after.signer.sign(after.request, date: after.date)
        let token = try #require(before.signer.credentials.sessionToken)
        #expect(signedBefore.headers.contains(HTTPHeader("X-Amz-Security-Token", token)))
        #expect(signedAfter.headers.contains(HTTPHeader("X-Amz-Security-Token", token)))
        #expect(signedAfter.headers.last?.name == "X-Amz-Security-Token")
    }
}

@Suite("SigV4 building blocks")
struct SigV4BuildingBlockTests {
    @Test("timestamps render in UTC", arguments: [
        (0.0, "19700101T000000Z"), (1_440_938_160.0, "20150830T123600Z"),
        (951_782_400.0, "20000229T000000Z"), (1_767_225_599.9, "20251231T235959Z"),
    ])
    func timestamps(_ seconds: Double, _ expected: String) {
        let stamp = AWSTimestamp(Date(timeIntervalSince1970: seconds))
        #expect(stamp.amzDate == expected)
        #expect(stamp.dateStamp == String(expected.prefix(8)))
    }

    @Test("percent encoding keeps only unreserved characters", arguments: [
        ("abcXYZ019-._~", "abcXYZ019-._~"), ("a b", "a%20b"), ("a+b", "a%2Bb"), ("a/b", "a%2Fb"),
        ("ሴ", "%E1%88%B4"), ("*", "%2A"), ("=&", "%3D%26"), ("", ""),
    ])
    func encoding(_ raw: String, _ encoded: String) {
        #expect(AWSPercentEncoding.encode(raw) == encoded)
        #expect(AWSPercentEncoding.decode(encoded) == raw)
    }

    @Test("malformed percent escapes do not decode", arguments: ["%", "%4", "%zz", "%FF"])
    func malformedDecode(_ text: String) {
        #expect(AWSPercentEncoding.decode(text) == nil)
    }
}
