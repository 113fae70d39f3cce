import LibCrypto
import NIOCore

/// The doors between the server's loop and the TLS loop (whose connections run apart); the work is `TLSPeers`'.
extension SIPServer {
    /// A connection's peer: "ip" and "ip:port".
    typealias Peer = (address: String, description: String)

    /// Runs `body` on the server's loop: at once when already there (UDP, TCP), else queued behind what
    /// the connection delivered before (TLS, whose connections run on their own loop).
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }

    /// "ip:port" of a connection's peer, read while it is open (NIO forgets it once closed).
    static func peer(_ channel: Channel) -> Peer {
        let remote = channel.remoteAddress
        return (remote?.ipAddress ?? "?", remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")
    }

    /// What a TLS connection reports from its loop (handshake finished or refused, a TLS error, a reload's
    /// verdict): its peer is read there, while it is open, and `report` runs on the server's loop.
    func tlsReport(from channel: Channel, _ report: @escaping @Sendable (TLSPeers, Peer) -> Void) {
        let peer = SIPServer.peer(channel)
        onLoop { [self] in report(tlsPeers, peer) }
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
}
