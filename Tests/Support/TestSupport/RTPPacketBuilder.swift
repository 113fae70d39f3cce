/// Builds RTP datagrams (RFC 3550 §5.1) byte by byte, including the unusual parts parsers must cope
/// with: CSRC lists, header extensions and padding.
public struct RTPPacketBuilder: Sendable {
    public var version: UInt8 = 2
    public var payloadType: UInt8 = 0
    public var sequenceNumber: UInt16 = 0
    public var timestamp: UInt32 = 0
    public var ssrc: UInt32 = 0x1234_5678
    public var marker = false
    public var csrcs: [UInt32] = []
    /// Header extension: profile-defined 16 bits and its 32-bit words; nil for none.
    public var extensionProfile: UInt16? = nil
    public var extensionWords: [UInt32] = []
    /// Padding bytes appended, including the final count byte; 0 for none.
    public var padding: Int = 0
    public var payload: [UInt8] = []

    public init(payloadType: UInt8 = 0, sequenceNumber: UInt16 = 0, timestamp: UInt32 = 0,
                ssrc: UInt32 = 0x1234_5678, marker: Bool = false, payload: [UInt8] = []) {
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.marker = marker
        self.payload = payload
    }

    /// Where the payload starts in the built datagram.
    public var payloadOffset: Int {
        12 + 4 * csrcs.count + (extensionProfile == nil ? 0 : 4 + 4 * extensionWords.count)
    }

    /// The datagram.
    public func build() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payloadOffset + payload.count + padding)
        var b0 = version << 6 | UInt8(csrcs.count & 0x0F)
        if padding > 0 { b0 |= 0x20 }
        if extensionProfile != nil { b0 |= 0x10 }
        bytes.append(b0)
        bytes.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        Self.append16(sequenceNumber, to: &bytes)
        Self.append32(timestamp, to: &bytes)
        Self.append32(ssrc, to: &bytes)
        for csrc in csrcs { Self.append32(csrc, to: &bytes) }
        if let profile = extensionProfile {
            Self.append16(profile, to: &bytes)
            Self.append16(UInt16(extensionWords.count), to: &bytes)
            for word in extensionWords { Self.append32(word, to: &bytes) }
        }
        bytes.append(contentsOf: payload)
        if padding > 0 {
            bytes.append(contentsOf: repeatElement(0, count: padding - 1))
            bytes.append(UInt8(truncatingIfNeeded: padding))
        }
        return bytes
    }

    /// An RFC 4733 telephone-event payload: event, E bit and volume, 16-bit duration in samples.
    public static func telephoneEvent(_ event: UInt8, end: Bool, volume: UInt8 = 10, duration: UInt16) -> [UInt8] {
        [event, (end ? 0x80 : 0) | (volume & 0x3F), UInt8(duration >> 8), UInt8(duration & 0xFF)]
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8)); bytes.append(UInt8(value & 0xFF))
    }

    static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 24)); bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF)); bytes.append(UInt8(value & 0xFF))
    }
}
