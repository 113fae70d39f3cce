import COpenSSL

/// One TLS connection's protocol state (OpenSSL `SSL` over memory BIOs): the caller feeds it the
/// ciphertext that arrived, drains the ciphertext to send, and reads and writes plaintext. It never
/// touches a socket, so it can run on any event loop; it is confined to one thread at a time.
public final class TLSSession {
    /// Why a handshake failed, as it is counted and logged.
    public enum FailureReason: String, Sendable, CaseIterable {
        /// `requireClientCertificate` and the SRC sent none.
        case noClientCertificate
        /// The certificate does not chain to the trusted CAs (unknown CA, self-signed, bad signature…).
        case untrustedCertificate
        case expiredCertificate
        case certificateNotYetValid
        /// None of `allowedPeerNames` is in the certificate.
        case peerNameNotAllowed
        /// Below `minVersion`, or no common version.
        case protocolVersion
        /// The peer refused siprecd's certificate (it does not trust its CA, or finds it expired).
        case certificateRefusedByPeer
        /// What arrived is not TLS (plain SIP sent to the TLS port).
        case notTLS
        /// The handshake did not finish within `tcpFirstMessageTimeout`.
        case timeout
        case other
    }

    /// A handshake that failed: the counted reason and OpenSSL's words.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: FailureReason
        public var detail: String
        public init(reason: FailureReason, detail: String) {
            self.reason = reason
            self.detail = detail
        }
    }

    public enum HandshakeStep: Equatable {
        case finished
        case needsMore
        case failed(Failure)
    }

    public enum ReadResult: Equatable {
        /// Plaintext bytes written to the buffer.
        case bytes(Int)
        /// Nothing more until more ciphertext arrives.
        case needsMore
        /// The peer sent close_notify.
        case closed
        case failed
    }

    /// Kept alive for the session's life (the SSL holds the SSL_CTX, whose app data the context owns).
    public let context: TLSContext
    private let ssl: OpaquePointer

    /// A session of `context` (server side when the context is a server's); `host` is the server's name or
    /// IP (client side only: sent as SNI; whether the certificate must carry it is checked with
    /// ``peerCarries(_:)`` once the handshake is done).
    public init(context: TLSContext, host: String? = nil) throws(TLSFailure) {
        guard let ssl = siprecd_tls_session_new(context.handle, context.isServer ? 1 : 0, host) else {
            throw TLSFailure(message: "cannot create a TLS session (out of memory)")
        }
        self.context = context
        self.ssl = ssl
    }

    deinit { siprecd_tls_session_free(ssl) }

    /// Ciphertext from the peer.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = siprecd_tls_feed(ssl, base, Int32(bytes.count))
    }

    /// Ciphertext not yet processed, or plaintext not yet read.
    public var hasInput: Bool { siprecd_tls_has_input(ssl) == 1 }

    /// Gives back the memory of buffers that grew for a large read or write, once they are empty.
    public func trim() { siprecd_tls_trim(ssl) }

    /// Bytes of ciphertext waiting to go to the peer.
    public var pendingOutput: Int { Int(siprecd_tls_pending(ssl)) }

    /// Moves waiting ciphertext into `buffer`; returns how many bytes.
    public func drain(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return Int(siprecd_tls_drain(ssl, base, Int32(buffer.count)))
    }

    /// Advances the handshake with what was fed.
    public func handshake() -> HandshakeStep {
        switch siprecd_tls_handshake(ssl) {
        case 1: return .finished
        case 0: return .needsMore
        default:
            var detail = [CChar](repeating: 0, count: 256)
            let kind = siprecd_tls_failure(ssl, &detail, Int32(detail.count))
            return .failed(Failure(reason: TLSSession.reason(kind), detail: String(nulTerminated: detail)))
        }
    }

    /// Why the last read failed (an alert from the peer, a bad record), as a handshake failure is told.
    public func readFailure() -> Failure {
        var detail = [CChar](repeating: 0, count: 256)
        let kind = siprecd_tls_failure(ssl, &detail, Int32(detail.count))
        return Failure(reason: TLSSession.reason(kind), detail: String(nulTerminated: detail))
    }

    /// The peer's certificate names `host` (an IP subjectAltName for an IP literal, else a DNS name).
    public func peerCarries(_ host: String) -> Bool { siprecd_tls_peer_names(ssl, host) == 1 }

    /// The peer's certificate as one identity ("subject / issuer"); empty without one. Stable across a
    /// renewal by the same CA, different for every SRC a CA certified.
    public var peerIdentity: String {
        var text = [CChar](repeating: 0, count: 1_024)
        siprecd_tls_peer_identity(ssl, &text, Int32(text.count))
        return String(nulTerminated: text)
    }

    /// The peer's certificate against a reloaded context (its CAs, names, whether one is required): nil
    /// when it still passes.
    public func recheck(against fresh: TLSContext) -> Failure? {
        var detail = [CChar](repeating: 0, count: 256)
        let kind = siprecd_tls_recheck(ssl, fresh.handle, &detail, Int32(detail.count))
        return kind < 0 ? nil : Failure(reason: TLSSession.reason(kind), detail: String(nulTerminated: detail))
    }

    /// Plaintext into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        guard let base = buffer.baseAddress else { return .failed }
        let n = siprecd_tls_plain_read(ssl, base, Int32(buffer.count))
        switch n {
        case 1...: return .bytes(Int(n))
        case 0: return .needsMore
        case -1: return .closed
        default: return .failed
        }
    }

    /// Encrypts `bytes` for the peer (drain afterwards); false when the session cannot send.
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        return siprecd_tls_plain_write(ssl, base, Int32(bytes.count)) == 1
    }

    /// Queues a close_notify (drain afterwards).
    public func shutdown() { siprecd_tls_shutdown(ssl) }

    /// "TLSv1.3 TLS_AES_128_GCM_SHA256".
    public var negotiated: String {
        var text = [CChar](repeating: 0, count: 128)
        siprecd_tls_describe(ssl, &text, Int32(text.count))
        return String(nulTerminated: text)
    }

    /// The subject of the peer's certificate in one line; empty when it presented none.
    public var peerSubject: String {
        var text = [CChar](repeating: 0, count: 512)
        siprecd_tls_peer_subject(ssl, &text, Int32(text.count))
        return String(nulTerminated: text)
    }

    private static func reason(_ kind: Int32) -> FailureReason {
        switch kind {
        case SIPRECD_TLS_NO_CLIENT_CERTIFICATE: return .noClientCertificate
        case SIPRECD_TLS_UNTRUSTED: return .untrustedCertificate
        case SIPRECD_TLS_EXPIRED: return .expiredCertificate
        case SIPRECD_TLS_NOT_YET_VALID: return .certificateNotYetValid
        case SIPRECD_TLS_NAME_NOT_ALLOWED: return .peerNameNotAllowed
        case SIPRECD_TLS_PROTOCOL_VERSION: return .protocolVersion
        case SIPRECD_TLS_CERTIFICATE_REFUSED_BY_PEER: return .certificateRefusedByPeer
        default: return .other
        }
    }
}
