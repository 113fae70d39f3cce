/// A complete IPv4 datagram payload rebuilt from its fragments.
public struct ReassembledDatagram: Sendable, Equatable {
    /// Sender address (port 0: ports are inside `payload`).
    public var source: EndpointKey
    public var destination: EndpointKey
    public var identification: UInt16
    public var protocolNumber: UInt8
    /// The whole IP payload, starting with the transport header.
    public var payload: [UInt8]

    public init(source: EndpointKey, destination: EndpointKey, identification: UInt16, protocolNumber: UInt8, payload: [UInt8]) {
        self.source = source
        self.destination = destination
        self.identification = identification
        self.protocolNumber = protocolNumber
        self.payload = payload
    }
}

/// A UDP datagram taken out of a reassembled IP payload.
public struct ReassembledUDP: Sendable, Equatable {
    public var source: EndpointKey
    public var destination: EndpointKey
    public var payload: [UInt8]

    public init(source: EndpointKey, destination: EndpointKey, payload: [UInt8]) {
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}

extension IPv4FragmentReassembler {
    /// Parses the UDP header of a reassembled datagram; nil if it is not UDP or the UDP length
    /// disagrees with the reassembled size.
    public static func udp(fromReassembled datagram: ReassembledDatagram) -> ReassembledUDP? {
        let bytes = datagram.payload
        guard datagram.protocolNumber == TransportProtocol.udp.rawValue, bytes.count >= 8 else { return nil }
        let length = Int(bytes[4]) << 8 | Int(bytes[5])
        guard length >= 8, length <= bytes.count else { return nil }
        var source = datagram.source
        var destination = datagram.destination
        source.port = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        destination.port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        return ReassembledUDP(source: source, destination: destination, payload: Array(bytes[8..<length]))
    }
}
