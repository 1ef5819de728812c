import Foundation
import SGCrypto

/// A request as SigV4 sees it. Path and query values are the raw (decoded) text; the
/// signer applies AWS's encoding itself, so callers never double- or under-encode.
public struct SigV4Request: Sendable {
    /// One query parameter, raw (not percent-encoded).
    public struct QueryItem: Sendable, Equatable {
        /// Parameter name.
        public var name: String
        /// Parameter value (empty for `?key` or `?key=`).
        public var value: String
        /// Creates a query item.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// HTTP method.
    public var method: String
    /// Raw path, e.g. "/" or "/example space/".
    public var path: String
    /// Raw query parameters in any order.
    public var queryItems: [QueryItem]
    /// Headers in order, including `Host`.
    public var headers: [HTTPHeader]
    /// Request body; its SHA-256 is the payload hash.
    public var body: [UInt8]

    /// Creates a request to sign.
    public init(method: String, path: String, queryItems: [QueryItem] = [], headers: [HTTPHeader], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
    }
}

/// How a signer treats the parts of a request that differ between AWS services.
public struct SigV4Options: Sendable, Equatable {
    /// Remove `.`/`..` segments and repeated slashes from the path (every service but S3).
    public var normalizePath: Bool
    /// Add and sign an `X-Amz-Content-SHA256` header carrying the payload hash.
    public var signedBodyHeader: Bool
    /// Sign `X-Amz-Security-Token`. A few legacy services want it added after signing;
    /// AWS's `post-sts-header-after` vector covers that variant.
    public var signSessionToken: Bool

    /// Creates options; the defaults fit the Query-protocol services (EC2, CloudFormation, STS).
    public init(normalizePath: Bool = true, signedBodyHeader: Bool = false, signSessionToken: Bool = true) {
        self.normalizePath = normalizePath
        self.signedBodyHeader = signedBodyHeader
        self.signSessionToken = signSessionToken
    }
}

/// The canonical request (stage 1) together with the list of headers it signed.
public struct SigV4CanonicalRequest: Sendable, Equatable {
    /// The canonical request text, lines joined with "\n".
    public let text: String
    /// Semicolon-separated lowercased names of the signed headers.
    public let signedHeaders: String
}

/// AWS Signature Version 4, as separate stages so each is testable against AWS's published
/// vectors. The clock is a parameter (`date:`), never read inside.
/// Overview: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
public struct SigV4Signer: Sendable {
    /// The signing algorithm identifier.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// Credentials to sign with.
    public let credentials: AWSCredentials
    /// Region of the credential scope, e.g. "us-west-2".
    public let region: String
    /// Service of the credential scope, e.g. "ec2", "cloudformation", "sts".
    public let service: String
    /// Service-dependent behaviour.
    public let options: SigV4Options

    /// Creates a signer for one credential scope.
    public init(credentials: AWSCredentials, region: String, service: String, options: SigV4Options = SigV4Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Stage 0: the request with the headers SigV4 adds before signing (`X-Amz-Date`, and when
    /// configured `X-Amz-Security-Token` and `X-Amz-Content-SHA256`).
    public func addingSigningHeaders(to request: SigV4Request, date: Date) -> SigV4Request {
        var prepared = request
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("x-amz-date") {
            prepared.headers.append(HTTPHeader("X-Amz-Date", AWSTimestamp(date).amzDate))
        }
        if options.signSessionToken, let token = credentials.sessionToken, !names.contains("x-amz-security-token") {
            prepared.headers.append(HTTPHeader("X-Amz-Security-Token", token))
        }
        if options.signedBodyHeader, !names.contains("x-amz-content-sha256") {
            prepared.headers.append(HTTPHeader("X-Amz-Content-SHA256", SHA256.hex(request.body)))
        }
        return prepared
    }

    /// Stage 1: the canonical request of a request that already carries its signing headers.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-canonical-request
    public func canonicalRequest(_ request: SigV4Request) -> SigV4CanonicalRequest {
        // Group repeated headers under their lowercased name, values in the order given.
        var valuesByName: [String: [String]] = [:]
        for header in request.headers {
            valuesByName[header.name.lowercased(), default: []].append(Self.canonicalHeaderValue(header.value))
        }
        let names = valuesByName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(valuesByName[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let lines = [
            request.method.uppercased(),
            canonicalURI(request.path),
            Self.canonicalQueryString(request.queryItems),
            canonicalHeaders,
            signedHeaders,
            SHA256.hex(request.body),
        ]
        return SigV4CanonicalRequest(text: lines.joined(separator: "\n"), signedHeaders: signedHeaders)
    }

    /// Stage 2: the string to sign.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-string-to-sign
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            Self.algorithm,
            AWSTimestamp(date).amzDate,
            credentialScope(date: date),
            SHA256.hex(canonicalRequest),
        ].joined(separator: "\n")
    }

    /// Stage 3a: the signing key, derived from the secret through date, region and service.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key
    public func signingKey(date: Date) -> [UInt8] {
        let dateKey = HMACSHA256.authenticationCode(key: Array("AWS4\(credentials.secretAccessKey)".utf8),
                                                    message: AWSTimestamp(date).dateStamp)
        let regionKey = HMACSHA256.authenticationCode(key: dateKey, message: region)
        let serviceKey = HMACSHA256.authenticationCode(key: regionKey, message: service)
        return HMACSHA256.authenticationCode(key: serviceKey, message: "aws4_request")
    }

    /// Stage 3b: the hex signature of a string to sign.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#calculate-signature
    public func signature(stringToSign: String, date: Date) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: signingKey(date: date), message: stringToSign))
    }

    /// `date/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(AWSTimestamp(date).dateStamp)/\(region)/\(service)/aws4_request"
    }

    /// All stages: returns the request with its signing headers and `Authorization` added.
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#add-signature-to-request
    public func sign(_ request: SigV4Request, date: Date) -> SigV4Request {
        var prepared = addingSigningHeaders(to: request, date: date)
        let canonical = canonicalRequest(prepared)
        let signature = signature(stringToSign: stringToSign(canonicalRequest: canonical.text, date: date), date: date)
        prepared.headers.append(HTTPHeader(
            "Authorization",
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(date: date)), "
                + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
        if !options.signSessionToken, let token = credentials.sessionToken {
            prepared.headers.append(HTTPHeader("X-Amz-Security-Token", token))
        }
        return prepared
    }

    // MARK: - Canonical parts

    /// The canonical URI: optionally normalized, then each segment URI-encoded once.
    func canonicalURI(_ rawPath: String) -> String {
        let path = rawPath.isEmpty ? "/" : rawPath
        guard options.normalizePath else {
            return AWSPercentEncoding.encode(path, keepSlash: true)
        }
        // RFC 3986 dot-segment removal; empty segments (from "//") are dropped as AWS does.
        var segments: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(String(segment))
            }
        }
        let endsWithSlash = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        var normalized = "/" + segments.joined(separator: "/")
        if endsWithSlash && !segments.isEmpty { normalized += "/" }
        return AWSPercentEncoding.encode(normalized, keepSlash: true)
    }

    /// The canonical query string: names and values encoded, then sorted by name, then value.
    static func canonicalQueryString(_ items: [SigV4Request.QueryItem]) -> String {
        items
            .map { (AWSPercentEncoding.encode($0.name), AWSPercentEncoding.encode($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Trims a header value and collapses each run of whitespace (including folded lines)
    /// to a single space.
    static func canonicalHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }
}
