/// A SIP listening socket: a transport and an address, written `udp:0.0.0.0:5060`.
public struct ListenAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The SIP transport.
    public enum Transport: String, Sendable, Equatable, Hashable, CaseIterable {
        /// SIP over UDP.
        case udp
        /// SIP over TCP.
        case tcp
        /// SIP over TLS over TCP (RFC 3261 §26.2, `sips:`), with `[tls]`'s certificate.
        case tls

        /// The port a listen address without one gets: 5061 for TLS, 5060 otherwise.
        public var defaultPort: Int { self == .tls ? 5_061 : 5_060 }
    }

    /// The transport.
    public var transport: Transport
    /// The local address to bind.
    public var address: HostPort

    /// Creates a listen address.
    public init(transport: Transport, address: HostPort) {
        self.transport = transport
        self.address = address
    }

    /// Parses `udp:HOST:PORT`, `tcp:HOST:PORT` or `tls:HOST:PORT` (IPv6 as `udp:[::1]:5060`); without a
    /// port, the transport's default (`tls:0.0.0.0` is port 5061). Nil when malformed.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":"),
              let transport = Transport(rawValue: text[..<colon].lowercased()) else { return nil }
        let rest = String(text[text.index(after: colon)...])
        guard let address = HostPort(parsing: rest) ?? HostPort(parsing: "\(rest):\(transport.defaultPort)") else { return nil }
        self.init(transport: transport, address: address)
    }

    /// The same address on UDP and TCP, as the `--sip HOST:PORT` flag sets it.
    public static func udpAndTCP(_ address: HostPort) -> [ListenAddress] {
        [ListenAddress(transport: .udp, address: address), ListenAddress(transport: .tcp, address: address)]
    }

    /// `transport:host:port`.
    public var description: String { "\(transport.rawValue):\(address)" }
}
