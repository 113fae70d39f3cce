import Testing
import MediaCore
import TestSupport

@Suite("RTP packet parsing")
struct RTPPacketTests {
    private func parse(_ bytes: [UInt8]) -> Result<RTPPacket, RTPPacket.Malformation> {
        bytes.withUnsafeBytes { RTPPacket.parse($0) }
    }

    /// Why the bytes were rejected, or nil when they parsed.
    private func reason(_ bytes: [UInt8]) -> RTPPacket.Malformation? {
        if case .failure(let why) = parse(bytes) { return why }
        return nil
    }

    private static let payload: [UInt8] = Array(0..<160).map { UInt8($0) }

    static let validShapes: [(String, RTPPacketBuilder)] = {
        var plain = RTPPacketBuilder(payloadType: 0, sequenceNumber: 0xBEEF, timestamp: 0xDEAD_BEEF,
                                     ssrc: 0x0102_0304, marker: true, payload: payload)
        var withCSRCs = plain; withCSRCs.csrcs = [1, 2, 3]
        var maxCSRCs = plain; maxCSRCs.csrcs = Array(1...15)
        var withExtension = plain; withExtension.extensionProfile = 0xBEDE; withExtension.extensionWords = [7, 8]
        var emptyExtension = plain; emptyExtension.extensionProfile = 0x1000
        var padded = plain; padded.padding = 4
        var everything = plain
        everything.csrcs = [9]; everything.extensionProfile = 0xBEDE; everything.extensionWords = [1]
        everything.padding = 3; everything.payloadType = 8; everything.marker = false
        var onePadByte = plain; onePadByte.padding = 1
        var allPadding = plain; allPadding.payload = []; allPadding.padding = 5
        plain.marker = true
        return [("plain", plain), ("3 CSRCs", withCSRCs), ("15 CSRCs", maxCSRCs), ("extension", withExtension),
                ("empty extension", emptyExtension), ("padding", padded), ("everything", everything),
                ("one padding byte", onePadByte), ("only padding", allPadding)]
    }()

    @Test("Valid packets with CSRCs, extensions and padding give exactly the payload bytes",
          arguments: validShapes.indices)
    func validPackets(_ i: Int) throws {
        let (name, builder) = Self.validShapes[i]
        let bytes = builder.build()
        let packet = try parse(bytes).get()
        #expect(packet.payloadOffset == builder.payloadOffset, "\(name)")
        #expect(packet.payloadLength == builder.payload.count, "\(name)")
        #expect(Array(bytes[packet.payloadOffset..<(packet.payloadOffset + packet.payloadLength)]) == builder.payload, "\(name)")
        #expect(packet.payloadType == builder.payloadType)
        #expect(packet.marker == builder.marker)
        #expect(packet.sequenceNumber == builder.sequenceNumber)
        #expect(packet.timestamp == builder.timestamp)
        #expect(packet.ssrc == builder.ssrc)
    }

    @Test("Datagrams shorter than an RTP header are rejected as too short")
    func tooShort() {
        for length in 0..<12 {
            #expect(reason(Array(RTPPacketBuilder().build().prefix(length))) == .tooShort)
        }
    }

    @Test("Versions other than 2 are rejected", arguments: [UInt8(0), 1, 3])
    func badVersion(_ version: UInt8) {
        var builder = RTPPacketBuilder(payload: Self.payload)
        builder.version = version
        #expect(reason(builder.build()) == .badVersion)
    }

    @Test("A CSRC count that runs past the datagram is rejected")
    func csrcOverrun() {
        var bytes = RTPPacketBuilder(payload: [1, 2, 3, 4, 5, 6, 7]).build()  // 19 bytes
        bytes[0] = 0x80 | 2  // 2 CSRCs need 20 bytes
        #expect(reason(bytes) == .badCSRCCount)
        bytes[0] = 0x80 | 15
        #expect(reason(bytes) == .badCSRCCount)
        bytes[0] = 0x80 | 1  // 16 bytes fit
        #expect((try? parse(bytes).get())?.payloadOffset == 16)
    }

    @Test("A header extension that runs past the datagram is rejected")
    func extensionOverrun() {
        var builder = RTPPacketBuilder(payload: [1, 2, 3, 4])
        builder.extensionProfile = 0xBEDE
        builder.extensionWords = [1, 2]
        var bytes = builder.build()
        bytes[15] = 3  // claims 3 words, only 2 words + 4 payload bytes follow: exactly fits
        #expect((try? parse(bytes).get())?.payloadLength == 0)
        bytes[15] = 4  // one word too many
        #expect(reason(bytes) == .badExtension)
        bytes[14] = 0xFF  // a huge length
        #expect(reason(bytes) == .badExtension)
        // Extension bit set but no room even for the extension header.
        var bare = RTPPacketBuilder(payload: [1, 2]).build()
        bare[0] |= 0x10
        #expect(reason(bare) == .badExtension)
    }

    @Test("A padding count of zero or larger than the payload is rejected")
    func badPadding() {
        var builder = RTPPacketBuilder(payload: [1, 2, 3, 4])
        builder.padding = 2
        var bytes = builder.build()
        bytes[bytes.count - 1] = 0
        #expect(reason(bytes) == .badPadding)
        bytes[bytes.count - 1] = 7  // payload 4 + padding 2 = 6 bytes after the header
        #expect(reason(bytes) == .badPadding)
        bytes[bytes.count - 1] = 6  // everything after the header is padding: an empty payload
        #expect((try? parse(bytes).get())?.payloadLength == 0)
        // Padding bit on a header-only datagram: the count byte is inside the header.
        var headerOnly = RTPPacketBuilder().build()
        headerOnly[0] |= 0x20
        headerOnly[11] = 1
        #expect(reason(headerOnly) == .badPadding)
    }

    @Test("Ten thousand random datagrams never crash the parser, and accepted ones stay in bounds")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x5EED_1234)
        var accepted = 0
        for round in 0..<10_000 {
            let length = Int(generator.next() % 80)
            var bytes = generator.bytes(length)
            // Half the rounds look like RTP version 2, so the deeper checks are exercised too.
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            if case .success(let packet) = parse(bytes) {
                accepted += 1
                #expect(packet.payloadOffset >= 12)
                #expect(packet.payloadLength >= 0)
                #expect(packet.payloadOffset + packet.payloadLength <= bytes.count)
            }
        }
        #expect(accepted > 100)
    }
}
