import LibCrypto
import Logging
import NIOCore
import SIPCore

/// The certificate identities of the open SIP/TLS connections, what their handshakes report, and the rule
/// that binds a session set up over TLS to TLS and to the certificate of the SRC that set it up.
///
/// Confined to the SIP server's event loop; TLS connections run on their own loop and reach it through
/// `SIPServer.tlsReport`. Owned by the server (unowned back-reference).
final class TLSPeers: @unchecked Sendable {
    // @unchecked: every mutable property is touched only on the server's event loop.
    unowned let server: SIPServer
    /// The certificate identity ("subject / issuer") of each open TLS connection, once its handshake finished.
    private var identities: [ObjectIdentifier: String] = [:]

    init(server: SIPServer) {
        self.server = server
    }

    /// The identity of the certificate `channel`'s peer presented; nil before its handshake or without TLS.
    func identity(of channel: Channel) -> String? { identities[ObjectIdentifier(channel)] }

    /// The connection closed.
    func forget(_ channel: Channel) { identities[ObjectIdentifier(channel)] = nil }

    func established(_ channel: Channel, peer: SIPServer.Peer, negotiated: String, peerSubject: String, identity: String, outgoing: Bool) {
        server.statistics.tlsHandshakes += 1
        // Queued before any message of the connection: the identity is known when its first request is handled.
        identities[ObjectIdentifier(channel)] = identity
        if outgoing {
            // siprecd reconnected to the SRC for these sessions (its certificate passed the peer check):
            // the SRC's requests now come on this connection, under this certificate.
            let sessions = server.sessions
            for dialogID in sessions.byConnection[ObjectIdentifier(channel)] ?? [] where sessions.dialogs[dialogID]?.overTLS == true {
                sessions.dialogs[dialogID]?.peerIdentity = identity
            }
        }
        server.notices.log(.info, outgoing ? "SIP/TLS connection to the SRC established" : "SIP/TLS connection established",
                           source: peer.address, metadata: [
                               "peer": "\(peer.description)", "tls": "\(negotiated)", "peer_certificate": "\(peerSubject.isEmpty ? "none" : peerSubject)"])
    }

    func handshakeFailed(_ failure: TLSSession.Failure, peer: SIPServer.Peer) {
        server.statistics.tlsHandshakeFailures[failure.reason.rawValue, default: 0] += 1
        server.notices.log(.notice, "TLS handshake refused", source: peer.address, metadata: [
            "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
    }

    /// A connection that carried SIP ended on a TLS error (an alert, a record that did not decrypt).
    func connectionFailed(_ failure: TLSSession.Failure, peer: SIPServer.Peer) {
        server.notices.log(.notice, "SIP/TLS connection closed on a TLS error", source: peer.address, metadata: [
            "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
    }

    func refusedOnReload(_ failure: TLSSession.Failure, peer: SIPServer.Peer) {
        server.statistics.tlsClosedOnReload += 1
        server.notices.log(.warning, "closing a SIP/TLS connection: the reloaded [tls] no longer accepts its certificate",
                           source: peer.address, metadata: [
                               "peer": "\(peer.description)", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
    }

    /// A request of a session set up over TLS — in-dialog, its ACK, or a CANCEL of its INVITE — must come
    /// over TLS from the certificate that set it up: one over UDP/TCP, or from another SRC's certificate,
    /// is refused (403; an ACK is dropped). True when it was refused.
    func refusesOutsideItsTLS(_ request: SIPMessage, key: TransactionKey, flow: SIPFlow) -> Bool {
        let identity: String
        if request.method == "CANCEL" {
            var inviteKey = key
            inviteKey.method = "INVITE"
            guard let invite = server.transactions[inviteKey], invite.flow.transport == .tls else { return false }
            identity = self.identity(of: invite.flow.channel) ?? ""
        } else {
            let sessions = server.sessions
            guard request.to?.tag != nil, let dialogID = sessions.dialogID(of: request), let dialog = sessions.dialogs[dialogID],
                  dialog.overTLS else {
                return false
            }
            identity = dialog.peerIdentity
        }
        if flow.transport == .tls, self.identity(of: flow.channel) == identity { return false }
        let why = flow.transport == .tls ? "another certificate than the SRC that set it up" : "it did not come over TLS"
        server.notices.log(.notice, "request of a SIP/TLS session refused", source: flow.remote.ipAddress ?? "?", metadata: [
            "call_id": "\(request.callID ?? "")", "sip_method": "\(request.method ?? "")", "source": "\(flow.remoteDescription)", "why": "\(why)"])
        server.statistics.tlsSessionRequestsRefused += 1
        if request.method != "ACK" {
            // Stateless, like the refusal of a source outside [sip] allow: no transaction for an intruder.
            let response = SIPResponseBuilder.response(to: request, statusCode: 403, reason: "Forbidden - this session is protected by TLS: \(why)",
                                                       toTag: nil, extraHeaders: server.commonHeaders())
            server.send(response, over: flow)
        }
        return true
    }
}
