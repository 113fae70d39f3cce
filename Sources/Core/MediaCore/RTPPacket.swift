/// A read-only view of one RTP packet (RFC 3550 §5.1) inside a buffer someone else owns.
///
/// Parsing allocates nothing: the view keeps offsets into the caller's bytes, which are only valid
/// for as long as the caller keeps them (a pcap callback, a receive buffer).
public struct RTPPacket: Sendable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Offset of the payload from the start of the packet.
    public var payloadOffset: Int
    /// Payload length in bytes, padding removed.
    public var payloadLength: Int

    /// Why a datagram is not an RTP packet we can use.
    public enum Malformation: Error, Sendable, Equatable {
        case tooShort, badVersion, badCSRCCount, badExtension, badPadding
    }

    /// Parses the fixed header, CSRC list, header extension and padding.
    /// Returns the reason instead of a packet when the bytes are not RTP.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RTPPacket, Malformation> {
        let count = bytes.count
        guard count >= 12 else { return .failure(.tooShort) }
        let b0 = bytes[0]
        guard b0 >> 6 == 2 else { return .failure(.badVersion) }
        let csrcCount = Int(b0 & 0x0F)
        var offset = 12 + 4 * csrcCount
        guard offset <= count else { return .failure(.badCSRCCount) }
        if b0 & 0x10 != 0 {
            guard offset + 4 <= count else { return .failure(.badExtension) }
            let words = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4 + 4 * words
            guard offset <= count else { return .failure(.badExtension) }
        }
        var end = count
        if b0 & 0x20 != 0 {
            let padding = Int(bytes[count - 1])
            guard padding > 0, offset + padding <= count else { return .failure(.badPadding) }
            end -= padding
        }
        let b1 = bytes[1]
        let packet = RTPPacket(
            marker: b1 & 0x80 != 0,
            payloadType: b1 & 0x7F,
            sequenceNumber: UInt16(bytes[2]) << 8 | UInt16(bytes[3]),
            timestamp: UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7]),
            ssrc: UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11]),
            payloadOffset: offset,
            payloadLength: end - offset)
        return .success(packet)
    }
}
