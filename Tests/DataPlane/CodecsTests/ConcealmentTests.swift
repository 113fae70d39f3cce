import COpencoreAMR
import COpus
import Testing
@testable import Codecs
import MediaCore
import TestSupport

/// One stream of `payloads` (one per `step` timeline samples, RTP clock `clockStep` a packet) through the
/// reassembler: `sent` lists the packet indices in the order they are sent (indices left out are lost;
/// with `dtx`, sequence numbers skip nothing, as a sender that sent nothing there). Returns the timeline
/// from the first packet's place, `payloads.count × step` long, and the statistics.
private func record(_ payloads: [[UInt8]], payloadType: UInt8, codec: AudioCodec, step: Int, clockStep: UInt32,
                    sent: [Int], conceal: Bool, rate: Int = 8_000, dtx: Bool = false) -> ([Int16], StreamStatistics) {
    let table = StreamPayloads(audio: [(payloadType, codec)])
    let harness = ReassemblyHarness(payloads: table,
                                    decoders: StreamDecoders(for: table, factory: CodecLibraries(), sampleRate: rate, concealsLoss: conceal),
                                    timing: ReassemblyTiming().at(rate: rate))
    harness.clockStep = Int64(rate / 200)
    let base = Int64(rate / 100)
    for (order, index) in sent.enumerated() {
        let sequence = UInt16(dtx ? order : index)
        let packet = RTPPacketBuilder(payloadType: payloadType, sequenceNumber: sequence, timestamp: 5_000 + UInt32(index) * clockStep,
                                      payload: payloads[index]).build()
        // Arrives at its own time, or just after the one sent before it (a reordered packet).
        harness.receive(packet, at: max(base + Int64(index * step), harness.clock))
    }
    let timeline = harness.close(at: base + Int64(payloads.count * step) + Int64(rate / 2))
    let statistics = StreamStatistics(harness.reassembler.counters)
    let start = Int(statistics.firstPosition ?? 0)
    return (Array(timeline[start..<(start + payloads.count * step)]), statistics)
}

@Suite("Loss concealment ([media] concealment)")
struct ConcealmentTests {
    let g729 = { () -> [[UInt8]] in
        let frames = g729Frames(tone(8_000, frequency: 300))
        return stride(from: 0, to: 100, by: 2).map { frames[$0] + frames[$0 + 1] }
    }()

    @Test("G.729: two lost packets stay silent by default; under codec concealment bcg729's frame erasure fills them, bit for bit as bcg729 conceals, and decoding goes on from there")
    func g729Loss() {
        let sent = (0..<50).filter { $0 != 20 && $0 != 21 }
        let (silent, plain) = record(g729, payloadType: 18, codec: .g729, step: 160, clockStep: 160, sent: sent, conceal: false)
        #expect(silent[3_200..<3_520].allSatisfy { $0 == 0 } && plain.concealedSamples == 0 && plain.lost == 2)
        let (concealed, statistics) = record(g729, payloadType: 18, codec: .g729, step: 160, clockStep: 160, sent: sent, conceal: true)
        #expect(statistics.concealedSamples == 320 && statistics.lost == 2 && statistics.late == 0)
        // The reference: bcg729 told of four erased frames between the same payloads.
        let decoder = G729Decoder()!
        var expected: [Int16] = []
        for index in 0..<50 {
            if sent.contains(index) {
                expected += g729[index].withUnsafeBytes { Array(decoder.decode($0)) }
            } else {
                expected += g729[index].withUnsafeBytes { Array(decoder.conceal(160, before: $0)!) }
            }
        }
        #expect(concealed == expected)
        #expect(concealed[3_200..<3_520].contains { $0 != 0 }, "the erased frames are not silent")
        #expect(Array(silent[..<3_200]) == Array(concealed[..<3_200]))
    }

    @Test("Under codec concealment a reordered packet waits for the one before it: the stream decodes as if in order")
    func reordered() {
        var sent = Array(0..<50)
        sent.swapAt(10, 11)
        sent.swapAt(30, 32)
        let (timeline, statistics) = record(g729, payloadType: 18, codec: .g729, step: 160, clockStep: 160, sent: sent, conceal: true)
        #expect(statistics.late == 0 && statistics.lost == 0 && statistics.concealedSamples == 0)
        #expect(timeline == reference(g729))
    }

    @Test("A gap without missing sequence numbers is the sender's silence (DTX): not concealed")
    func dtxNotConcealed() {
        let sent = (0..<50).filter { !(20..<30).contains($0) }
        let (timeline, statistics) = record(g729, payloadType: 18, codec: .g729, step: 160, clockStep: 160, sent: sent, conceal: true, dtx: true)
        #expect(statistics.concealedSamples == 0 && statistics.lost == 0)
        #expect(timeline[3_200..<4_800].allSatisfy { $0 == 0 })
    }

    @Test("AMR: a lost packet is decoded as NO_DATA frames (opencore's concealment), bit for bit")
    func amrLoss() {
        let frames = amrFrames(tone(8_000, frequency: 440))
        let payloads = frames.map { amrPayload([$0], octetAligned: true) }
        let sent = (0..<payloads.count).filter { $0 != 12 }
        let (timeline, statistics) = record(payloads, payloadType: 97, codec: .amrOctetAligned, step: 160, clockStep: 160,
                                            sent: sent, conceal: true)
        #expect(statistics.concealedSamples == 160)
        var expectedFrames = frames
        expectedFrames[12] = [AMRPayload.noDataHeader]
        #expect(timeline == amrReference(expectedFrames))
        #expect(timeline[1_920..<2_080].contains { $0 != 0 })
    }

    @Test("Opus at 16 kHz: a lost packet is recovered from the next one's in-band FEC (libopus's PLC for the rest of a longer loss), bit for bit as libopus does it; silent by default")
    func opusFEC() {
        let input = tone48(48 * 2_000, frequency: 350)
        let packets = opusPackets(input, fecForLoss: 20)
        let lost = [40, 41, 70]
        let sent = (0..<packets.count).filter { !lost.contains($0) }
        let (recovered, statistics) = record(packets, payloadType: 111, codec: .opus, step: 320, clockStep: 960, sent: sent,
                                             conceal: true, rate: 16_000)
        #expect(statistics.concealedSamples == 960 && statistics.lost == 3)
        /// libopus at 16 kHz, each loss decoded from the packet after it (FEC) or concealed (PLC only).
        func reference(fec: Bool) -> [Int16] {
            var error: Int32 = 0
            let decoder = opus_decoder_create(16_000, 1, &error)!
            defer { opus_decoder_destroy(decoder) }
            var pcm = [Int16](repeating: 0, count: 1_920), out: [Int16] = []
            var index = 0
            while index < packets.count {
                var run = 0
                while lost.contains(index + run) { run += 1 }
                let next = packets[index + run]
                let count = run > 0
                    ? (fec ? opus_decode(decoder, next, Int32(next.count), &pcm, Int32(320 * run), 1) : opus_decode(decoder, nil, 0, &pcm, Int32(320 * run), 0))
                    : opus_decode(decoder, next, Int32(next.count), &pcm, 1_920, 0)
                out += pcm[0..<Int(count)]
                index += max(run, 1)
            }
            return out
        }
        #expect(recovered == reference(fec: true))
        let single = 70 * 320
        // (libopus's encoder puts no FEC copy on a steady tone, so FEC and PLC agree here; with speech they do
        // not: test_concealment.py.)
        #expect(reference(fec: false).count == recovered.count)
        #expect(recovered[single..<(single + 320)].contains { $0 != 0 })
        let (silent, _) = record(packets, payloadType: 111, codec: .opus, step: 320, clockStep: 960, sent: sent, conceal: false, rate: 16_000)
        #expect(silent[single..<(single + 320)].allSatisfy { $0 == 0 })
    }

    @Test("G.722 has no concealment of its own: under codec concealment its loss stays silent and the rest decodes in order")
    func g722StaysSilent() {
        let encoded = g722Encoded(wideTone(16_000, frequency: 500))
        let payloads = stride(from: 0, to: encoded.count, by: 160).map { Array(encoded[$0..<($0 + 160)]) }
        let sent = (0..<payloads.count).filter { $0 != 10 }
        let (timeline, statistics) = record(payloads, payloadType: 9, codec: .g722, step: 320, clockStep: 160, sent: sent,
                                            conceal: true, rate: 16_000)
        #expect(statistics.concealedSamples == 0 && statistics.lost == 1)
        #expect(timeline[3_200..<3_520].allSatisfy { $0 == 0 })
        #expect(timeline[3_520...].contains { $0 != 0 })
    }
}
