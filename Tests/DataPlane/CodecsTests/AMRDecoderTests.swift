import COpencoreAMR
import Testing
@testable import Codecs
import MediaCore
import TestSupport

/// opencore-amrnb's encoder, for test input: one storage-format frame (RFC 4867 §5.3) per 20 ms.
func amrFrames(_ samples: [Int16], mode: Mode = MR122, dtx: Bool = false) -> [[UInt8]] {
    let state = Encoder_Interface_init(dtx ? 1 : 0)
    defer { Encoder_Interface_exit(state) }
    var frames: [[UInt8]] = []
    var out = [UInt8](repeating: 0, count: 64)
    for start in stride(from: 0, through: samples.count - 160, by: 160) {
        let count = Array(samples[start..<(start + 160)]).withUnsafeBufferPointer { Encoder_Interface_Encode(state, mode, $0.baseAddress!, &out, 0) }
        frames.append(Array(out[0..<Int(count)]))
    }
    return frames
}

/// opencore's decoder over storage-format frames, as the library's own loop: the bit-exact reference.
func amrReference(_ frames: [[UInt8]]) -> [Int16] {
    let state = Decoder_Interface_init()
    defer { Decoder_Interface_exit(state) }
    var out = [Int16](repeating: 0, count: 160)
    return frames.flatMap { frame -> [Int16] in
        frame.withUnsafeBufferPointer { Decoder_Interface_Decode(state, $0.baseAddress!, &out, 0) }
        return out
    }
}

/// Packs storage-format frames into one RTP payload of RFC 4867 (CMR 15: no request).
func amrPayload(_ frames: [[UInt8]], octetAligned: Bool, wideband: Bool = false) -> [UInt8] {
    var bits: [UInt8] = []
    func put(_ value: Int, _ count: Int) { for i in (0..<count).reversed() { bits.append(UInt8((value >> i) & 1)) } }
    put(15, 4)
    if octetAligned { put(0, 4) }
    for (index, frame) in frames.enumerated() {
        put(index < frames.count - 1 ? 1 : 0, 1)
        put(Int(frame[0] >> 3) & 0x0F, 4)
        put(Int(frame[0] >> 2) & 1, 1)
        if octetAligned { put(0, 2) }
    }
    for frame in frames {
        let count = AMRPayload.frameBits(Int(frame[0] >> 3) & 0x0F, wideband: wideband)!
        for bit in 0..<count { bits.append((frame[1 + bit / 8] >> (7 - UInt8(bit % 8))) & 1) }
        if octetAligned { while bits.count % 8 != 0 { bits.append(0) } }
    }
    while bits.count % 8 != 0 { bits.append(0) }
    return stride(from: 0, to: bits.count, by: 8).map { start in bits[start..<(start + 8)].reduce(0) { $0 << 1 | $1 } }
}

@Suite("AMR through opencore-amrnb")
struct AMRDecoderTests {
    @Test("Both payload formats of multi-frame packets decode bit for bit as opencore decodes the frames", arguments: [false, true])
    func bitExact(octetAligned: Bool) {
        let frames = amrFrames(tone(160 * 30, frequency: 350), mode: MR795) + amrFrames(tone(160 * 30, frequency: 900), mode: MR122)
        let decoder = AMRDecoder(octetAligned ? .amrOctetAligned : .amr)!
        var output: [Int16] = []
        var index = 0
        for count in [1, 3, 2, 1, 4] + Array(repeating: 2, count: 30) where index + count <= frames.count {
            let payload = amrPayload(Array(frames[index..<(index + count)]), octetAligned: octetAligned)
            payload.withUnsafeBytes { bytes in
                #expect(decoder.samples(in: bytes) == count * 160)
                output += decoder.decode(bytes)
            }
            index += count
        }
        #expect(output.count == index * 160)
        #expect(output == amrReference(Array(frames[0..<index])))
    }

    @Test("Payload lengths follow the ToC: 12.2 kbit/s is 32 octets bandwidth-efficient, 33 octet-aligned; SID and NO_DATA count 20 ms")
    func lengths() {
        let speech = amrFrames(tone(160), mode: MR122)[0]
        #expect(speech.count == 32 && amrPayload([speech], octetAligned: false).count == 32 && amrPayload([speech], octetAligned: true).count == 33)
        let noData: [UInt8] = [15 << 3 | 4]
        let sid: [UInt8] = [8 << 3 | 4, 1, 2, 3, 4, 0xE0]
        for aligned in [false, true] {
            let decoder = AMRDecoder(aligned ? .amrOctetAligned : .amr)!
            #expect(amrPayload([noData], octetAligned: aligned).withUnsafeBytes { decoder.samples(in: $0) } == 160)
            #expect(amrPayload([sid, noData, noData], octetAligned: aligned).withUnsafeBytes { decoder.samples(in: $0) } == 480)
        }
    }

    @Test("Malformed payloads are refused: a reserved frame type, a short or long payload, a ToC that never ends, too many frames")
    func malformed() {
        let speech = amrFrames(tone(160), mode: MR475)[0]
        for aligned in [false, true] {
            let decoder = AMRDecoder(aligned ? .amrOctetAligned : .amr)!
            func samples(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { decoder.samples(in: $0) } }
            let good = amrPayload([speech], octetAligned: aligned)
            #expect(samples(good) == 160)
            #expect(samples(Array(good.dropLast())) == nil && samples(good + [0]) == nil && samples([]) == nil)
            for ft in 9...14 {
                var bad = good
                if aligned { bad[1] = UInt8(ft << 3 | 4) } else { bad[0] = 0xF0 | UInt8(ft >> 1); bad[1] = UInt8((ft & 1) << 7) | 0x40 | (bad[1] & 0x3F) }
                #expect(samples(bad) == nil, "frame type \(ft)")
            }
            #expect(samples([UInt8](repeating: 0xFF, count: 40)) == nil)   // F=1 everywhere: the ToC runs off the end
            let noData: [UInt8] = [15 << 3 | 4]
            #expect(samples(amrPayload(Array(repeating: noData, count: 60), octetAligned: aligned)) == 9_600)
            #expect(samples(amrPayload(Array(repeating: noData, count: 61), octetAligned: aligned)) == nil)
        }
    }

    @Test("AMR-WB: its own frame sizes (23.85 kbit/s is 477 bits, SID 40), SPEECH_LOST and NO_DATA count 20 ms, types 10–13 are refused")
    func wideband() {
        for aligned in [false, true] {
            let decoder = AMRDecoder(aligned ? .amrWBOctetAligned : .amrWB)!
            func samples(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBytes { decoder.samples(in: $0) } }
            let top = [8 << 3 | 4] + [UInt8](repeating: 0x5A, count: 60)   // 477 bits
            let sid = [9 << 3 | 4] + [UInt8](repeating: 0x33, count: 5)
            let lost: [UInt8] = [14 << 3 | 4], noData: [UInt8] = [15 << 3 | 4]
            let payload = amrPayload([top, sid, lost, noData], octetAligned: aligned, wideband: true)
            #expect(payload.count == (aligned ? 1 + 4 + 60 + 5 : (4 + 24 + 477 + 40 + 7) / 8))
            #expect(samples(payload) == 640)
            #expect(payload.withUnsafeBytes { decoder.decode($0).count } == 640)
            #expect(samples(Array(payload.dropLast())) == nil)
            for ft in 10...13 {
                #expect(samples(amrPayload([noData], octetAligned: aligned, wideband: true).map { $0 } .enumerated().map { index, byte in
                    // Rewrite the one ToC entry's frame type.
                    if aligned { return index == 1 ? UInt8(ft << 3 | 4) : byte }
                    return index == 0 ? 0xF0 | UInt8(ft >> 1) : index == 1 ? UInt8((ft & 1) << 7) | 0x40 : byte
                }) == nil, "AMR-WB frame type \(ft)")
            }
        }
        #expect(AudioCodec(encodingName: "AMR-WB", clockRate: 16_000, channels: 1, parameters: "octet-align=1") == .amrWBOctetAligned)
        #expect(AudioCodec(encodingName: "AMR-WB", clockRate: 8_000, channels: 1, parameters: nil) == nil)
        #expect(AudioCodec.amrWB.clockScale(timelineRate: 8_000) == ClockScale(multiplier: 1, divisor: 2))
        #expect(AudioCodec.amrWB.clockScale(timelineRate: 16_000) == .identity && AudioCodec.amrWB.description == "AMR-WB")
    }

    @Test("A damaged frame (Q = 0) is concealed by the decoder, not decoded as if good")
    func damaged() {
        let frames = amrFrames(tone(160 * 10, frequency: 500), mode: MR122)
        var damaged = frames
        damaged[6][0] &= ~0x04
        let decoder = AMRDecoder(.amr)!
        let output = damaged.flatMap { frame in amrPayload([frame], octetAligned: false).withUnsafeBytes { Array(decoder.decode($0)) } }
        let good = amrReference(frames)
        #expect(output[..<960] == good[..<960])
        #expect(output[960..<1_120] != good[960..<1_120])
    }

    @Test("SDP formats: octet-align picks the payload format; crc, robust-sorting, interleaving and other rates are not decoded")
    func sdpFormats() {
        func codec(_ fmtp: String?, clock: Int = 8000, channels: Int = 1) -> AudioCodec? {
            AudioCodec(encodingName: "AMR", clockRate: clock, channels: channels, parameters: fmtp)
        }
        #expect(codec(nil) == .amr && codec("mode-set=0,2,5,7; mode-change-period=2") == .amr && codec("octet-align=0") == .amr)
        #expect(codec("octet-align=1") == .amrOctetAligned && codec(" mode-set=7 ;OCTET-ALIGN = 1") == .amrOctetAligned)
        #expect(codec("octet-align=1; crc=1") == nil && codec("octet-align=1;robust-sorting=1") == nil)
        #expect(codec("octet-align=1; interleaving=4") == nil && codec(nil, clock: 16000) == nil && codec(nil, channels: 2) == nil)
        #expect(codec("octet-align=1; crc=0") == .amrOctetAligned)
    }

    @Test("The reassembler decodes AMR in both formats on one stream, by payload type, and places it by timestamp")
    func reassembled() {
        let frames = amrFrames(tone(160 * 20, frequency: 420), mode: MR102)
        let table = StreamPayloads(audio: [(96, .amrOctetAligned), (97, .amr)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        for index in stride(from: 0, to: 20, by: 2) {
            let aligned = index < 10
            let packet = RTPPacketBuilder(payloadType: aligned ? 96 : 97, sequenceNumber: UInt16(index / 2), timestamp: 8_000 + UInt32(index) * 160,
                                          payload: amrPayload(Array(frames[index..<(index + 2)]), octetAligned: aligned)).build()
            harness.receive(packet, at: Int64(index) * 160)
        }
        let timeline = harness.close(at: 20 * 160 + 800)
        let statistics = StreamStatistics(harness.reassembler.counters)
        #expect(statistics.malformed == 0 && statistics.lost == 0 && statistics.codecs == [.amr, .amrOctetAligned])
        let start = Int(statistics.firstPosition ?? -1)
        guard start >= 0, timeline.count >= start + 3_200 else {
            Issue.record("timeline of \(timeline.count) samples, first position \(start)")
            return
        }
        // Two decoders, one per payload format: each starts fresh where its payload type begins.
        #expect(Array(timeline[start..<(start + 1_600)]) == amrReference(Array(frames[0..<10])))
        #expect(Array(timeline[(start + 1_600)..<(start + 3_200)]) == amrReference(Array(frames[10..<20])))
    }

    @Test("A malformed payload between good ones is counted malformed, not lost as well, and its place stays silent")
    func malformedIsNotLost() {
        let frames = amrFrames(tone(160 * 5, frequency: 600), mode: MR122)
        let table = StreamPayloads(audio: [(97, .amr)])
        let harness = ReassemblyHarness(payloads: table, decoders: StreamDecoders(for: table, factory: CodecLibraries()))
        for index in 0..<5 {
            let payload = index == 2 ? [0xF6, 0x40, 0, 0, 0] : amrPayload([frames[index]], octetAligned: false)   // FT 12
            harness.receive(RTPPacketBuilder(payloadType: 97, sequenceNumber: UInt16(100 + index), timestamp: UInt32(index) * 160,
                                             payload: payload).build(), at: Int64(index) * 160)
        }
        let timeline = harness.close(at: 5 * 160 + 800)
        let statistics = StreamStatistics(harness.reassembler.counters)
        #expect(statistics.malformed == 1 && statistics.lost == 0 && statistics.packets == 5)
        let start = Int(statistics.firstPosition ?? 0)
        #expect(timeline[(start + 320)..<(start + 480)].allSatisfy { $0 == 0 })
        let good = amrReference([frames[0], frames[1]])
        #expect(Array(timeline[start..<(start + 320)]) == good)
    }
}

@Suite("fmtp parameters")
struct FormatParametersTests {
    @Test("Names are case-insensitive, blanks are dropped, the first of a repeated name wins, a bare name has the value \"\"")
    func parse() {
        let fmtp = FormatParameters(" octet-align=1;Mode-Set = 0,2,5,7 ; annexb ; octet-align=0;;=x")
        #expect(fmtp["octet-align"] == "1" && fmtp["mode-set"] == "0,2,5,7" && fmtp["annexb"] == "" && fmtp["crc"] == nil)
        #expect(FormatParameters(nil)["octet-align"] == nil)
    }
}
