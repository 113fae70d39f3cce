import Wire

/// The Internet checksum (RFC 1071) for the headers `FrameBuilder` writes, so tools like tshark see
/// well-formed packets.
enum FrameChecksum {
    /// One's-complement sum of 16-bit big-endian words, folded.
    struct Sum {
        var value: UInt32 = 0
        mutating func add(_ bytes: ArraySlice<UInt8>) {
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                value &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
                index += 2
            }
            if index < bytes.endIndex { value &+= UInt32(bytes[index]) << 8 }
            while value > 0xFFFF { value = (value & 0xFFFF) + (value >> 16) }
        }
        var complement: UInt16 { ~UInt16(truncatingIfNeeded: value) }
    }

    static func sum(_ bytes: ArraySlice<UInt8>) -> Sum {
        var sum = Sum()
        sum.add(bytes)
        return sum
    }

    /// UDP/TCP checksum over the pseudo-header of the matching IP version plus `segment`.
    static func transport(_ segment: [UInt8], from: EndpointKey, to: EndpointKey, protocolNumber: UInt8) -> UInt16 {
        var pseudo: [UInt8] = []
        if from.isIPv4 && to.isIPv4 {
            pseudo.appendBE32(UInt32(truncatingIfNeeded: from.addressLow))
            pseudo.appendBE32(UInt32(truncatingIfNeeded: to.addressLow))
            pseudo += [0, protocolNumber]
            pseudo.appendBE16(UInt16(truncatingIfNeeded: segment.count))
        } else {
            pseudo += FrameBuilder.addressBytes(from) + FrameBuilder.addressBytes(to)
            pseudo.appendBE32(UInt32(truncatingIfNeeded: segment.count))
            pseudo += [0, 0, 0, protocolNumber]
        }
        var sum = Sum()
        sum.add(pseudo[...])
        sum.add(segment[...])
        return sum.complement
    }
}

extension Array where Element == UInt8 {
    mutating func appendBE16(_ value: UInt16) {
        append(UInt8(value >> 8)); append(UInt8(value & 0xFF))
    }

    mutating func appendBE32(_ value: UInt32) {
        appendBE16(UInt16(value >> 16)); appendBE16(UInt16(value & 0xFFFF))
    }

    mutating func appendLE16(_ value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }

    mutating func appendLE32(_ value: UInt32) {
        appendLE16(UInt16(value & 0xFFFF)); appendLE16(UInt16(value >> 16))
    }
}
