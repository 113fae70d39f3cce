/// Where the capture thread gets RTP datagrams from: UDP sockets today, libpcap next.
///
/// A source is used by the capture thread only. `poll` waits at most `timeoutMillis` and hands each
/// datagram to `deliver` together with the local port it was addressed to; the bytes are valid only
/// during the call.
public protocol PacketSource: AnyObject {
    /// Starts reading a stream's socket.
    func add(_ socket: RTPSocket)
    /// Stops reading it and closes it.
    func remove(_ socket: RTPSocket)
    /// Waits for traffic and delivers every datagram that is ready.
    func poll(timeoutMillis: Int32, deliver: (_ port: Int, _ bytes: UnsafeRawBufferPointer) -> Void)
    /// Reads what is already queued on one socket without waiting (used before a stream closes).
    func drain(_ socket: RTPSocket, deliver: (_ port: Int, _ bytes: UnsafeRawBufferPointer) -> Void)
}
