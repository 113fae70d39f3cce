#if canImport(Glibc)
import Glibc
#endif
import SystemLayer
import Wire

/// Reads RTP from bound UDP sockets with poll(2): one receive per datagram into one fixed buffer.
/// Sockets are bound to the media address, so destinations are keyed by port (wildcard address).
/// Each datagram's arrival is the kernel's receive time (SO_TIMESTAMPNS, wall clock, converted to the
/// monotonic clock), not the time this thread got to it.
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
    public private(set) var completeThroughNanos: Int64 = 0
    private var clock = WallClockConverter()
    /// recvmsg's message header, sender address and control buffer: allocated once.
    private let message: UnsafeMutablePointer<msghdr>
    private let vector: UnsafeMutablePointer<iovec>
    private let sender: UnsafeMutablePointer<sockaddr_storage>
    private let control: UnsafeMutableRawBufferPointer
    /// One read drains at most this many datagrams per socket, so one flooded port cannot starve the others.
    static let perSocketBatch = 64

    public init(maximumDatagram: Int = 65_536) {
        buffer = .allocate(byteCount: maximumDatagram, alignment: 16)
        sockets.reserveCapacity(1024)
        descriptors.reserveCapacity(1024)
        message = .allocate(capacity: 1)
        vector = .allocate(capacity: 1)
        sender = .allocate(capacity: 1)
        control = .allocate(byteCount: 64, alignment: 16)
        clock.refresh()
    }

    deinit {
        buffer.deallocate()
        message.deallocate()
        vector.deallocate()
        sender.deallocate()
        control.deallocate()
    }

    public func add(_ socket: RTPSocket) {
        var on: Int32 = 1
        setsockopt(socket.descriptor, SOL_SOCKET, SO_TIMESTAMPNS, &on, socklen_t(MemoryLayout<Int32>.size))
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
        // poll saw every socket's queue at its return: what arrived before then is read below, unless a
        // socket had more than one batch queued (then the horizon waits for the next poll).
        let returned = monotonicNanos()
        if returned - clock.refreshedAt >= 10_000_000 { clock.refresh() }
        guard ready > 0 else {
            completeThroughNanos = returned - 1_000_000
            return
        }
        if descriptors[0].revents != 0 {
            descriptors[0].revents = 0
            drainWake(wakeDescriptor)
        }
        var complete = true
        for index in descriptors.indices.dropFirst() where descriptors[index].revents != 0 {
            descriptors[index].revents = 0
            if drain(sockets[index - 1], now: returned, deliver: deliver) == SocketPacketSource.perSocketBatch { complete = false }
        }
        if complete { completeThroughNanos = returned - 1_000_000 }
    }

    public func drain(_ socket: RTPSocket, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) {
        _ = drain(socket, now: monotonicNanos(), deliver: deliver)
    }

    /// Reads up to one batch of datagrams queued on `socket`; returns how many.
    private func drain(_ socket: RTPSocket, now: Int64, deliver: (EndpointKey, EndpointKey, UnsafeRawBufferPointer, Int64) -> Void) -> Int {
        let destination = EndpointKey.anyAddress(port: UInt16(socket.port))
        var count = 0
        while count < SocketPacketSource.perSocketBatch {
            vector.pointee = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            message.pointee = msghdr()
            message.pointee.msg_name = UnsafeMutableRawPointer(sender)
            message.pointee.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            message.pointee.msg_iov = vector
            message.pointee.msg_iovlen = 1
            message.pointee.msg_control = control.baseAddress
            message.pointee.msg_controllen = control.count
            // Nothing more queued (or the socket failed: the next poll reports it): on to the next socket.
            guard let n = try? FileIO.receiveDatagram(socket.descriptor, message, flags: Int32(MSG_DONTWAIT)) else { return count }
            count += 1
            datagrams += 1
            deliver(destination, EndpointKey(sender.pointee), UnsafeRawBufferPointer(rebasing: buffer[0..<n]),
                    arrival(of: message, now: now))
        }
        return count
    }

    /// The kernel's receive time of the datagram just read, on the monotonic clock; `now` without one.
    private func arrival(of message: UnsafeMutablePointer<msghdr>, now: Int64) -> Int64 {
        guard message.pointee.msg_controllen >= MemoryLayout<cmsghdr>.size, let base = message.pointee.msg_control else { return now }
        let header = base.assumingMemoryBound(to: cmsghdr.self)
        // SCM_TIMESTAMPNS == SO_TIMESTAMPNS on Linux.
        guard header.pointee.cmsg_level == SOL_SOCKET, header.pointee.cmsg_type == SO_TIMESTAMPNS,
              Int(header.pointee.cmsg_len) >= MemoryLayout<cmsghdr>.size + MemoryLayout<timespec>.size else { return now }
        let stamp = (base + MemoryLayout<cmsghdr>.size).loadUnaligned(as: timespec.self)
        let wall = Int64(stamp.tv_sec) &* 1_000_000_000 &+ Int64(stamp.tv_nsec)
        return min(now, clock.arrival(wallNanos: wall, nowNanos: now))
    }
}
