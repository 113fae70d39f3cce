import SystemLayer
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Where the capture thread gets RTP datagrams from: UDP sockets, live libpcap, or a capture file.
///
/// A source is used by the capture thread only. `poll` waits at most `timeoutMillis` and hands each
/// datagram's UDP payload to `deliver` with its destination (the stream lookup key), its sender and its arrival time
/// in nanoseconds on the monotonic clock; the bytes are valid only during the call.
public protocol PacketSource: AnyObject {
    /// A descriptor `poll` also waits on (the read end of the media engine's wake pipe, -1 for none): when
    /// it becomes readable the source reads it empty and returns, so a command for the capture thread
    /// (a new recording's streams) is applied at once instead of after the poll timeout.
    var wakeDescriptor: Int32 { get set }
    /// Every datagram that arrived before this monotonic instant has been delivered (as of the last
    /// `poll`): a pause or end stamped earlier can be placed without waiting for more packets. Arrival
    /// times are the kernel's receive times, so a datagram that waited in a buffer while the capture
    /// thread was busy still counts as having arrived when it did.
    var completeThroughNanos: Int64 { get }
    /// Starts reading a stream's socket (socket sources); pcap sources ignore sockets.
    func add(_ socket: RTPSocket)
    /// Stops reading it and closes it.
    func remove(_ socket: RTPSocket)
    /// Waits for traffic and hands every datagram that is ready to `sink` (the capture thread's path:
    /// sources that can avoid copying do so here).
    func poll(timeoutMillis: Int32, sink: any PacketSink)
    /// Waits for traffic and delivers every datagram that is ready.
    func poll(timeoutMillis: Int32, deliver: (_ destination: EndpointKey, _ source: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) -> Void)
    /// Reads what is already queued for one socket without waiting (used before a stream closes).
    func drain(_ socket: RTPSocket, deliver: (_ destination: EndpointKey, _ source: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64) -> Void)
}

/// The capture thread's receiver of datagrams (the media engine). A class-bound protocol so a source can
/// keep it in preallocated state and call it from a C callback without allocating.
public protocol PacketSink: AnyObject {
    func deliver(_ destination: EndpointKey, _ source: EndpointKey, _ payload: UnsafeRawBufferPointer, _ arrivalNanos: Int64)
}

/// Empties a non-blocking wake descriptor.
public func drainWake(_ descriptor: Int32) {
    var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    // Until it would block (or fails: a wake pipe that cannot be read has nothing to say).
    while case .bytes? = withUnsafeMutableBytes(of: &bytes, { buffer in try? FileIO.read(descriptor, into: buffer) }) {}
}

extension PacketSource {
    public func poll(timeoutMillis: Int32, sink: any PacketSink) {
        poll(timeoutMillis: timeoutMillis) { destination, source, payload, arrival in sink.deliver(destination, source, payload, arrival) }
    }
}
