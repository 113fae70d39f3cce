import LibCrypto
import Logging
import NIOCore

/// What TLS connections report to the server (from the TLS loop): handshakes that finished or failed.
extension SIPServer {
    /// Runs `body` on the server's loop: at once when already there (UDP, TCP), else queued behind what
    /// the connection delivered before (TLS, whose connections run on their own loop).
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }

    func tlsEstablished(channel: Channel, negotiated: String, peerSubject: String, outgoing: Bool) {
        // Read here, while the connection is open: by the time the server's loop runs it may not be.
        let address = channel.remoteAddress
        let peer = address.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        onLoop { [self] in
            statistics.tlsHandshakes += 1
            notices.log(.info, outgoing ? "SIP/TLS connection to the SRC established" : "SIP/TLS connection established",
                        source: address?.ipAddress ?? "?", metadata: [
                "peer": "\(peer)", "tls": "\(negotiated)", "peer_certificate": "\(peerSubject.isEmpty ? "none" : peerSubject)"])
        }
    }

    func tlsHandshakeFailed(_ failure: TLSSession.Failure, channel: Channel) {
        let address = channel.remoteAddress
        let peer = address.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        onLoop { [self] in
            statistics.tlsHandshakeFailures[failure.reason.rawValue, default: 0] += 1
            notices.log(.notice, "TLS handshake refused", source: address?.ipAddress ?? "?", metadata: [
                "peer": "\(peer)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
        }
    }
}
