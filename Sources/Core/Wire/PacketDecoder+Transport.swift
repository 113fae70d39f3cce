extension PacketDecoder {
    /// UDP or TCP inside an IP payload spanning `from..<to` (already checked to lie within the frame).
    static func decodeTransport(_ frame: UnsafeRawBufferPointer, protocolNumber: UInt8,
                                source: EndpointKey, destination: EndpointKey,
                                from: Int, to: Int) -> Result<DecodedPacket, DecodeFailure> {
        var source = source
        var destination = destination
        let available = to - from
        switch protocolNumber {
        case TransportProtocol.udp.rawValue:
            guard available >= 8 else { return .failure(.truncated) }
            // The UDP length bounds the payload too: trailing bytes inside the IP payload are not data.
            let udpLength = Int(frame.be16(from + 4))
            guard udpLength >= 8, udpLength <= available else { return .failure(.badHeader) }
            source.port = frame.be16(from)
            destination.port = frame.be16(from + 2)
            return .success(DecodedPacket(source: source, destination: destination, transport: .udp,
                                          payloadOffset: from + 8, payloadLength: udpLength - 8))
        case TransportProtocol.tcp.rawValue:
            guard available >= 20 else { return .failure(.truncated) }
            let headerLength = Int(frame[from + 12] >> 4) * 4
            guard headerLength >= 20, headerLength <= available else { return .failure(.badHeader) }
            source.port = frame.be16(from)
            destination.port = frame.be16(from + 2)
            return .success(DecodedPacket(source: source, destination: destination, transport: .tcp,
                                          payloadOffset: from + headerLength, payloadLength: available - headerLength,
                                          tcpSequence: frame.be32(from + 4), tcpFlags: frame[from + 13]))
        default:
            return .failure(.unsupportedTransport)
        }
    }
}
