import Auth
import Crypto
import _CryptoExtras
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

    static func rs256(payload: String = payload(), header: String = header("RS256"), key: _RSA.Signing.PrivateKey) throws -> String {
        let input = part(header) + "." + part(payload)
        let signature = try key.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    static func es256(payload: String = payload(), header: String = header("ES256"), key: P256.Signing.PrivateKey) throws -> String {
        let input = part(header) + "." + part(payload)
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    /// `token` with its payload replaced and the original signature kept.
    static func withPayload(_ token: String, _ payload: String) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts[0] + "." + part(payload) + "." + parts[2]
    }
}

/// Keys generated once per test run: RSA key generation is slow in a debug build.
enum TestKeys {
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    // swift-crypto 3's P-256 keys are not Sendable: keep the scalars, rebuild on use.
    private static let p256Scalar = Array(P256.Signing.PrivateKey().rawRepresentation)
    private static let otherP256Scalar = Array(P256.Signing.PrivateKey().rawRepresentation)
    static var p256: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: p256Scalar) }
    static var otherP256: P256.Signing.PrivateKey { try! P256.Signing.PrivateKey(rawRepresentation: otherP256Scalar) }
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
