import Logging
import NIOCore
import NIOPosix
import SIPCore

/// UDP and TCP listeners that feed the SIP server. Every channel runs on the server's event loop.
public enum SIPTransport {
    /// Binds a UDP socket; datagrams up to 64 KB.
    public static func bindUDP(host: String, port: Int, server: SIPServer) async throws -> Channel {
        // No SO_REUSEADDR: on UDP it would let a second siprecd bind the same port and steal datagrams.
        try await DatagramBootstrap(group: server.eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPHandler(server: server))
                }
            }
            .bind(host: host, port: port).get()
    }

    /// Listens on TCP; each connection is framed by Content-Length.
    public static func bindTCP(host: String, port: Int, server: SIPServer) async throws -> Channel {
        try await ServerBootstrap(group: server.eventLoop)
            // A burst of connections (an SBC fail-over moving every trunk here, or a flood) is taken in
            // large gulps: a deep accept queue and many accepts per wake-up.
            .serverChannelOption(.backlog, value: 1_024)
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TCPHandler(server: server))
                }
            }
            .bind(host: host, port: port).get()
    }
}

final class UDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let server: SIPServer

    init(server: SIPServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let readNanos = Int64(NIODeadline.now().uptimeNanoseconds)
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let flow = SIPFlow(transport: .udp, remote: envelope.remoteAddress, channel: context.channel, readNanos: readNanos)
        server.receive(bytes: bytes, flow: flow)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A failed send (ICMP unreachable) must not close the listening socket.
        server.logger.debug("UDP error: \(error)")
    }
}

/// One SIP/TCP connection: admitted through the server's connection table, closed if it sends no
/// complete SIP message within the first-message timeout, framed by Content-Length.
final class TCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let server: SIPServer
    var framer: SIPStreamFramer
    private var firstMessageDeadline: Scheduled<Void>?

    init(server: SIPServer) {
        self.server = server
        framer = SIPStreamFramer(maxMessageSize: server.settings.maxMessageSize)
    }

    func channelActive(context: ChannelHandlerContext) {
        // A peer outside `[sip] allow` is closed at accept (siprecd's own outbound connections are to SRCs).
        if let address = context.channel.remoteAddress?.ipAddress, !server.settings.isAllowed(address) {
            server.statistics.refusedFromDisallowedSources += 1
            server.notices.log(.notice, "closing a SIP/TCP connection from a source outside [sip] allow", source: address,
                               metadata: ["peer": "\(address)"])
            context.close(promise: nil)
            return
        }
        let table = server.tcpConnections
        switch table.opened(context.channel) {
        case .admitted:
            break
        case .admittedEvicting(let victim):
            server.statistics.tcpEvicted += 1
            server.notices.log(.notice, "closing the oldest silent SIP/TCP connection to make room (maxTcpConnections)",
                               source: victim.remoteAddress?.ipAddress ?? "?", metadata: [
                "peer": "\(victim.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")"])
            victim.close(promise: nil)
        case .refused:
            server.statistics.tcpRefused += 1
            server.notices.log(.notice, "refusing a SIP/TCP connection: maxTcpConnections reached and every connection has spoken",
                               source: context.channel.remoteAddress?.ipAddress ?? "?", metadata: [
                "peer": "\(context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")"])
            context.close(promise: nil)
            return
        }
        let channel = context.channel, server = self.server
        firstMessageDeadline = context.eventLoop.scheduleTask(in: .nanoseconds(server.settings.tcpFirstMessageTimeout.nanoseconds)) {
            guard table.isSilent(channel) else { return }
            server.statistics.tcpTimedOut += 1
            server.notices.log(.notice, "closing a SIP/TCP connection that sent nothing within tcpFirstMessageTimeout",
                               source: channel.remoteAddress?.ipAddress ?? "?", metadata: [
                "peer": "\(channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?")"])
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        firstMessageDeadline?.cancel()
        server.tcpConnections.closed(context.channel)
        server.connectionClosed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let readNanos = Int64(NIODeadline.now().uptimeNanoseconds)
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let remote = context.remoteAddress else { return }
        let flow = SIPFlow(transport: .tcp, remote: remote, channel: context.channel, readNanos: readNanos)
        do {
            while let message = try framer.next() {
                if let deadline = firstMessageDeadline {
                    deadline.cancel()
                    firstMessageDeadline = nil
                    server.tcpConnections.spoke(context.channel)
                }
                server.statistics.messagesReceived += 1
                server.receive(message: message, flow: flow)
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
            server.statistics.malformed += 1
            server.notices.log(.notice, "closing SIP/TCP connection after a framing error", source: flow.remote.ipAddress ?? "?", metadata: [
                "source": "\(flow.remoteDescription)", "error": "\(error.message)"])
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
