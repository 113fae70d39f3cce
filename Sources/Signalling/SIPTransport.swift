import Logging
import NIOCore
import NIOPosix
import SIPCore

/// UDP and TCP listeners that feed the SIP server. Every channel runs on the server's event loop.
public enum SIPTransport {
    /// Binds a UDP socket; datagrams up to 64 KB.
    public static func bindUDP(host: String, port: Int, server: SIPServer) async throws -> Channel {
        try await DatagramBootstrap(group: server.eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
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
            .serverChannelOption(.backlog, value: 256)
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
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let flow = SIPFlow(transport: .udp, remote: envelope.remoteAddress, channel: context.channel)
        server.receive(bytes: bytes, flow: flow)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A failed send (ICMP unreachable) must not close the listening socket.
        server.logger.debug("UDP error: \(error)")
    }
}

final class TCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let server: SIPServer
    var framer: SIPStreamFramer

    init(server: SIPServer) {
        self.server = server
        framer = SIPStreamFramer(maxMessageSize: server.settings.maxMessageSize)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let remote = context.remoteAddress else { return }
        let flow = SIPFlow(transport: .tcp, remote: remote, channel: context.channel)
        do {
            while let message = try framer.next() {
                server.statistics.messagesReceived += 1
                server.receive(message: message, flow: flow)
            }
        } catch {
            // The stream cannot be resynchronised after a framing error: answer if possible, then close.
            server.statistics.malformed += 1
            server.logger.notice("closing SIP/TCP connection after a framing error", metadata: [
                "source": "\(flow.remoteDescription)", "error": "\(error.message)"])
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
