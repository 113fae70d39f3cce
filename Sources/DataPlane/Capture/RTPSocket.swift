#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket bound to one RTP port: opened by the control plane when a stream is negotiated, then
/// owned and read by the capture thread, which closes it when the stream ends.
public final class RTPSocket: @unchecked Sendable {
    // @unchecked: after hand-over only the capture thread touches the descriptor.
    public let port: Int
    public private(set) var descriptor: Int32
    /// The RTCP port (port + 1), bound and never read: the SRC's RTCP is dropped by the kernel instead of
    /// drawing ICMP port unreachable. -1 when not bound.
    private var rtcpDescriptor: Int32 = -1

    /// Binds a non-blocking UDP socket to host:port (IPv4 or IPv6 literal).
    public init(host: String, port: Int, receiveBuffer: Int32 = 256 * 1024, bindRTCP: Bool = false) throws(CaptureError) {
        self.port = port
        descriptor = try RTPSocket.bindUDP(host: host, port: port, receiveBuffer: receiveBuffer)
        if bindRTCP {
            do {
                rtcpDescriptor = try RTPSocket.bindUDP(host: host, port: port + 1, receiveBuffer: 1)
            } catch {
                Glibc.close(descriptor)
                throw error
            }
        }
    }

    /// A non-blocking UDP socket bound to host:port (IPv4 or IPv6 literal).
    static func bindUDP(host: String, port: Int, receiveBuffer: Int32) throws(CaptureError) -> Int32 {
        let isV6 = host.contains(":")
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .errno(.socket, "cannot open a UDP socket") }
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                Glibc.close(fd)
                throw CaptureError(code: .bind, message: "not an IPv6 address: \(host)")
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                Glibc.close(fd)
                throw CaptureError(code: .bind, message: "not an IPv4 address: \(host)")
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0 else {
            let error = CaptureError.errno(.bind, "cannot bind UDP \(host):\(port)")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Closes the socket; further calls do nothing.
    public func close() {
        if rtcpDescriptor >= 0 { Glibc.close(rtcpDescriptor) }
        rtcpDescriptor = -1
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
