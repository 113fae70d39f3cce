import Signatures

/// AWS Signature Version 4 for S3 requests (header-based, signed payload hash).
public struct S3Signer: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var region: String

    public init(accessKeyId: String, secretAccessKey: String, region: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.region = region
    }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    /// `amzDate` is `YYYYMMDD'T'HHMMSS'Z'`; `headers` are the other headers to sign (lower-case names),
    /// `host` among them.
    public func sign(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                     payloadHash: String, amzDate: String) -> [(String, String)] {
        let date = String(amzDate.prefix(8))
        let all = (headers + [("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate)])
            .map { ($0.0.lowercased(), $0.1.trimmingSpaces) }
            .sorted { $0.0 < $1.0 }
        let signedHeaders = all.map(\.0).joined(separator: ";")
        let canonicalQuery = query.map { (S3Signer.encode($0.0), S3Signer.encode($0.1)) }.sorted { $0 < $1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalRequest = [method, S3Signer.encode(path, keepSlash: true), canonicalQuery,
                                all.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders, payloadHash].joined(separator: "\n")
        let scope = "\(date)/\(region)/s3/aws4_request"
        let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256.hash(Array(canonicalRequest.utf8)).hexString].joined(separator: "\n")
        var key = HMACSHA256.authenticationCode(key: Array("AWS4\(secretAccessKey)".utf8), message: Array(date.utf8))
        for part in [region, "s3", "aws4_request"] { key = HMACSHA256.authenticationCode(key: key, message: Array(part.utf8)) }
        let signature = HMACSHA256.authenticationCode(key: key, message: Array(toSign.utf8)).hexString
        return [("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")]
    }

    /// RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept; `/` kept in paths).
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = self[...]
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
