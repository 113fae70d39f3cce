import Wire

extension FrameBuilder {
    /// An IPv4 or IPv6 packet around `transport`.
    static func ipPacket(from: EndpointKey, to: EndpointKey, protocolNumber: UInt8, transport: [UInt8],
                         ipID: UInt16, ipv6Extensions: [UInt8]) -> [UInt8] {
        if from.isIPv4 && to.isIPv4 {
            return ipv4Header(from: from, to: to, protocolNumber: protocolNumber, payloadLength: transport.count,
                              ipID: ipID, flagsOffset: 0x4000) + transport // DF, like a real SIP/RTP sender
        }
        var extensions: [UInt8] = []
        var firstNext = protocolNumber
        for (index, type) in ipv6Extensions.enumerated().reversed() {
            extensions = ipv6ExtensionHeader(type: type, next: firstNext, ipID: ipID) + extensions
            firstNext = ipv6Extensions[index]
        }
        var header: [UInt8] = [0x60, 0, 0, 0]
        header.appendBE16(UInt16(truncatingIfNeeded: extensions.count + transport.count))
        header += [firstNext, 64]
        header += addressBytes(from) + addressBytes(to)
        return header + extensions + transport
    }

    /// A minimal extension header of `type` (8 bytes; 24 for AH) whose Next Header is `next`.
    static func ipv6ExtensionHeader(type: UInt8, next: UInt8, ipID: UInt16) -> [UInt8] {
        switch type {
        case 43: return [next, 0, 4, 0, 0, 0, 0, 0]              // routing, segments left 0
        case 44: return [next, 0, 0, 0, 0, 0, UInt8(ipID >> 8), UInt8(ipID & 0xFF)] // atomic fragment
        case 51: return [next, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] + Array(repeating: 0, count: 12)
        default: return [next, 0, 1, 4, 0, 0, 0, 0]              // options header with PadN
        }
    }

    /// A 20-byte IPv4 header with its checksum.
    static func ipv4Header(from: EndpointKey, to: EndpointKey, protocolNumber: UInt8, payloadLength: Int,
                           ipID: UInt16, flagsOffset: UInt16) -> [UInt8] {
        var header: [UInt8] = [0x45, 0]
        header.appendBE16(UInt16(truncatingIfNeeded: 20 + payloadLength))
        header.appendBE16(ipID)
        header.appendBE16(flagsOffset)
        header += [64, protocolNumber, 0, 0]
        header.appendBE32(UInt32(truncatingIfNeeded: from.addressLow))
        header.appendBE32(UInt32(truncatingIfNeeded: to.addressLow))
        let checksum = FrameChecksum.sum(header[...]).complement
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header
    }

    /// The 16 network-order bytes of an endpoint's address (IPv4 as IPv4-mapped).
    static func addressBytes(_ key: EndpointKey) -> [UInt8] {
        var bytes: [UInt8] = []
        for word in [key.addressHigh, key.addressLow] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return bytes
    }
}
