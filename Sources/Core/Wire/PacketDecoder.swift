/// Finds the UDP/TCP payload in a captured frame without copying or allocating: the capture fast
/// path calls this once per packet. Every read is bounds-checked against the frame, so arbitrary
/// bytes yield a `DecodeFailure`, never a crash.
public enum PacketDecoder {
    /// EtherTypes of the header stack we walk.
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// VLAN tag stacking deeper than this is not seen in practice; stop rather than loop.
    static let maxVLANTags = 4

    /// Decodes one frame captured on a link of type `linkType`.
    public static func decode(_ frame: UnsafeRawBufferPointer, linkType: LinkType) -> Result<DecodedPacket, DecodeFailure> {
        switch linkType {
        case .ethernet:
            guard frame.count >= 14 else { return .failure(.truncated) }
            return decodeEtherType(frame, type: frame.be16(12), payloadStart: 14)
        case .linuxSLL:
            guard frame.count >= 16 else { return .failure(.truncated) }
            return decodeEtherType(frame, type: frame.be16(14), payloadStart: 16)
        case .linuxSLL2:
            guard frame.count >= 20 else { return .failure(.truncated) }
            return decodeEtherType(frame, type: frame.be16(0), payloadStart: 20)
        case .raw, .rawAlt:
            return decodeIP(frame, at: 0)
        case .ipv4:
            return decodeIPv4(frame, at: 0)
        case .ipv6:
            return decodeIPv6(frame, at: 0)
        case .null:
            return decodeNull(frame)
        }
    }

    /// Walks stacked VLAN tags (802.1Q 0x8100, 802.1ad 0x88A8, legacy QinQ 0x9100), then IP.
    static func decodeEtherType(_ frame: UnsafeRawBufferPointer, type: UInt16, payloadStart: Int) -> Result<DecodedPacket, DecodeFailure> {
        var type = type
        var start = payloadStart
        var tags = 0
        while type == 0x8100 || type == 0x88A8 || type == 0x9100 {
            guard tags < maxVLANTags else { return .failure(.notIP) }
            // A tag is 2 bytes of TCI followed by the inner EtherType.
            guard frame.count - start >= 4 else { return .failure(.truncated) }
            type = frame.be16(start + 2)
            start += 4
            tags += 1
        }
        switch type {
        case etherTypeIPv4: return decodeIPv4(frame, at: start)
        case etherTypeIPv6: return decodeIPv6(frame, at: start)
        default: return .failure(.notIP)
        }
    }

    /// BSD loopback: the family is in the *capturing* host's byte order, and AF_INET6 differs per OS
    /// (Linux 10, BSD 24, FreeBSD 28, Darwin 30), so accept either order and any of those values.
    static func decodeNull(_ frame: UnsafeRawBufferPointer) -> Result<DecodedPacket, DecodeFailure> {
        guard frame.count >= 4 else { return .failure(.truncated) }
        let big = frame.be32(0)
        let family = big > 0xFFFF ? big.byteSwapped : big
        switch family {
        case 2: return decodeIPv4(frame, at: 4)
        case 10, 24, 28, 30: return decodeIPv6(frame, at: 4)
        default: return .failure(.notIP)
        }
    }

    /// Raw IP: the version nibble says which.
    static func decodeIP(_ frame: UnsafeRawBufferPointer, at start: Int) -> Result<DecodedPacket, DecodeFailure> {
        guard start < frame.count else { return .failure(.truncated) }
        switch frame[start] >> 4 {
        case 4: return decodeIPv4(frame, at: start)
        case 6: return decodeIPv6(frame, at: start)
        default: return .failure(.notIP)
        }
    }
}
