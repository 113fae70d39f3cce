import Testing
import MediaCore
import TestSupport

@Suite("A stream's payload types")
struct StreamPayloadsTests {
    @Test("Every offered audio payload type maps to its codec; others are unassigned")
    func table() {
        let payloads = StreamPayloads(audio: [(8, .pcma), (0, .pcmu), (96, .pcmu)], telephoneEvents: [101], comfortNoise: [13])
        #expect(payloads[8] == .pcma && payloads[0] == .pcmu && payloads[96] == .pcmu)
        #expect(payloads[101] == .telephoneEvent && payloads[13] == .comfortNoise)
        #expect(payloads[18] == .unassigned && payloads[127] == .unassigned)
        #expect(payloads.preferredCodec == .pcma)
        #expect(payloads.assignments.map(\.payloadType) == [0, 8, 13, 96, 101])
    }

    @Test("A renegotiation keeps the old payload types it does not reassign, so packets in flight still decode")
    func keeping() {
        let before = StreamPayloads(audio: [(0, .pcmu)], telephoneEvents: [101])
        let after = StreamPayloads(audio: [(8, .pcma)], telephoneEvents: [100])
        let merged = after.keeping(before)
        #expect(merged[8] == .pcma && merged[0] == .pcmu && merged[100] == .telephoneEvent && merged[101] == .telephoneEvent)
        #expect(merged.preferredCodec == .pcma)
    }

    @Test("A stream offered PCMU and PCMA decodes each packet by its own payload type on one timeline")
    func switchingPerPacket() {
        let harness = ReassemblyHarness(payloads: StreamPayloads(audio: [(0, .pcmu), (8, .pcma)]))
        var expected: [Int16] = []
        for i in 0..<40 {
            let codec: AudioCodec = (i / 5) % 2 == 0 ? .pcmu : .pcma
            let codes = SignalGenerator.noise(count: 160, seed: UInt64(i) + 9)
            let bytes = RTPPacketBuilder(payloadType: codec == .pcmu ? 0 : 8, sequenceNumber: UInt16(i), timestamp: UInt32(i * 160),
                                         ssrc: 0x5157, payload: codes).build()
            harness.receive(bytes, at: Int64(i * 160))
            expected += G711Reference.decode(codes, codec)
        }
        let timeline = harness.close(at: 40 * 160)
        #expect(firstDifference(timeline, expected) == nil)
        #expect(harness.statistics.codecs == [.pcmu, .pcma])
        #expect(harness.statistics.unknownPayload == 0)
    }

    @Test("Packets of a payload type the stream cannot use are counted per type")
    func unknownTypes() {
        let harness = ReassemblyHarness(payloads: StreamPayloads(audio: [(0, .pcmu)]))
        for i in 0..<30 {
            let pt: UInt8 = i < 20 ? 18 : 9
            harness.receive(RTPPacketBuilder(payloadType: pt, sequenceNumber: UInt16(i), timestamp: UInt32(i * 160), ssrc: 1,
                                             payload: [UInt8](repeating: 0x55, count: 20)).build(), at: Int64(i * 160))
        }
        harness.close(at: 30 * 160)
        #expect(harness.statistics.unknownPayload == 30)
        #expect(harness.statistics.unknownPayloadTypes == [.init(payloadType: 18, packets: 20), .init(payloadType: 9, packets: 10)])
        #expect(harness.statistics.firstPosition == nil)
    }
}

@Suite("Payload formats and codecs")
struct PayloadFormatCodecTests {
    @Test("Every codec has its audio format and back; telephone-event, CN and unassigned have no codec")
    func roundTrip() {
        #expect(AudioCodec.allCases.allSatisfy { PayloadFormat($0).codec == $0 })
        #expect(PayloadFormat.unassigned.codec == nil && PayloadFormat.telephoneEvent.codec == nil && PayloadFormat.comfortNoise.codec == nil)
    }
}
