import LibCrypto
/// Verifies the JSON Web Tokens (RFC 7519, compact JWS of RFC 7515) that the HTTP API accepts as
/// bearer credentials. Which algorithms it accepts follows from what is configured, never from the
/// token: HS256 only with a shared secret, RS256 only with an RSA public key, ES256 only with a P-256
/// public key, so a token cannot pick an algorithm that turns the public key into an HMAC secret.
/// `none` and every other algorithm are refused.
public struct JWTVerifier: Sendable {
    /// Longest token accepted, in bytes: real tokens are well under 2 KiB.
    public static let maxTokenLength = 8 * 1024
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    public static let leewaySeconds: Int64 = 30
    /// Shortest HS256 secret accepted: RFC 7518 §3.2 requires a key at least as long as the hash.
    public static let minimumSecretLength = 32

    enum PublicKey: Sendable {
        case rsa(EVPPublicKey)
        case p256(EVPPublicKey)
    }

    let secret: [UInt8]?
    let publicKey: PublicKey?

    /// - Parameters:
    ///   - hs256Secret: the shared secret for HS256 tokens, at least 32 bytes; nil to refuse HS256.
    ///   - publicKeyPEM: the issuer's RSA (2048 bits or more) or P-256 public key in PEM
    ///     (`-----BEGIN PUBLIC KEY-----`); nil to refuse RS256 and ES256.
    /// - Throws: `.badKey` when neither is given or one is unusable.
    public init(hs256Secret: [UInt8]?, publicKeyPEM: String?) throws(AuthError) {
        if let hs256Secret, hs256Secret.count < Self.minimumSecretLength {
            throw AuthError(.badKey, "the HS256 secret is \(hs256Secret.count) bytes; at least \(Self.minimumSecretLength) are required")
        }
        guard hs256Secret != nil || publicKeyPEM != nil else {
            throw AuthError(.badKey, "no HS256 secret and no public key are configured, so no token could be verified")
        }
        secret = hs256Secret
        publicKey = try publicKeyPEM.map { pem throws(AuthError) in try Self.loadPublicKey(pem) }
    }

    /// The algorithms this verifier accepts, for messages and diagnostics.
    public var acceptedAlgorithms: [String] {
        var names: [String] = []
        if secret != nil { names.append("HS256") }
        switch publicKey {
        case .rsa?: names.append("RS256")
        case .p256?: names.append("ES256")
        case nil: break
        }
        return names
    }

    /// Detects whether `pem` is a P-256 or an RSA public key.
    static func loadPublicKey(_ pem: String) throws(AuthError) -> PublicKey {
        if pem.contains("PRIVATE KEY") {
            throw AuthError(.badKey, "the configured PEM is a private key; configure the issuer's public key (-----BEGIN PUBLIC KEY-----) instead")
        }
        guard let key = EVPPublicKey(pem: pem) else {
            if EVPPublicKey.isOtherCurve(pem: pem) {
                throw AuthError(.badKey, "the configured EC public key is not on P-256; ES256 needs a P-256 key")
            }
            throw AuthError(.badKey, "the configured PEM is neither an RSA nor a P-256 (ES256) public key")
        }
        switch key.kind {
        case .p256:
            return .p256(key)
        case .rsa:
            guard key.bits >= 2048 else {
                throw AuthError(.badKey, "the configured RSA public key has \(key.bits) bits; RS256 needs 2048 bits or more")
            }
            return .rsa(key)
        }
    }
}
