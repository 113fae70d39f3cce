import Auth
import Signatures
import Testing

@Suite("JWT verification: RS256 and ES256")
struct JWTVerifierAsymmetricTests {
    /// Made with `openssl ecparam -name prime256v1 -genkey` and `openssl dgst -sha256 -sign`, the DER
    /// signature converted to r || s.
    static let opensslP256PEM = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECTQUqBbo6n/O7GKZMtfes3uAPn7a
        O2fSl+y7YYkJtc0c8ARcz6XvCKOx4ao2RM3P5g9SjcEAymjvgNlkvFHm4g==
        -----END PUBLIC KEY-----
        """
    static let opensslES256Token = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJzdWIiOiJwYngtMSIsImRvbWFpbiI6InRlbmFudC1hLmV4YW1wbGUiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0"
        + ".5nYuHA3VmtFdwaqhGbDAAyb6YR0XN12-MYH3sx7BDvS4JVLBPuSkSdlqtW63PTKiiJJvNvx3As0SfEJuMlnR3A"

    /// Made with `openssl genrsa 2048` and `openssl dgst -sha256 -sign` (PKCS#1 v1.5), checked with
    /// `openssl dgst -sha256 -verify`.
    static let opensslRSAPEM = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2W40nIYPPynnCM5zQM21
        jIheEPOx7N6smDJ1hpHQ9QlrH8PkSLZ0tZgIkzQY0lEg0BL0sWj6LvCT/6VnxMBc
        PIL9lgJ5TsW6MXj6k5B7srdRRA1WM2NxbYkatCyw/ii7U3Y4DrnKecl57t9w9NAE
        X0AaYPnvkVUbwtmVBBRCmR+WsmCkvP8FGsBUQz6ic5YosjCWH4w2LxRIh4QJYvWd
        yRqSriPIIvgE2y/PRpDCRCrHaQLXHR+/xZYanbUNKoYqRPOJ7ofcb54Udw47vcGm
        DxBsUIfW379BkoLws0FUGcTHUirXeBahWfsnR+ykEGmpQ2aSmfWJEL9tLYqF8AFV
        PwIDAQAB
        -----END PUBLIC KEY-----
        """
    static let opensslRS256Token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJzdWIiOiJwYngtMSIsImRvbWFpbiI6InRlbmFudC1hLmV4YW1wbGUiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0"
        + ".q4xy4TzhaD48pjAEVdhYFMgXHoteAsX4TG7zIrDO1i1UEg9C7pjf03dFMKKtJqCZjEkuy15F591scFrAUMZI__f0QSfWGh7tlTsuZM2fOqoxSAhz"
        + "rspexoP8W0fu5pI9n_M85Rg5_nmLUbnX-p7S2dwDurmN5mPRD1Ecm0Os1D69b8nsvqw_Vq6oqBFU1_bSW_NR6vk6SqiXlcVesQMsv9MI1msKMOOz"
        + "mf5T9sKjn1Q8DLmQx0s4hHdvbdeQAd-HErsoDXL1n4V1zZAUv1qzb2p3D1TVEmOPVImhYTbyNmmWCEfZZdkfCPVuyisWdS7soRYXzVrwtvz5LEdvKXkXrA"

    static let opensslClaims = JWTClaims(domain: "tenant-a.example", admin: false, subject: "pbx-1",
                                         expiresAt: 1_700_003_600, issuedAt: 1_700_000_000)

    @Test("an ES256 token made with the openssl CLI verifies against its PEM")
    func opensslES256() throws {
        let verifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: Self.opensslP256PEM)
        #expect(verifier.acceptedAlgorithms == ["ES256"])
        #expect(try verifier.verify(Self.opensslES256Token, nowSeconds: now) == Self.opensslClaims)
    }

    @Test("an RS256 token made with the openssl CLI verifies against its PEM")
    func opensslRS256() throws {
        let verifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: Self.opensslRSAPEM)
        #expect(verifier.acceptedAlgorithms == ["RS256"])
        #expect(try verifier.verify(Self.opensslRS256Token, nowSeconds: now) == Self.opensslClaims)
    }

    @Test("RS256 with a key generated in the test: valid, tampered, and signed by another key")
    func generatedRSA() throws {
        let verifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: TestKeys.rsa.publicPEM)
        let token = try TokenFactory.rs256(key: TestKeys.rsa)
        #expect(try verifier.verify(token, nowSeconds: now).domain == "sip.example.com")

        let tampered = TokenFactory.withPayload(token, TokenFactory.payload(domain: "victim.example"))
        #expect(failure { try verifier.verify(tampered, nowSeconds: now) }?.code == .badSignature)
        let foreign = try TokenFactory.rs256(key: TestKeys.otherRSA)
        #expect(failure { try verifier.verify(foreign, nowSeconds: now) }?.code == .badSignature)
        // PSS is not RS256.
        let input = TokenFactory.part(TokenFactory.header("RS256")) + "." + TokenFactory.part(TokenFactory.payload())
        let pss = TestKeys.rsa.sign(Array(input.utf8), pss: true)
        let pssToken = input + "." + Signatures.Base64URL.encode(pss)
        #expect(failure { try verifier.verify(pssToken, nowSeconds: now) }?.code == .badSignature)
    }

    @Test("ES256 with a key generated in the test: valid, tampered, another key, DER instead of r||s")
    func generatedP256() throws {
        let verifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: TestKeys.p256.publicPEM)
        let token = try TokenFactory.es256(key: TestKeys.p256)
        #expect(try verifier.verify(token, nowSeconds: now).subject == "alice")

        let tampered = TokenFactory.withPayload(token, TokenFactory.payload(sub: "mallory"))
        #expect(failure { try verifier.verify(tampered, nowSeconds: now) }?.code == .badSignature)
        let foreign = try TokenFactory.es256(key: TestKeys.otherP256)
        #expect(failure { try verifier.verify(foreign, nowSeconds: now) }?.code == .badSignature)

        let input = TokenFactory.part(TokenFactory.header("ES256")) + "." + TokenFactory.part(TokenFactory.payload())
        let der = TestKeys.p256.sign(Array(input.utf8))
        let derToken = input + "." + Signatures.Base64URL.encode(der)
        #expect(failure { try verifier.verify(derToken, nowSeconds: now) }?.code == .badSignature)
    }

    @Test("algorithm confusion: an HS256 token keyed with the RSA public key's PEM is refused as unsupported")
    func algorithmConfusion() throws {
        let pem = TestKeys.rsa.publicPEM
        let verifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: pem)
        // The classic attack: HMAC the token with the public key text as the secret.
        let forged = TokenFactory.hs256(secret: Array(pem.utf8))
        let error = failure { try verifier.verify(forged, nowSeconds: now) }
        #expect(error?.code == .unsupportedAlgorithm)
        #expect(error?.message.contains("RS256") == true)

        // Nor does an RSA verifier take ES256, or a P-256 verifier take RS256.
        let es = try TokenFactory.es256(key: TestKeys.p256)
        #expect(failure { try verifier.verify(es, nowSeconds: now) }?.code == .unsupportedAlgorithm)
        let ecVerifier = try JWTVerifier(hs256Secret: nil, publicKeyPEM: TestKeys.p256.publicPEM)
        let rs = try TokenFactory.rs256(key: TestKeys.rsa)
        #expect(failure { try ecVerifier.verify(rs, nowSeconds: now) }?.code == .unsupportedAlgorithm)
        // An HS256-only verifier refuses RS256.
        #expect(failure { try JWTVerifier.hs256().verify(rs, nowSeconds: now) }?.code == .unsupportedAlgorithm)
    }

    @Test("a secret and a public key together accept both, each with its own algorithm")
    func secretAndKey() throws {
        let verifier = try JWTVerifier(hs256Secret: testSecret, publicKeyPEM: TestKeys.p256.publicPEM)
        #expect(verifier.acceptedAlgorithms == ["HS256", "ES256"])
        #expect(try verifier.verify(TokenFactory.hs256(), nowSeconds: now).subject == "alice")
        #expect(try verifier.verify(TokenFactory.es256(key: TestKeys.p256), nowSeconds: now).subject == "alice")
    }

    @Test("key detection refuses private keys, other curves, short RSA keys and non-PEM text")
    func keyDetection() throws {
        func keyError(_ pem: String) -> AuthError? {
            failure { try JWTVerifier(hs256Secret: nil, publicKeyPEM: pem) }
        }
        let privatePEM = TestKeys.p256.privatePEM
        #expect(keyError(privatePEM)?.code == .badKey)
        #expect(keyError(privatePEM)?.message.contains("private key") == true)
        #expect(keyError(TestKeyMaterial.p384Public)?.message.contains("P-256") == true)
        #expect(keyError(TestKeyMaterial.rsa1024Public)?.message.contains("1024 bits") == true)
        #expect(keyError("not a key")?.code == .badKey)
        #expect(keyError("")?.code == .badKey)
    }
}
