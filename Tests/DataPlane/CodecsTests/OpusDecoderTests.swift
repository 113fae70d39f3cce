import COpus
import Testing
@testable import Codecs
import MediaCore
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// libopus's encoder at 48 kHz mono: one packet per `frameMillis` of `samples` (48 kHz); with `fecForLoss`,
/// in-band FEC for that expected loss (percent).
func opusPackets(_ samples: [Int16], frameMillis: Int = 20, channels: Int32 = 1, fecForLoss: Int32? = nil) -> [[UInt8]] {
    var error: Int32 = 0
    let encoder = opus_encoder_create(48_000, channels, OPUS_APPLICATION_VOIP, &error)!
    defer { opus_encoder_destroy(encoder) }
    if let fecForLoss { precondition(siprecd_opus_encoder_set_fec(encoder, fecForLoss, 24_000) == OPUS_OK) }
    let frame = 48 * frameMillis
    var out = [UInt8](repeating: 0, count: 1_500)
    return stride(from: 0, through: samples.count - frame * Int(channels), by: frame * Int(channels)).map { start in
        let count = Array(samples[start..<(start + frame * Int(channels))]).withUnsafeBufferPointer {
            opus_encode(encoder, $0.baseAddress!, Int32(frame), &out, 1_500)
        }
        return Array(out[0..<Int(count)])
    }
}

func tone48(_ count: Int, frequency: Double, amplitude: Double = 8000) -> [Int16] {
    (0..<count).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / 48_000)) }
}

/// libopus's own decoder at 16 kHz, then speexdsp to 8 kHz, over the packets in order: the reference.
func opusReference(_ packets: [[UInt8]]) -> [Int16] {
    var error: Int32 = 0
    let decoder = opus_decoder_create(16_000, 1, &error)!
    defer { opus_decoder_destroy(decoder) }
    let resampler = Resampler(from: 16_000, to: 8_000)!
    var wide = [Int16](repeating: 0, count: 1_920), narrow = [Int16](repeating: 0, count: 960)
    return packets.flatMap { packet -> [Int16] in
        let count = Int(opus_decode(decoder, packet, Int32(packet.count), &wide, 1_920, 0))
        let produced = resampler.process(wide, count: count, into: &narrow, capacity: 960)
        return Array(narrow[0..<produced]) + Array(repeating: 0, count: count / 2 - produced)
    }
}

@Suite("Opus through libopus")
struct OpusDecoderTests {
    @Test("10, 20, 40 and 60 ms packets are 80–480 samples at 8 kHz and decode bit for bit as libopus does", arguments: [10, 20, 40, 60])
    func frameSizes(millis: Int) {
        let packets = opusPackets(tone48(48 * 600, frequency: 440), frameMillis: millis)
        let decoder = OpusDecoder()!
        var output: [Int16] = []
        for packet in packets {
            packet.withUnsafeBytes { bytes in
                #expect(decoder.samples(in: bytes) == 8 * millis)
                output += decoder.decode(bytes)
            }
        }
        #expect(output == opusReference(packets))
        #expect(output.count == packets.count * 8 * millis)
    }

    @Test("A stereo stream decodes to one channel; a bad TOC, a truncated code-3 packet and an empty payload are malformed")
    func stereoAndMalformed() {
        let stereo = (0..<(48 * 200)).flatMap { i -> [Int16] in
            let t = Double(i) / 48_000
            return [Int16(6000 * sin(2 * Double.pi * 500 * t)), Int16(6000 * sin(2 * Double.pi * 700 * t))]
        }
        let packets = opusPackets(stereo, channels: 2)
        let decoder = OpusDecoder()!
        #expect(packets[0].withUnsafeBytes { decoder.samples(in: $0) } == 160)
        #expect(packets[0].withUnsafeBytes { decoder.decode($0).count } == 160)
        func samples(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { decoder.samples(in: $0) } }
        #expect(samples([]) == nil)
        #expect(samples([0x03]) == nil)                 // code 3 without its frame-count byte
        #expect(samples([0x03, 0x30]) == nil)           // code 3 claiming 48 frames of 20 ms: 960 ms
        #expect(samples([0x02, 0xFC]) == nil)           // code 2 whose first frame runs past the end
        #expect(AudioCodec(encodingName: "opus", clockRate: 48_000, channels: 2, parameters: nil) == .opus)
        #expect(AudioCodec(encodingName: "OPUS", clockRate: 16_000, channels: 2, parameters: nil) == nil)
        #expect(AudioCodec.opus.clockScale(timelineRate: 8_000) == ClockScale(multiplier: 1, divisor: 6))
        #expect(AudioCodec.opus.clockScale(timelineRate: 16_000) == ClockScale(multiplier: 1, divisor: 3))
        #expect(AudioCodec.opus.clockScale(timelineRate: 48_000) == .identity && AudioCodec.pcmu.clockScale(timelineRate: 8_000) == .identity)
        // 20 ms at each master rate.
        for rate in [8_000, 16_000, 48_000] {
            #expect(packets[0].withUnsafeBytes { OpusDecoder(sampleRate: rate)!.samples(in: $0) } == rate / 50)
        }
    }

    @Test("The reassembler places Opus by its 48 kHz timestamps on the 8 kHz timeline, across a timestamp wrap")
    func reassembled() {
        let packets = opusPackets(tone48(48 * 400, frequency: 300))
        let table = StreamPayloads(audio: [(111, .opus)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        let first = UInt32.max - 960 * 5 + 1   // wraps after five packets
        for (index, packet) in packets.enumerated() {
            let rtp = RTPPacketBuilder(payloadType: 111, sequenceNumber: UInt16(index), timestamp: first &+ UInt32(index) * 960,
                                       payload: packet).build()
            harness.receive(rtp, at: Int64(index) * 160 + 40)
        }
        let timeline = harness.close(at: Int64(packets.count) * 160 + 800)
        let statistics = StreamStatistics(harness.reassembler.counters)
        #expect(statistics.lost == 0 && statistics.late == 0 && statistics.resynchronisations == 0 && statistics.codecs == [.opus])
        let start = Int(statistics.firstPosition ?? -1)
        #expect(start == 40)
        let expected = opusReference(packets)
        guard start >= 0, timeline.count >= start + expected.count else {
            Issue.record("timeline of \(timeline.count) samples, first position \(start)")
            return
        }
        #expect(Array(timeline[start..<(start + expected.count)]) == expected)
    }

    @Test("A stream that moves from Opus (48 kHz clock) to PCMU (8 kHz) continues right after the Opus audio: one resynchronisation, no gap, no overlap")
    func clockChange() {
        let packets = opusPackets(tone48(48 * 200, frequency: 300))
        let table = StreamPayloads(audio: [(111, .opus), (0, .pcmu)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        for (index, packet) in packets.enumerated() {
            harness.receive(RTPPacketBuilder(payloadType: 111, sequenceNumber: UInt16(index), timestamp: 90_000 + UInt32(index) * 960,
                                             payload: packet).build(), at: Int64(index) * 160)
        }
        let pcmu = [UInt8](repeating: 0x2A, count: 160)
        for index in 0..<5 {
            harness.receive(RTPPacketBuilder(payloadType: 0, sequenceNumber: UInt16(packets.count + index), timestamp: 7_777 + UInt32(index) * 160,
                                             payload: pcmu).build(), at: Int64(packets.count + index) * 160)
        }
        let timeline = harness.close(at: Int64(packets.count + 5) * 160 + 800)
        let statistics = StreamStatistics(harness.reassembler.counters)
        #expect(statistics.resynchronisations == 1 && statistics.lost == 0 && statistics.late == 0)
        let start = Int(statistics.firstPosition ?? 0), opusEnd = start + packets.count * 160
        #expect(Array(timeline[start..<opusEnd]) == opusReference(packets))
        let g711 = G711.muLawTable[0x2A]
        #expect(timeline[opusEnd..<(opusEnd + 800)].allSatisfy { $0 == g711 })
    }
}
