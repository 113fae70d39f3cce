import CSpanDSP
import Testing
@testable import Codecs
import MediaCore
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// spandsp's G.722 encoder at 64 kbit/s over 16 kHz samples: one octet per two samples.
func g722Encoded(_ samples: [Int16]) -> [UInt8] {
    let state = g722_encode_init(nil, 64_000, 0)!
    defer { g722_encode_free(state) }
    var out = [UInt8](repeating: 0, count: samples.count / 2)
    let count = g722_encode(state, &out, samples, Int32(samples.count))
    return Array(out[0..<Int(count)])
}

/// A tone sampled at 16 kHz.
func wideTone(_ count: Int, frequency: Double, amplitude: Double = 6000) -> [Int16] {
    (0..<count).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / 16_000)) }
}

@Suite("G.722 through spandsp")
struct G722DecoderTests {
    @Test("One octet is one 8 kHz sample: a 20 ms payload is 160 octets and gives 160 samples; empty and oversized payloads are malformed")
    func lengths() {
        let decoder = G722Decoder()!
        func count(_ n: Int) -> Int? { [UInt8](repeating: 0x55, count: n).withUnsafeBytes { decoder.samples(in: $0) } }
        #expect(count(160) == 160 && count(1) == 1 && count(1_500) == 1_500)
        #expect(count(0) == nil && count(1_501) == nil)
        #expect([UInt8](repeating: 0x55, count: 160).withUnsafeBytes { decoder.decode($0).count } == 160)
        #expect(AudioCodec(encodingName: "G722") == .g722 && AudioCodec.g722.staticPayloadType == 9)
        #expect(AudioCodec(encodingName: "G722", clockRate: 16_000, channels: 1, parameters: nil) == nil)
        // The documented delay of the wideband decoders' audio: 32 samples (4 ms) at 8 kHz.
        #expect(decoder.latency == 32)
        // Into a 16 kHz master: two samples an octet, as spandsp decodes them (nothing resampled, no delay).
        let wide = G722Decoder(sampleRate: 16_000)!
        #expect([UInt8](repeating: 0x55, count: 160).withUnsafeBytes { wide.samples(in: $0) } == 320 && wide.latency == 0)
        #expect([UInt8](repeating: 0x55, count: 160).withUnsafeBytes { G722Decoder(sampleRate: 48_000)!.samples(in: $0) } == 960)
    }

    @Test("A 1 kHz tone encoded at 16 kHz decodes to the same tone at 8 kHz (the lower sub-band), at its level")
    func lowerBand() {
        let payload = g722Encoded(wideTone(3_200, frequency: 1_000))
        let decoder = G722Decoder()!
        let output = stride(from: 0, to: payload.count, by: 160).flatMap { start in
            Array(payload[start..<(start + 160)]).withUnsafeBytes { Array(decoder.decode($0)) }
        }
        #expect(output.count == 1_600)
        // Correlation with a 1 kHz sine at 8 kHz over the best phase (the sub-band filters delay it).
        let tail = output[400...].map(Double.init)
        let best = (0..<8).map { shift -> Double in
            let reference = (0..<tail.count).map { sin(2 * Double.pi * 1_000 * Double($0 + 400 - shift) / 8_000) }
            let dot = zip(tail, reference).reduce(0.0) { $0 + $1.0 * $1.1 }
            return dot / (sqrt(tail.reduce(0.0) { $0 + $1 * $1 }) * sqrt(reference.reduce(0.0) { $0 + $1 * $1 }))
        }.max()!
        #expect(best > 0.95, "correlation with the tone \(best)")
        let rms = sqrt(tail.reduce(0.0) { $0 + $1 * $1 } / Double(tail.count))
        #expect(rms > 6_000 / 2.squareRoot() * 0.7 && rms < 6_000 / 2.squareRoot() * 1.3, "level \(rms)")
    }

    @Test("After a gap the resampler starts afresh: the last packet's filter tail is not played after the silence")
    func gapResetsTheResampler() {
        let payload = g722Encoded(wideTone(320 * 30, frequency: 800))
        let packets = stride(from: 0, to: payload.count, by: 160).map { Array(payload[$0..<($0 + 160)]) }
        let table = StreamPayloads(audio: [(9, .g722)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        let sent = Array(0..<10) + Array(20..<30)   // packets 10–19 never come (DTX, loss)
        for index in sent {
            harness.receive(RTPPacketBuilder(payloadType: 9, sequenceNumber: UInt16(index), timestamp: UInt32(index) * 160,
                                             payload: packets[index]).build(), at: Int64(index) * 160)
        }
        let timeline = harness.close(at: 30 * 160 + 800)
        let start = Int(StreamStatistics(harness.reassembler.counters).firstPosition ?? 0)
        // The reference: one G.722 decoder throughout (its state is the codec's), a fresh resampler per burst.
        let state = g722_decode_init(nil, 64_000, 0)!
        defer { g722_decode_free(state) }
        var expected = [Int16](repeating: 0, count: 30 * 160)
        var resampler = Resampler(from: 16_000, to: 8_000)!
        var wide = [Int16](repeating: 0, count: 320), narrow = [Int16](repeating: 0, count: 160)
        for index in sent {
            if index == 20 { resampler = Resampler(from: 16_000, to: 8_000)! }
            let count = g722_decode(state, &wide, packets[index], 160)
            let produced = resampler.process(wide, count: Int(count), into: &narrow, capacity: 160)
            for i in 0..<produced { expected[index * 160 + i] = narrow[i] }
        }
        #expect(Array(timeline[start..<(start + 30 * 160)]) == expected)
        #expect(timeline[(start + 1_600)..<(start + 3_200)].allSatisfy { $0 == 0 })
    }
}
