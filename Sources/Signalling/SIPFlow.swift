import NIOCore

/// Where a request came from and how to answer it: back to the UDP source address (symmetric
/// response routing, as with rport — RFC 3581), or on the TCP connection it arrived on.
public struct SIPFlow: @unchecked Sendable {
    // @unchecked: `channel` is a NIO Channel (thread-safe); the struct is otherwise plain values.
    public enum Transport: String, Sendable { case udp = "UDP", tcp = "TCP" }
    public var transport: Transport
    public var remote: SocketAddress
    /// The TCP connection, or the UDP socket's channel.
    public var channel: Channel
    /// When the message being handled was read (CLOCK_MONOTONIC ns): where a pause, resume or end it asks
    /// for falls on the recording's timeline, against the RTP's own arrival times.
    public var readNanos: Int64

    public init(transport: Transport, remote: SocketAddress, channel: Channel,
                readNanos: Int64 = Int64(NIODeadline.now().uptimeNanoseconds)) {
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
