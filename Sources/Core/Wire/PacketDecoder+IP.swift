extension PacketDecoder {
    /// IPv4: the Total Length bounds the payload, so Ethernet padding never reaches UDP/TCP.
    static func decodeIPv4(_ frame: UnsafeRawBufferPointer, at start: Int) -> Result<DecodedPacket, DecodeFailure> {
        guard start >= 0, frame.count - start >= 20 else { return .failure(.truncated) }
        let versionIHL = frame[start]
        guard versionIHL >> 4 == 4 else { return .failure(.notIP) }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= 20 else { return .failure(.badHeader) }
        guard frame.count - start >= headerLength else { return .failure(.truncated) }
        let totalLength = Int(frame.be16(start + 2))
        guard totalLength >= headerLength else { return .failure(.badHeader) }
        guard frame.count - start >= totalLength else { return .failure(.truncated) }

        let protocolNumber = frame[start + 9]
        let source = EndpointKey(ipv4: frame.be32(start + 12), port: 0)
        let destination = EndpointKey(ipv4: frame.be32(start + 16), port: 0)
        let payloadStart = start + headerLength
        let payloadEnd = start + totalLength

        let flagsOffset = frame.be16(start + 6)
        let offset = Int(flagsOffset & 0x1FFF) * 8
        let more = flagsOffset & 0x2000 != 0
        if more || offset != 0 {
            // Even the first fragment is reported as a fragment: its UDP length covers bytes not here.
            guard let transport = TransportProtocol(rawValue: protocolNumber) else { return .failure(.unsupportedTransport) }
            let fragment = IPv4Fragment(identification: frame.be16(start + 4), offset: offset,
                                        moreFragments: more, protocolNumber: protocolNumber)
            return .success(DecodedPacket(source: source, destination: destination, transport: transport,
                                          payloadOffset: payloadStart, payloadLength: payloadEnd - payloadStart,
                                          fragment: fragment))
        }
        return decodeTransport(frame, protocolNumber: protocolNumber, source: source, destination: destination,
                               from: payloadStart, to: payloadEnd)
    }

    /// Extension headers we step over; more than this many is treated as hostile.
    static let maxIPv6ExtensionHeaders = 8

    /// IPv6: Payload Length bounds the payload; extension headers are skipped until UDP/TCP.
    static func decodeIPv6(_ frame: UnsafeRawBufferPointer, at start: Int) -> Result<DecodedPacket, DecodeFailure> {
        guard start >= 0, frame.count - start >= 40 else { return .failure(.truncated) }
        guard frame[start] >> 4 == 6 else { return .failure(.notIP) }
        let payloadLength = Int(frame.be16(start + 4))
        // Zero means a jumbogram (RFC 2675), which no VoIP path produces.
        guard payloadLength > 0 else { return .failure(.badHeader) }
        let end = start + 40 + payloadLength
        guard end <= frame.count else { return .failure(.truncated) }

        let source = EndpointKey(ipv6: UnsafeRawBufferPointer(rebasing: frame[(start + 8)..<(start + 24)]), port: 0)
        let destination = EndpointKey(ipv6: UnsafeRawBufferPointer(rebasing: frame[(start + 24)..<(start + 40)]), port: 0)
        var next = frame[start + 6]
        var cursor = start + 40

        for _ in 0...maxIPv6ExtensionHeaders {
            switch next {
            case 0, 43, 60: // hop-by-hop, routing, destination options: length in 8-byte units, excluding the first 8
                guard end - cursor >= 8 else { return .failure(.badHeader) }
                let length = (Int(frame[cursor + 1]) + 1) * 8
                guard end - cursor >= length else { return .failure(.badHeader) }
                next = frame[cursor]
                cursor += length
            case 51: // authentication header: length in 4-byte units, excluding the first 8
                guard end - cursor >= 8 else { return .failure(.badHeader) }
                let length = (Int(frame[cursor + 1]) + 2) * 4
                guard end - cursor >= length else { return .failure(.badHeader) }
                next = frame[cursor]
                cursor += length
            case 44: // fragment
                guard end - cursor >= 8 else { return .failure(.badHeader) }
                let offsetField = frame.be16(cursor + 2)
                let fragment = IPv6Fragment(identification: frame.be32(cursor + 4), offset: Int(offsetField & 0xFFF8),
                                            moreFragments: offsetField & 1 != 0, nextHeader: frame[cursor])
                next = frame[cursor]
                cursor += 8
                // An atomic fragment (offset 0, no more) is a whole packet (RFC 6946): keep decoding.
                if fragment.offset != 0 || fragment.moreFragments {
                    guard let transport = TransportProtocol(rawValue: next) else { return .failure(.unsupportedTransport) }
                    return .success(DecodedPacket(source: source, destination: destination, transport: transport,
                                                  payloadOffset: cursor, payloadLength: end - cursor,
                                                  ipv6Fragment: fragment))
                }
            default:
                return decodeTransport(frame, protocolNumber: next, source: source, destination: destination,
                                       from: cursor, to: end)
            }
        }
        return .failure(.badHeader)
    }
}
