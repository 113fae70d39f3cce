import COpenSSL

/// A public key held by libcrypto, verifying SHA-256 signatures (RS256: RSASSA-PKCS1-v1_5; ES256:
/// ECDSA on P-256). The one owner of its `EVP_PKEY`, freed on deinit. Verification only reads the key,
/// which libcrypto allows from several threads at once.
public final class EVPPublicKey: @unchecked Sendable {
    public enum Kind: Equatable, Sendable { case rsa, p256 }

    private let key: OpaquePointer
    public let kind: Kind
    public let bits: Int

    /// Reads a SubjectPublicKeyInfo PEM; nil when it is not a public key libcrypto can read.
    public init?(pem: String) {
        var text = Array(pem.utf8)
        guard !text.isEmpty, let key = text.withUnsafeMutableBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { siprecd_pem_public_key($0.baseAddress, Int32($0.count)) }
        }) else { return nil }
        let kind = siprecd_key_kind(key)
        guard kind == 1 || kind == 2 else {
            siprecd_key_free(key)
            return nil
        }
        self.key = key
        self.kind = kind == 1 ? .rsa : .p256
        bits = Int(siprecd_key_bits(key))
    }

    /// Whether the PEM is an EC public key on a curve other than P-256 (for a precise message).
    public static func isOtherCurve(pem: String) -> Bool {
        var text = Array(pem.utf8)
        guard !text.isEmpty, let key = text.withUnsafeMutableBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { siprecd_pem_public_key($0.baseAddress, Int32($0.count)) }
        }) else { return false }
        defer { siprecd_key_free(key) }
        return siprecd_key_kind(key) == 3
    }

    deinit { siprecd_key_free(key) }

    /// Checks a DER (EC) or raw (RSA) signature over `data`.
    public func isValidSignature(_ signature: [UInt8], over data: [UInt8]) -> Bool {
        signature.withUnsafeBufferPointer { sig in
            data.withUnsafeBufferPointer { bytes in
                siprecd_verify_sha256(key, sig.baseAddress, sig.count, bytes.baseAddress, bytes.count) == 1
            }
        }
    }

    /// A JWS ES256 signature (r || s, 32 bytes each, RFC 7518 §3.4) as the DER `ECDSA-Sig-Value` libcrypto
    /// verifies; nil when it is not 64 bytes.
    public static func derSignature(rawES256 raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 64 else { return nil }
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop(while: { $0 == 0 }))
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }
}
