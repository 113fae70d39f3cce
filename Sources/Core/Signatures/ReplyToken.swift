/// The `replyId` every event carries (reference 001): an opaque token a command must echo. siprecd can
/// verify it without storing it: it is the recording id and tenant domain sealed with HMAC-SHA256 under
/// the configured secret, so a token from another recording or tenant, or a forged one, is refused.
public struct ReplyToken: Sendable {
    private let secret: [UInt8]

    public init(secret: some Sequence<UInt8>) {
        self.secret = Array(secret)
    }

    /// "v1." + base64url(HMAC(secret, "recordingId\ndomain")).
    public func token(recordingId: String, domain: String) -> String {
        let code = HMACSHA256.authenticationCode(key: secret, message: Array("\(recordingId.lowercased())\n\(domain)".utf8))
        return "v1." + Base64URL.encode(code)
    }

    /// Whether `token` was made for this recording and domain.
    public func verify(_ token: String, recordingId: String, domain: String) -> Bool {
        let expected = Array(self.token(recordingId: recordingId, domain: domain).utf8)
        return HMACSHA256.equal(Array(token.utf8), expected)
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5).
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8) | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for position in 0..<(chunk.count + 1) {
                out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
