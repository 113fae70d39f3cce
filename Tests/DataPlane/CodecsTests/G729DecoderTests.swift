import CBcg729
import CSpanDSP
import Testing
@testable import Codecs
import MediaCore
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// bcg729's encoder, for test input: one entry per 10 ms frame (10 bytes; with VAD also 2 or 0).
func g729Frames(_ samples: [Int16], vad: Bool = false) -> [[UInt8]] {
    let channel = initBcg729EncoderChannel(vad ? 1 : 0)
    defer { closeBcg729EncoderChannel(channel) }
    var frames: [[UInt8]] = []
    var bits = [UInt8](repeating: 0, count: 10)
    var length: UInt8 = 0
    for start in stride(from: 0, through: samples.count - 80, by: 80) {
        Array(samples[start..<(start + 80)]).withUnsafeBufferPointer { bcg729Encoder(channel, $0.baseAddress!, &bits, &length) }
        frames.append(Array(bits[0..<Int(length)]))
    }
    return frames
}

func tone(_ count: Int, frequency: Double = 440, amplitude: Double = 6000) -> [Int16] {
    (0..<count).map { Int16(amplitude * sin(2 * Double.pi * frequency * Double($0) / 8000)) }
}

/// What a fresh decoder makes of `payloads` decoded one after another.
func reference(_ payloads: [[UInt8]]) -> [Int16] {
    let decoder = G729Decoder()!
    return payloads.flatMap { payload in payload.withUnsafeBytes { Array(decoder.decode($0)) } }
}

@Suite("G.729 through bcg729")
struct G729DecoderTests {
    @Test("A payload is whole 10-byte frames, optionally ending with a 2-byte SID; anything else is malformed")
    func lengths() {
        let decoder = G729Decoder()!
        func samples(_ count: Int) -> Int? { [UInt8](repeating: 0, count: count).withUnsafeBytes { decoder.samples(in: $0) } }
        #expect(samples(10) == 80 && samples(20) == 160 && samples(22) == 240 && samples(2) == 80)
        #expect(samples(0) == nil && samples(15) == nil && samples(21) == nil && samples(1_510) == nil)
        #expect(samples(1_500) == 12_000)
    }

    @Test("A tone survives encoding and decoding: the decoder gives every sample and keeps the tone's energy")
    func toneRoundTrip() {
        let input = tone(1_600)
        let payloads = stride(from: 0, to: 20, by: 2).map { i in g729Frames(input)[i] + g729Frames(input)[i + 1] }
        let output = reference(payloads)
        #expect(output.count == 1_600)
        let energy = { (x: ArraySlice<Int16>) in x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count) }
        // After the first frames (the decoder's start-up), the level is the tone's within a few dB.
        let ratio = energy(output[400...]) / energy(input[400...])
        #expect(ratio > 0.5 && ratio < 2, "energy ratio \(ratio)")
    }

    @Test("The reassembler places G.729 by its timestamps and decodes each packet once, in order: a duplicate does not advance the decoder")
    func reassembled() {
        let frames = g729Frames(tone(3_200, frequency: 300))
        let payloads = stride(from: 0, to: 40, by: 2).map { frames[$0] + frames[$0 + 1] }
        var table = StreamPayloads(audioPayloadType: 18, codec: .g729)
        table.assign(0, .pcmu)
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        for (index, payload) in payloads.enumerated() {
            let packet = RTPPacketBuilder(payloadType: 18, sequenceNumber: UInt16(index), timestamp: 1_000 + UInt32(index) * 160,
                                          payload: payload).build()
            harness.receive(packet, at: Int64(index) * 160 + 40)
            if index == 5 { harness.receive(packet, at: Int64(index) * 160 + 60) }   // a duplicate
        }
        let timeline = harness.close(at: 20 * 160 + 800)
        let statistics = StreamStatistics(harness.reassembler.counters)
        #expect(statistics.duplicates == 1 && statistics.lost == 0 && statistics.late == 0)
        #expect(statistics.codecs == [.g729])
        let start = Int(statistics.firstPosition ?? -1)
        #expect(start == 40)
        guard start >= 0, timeline.count >= start + 3_200 else {
            Issue.record("timeline of \(timeline.count) samples, first position \(start)")
            return
        }
        #expect(Array(timeline[start..<(start + 3_200)]) == reference(payloads))
        #expect(timeline[..<start].allSatisfy { $0 == 0 } && timeline[(start + 3_200)...].allSatisfy { $0 == 0 })
    }

    @Test("A malformed G.729 payload is counted and leaves its place silent; a stream without a decoder counts G.729 as unusable")
    func malformedAndMissing() {
        let table = StreamPayloads(audioPayloadType: 18, codec: .g729)
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        harness.receive(RTPPacketBuilder(payloadType: 18, sequenceNumber: 1, timestamp: 0, payload: [UInt8](repeating: 1, count: 15)).build(), at: 0)
        #expect(harness.reassembler.counters.malformed.load(ordering: .relaxed) == 1)
        let bare = ReassemblyHarness(payloads: table)
        bare.receive(RTPPacketBuilder(payloadType: 18, sequenceNumber: 1, timestamp: 0, payload: [UInt8](repeating: 1, count: 20)).build(), at: 0)
        #expect(bare.reassembler.counters.unknownPayload.load(ordering: .relaxed) == 1)
    }
}

/// spandsp's G.726 encoder over 8 kHz samples, in the RFC 3551 or the AAL2 bit order.
func g726Encoded(_ samples: [Int16], bits: Int, aal2: Bool) -> [UInt8] {
    let state = g726_init(nil, Int32(bits * 8_000), Int32(G726_ENCODING_LINEAR), Int32(aal2 ? G726_PACKING_LEFT : G726_PACKING_RIGHT))!
    defer { g726_free(state) }
    var out = [UInt8](repeating: 0, count: samples.count)
    let count = g726_encode(state, &out, samples, Int32(samples.count))
    return Array(out[0..<Int(count)])
}

@Suite("G.726 through spandsp")
struct G726DecoderTests {
    @Test("AAL2-G726 reads codewords from the most significant bit: its payloads decode to the tone, and read in the RFC 3551 order they do not")
    func aal2BitOrder() {
        let input = tone(1_600, frequency: 700)
        let payload = g726Encoded(input, bits: 4, aal2: true)
        // The decoders outlive the copies of their output buffers.
        let aal2Decoder = G726Decoder(.aal2G726_32)!, rfcDecoder = G726Decoder(.g726_32)!
        let aal2 = payload.withUnsafeBytes { Array(aal2Decoder.decode($0)) }
        let rfc = payload.withUnsafeBytes { Array(rfcDecoder.decode($0)) }
        withExtendedLifetime((aal2Decoder, rfcDecoder)) {}
        let error = { (x: [Int16]) in zip(x[400...], input[400...]).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) } }
        let energy = input[400...].reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(aal2.count == 1_600 && error(aal2) < energy * 0.05, "AAL2 order: error \(error(aal2) / energy) of the signal")
        #expect(error(rfc) > energy * 0.3, "RFC order over AAL2 codewords: error only \(error(rfc) / energy)")
    }

    @Test("A payload holds whole samples of 2, 3, 4 or 5 bits", arguments: [
        (AudioCodec.g726_16, 40, 160), (.g726_24, 60, 160), (.g726_32, 80, 160), (.g726_40, 100, 160),
    ])
    func lengths(_ codec: AudioCodec, _ bytes: Int, _ samples: Int) {
        let decoder = G726Decoder(codec)!
        func count(_ n: Int) -> Int? { [UInt8](repeating: 0, count: n).withUnsafeBytes { decoder.samples(in: $0) } }
        #expect(count(bytes) == samples)
        #expect(count(0) == nil)
        #expect(decoder.samples(in: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
        if codec == .g726_24 || codec == .g726_40 { #expect(count(bytes + 1) == nil) }
        let payload = [UInt8](repeating: 0x5A, count: bytes)
        #expect(payload.withUnsafeBytes { decoder.decode($0).count } == samples)
    }

    @Test("Without a decoder factory entry G.726 is not decodable; the encoding names map to the four rates")
    func names() {
        #expect(AudioCodec(encodingName: "g726-32") == .g726_32 && AudioCodec(encodingName: "G726-40") == .g726_40)
        #expect(AudioCodec(encodingName: "AAL2-G726-32") == .aal2G726_32 && AudioCodec.aal2G726_16.g726Bits == 2)
        #expect(AudioCodec.g726_24.staticPayloadType == nil && AudioCodec.g726_24.description == "G726-24")
    }
}
