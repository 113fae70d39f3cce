import LibCrypto
import Signatures

extension JWTVerifier {
    /// The JWS algorithms siprecd implements (RFC 7518 §3.1).
    enum Algorithm: String, Sendable {
        case hs256 = "HS256"
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    /// The algorithm named by a token's `alg`, if the configured key is of that algorithm's kind.
    func acceptedAlgorithm(_ alg: String) throws(AuthError) -> Algorithm {
        let accepted = acceptedAlgorithms.joined(separator: ", ")
        guard let algorithm = Algorithm(rawValue: alg) else {
            let shown = alg.count > 16 ? String(alg.prefix(16)) + "…" : alg
            throw AuthError(.unsupportedAlgorithm, "token algorithm \"\(shown)\" is not supported; this server accepts \(accepted)")
        }
        let usable = switch (algorithm, publicKey) {
        case (.hs256, _): secret != nil
        case (.rs256, .rsa?): true
        case (.es256, .p256?): true
        default: false
        }
        guard usable else {
            throw AuthError(.unsupportedAlgorithm, "token algorithm \(alg) does not match the configured key; this server accepts \(accepted)")
        }
        return algorithm
    }

    /// Checks `signature` over `input` with the configured key for `algorithm`.
    func isValidSignature(_ signature: [UInt8], over input: [UInt8], algorithm: Algorithm) -> Bool {
        switch (algorithm, publicKey) {
        case (.hs256, _):
            guard let secret else { return false }
            return HMACSHA256.equal(HMACSHA256.authenticationCode(key: secret, message: input), signature)
        case (.rs256, .rsa(let key)?):
            // RS256 is RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); libcrypto hashes `input` itself.
            return key.isValidSignature(signature, over: input)
        case (.es256, .p256(let key)?):
            // ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4), not DER.
            guard let der = EVPPublicKey.derSignature(rawES256: signature) else { return false }
            return key.isValidSignature(der, over: input)
        default:
            return false
        }
    }
}
