import LibCrypto
import NIOCore

/// TLS on a SIP connection, in front of the SIP stream framing: ciphertext from the socket goes into the
/// connection's `TLSSession` and plaintext comes out to the next handler; plaintext written by the SIP
/// server leaves encrypted. A handshake that fails is refused there — counted and logged with the peer
/// and the reason by the server, an alert sent, the connection closed — and never reaches SIP.
final class TLSHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline when the handshake has finished (the stream handler's first-message timer
    /// then knows a timeout is not a handshake's).
    struct Established {}

    /// Sent to an open connection after a reload: its peer's certificate is checked against the new
    /// context, and the connection closed if the new `[tls]` no longer accepts it.
    struct Recheck: Sendable {
        let context: TLSContext
    }

    /// What siprecd's own connection checks of the SRC once the chain verified (its Contact's host, or the
    /// identity of the SRC that set up the session): a failure refuses the connection.
    typealias PeerCheck = @Sendable (TLSSession) -> TLSSession.Failure?

    private enum State { case handshaking, open, closing, closed }

    private let session: TLSSession
    private let server: SIPServer
    private let peerCheck: PeerCheck?
    private var state = State.handshaking
    private var receivedAny = false
    private var receivedPlaintext = false
    /// Plaintext written before the handshake finished (siprecd's own connections to an SRC).
    private var waiting: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    /// Largest plaintext read in one go (one TLS record).
    private static let readSize = 16_384

    init(session: TLSSession, server: SIPServer, peerCheck: PeerCheck? = nil) {
        self.session = session
        self.server = server
        self.peerCheck = peerCheck
    }

    func channelActive(context: ChannelHandlerContext) {
        // siprecd's own connection speaks first (ClientHello); a listener's waits for the SRC's.
        if !session.context.isServer { advanceHandshake(context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard state != .closed else { return }
        if !receivedAny, session.context.isServer, let first = buffer.readableBytesView.first, first != 0x16 {
            let shown = first >= 0x20 && first < 0x7F ? "'\(Character(Unicode.Scalar(first)))'" : "0x\(String(first, radix: 16))"
            fail(context, TLSSession.Failure(reason: .notTLS, detail: "the first byte is \(shown), not a TLS handshake (0x16): plain SIP sent to the TLS port?"))
            return
        }
        receivedAny = true
        buffer.withUnsafeReadableBytes { session.feed($0) }
        if state == .handshaking {
            advanceHandshake(context)
            guard state == .open else { return }
        }
        readPlaintext(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state == .handshaking, receivedAny {
            let failure = TLSSession.Failure(reason: .other, detail: "the peer closed the connection during the handshake")
            server.tlsReport(from: context.channel) { peers, peer in peers.handshakeFailed(failure, peer: peer) }
        }
        state = .closed
        failWaiting(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .handshaking:
            waiting.append((buffer, promise))
        case .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        case .open, .closing:
            encrypt(buffer, context: context, promise: promise)
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let recheck = event as? Recheck else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed(())
        guard state == .open, let failure = session.recheck(against: recheck.context) else { return }
        server.tlsReport(from: context.channel) { peers, peer in peers.refusedOnReload(failure, peer: peer) }
        session.shutdown()
        sendCiphertext(context, promise: nil, flush: true)
        state = .closed
        context.close(promise: nil)
    }

    func flush(context: ChannelHandlerContext) {
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if state == .open || state == .closing, mode == .all {
            session.shutdown()
            sendCiphertext(context, promise: nil, flush: true)
        }
        // Closed by siprecd (first-message timeout, eviction, shutdown): not a handshake failure of the peer.
        if mode == .all { state = .closed }
        failWaiting(ChannelError.ioOnClosedChannel)
        context.close(mode: mode, promise: promise)
    }

    // MARK: Handshake

    private func advanceHandshake(_ context: ChannelHandlerContext) {
        switch session.handshake() {
        case .needsMore:
            sendCiphertext(context, promise: nil, flush: true)
        case .finished:
            if let failure = peerCheck?(session) {
                session.shutdown()
                sendCiphertext(context, promise: nil, flush: true)
                fail(context, failure)
                return
            }
            state = .open
            sendCiphertext(context, promise: nil, flush: true)
            let channel = context.channel, negotiated = session.negotiated, subject = session.peerSubject
            let identity = session.peerIdentity, outgoing = !session.context.isServer
            server.tlsReport(from: channel) { peers, peer in
                peers.established(channel, peer: peer, negotiated: negotiated, peerSubject: subject, identity: identity, outgoing: outgoing)
            }
            context.fireUserInboundEventTriggered(Established())
            let queued = waiting
            waiting = []
            for (buffer, promise) in queued { encrypt(buffer, context: context, promise: promise) }
            if !queued.isEmpty { context.flush() }
        case .failed(let failure):
            sendCiphertext(context, promise: nil, flush: true)   // the alert, so the SRC's log says why too
            fail(context, failure)
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ failure: TLSSession.Failure) {
        state = .closed
        server.tlsReport(from: context.channel) { peers, peer in peers.handshakeFailed(failure, peer: peer) }
        failWaiting(failure)
        context.close(promise: nil)
    }

    // MARK: Records

    private func readPlaintext(_ context: ChannelHandlerContext) {
        while state == .open, session.hasInput {
            var buffer = context.channel.allocator.buffer(capacity: TLSHandler.readSize)
            var result = TLSSession.ReadResult.needsMore
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: TLSHandler.readSize) { raw in
                result = session.read(into: raw)
                if case .bytes(let count) = result { return count }
                return 0
            }
            switch result {
            case .bytes:
                receivedPlaintext = true
                context.fireChannelRead(wrapInboundOut(buffer))
            case .needsMore:
                break
            case .closed:
                // The peer's close_notify. Close once the server's loop has written the responses to what came
                // before it (they queue ahead of this close); close() answers with our close_notify.
                state = .closing
                let channel = context.channel
                server.onLoop { channel.close(promise: nil) }
                return
            case .failed:
                // An alert or a bad record: before any SIP, it is how a TLS 1.3 SRC refuses siprecd's client
                // certificate (its check comes after siprecd's handshake finished).
                let failure = session.readFailure()
                if receivedPlaintext {
                    server.tlsReport(from: context.channel) { peers, peer in peers.connectionFailed(failure, peer: peer) }
                } else {
                    server.tlsReport(from: context.channel) { peers, peer in peers.handshakeFailed(failure, peer: peer) }
                }
                state = .closed
                context.close(promise: nil)
                return
            }
            if case .needsMore = result { break }
        }
        // Post-handshake messages (TLS 1.3 tickets, key updates) may have produced records to send.
        if session.pendingOutput > 0 { sendCiphertext(context, promise: nil, flush: true) }
        session.trim()
    }

    private func encrypt(_ buffer: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let written = buffer.withUnsafeReadableBytes { session.write($0) }
        guard written else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
            return
        }
        sendCiphertext(context, promise: promise, flush: false)
    }

    private func sendCiphertext(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>?, flush: Bool) {
        let pending = session.pendingOutput
        if pending > 0 {
            var out = context.channel.allocator.buffer(capacity: pending)
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { session.drain(into: $0) }
            context.write(wrapOutboundOut(out), promise: promise)
            session.trim()
        } else {
            promise?.succeed(())
        }
        if flush { context.flush() }
    }

    private func failWaiting(_ error: Error) {
        let queued = waiting
        waiting = []
        for (_, promise) in queued { promise?.fail(error) }
    }
}

extension TLSSession.Failure: CustomStringConvertible {
    public var description: String { "\(reason.rawValue): \(detail)" }
}
