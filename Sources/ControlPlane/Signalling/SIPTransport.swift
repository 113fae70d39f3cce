import LibCrypto
import Logging
import NIOCore
import NIOPosix
import SIPCore
import SystemLayer

/// UDP, TCP and TLS listeners that feed the SIP server. UDP and TCP channels run on the server's event
/// loop; TLS connections on the TLS loop (see `SIPTLS`).
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

    /// A TCP or TLS listener's bootstrap. A burst of connections (an SBC fail-over moving every trunk here,
    /// or a flood) is taken in large gulps: a deep accept queue and many accepts per wake-up.
    private static func streamListener(on group: EventLoopGroup) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1_024)
            .serverChannelOption(.maxMessagesPerRead, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    }

    /// Listens on TCP; each connection is framed by Content-Length.
    public static func bindTCP(host: String, port: Int, server: SIPServer) async throws -> Channel {
        try await streamListener(on: server.eventLoop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SIPStreamHandler(server: server, transport: .tcp))
                }
            }
            .bind(host: host, port: port).get()
    }

    /// Listens for SIP over TLS: each accepted connection gets a session of the server context current at
    /// that moment (a reload affects new connections only), then the same framing, limits and
    /// first-message timeout as TCP. The listener and its connections run on `tls.eventLoop`.
    public static func bindTLS(host: String, port: Int, server: SIPServer, tls: SIPTLS) async throws -> Channel {
        try await streamListener(on: tls.eventLoop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let session = try TLSSession(context: tls.server)
                    try channel.pipeline.syncOperations.addHandlers([
                        TLSHandler(session: session, server: server), SIPStreamHandler(server: server, transport: .tls),
                    ])
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
        let readNanos = monotonicNanos()
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
