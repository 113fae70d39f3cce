import NIOCore
import SystemLayer

/// Where a request came from and how to answer it: back to the UDP source address (symmetric
/// response routing, as with rport — RFC 3581), or on the TCP or TLS connection it arrived on.
public struct SIPFlow: @unchecked Sendable {
    // @unchecked: `channel` is a NIO Channel (thread-safe); the struct is otherwise plain values.
    public enum Transport: String, Sendable {
        case udp = "UDP", tcp = "TCP", tls = "TLS"

        /// TCP and TLS: a connection carries the messages (reliable; responses and requests go on it).
        public var isConnection: Bool { self != .udp }

        /// The `transport` URI parameter of a Contact siprecd sends (RFC 3261 §19.1.1): none for UDP.
        var uriParameter: String {
            switch self {
            case .udp: ""
            case .tcp: ";transport=tcp"
            case .tls: ";transport=tls"
            }
        }
    }
    public var transport: Transport
    public var remote: SocketAddress
    /// The TCP or TLS connection, or the UDP socket's channel.
    public var channel: Channel
    /// When the message being handled was read (CLOCK_MONOTONIC ns): where a pause, resume or end it asks
    /// for falls on the recording's timeline, against the RTP's own arrival times.
    public var readNanos: Int64

    public init(transport: Transport, remote: SocketAddress, channel: Channel,
                readNanos: Int64 = monotonicNanos()) {
        self.transport = transport
        self.remote = remote
        self.channel = channel
        self.readNanos = readNanos
    }

    /// "ip:port" of the peer.
    public var remoteDescription: String {
        "\(remote.ipAddress ?? "?"):\(remote.port ?? 0)"
    }
}
