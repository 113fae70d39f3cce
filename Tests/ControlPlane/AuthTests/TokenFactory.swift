import Auth
import COpenSSL
import Signatures
import Testing

/// The test clock: 2023-11-14T22:13:20Z.
let now: Int64 = 1_700_000_000

/// A 36-byte HS256 secret (the verifier requires at least 32).
let testSecret = Array("siprecd-test-secret-0123456789abcdef".utf8)

/// Builds compact JWS tokens independently of the verifier, from JSON text.
enum TokenFactory {
    static func part(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    static func header(_ alg: String) -> String { #"{"alg":"\#(alg)","typ":"JWT"}"# }

    /// A payload with the usual claims; nil leaves a claim out.
    static func payload(domain: String? = "sip.example.com", sub: String? = "alice", exp: Int64? = now + 3600,
                        nbf: Int64? = nil, iat: Int64? = now, admin: Bool? = nil) -> String {
        var members: [String] = []
        if let sub { members.append(#""sub":"\#(sub)""#) }
        if let domain { members.append(#""domain":"\#(domain)""#) }
        if let iat { members.append(#""iat":\#(iat)"#) }
        if let nbf { members.append(#""nbf":\#(nbf)"#) }
        if let exp { members.append(#""exp":\#(exp)"#) }
        if let admin { members.append(#""admin":\#(admin)"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func hs256(payload: String = payload(), header: String = header("HS256"), secret: [UInt8] = testSecret) -> String {
        let input = part(header) + "." + part(payload)
        return input + "." + Base64URL.encode(HMACSHA256.authenticationCode(key: secret, message: Array(input.utf8)))
    }

    static func rs256(payload: String = payload(), header: String = header("RS256"), key: TestKey) throws -> String {
        let input = part(header) + "." + part(payload)
        return input + "." + Base64URL.encode(key.sign(Array(input.utf8)))
    }

    static func es256(payload: String = payload(), header: String = header("ES256"), key: TestKey) throws -> String {
        let input = part(header) + "." + part(payload)
        return input + "." + Base64URL.encode(TestKey.rawSignature(der: key.sign(Array(input.utf8))))
    }

    /// `token` with its payload replaced and the original signature kept.
    static func withPayload(_ token: String, _ payload: String) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts[0] + "." + part(payload) + "." + parts[2]
    }
}

/// A private key the tests sign with (through libcrypto), and its public PEM.
final class TestKey: Sendable {
    let privatePEM: String
    let publicPEM: String

    init(privatePEM: String, publicPEM: String) {
        self.privatePEM = privatePEM
        self.publicPEM = publicPEM
    }

    /// SHA-256 signature: RSA PKCS#1 v1.5 (or PSS), or DER ECDSA.
    func sign(_ data: [UInt8], pss: Bool = false) -> [UInt8] {
        var pem = Array(privatePEM.utf8)
        let key = pem.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { siprecd_pem_private_key($0.baseAddress, Int32($0.count)) }
        }!
        defer { siprecd_key_free(key) }
        var out = [UInt8](repeating: 0, count: 1024)
        let count = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                siprecd_sign_sha256(key, pss ? 1 : 0, d.baseAddress, d.count, o.baseAddress, o.count)
            }
        }
        precondition(count > 0, "test signing failed")
        return Array(out[0..<count])
    }

    /// DER `ECDSA-Sig-Value` → r || s (32 bytes each), as JWS ES256 wants it.
    static func rawSignature(der: [UInt8]) -> [UInt8] {
        var index = 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            let length = Int(der[index + 1])
            let value = der[(index + 2)..<(index + 2 + length)].drop(while: { $0 == 0 })
            out += [UInt8](repeating: 0, count: 32 - value.count) + value
            index += 2 + length
        }
        return out
    }
}

/// The test keys (see TestKeyMaterial), with public PEMs derived through libcrypto.
enum TestKeys {
    static let rsa = TestKey(privatePEM: TestKeyMaterial.rsaPrivate, publicPEM: publicPEM(TestKeyMaterial.rsaPrivate))
    static let otherRSA = TestKey(privatePEM: TestKeyMaterial.otherRSAPrivate, publicPEM: publicPEM(TestKeyMaterial.otherRSAPrivate))
    static let p256 = TestKey(privatePEM: TestKeyMaterial.p256Private, publicPEM: publicPEM(TestKeyMaterial.p256Private))
    static let otherP256 = TestKey(privatePEM: TestKeyMaterial.otherP256Private, publicPEM: publicPEM(TestKeyMaterial.otherP256Private))

    /// The SubjectPublicKeyInfo PEM of a private key.
    static func publicPEM(_ privatePEM: String) -> String {
        var pem = Array(privatePEM.utf8)
        let key = pem.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { siprecd_pem_private_key($0.baseAddress, Int32($0.count)) }
        }!
        defer { siprecd_key_free(key) }
        let bio = BIO_new(BIO_s_mem())!
        defer { BIO_free(bio) }
        precondition(PEM_write_bio_PUBKEY(bio, key) == 1)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}

/// The `AuthError` that `body` threw, or nil if it returned (any other error is recorded as an issue).
func failure<T>(_ body: () throws -> T) -> AuthError? {
    do {
        _ = try body()
        return nil
    } catch let error as AuthError {
        return error
    } catch {
        Issue.record("expected an AuthError, got \(error)")
        return nil
    }
}

extension JWTVerifier {
    static func hs256(_ secret: [UInt8] = testSecret) -> JWTVerifier {
        try! JWTVerifier(hs256Secret: secret, publicKeyPEM: nil)
    }
}
