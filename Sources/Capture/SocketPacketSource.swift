#if canImport(Glibc)
import Glibc
#endif
import Wire

/// Reads RTP from bound UDP sockets with poll(2): one receive per datagram into one fixed buffer.
/// Sockets are bound to the media address, so destinations are keyed by port (wildcard address).
public final class SocketPacketSource: PacketSource {
    private var sockets: [RTPSocket] = []
    private var descriptors: [pollfd] = []
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
            descriptors.remove(at: index)
        }
        socket.close()
    }

    public func poll(timeoutMillis: Int32, deliver: (EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        if descriptors.isEmpty {
            var pause = timespec(tv_sec: 0, tv_nsec: Int(timeoutMillis) * 1_000_000)
            nanosleep(&pause, nil)
            return
        }
        let ready = descriptors.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMillis) }
        guard ready > 0 else { return }
        for index in descriptors.indices where descriptors[index].revents != 0 {
            descriptors[index].revents = 0
            drain(sockets[index], deliver: deliver)
        }
    }

    public func drain(_ socket: RTPSocket, deliver: (EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        // Bounded so one flooded port cannot starve the others.
        let destination = EndpointKey.anyAddress(port: UInt16(socket.port))
        for _ in 0..<64 {
            let n = recv(socket.descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            datagrams += 1
            deliver(destination, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), monotonicNanos())
        }
    }
}
