import Wire

#if canImport(Glibc)
import Glibc
#endif

extension EndpointKey {
    /// The sender recvfrom(2) filled in (AF_INET or AF_INET6); the zero key for any other family.
    init(_ address: sockaddr_storage) {
        var address = address
        switch Int32(address.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: &address) { raw in
                let v4 = raw.load(as: sockaddr_in.self)
                return EndpointKey(ipv4: UInt32(bigEndian: v4.sin_addr.s_addr), port: UInt16(bigEndian: v4.sin_port))
            }
        case AF_INET6:
            self = withUnsafeBytes(of: &address) { raw in
                var v6 = raw.load(as: sockaddr_in6.self)
                let port = UInt16(bigEndian: v6.sin6_port)
                return withUnsafeBytes(of: &v6.sin6_addr) { EndpointKey(ipv6: $0, port: port) }
            }
        default:
            self = EndpointKey(addressHigh: 0, addressLow: 0, port: 0)
        }
    }
}
