import Wire

/// Where the capture thread gets RTP datagrams from: UDP sockets, live libpcap, or a capture file.
///
/// A source is used by the capture thread only. `poll` waits at most `timeoutMillis` and hands each
/// datagram's UDP payload to `deliver` with its destination (the stream lookup key) and its arrival time
/// in nanoseconds on the monotonic clock; the bytes are valid only during the call.
public protocol PacketSource: AnyObject {
    /// Starts reading a stream's socket (socket sources); pcap sources ignore sockets.
    func add(_ socket: RTPSocket)
    /// Stops reading it and closes it.
    func remove(_ socket: RTPSocket)
    /// Waits for traffic and delivers every datagram that is ready.
    func poll(timeoutMillis: Int32, deliver: (_ destination: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) -> Void)
    /// Reads what is already queued for one socket without waiting (used before a stream closes).
    func drain(_ socket: RTPSocket, deliver: (_ destination: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) -> Void)
}
