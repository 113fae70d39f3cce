#if canImport(Glibc)
import Glibc
#endif
import Wire

/// Reads RTP from bound UDP sockets with poll(2): one receive per datagram into one fixed buffer.
/// Sockets are bound to the media address, so destinations are keyed by port (wildcard address).
public final class SocketPacketSource: PacketSource {
    private var sockets: [RTPSocket] = []
    /// descriptors[0] is the wake descriptor (fd -1, which poll skips, when there is none); socket i is at i + 1.
    private var descriptors: [pollfd] = [pollfd(fd: -1, events: Int16(POLLIN), revents: 0)]
    public var wakeDescriptor: Int32 = -1 {
        didSet { descriptors[0].fd = wakeDescriptor }
    }
    private let buffer: UnsafeMutableRawBufferPointer
    /// Datagrams read, for the capture loop's own accounting.
    public private(set) var datagrams: Int64 = 0

    public init(maximumDatagram: Int = 65_536) {
        buffer = .allocate(byteCount: maximumDatagram, alignment: 16)
        sockets.reserveCapacity(1024)
        descriptors.reserveCapacity(1024)
    }

    deinit { buffer.deallocate() }

    public func add(_ socket: RTPSocket) {
        sockets.append(socket)
        descriptors.append(pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0))
    }

    public func remove(_ socket: RTPSocket) {
        if let index = sockets.firstIndex(where: { $0 === socket }) {
            sockets.remove(at: index)
            descriptors.remove(at: index + 1)
        }
        socket.close()
    }

    public func poll(timeoutMillis: Int32, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        let ready = descriptors.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMillis) }
        guard ready > 0 else { return }
        if descriptors[0].revents != 0 {
            descriptors[0].revents = 0
            drainWake(wakeDescriptor)
        }
        for index in descriptors.indices.dropFirst() where descriptors[index].revents != 0 {
            descriptors[index].revents = 0
            drain(sockets[index - 1], deliver: deliver)
        }
    }

    public func drain(_ socket: RTPSocket, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        // Bounded so one flooded port cannot starve the others.
        let destination = EndpointKey.anyAddress(port: UInt16(socket.port))
        var sender = sockaddr_storage()
        for _ in 0..<64 {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = withUnsafeMutablePointer(to: &sender) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(socket.descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            datagrams += 1
            deliver(destination, EndpointKey(sender), UnsafeRawBufferPointer(rebasing: buffer[0..<n]), monotonicNanos())
        }
    }
}
