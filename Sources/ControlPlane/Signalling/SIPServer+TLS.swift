import LibCrypto
import Logging
import NIOCore
import SIPCore

/// What TLS connections report to the server (from the TLS loop), and the rule that binds a session set up
/// over TLS to TLS and to the certificate of the SRC that set it up.
extension SIPServer {
    /// Runs `body` on the server's loop: at once when already there (UDP, TCP), else queued behind what
    /// the connection delivered before (TLS, whose connections run on their own loop).
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }

    /// "ip:port" of a connection's peer, read while it is open (NIO forgets it once closed).
    static func peer(_ channel: Channel) -> (address: String, description: String) {
        let remote = channel.remoteAddress
        return (remote?.ipAddress ?? "?", remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
    }

    func tlsEstablished(channel: Channel, negotiated: String, peerSubject: String, identity: String, outgoing: Bool) {
        let peer = SIPServer.peer(channel)
        onLoop { [self] in
            statistics.tlsHandshakes += 1
            // Queued before any message of the connection: the identity is known when its first request is handled.
            tlsPeers[ObjectIdentifier(channel)] = identity
            if outgoing {
                // siprecd reconnected to the SRC for these sessions (its certificate passed the peer check):
                // the SRC's requests now come on this connection, under this certificate.
                for dialogID in tcpDialogs[ObjectIdentifier(channel)] ?? [] where dialogs[dialogID]?.overTLS == true {
                    dialogs[dialogID]?.peerIdentity = identity
                }
            }
            notices.log(.info, outgoing ? "SIP/TLS connection to the SRC established" : "SIP/TLS connection established",
                        source: peer.address, metadata: [
                "peer": "\(peer.description)", "tls": "\(negotiated)", "peer_certificate": "\(peerSubject.isEmpty ? "none" : peerSubject)"])
        }
    }

    func tlsHandshakeFailed(_ failure: TLSSession.Failure, channel: Channel) {
        let peer = SIPServer.peer(channel)
        onLoop { [self] in
            statistics.tlsHandshakeFailures[failure.reason.rawValue, default: 0] += 1
            notices.log(.notice, "TLS handshake refused", source: peer.address, metadata: [
                "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
        }
    }

    /// A connection that carried SIP ended on a TLS error (an alert, a record that did not decrypt).
    func tlsConnectionFailed(_ failure: TLSSession.Failure, channel: Channel) {
        let peer = SIPServer.peer(channel)
        onLoop { [self] in
            notices.log(.notice, "SIP/TLS connection closed on a TLS error", source: peer.address, metadata: [
                "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
        }
    }

    func tlsRefusedOnReload(_ failure: TLSSession.Failure, channel: Channel) {
        let peer = SIPServer.peer(channel)
        onLoop { [self] in
            statistics.tlsClosedOnReload += 1
            notices.log(.warning, "closing a SIP/TLS connection: the reloaded [tls] no longer accepts its certificate",
                        source: peer.address, metadata: [
                "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
        }
    }

    /// After a reload: every open TLS connection's certificate is checked against `context` (the new
    /// listeners' context); those it no longer accepts are closed, and their sessions go the way of a
    /// dropped connection (reconnectGrace, then a probe under the new rules).
    public func recheckTLSConnections(with context: TLSContext) {
        eventLoop.preconditionInEventLoop()
        for channel in tcpConnections.tlsChannels {
            channel.triggerUserOutboundEvent(TLSHandler.Recheck(context: context), promise: nil)
        }
    }

    /// A request of a session set up over TLS — in-dialog, its ACK, or a CANCEL of its INVITE — must come
    /// over TLS from the certificate that set it up: one over UDP/TCP, or from another SRC's certificate,
    /// is refused (403; an ACK is dropped). True when it was refused.
    func refusedOutsideItsTLS(_ request: SIPMessage, key: TransactionKey, flow: SIPFlow) -> Bool {
        let identity: String
        if request.method == "CANCEL" {
            var inviteKey = key
            inviteKey.method = "INVITE"
            guard let invite = transactions[inviteKey], invite.flow.transport == .tls else { return false }
            identity = tlsPeers[ObjectIdentifier(invite.flow.channel)] ?? ""
        } else {
            guard request.to?.tag != nil, let dialogID = dialogID(of: request), let dialog = dialogs[dialogID], dialog.overTLS else {
                return false
            }
            identity = dialog.peerIdentity
        }
        if flow.transport == .tls, tlsPeers[ObjectIdentifier(flow.channel)] == identity { return false }
        let why = flow.transport == .tls ? "another certificate than the SRC that set it up" : "it did not come over TLS"
        notices.log(.notice, "request of a SIP/TLS session refused", source: flow.remote.ipAddress ?? "?", metadata: [
            "call_id": "\(request.callID ?? "")", "sip_method": "\(request.method ?? "")", "source": "\(flow.remoteDescription)", "why": "\(why)"])
        statistics.tlsSessionRequestsRefused += 1
        if request.method != "ACK" {
            // Stateless, like the refusal of a source outside [sip] allow: no transaction for an intruder.
            let response = SIPResponseBuilder.response(to: request, statusCode: 403, reason: "Forbidden - this session is protected by TLS: \(why)",
                                                       toTag: nil, extraHeaders: commonHeaders())
            send(response, over: flow)
        }
        return true
    }
}
