import Auth
import Testing

@Suite("JWT verification: HS256")
struct JWTVerifierHS256Tests {
    @Test("the RFC 7515 appendix A.1 token verifies under its key, then is refused for having no tenant")
    func rfc7515Vector() {
        // RFC 7515 A.1: header {"typ":"JWT",\r\n "alg":"HS256"}, payload {"iss":"joe",\r\n "exp":1300819380, ...},
        // key (JWK "k") AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow.
        let key: [UInt8] = [
            3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240, 84, 201, 40,
            169, 15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138, 180, 195, 119, 98, 61, 34,
            61, 46, 33, 114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128, 163,
        ]
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let verifier = JWTVerifier.hs256(key)
        // The signature checks out, so verification reaches the claims: in date, but no "domain".
        #expect(failure { try verifier.verify(token, nowSeconds: 1_300_819_000) }?.code == .noTenant)
        // After its exp (with leeway) it is expired.
        #expect(failure { try verifier.verify(token, nowSeconds: 1_300_819_380 + 30) }?.code == .expired)
        // Under another key the same token is a bad signature.
        #expect(failure { try JWTVerifier.hs256(testSecret).verify(token, nowSeconds: 1_300_819_000) }?.code == .badSignature)
    }

    @Test("a fixed token computed with Python's hmac module verifies and yields its claims")
    func fixedLiteral() throws {
        // python3: hmac.new(b"siprecd-test-secret-0123456789abcdef", signing_input, hashlib.sha256)
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiJpbnN0YWxsZXIiLCJkb21haW4iOiJzaXAuZXhhbXBsZS5jb20iLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0"
            + ".144Ip03NT4YC56rwXslvEbSfrZVfnFUrtTUjpJe6C_U"
        let claims = try JWTVerifier.hs256().verify(token, nowSeconds: now)
        #expect(claims == JWTClaims(domain: "sip.example.com", admin: false, subject: "installer",
                                    expiresAt: 1_700_003_600, issuedAt: 1_700_000_000))
    }

    @Test("a token built in the test with HMACSHA256 round-trips its claims")
    func builtToken() throws {
        let token = TokenFactory.hs256(payload: TokenFactory.payload(domain: "tenant-b.example", sub: "ops"))
        let claims = try JWTVerifier.hs256().verify(token, nowSeconds: now)
        #expect(claims.domain == "tenant-b.example")
        #expect(claims.subject == "ops")
        #expect(claims.admin == false)
        #expect(claims.expiresAt == now + 3600)
    }

    @Test("a tampered payload, or a token signed with another secret, is a bad signature")
    func tampering() {
        let token = TokenFactory.hs256()
        let tampered = TokenFactory.withPayload(token, TokenFactory.payload(domain: "victim.example"))
        #expect(failure { try JWTVerifier.hs256().verify(tampered, nowSeconds: now) }?.code == .badSignature)

        let otherSecret = Array("another-secret-of-at-least-32-bytes!".utf8)
        let foreign = TokenFactory.hs256(secret: otherSecret)
        #expect(failure { try JWTVerifier.hs256().verify(foreign, nowSeconds: now) }?.code == .badSignature)

        // One flipped signature character.
        var bytes = Array(token.utf8)
        bytes[bytes.count - 2] = bytes[bytes.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let flipped = String(decoding: bytes, as: UTF8.self)
        #expect(failure { try JWTVerifier.hs256().verify(flipped, nowSeconds: now) }?.code == .badSignature)
    }

    @Test("a truncated HMAC is refused, not compared on its common prefix")
    func truncatedSignature() {
        let token = TokenFactory.hs256()
        let short = String(token.dropLast(4))
        #expect(failure { try JWTVerifier.hs256().verify(short, nowSeconds: now) }?.code == .badSignature)
    }

    @Test("a secret shorter than 32 bytes, or no secret and no key, is refused at configuration")
    func badSecrets() {
        #expect(failure { try JWTVerifier(hs256Secret: Array("short".utf8), publicKeyPEM: nil) }?.code == .badKey)
        #expect(failure { try JWTVerifier(hs256Secret: [], publicKeyPEM: nil) }?.code == .badKey)
        #expect(failure { try JWTVerifier(hs256Secret: nil, publicKeyPEM: nil) }?.code == .badKey)
        #expect(JWTVerifier.hs256().acceptedAlgorithms == ["HS256"])
    }
}
