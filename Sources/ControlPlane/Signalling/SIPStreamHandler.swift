import LibCrypto
import NIOCore
import SIPCore
import Synchronization
import SystemLayer

/// One SIP/TCP or SIP/TLS connection (for TLS, behind a `TLSHandler`): admitted through the server's
/// connection table, closed if it delivers no complete SIP message within the first-message timeout
/// (for TLS the handshake counts against it), framed by Content-Length.
///
/// TCP connections run on the server's loop, TLS connections on the TLS loop: everything that touches
/// the server goes through `server.onLoop`, which is immediate on its own loop and keeps the order of a
/// connection's messages from another.
final class SIPStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let server: SIPServer
    let transport: SIPFlow.Transport
    var framer: SIPStreamFramer
    private var firstMessageDeadline: Scheduled<Void>?
    private var tlsEstablished = false
    /// Messages handed to the server's loop and not handled yet. A TLS connection runs on its own loop and
    /// could read faster than the server handles: past `pauseAt` it stops reading until the server caught up.
    private let inFlight = InFlight()
    private var paused = false
    /// The peer does not read its responses (the connection's outbound buffer is past NIO's high water
    /// mark): its requests are not read either until it does, so its answers cannot pile up in memory.
    private var unwritable = false
    static let pauseAt = 32

    init(server: SIPServer, transport: SIPFlow.Transport) {
        self.server = server
        self.transport = transport
        framer = SIPStreamFramer(maxMessageSize: server.settings.maxMessageSize)
    }

    private var kind: String { transport == .tls ? "SIP/TLS" : "SIP/TCP" }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel, server = self.server, kind = self.kind, transport = self.transport
        // A peer outside `[sip] allow` is closed at accept, before any handshake.
        if let address = channel.remoteAddress?.ipAddress, !server.settings.isAllowed(address) {
            server.onLoop {
                server.statistics.refusedFromDisallowedSources += 1
                server.notices.log(.notice, "closing a \(kind) connection from a source outside [sip] allow", source: address,
                                   metadata: ["peer": "\(address)"])
            }
            context.close(promise: nil)
            return
        }
        let peer = SIPServer.peer(channel)
        server.onLoop { server.admit(channel, transport: transport, peer: peer) }
        guard channel.isActive else { return }   // refused at once (TCP runs on the server's loop)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        firstMessageDeadline = context.eventLoop.scheduleTask(in: .nanoseconds(server.settings.tcpFirstMessageTimeout.nanoseconds)) {
            handler.value.firstMessageTimedOut(channel)
        }
        context.fireChannelActive()
    }

    private func firstMessageTimedOut(_ channel: Channel) {
        let server = self.server, kind = self.kind
        let handshaking = transport == .tls && !tlsEstablished
        let (address, peer) = SIPServer.peer(channel)
        server.onLoop {
            guard server.tcpConnections.isSilent(channel) else { return }
            server.statistics.tcpTimedOut += 1
            if handshaking {
                server.statistics.tlsHandshakeFailures[TLSSession.FailureReason.timeout.rawValue, default: 0] += 1
                server.notices.log(.notice, "TLS handshake refused", source: address, metadata: [
                    "peer": "\(peer)", "reason": "\(TLSSession.FailureReason.timeout.rawValue)",
                    "detail": "no complete handshake within tcpFirstMessageTimeout"])
            } else {
                server.notices.log(.notice, "closing a \(kind) connection that sent nothing within tcpFirstMessageTimeout",
                                   source: address, metadata: ["peer": "\(peer)"])
            }
            channel.close(promise: nil)
        }
    }

    /// On the connection's loop: reading resumes once the server's loop has handled what was queued.
    private func resumeIfCaughtUp(_ channel: Channel) {
        guard paused, inFlight.count.load(ordering: .relaxed) == 0 else { return }
        paused = false
        updateReading(channel)
    }

    /// Reads while the server keeps up and the peer takes its answers.
    private func updateReading(_ channel: Channel) {
        _ = channel.setOption(ChannelOptions.autoRead, value: !paused && !unwritable)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        unwritable = !context.channel.isWritable
        updateReading(context.channel)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandler.Established { tlsEstablished = true }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        firstMessageDeadline?.cancel()
        let channel = context.channel, server = self.server
        server.onLoop {
            server.tcpConnections.closed(channel)
            server.connectionClosed(channel)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let readNanos = monotonicNanos()
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let remote = context.remoteAddress else { return }
        let flow = SIPFlow(transport: transport, remote: remote, channel: context.channel, readNanos: readNanos)
        let server = self.server, channel = context.channel, inFlight = self.inFlight
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        do {
            while let message = try framer.next() {
                let first = firstMessageDeadline != nil
                if let deadline = firstMessageDeadline {
                    deadline.cancel()
                    firstMessageDeadline = nil
                }
                inFlight.count.add(1, ordering: .relaxed)
                server.onLoop {
                    if first { server.tcpConnections.spoke(channel) }
                    server.statistics.messagesReceived += 1
                    server.receive(message: message, flow: flow)
                    if inFlight.count.subtract(1, ordering: .relaxed).newValue == 0, !channel.eventLoop.inEventLoop {
                        channel.eventLoop.execute { handler.value.resumeIfCaughtUp(channel) }
                    }
                }
            }
            if inFlight.count.load(ordering: .relaxed) >= SIPStreamHandler.pauseAt, !paused {
                paused = true
                updateReading(context.channel)
            }
            // RFC 5626 §3.5.1: a double-CRLF ping gets a single-CRLF pong, and counts as life: the
            // first-message timeout no longer applies (the connection stays evictable while it has sent
            // no SIP message, so keep-alives cannot pin the table).
            let pings = framer.takeKeepAlivePings()
            if pings > 0 {
                var pong = context.channel.allocator.buffer(capacity: 2 * pings)
                for _ in 0..<pings { pong.writeString("\r\n") }
                context.writeAndFlush(NIOAny(pong), promise: nil)
                if let deadline = firstMessageDeadline {
                    deadline.cancel()
                    firstMessageDeadline = nil
                }
            }
        } catch {
            // The stream cannot be resynchronised after a framing error: answer if possible, then close.
            let kind = self.kind
            server.onLoop {
                server.statistics.malformed += 1
                server.notices.log(.notice, "closing \(kind) connection after a framing error", source: flow.remote.ipAddress ?? "?", metadata: [
                    "source": "\(flow.remoteDescription)", "error": "\(error.message)"])
            }
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// A count shared by a connection's loop and the server's.
final class InFlight: Sendable {
    let count = Atomic<Int>(0)
}

extension SIPServer {
    /// A connection was accepted (or made by siprecd): admitted, admitted after evicting the oldest silent
    /// one, or refused when the table is full of connections that have spoken. `peer`: its address, read
    /// while it was open.
    func admit(_ channel: Channel, transport: SIPFlow.Transport, peer: (address: String, description: String)) {
        let kind = transport == .tls ? "SIP/TLS" : "SIP/TCP"
        switch tcpConnections.opened(channel, transport: transport) {
        case .admitted:
            break
        case .admittedEvicting(let victim):
            statistics.tcpEvicted += 1
            notices.log(.notice, "closing the oldest silent SIP connection to make room (maxTcpConnections)",
                        source: SIPServer.peer(victim).address, metadata: ["peer": "\(SIPServer.peer(victim).description)"])
            victim.close(promise: nil)
        case .refused:
            statistics.tcpRefused += 1
            notices.log(.notice, "refusing a \(kind) connection: maxTcpConnections reached and every connection has spoken",
                        source: peer.address, metadata: ["peer": "\(peer.description)"])
            channel.close(promise: nil)
        }
    }
}
