import Wire

extension FrameBuilder {
    /// Wraps an IP packet in the link-layer header of `link`.
    static func linkFrame(_ packet: [UInt8], link: LinkType, vlanTags: [UInt16], isIPv6: Bool) -> [UInt8] {
        let etherType: UInt16 = isIPv6 ? 0x86DD : 0x0800
        switch link {
        case .ethernet:
            var frame: [UInt8] = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]
            frame += tagged(etherType, vlanTags: vlanTags) + packet
            // NICs pad short frames to 60 bytes (plus FCS, which captures omit).
            if frame.count < 60 { frame += Array(repeating: 0xEE, count: 60 - frame.count) }
            return frame
        case .linuxSLL:
            var header: [UInt8] = [0, 0, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0]
            let tags = tagged(etherType, vlanTags: vlanTags)
            header += tags.prefix(2)              // protocol field, then any tags start the payload
            return header + tags.dropFirst(2) + packet
        case .linuxSLL2:
            let tags = tagged(etherType, vlanTags: vlanTags)
            var header = Array(tags.prefix(2))
            header += [0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0x02, 0, 0, 0, 0, 0x01, 0, 0]
            return header + tags.dropFirst(2) + packet
        case .null:
            // Darwin's AF_INET6 (30) and AF_INET (2), in little-endian host order as macOS writes them.
            let family: UInt8 = isIPv6 ? 30 : 2
            return [family, 0, 0, 0] + packet
        case .raw, .rawAlt, .ipv4, .ipv6:
            return packet
        }
    }

    /// The EtherType field preceded by VLAN tags: outermost first; with several, the outer one is 802.1ad.
    static func tagged(_ etherType: UInt16, vlanTags: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, tag) in vlanTags.enumerated() {
            bytes.appendBE16(index == 0 && vlanTags.count > 1 ? 0x88A8 : 0x8100)
            bytes.appendBE16(tag & 0x0FFF)
        }
        bytes.appendBE16(etherType)
        return bytes
    }
}
