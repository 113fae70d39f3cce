/// A SIP listening socket: a transport and an address, written `udp:0.0.0.0:5060`.
public struct ListenAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The SIP transport.
    public enum Transport: String, Sendable, Equatable, Hashable, CaseIterable {
        /// SIP over UDP.
        case udp
        /// SIP over TCP.
        case tcp
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

    /// Parses `udp:HOST:PORT` or `tcp:HOST:PORT` (IPv6 as `udp:[::1]:5060`). Nil when malformed.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":"),
              let transport = Transport(rawValue: text[..<colon].lowercased()),
              let address = HostPort(parsing: String(text[text.index(after: colon)...])) else { return nil }
        self.init(transport: transport, address: address)
    }

    /// The same address on UDP and TCP, as the `--sip HOST:PORT` flag sets it.
    public static func udpAndTCP(_ address: HostPort) -> [ListenAddress] {
        [ListenAddress(transport: .udp, address: address), ListenAddress(transport: .tcp, address: address)]
    }

    /// `transport:host:port`.
    public var description: String { "\(transport.rawValue):\(address)" }
}
