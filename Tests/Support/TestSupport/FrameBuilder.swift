import Wire

/// Builds captured frames byte by byte (link header, IPv4/IPv6, UDP/TCP with valid checksums) for
/// decoder and replay tests. Ethernet frames are padded to the 60-byte minimum with 0xEE, so a
/// decoder that lets padding leak into a payload is caught.
public enum FrameBuilder {
    /// A UDP datagram in one frame. IPv6 is used when either endpoint is not IPv4; `ipv6Extensions`
    /// lists extension header types (0, 43, 60, 44 atomic fragment, 51) inserted before UDP.
    /// `vlanTags` applies to Ethernet and Linux cooked links; the first of several is an 802.1ad tag.
    public static func udp(from: EndpointKey, to: EndpointKey, payload: [UInt8], link: LinkType = .ethernet,
                           vlanTags: [UInt16] = [], ipID: UInt16 = 0, ipv6Extensions: [UInt8] = []) -> [UInt8] {
        let segment = udpSegment(from: from, to: to, payload: payload)
        let packet = ipPacket(from: from, to: to, protocolNumber: 17, transport: segment,
                              ipID: ipID, ipv6Extensions: ipv6Extensions)
        return linkFrame(packet, link: link, vlanTags: vlanTags, isIPv6: !from.isIPv4 || !to.isIPv4)
    }

    /// A TCP segment (20-byte header, no options) in one frame.
    public static func tcp(from: EndpointKey, to: EndpointKey, sequence: UInt32, flags: TCPFlags = [.ack, .psh],
                           payload: [UInt8], link: LinkType = .ethernet, vlanTags: [UInt16] = [],
                           ipID: UInt16 = 0, ipv6Extensions: [UInt8] = []) -> [UInt8] {
        var segment: [UInt8] = []
        segment.appendBE16(from.port)
        segment.appendBE16(to.port)
        segment.appendBE32(sequence)
        segment.appendBE32(0)                       // acknowledgement number
        segment += [0x50, flags.rawValue]           // data offset 5 words
        segment.appendBE16(65_535)                  // window
        segment += [0, 0, 0, 0]                     // checksum, urgent pointer
        segment += payload
        let checksum = FrameChecksum.transport(segment, from: from, to: to, protocolNumber: 6)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xFF)
        let packet = ipPacket(from: from, to: to, protocolNumber: 6, transport: segment,
                              ipID: ipID, ipv6Extensions: ipv6Extensions)
        return linkFrame(packet, link: link, vlanTags: vlanTags, isIPv6: !from.isIPv4 || !to.isIPv4)
    }

    /// A UDP datagram split into IPv4 fragments of at most `fragmentSize` IP-payload bytes each
    /// (rounded down to a multiple of 8), first fragment first. Both endpoints must be IPv4.
    public static func ipv4Fragments(from: EndpointKey, to: EndpointKey, udpPayload: [UInt8], fragmentSize: Int,
                                     link: LinkType = .ethernet, vlanTags: [UInt16] = [], ipID: UInt16 = 1) -> [[UInt8]] {
        let whole = udpSegment(from: from, to: to, payload: udpPayload)
        let step = max(8, fragmentSize / 8 * 8)
        var frames: [[UInt8]] = []
        var offset = 0
        while offset < whole.count {
            let end = min(whole.count, offset + step)
            let more = end < whole.count
            let flagsOffset = UInt16(offset / 8) | (more ? 0x2000 : 0)
            let packet = ipv4Header(from: from, to: to, protocolNumber: 17, payloadLength: end - offset,
                                    ipID: ipID, flagsOffset: flagsOffset) + whole[offset..<end]
            frames.append(linkFrame(packet, link: link, vlanTags: vlanTags, isIPv6: false))
            offset = end
        }
        return frames
    }

    /// A UDP header and payload with its checksum.
    static func udpSegment(from: EndpointKey, to: EndpointKey, payload: [UInt8]) -> [UInt8] {
        var segment: [UInt8] = []
        segment.appendBE16(from.port)
        segment.appendBE16(to.port)
        segment.appendBE16(UInt16(truncatingIfNeeded: 8 + payload.count))
        segment.appendBE16(0)
        segment += payload
        var checksum = FrameChecksum.transport(segment, from: from, to: to, protocolNumber: 17)
        if checksum == 0 { checksum = 0xFFFF } // 0 means "no checksum" in UDP
        segment[6] = UInt8(checksum >> 8)
        segment[7] = UInt8(checksum & 0xFF)
        return segment
    }
}
