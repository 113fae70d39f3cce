import Testing
@testable import Codecs
import MediaCore
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Correlation of `output` with a sine of `frequency` at `rate`, over the best of the first `shifts` phases.
private func toneCorrelation(_ output: [Int16], frequency: Double, rate: Double, skip: Int, shifts: Int = 64) -> Double {
    let tail = output[skip...].map(Double.init)
    return (0..<shifts).map { shift -> Double in
        let reference: [Double] = (0..<tail.count).map { index in
            let phase = 2 * Double.pi * frequency * Double(index + skip - shift) / rate
            return sin(phase)
        }
        let dot = zip(tail, reference).reduce(0.0) { $0 + $1.0 * $1.1 }
        return dot / (tail.reduce(0.0) { $0 + $1 * $1 }.squareRoot() * reference.reduce(0.0) { $0 + $1 * $1 }.squareRoot())
    }.max()!
}

@Suite("Masters wider than 8 kHz: timeline scales and decoders at 16 and 48 kHz")
struct WidebandMasterTests {
    @Test("RTP clocks map onto every master rate by whole ratios; positions round towards minus infinity")
    func scales() {
        #expect(ClockScale(clockRate: 8_000, timelineRate: 16_000) == ClockScale(multiplier: 2, divisor: 1))
        #expect(ClockScale(clockRate: 8_000, timelineRate: 48_000) == ClockScale(multiplier: 6, divisor: 1))
        #expect(ClockScale(clockRate: 16_000, timelineRate: 48_000) == ClockScale(multiplier: 3, divisor: 1))
        #expect(ClockScale(clockRate: 48_000, timelineRate: 16_000) == ClockScale(multiplier: 1, divisor: 3))
        #expect(ClockScale(clockRate: 48_000, timelineRate: 8_000).position(-1) == -1)
        #expect(ClockScale(clockRate: 48_000, timelineRate: 8_000).position(-6) == -1)
        #expect(ClockScale(clockRate: 48_000, timelineRate: 8_000).position(-7) == -2)
        #expect(AudioCodec.g722.clockScale(timelineRate: 16_000).multiplier == 2)   // 8000 Hz clock, 16 kHz audio
        #expect(AudioCodec.g722.isWideband && AudioCodec.opus.isWideband && AudioCodec.amrWB.isWideband)
        #expect(!AudioCodec.pcmu.isWideband && !AudioCodec.g729.isWideband && !AudioCodec.amr.isWideband)
        #expect(TimelineClock.position(nanos: 1_000_000_000, sampleRate: 16_000) == 16_000)
        #expect(TimelineClock.position(nanos: 20_833, sampleRate: 48_000) == 0 && TimelineClock.position(nanos: 20_834, sampleRate: 48_000) == 1)
        #expect(TimelineClock.nanos(position: 48_000, sampleRate: 48_000) == 1_000_000_000)
    }

    @Test("A G.711 stream on a 16 kHz timeline: timestamps doubled, across the 32-bit wrap")
    func timeline() {
        var timeline = RTPTimeline(jumpThreshold: 16_000)
        let scale = AudioCodec.pcmu.clockScale(timelineRate: 16_000)
        let start = UInt32.max - 200
        let first = timeline.place(ssrc: 1, sequence: 1, timestamp: start, samples: 320, arrival: 1_000, scale: scale)
        let second = timeline.place(ssrc: 1, sequence: 2, timestamp: start &+ 160, samples: 320, arrival: 1_320, scale: scale)
        let third = timeline.place(ssrc: 1, sequence: 3, timestamp: start &+ 320, samples: 320, arrival: 1_640, scale: scale)
        #expect(first == 1_000 && second == 1_320 && third == 1_640)
    }

    @Test("G.711 into a 16 kHz master: 160 octets give 320 samples, the same tone at the same level")
    func g711() {
        let decoder = G711Decoder(.pcma, sampleRate: 16_000)!
        let encoded = SignalGenerator.sine(frequency: 1_000, amplitude: 8_000, count: 1_600, codec: .pcma)
        var output: [Int16] = []
        for start in stride(from: 0, to: encoded.count, by: 160) {
            let payload = Array(encoded[start..<(start + 160)])
            #expect(payload.withUnsafeBytes { decoder.samples(in: $0) } == 320)
            output += payload.withUnsafeBytes { Array(decoder.decode($0)) }
        }
        #expect(output.count == 3_200)
        #expect(toneCorrelation(output, frequency: 1_000, rate: 16_000, skip: 200) > 0.99)
        let rms = (output[200...].reduce(0.0) { $0 + Double($1) * Double($1) } / Double(output.count - 200)).squareRoot()
        #expect(rms > 8_000 / 2.squareRoot() * 0.9 && rms < 8_000 / 2.squareRoot() * 1.1, "level \(rms)")
    }

    @Test("G.722 into a 16 kHz master keeps the upper band: a 6 kHz tone survives, which 8 kHz cannot carry")
    func g722Wideband() {
        let payload = g722Encoded(wideTone(3_200, frequency: 6_000))
        let wide = G722Decoder(sampleRate: 16_000)!, narrow = G722Decoder(sampleRate: 8_000)!
        var wideOut: [Int16] = [], narrowOut: [Int16] = []
        for start in stride(from: 0, to: payload.count, by: 160) {
            let packet = Array(payload[start..<(start + 160)])
            wideOut += packet.withUnsafeBytes { Array(wide.decode($0)) }
            narrowOut += packet.withUnsafeBytes { Array(narrow.decode($0)) }
        }
        #expect(wideOut.count == 3_200 && narrowOut.count == 1_600)
        #expect(toneCorrelation(wideOut, frequency: 6_000, rate: 16_000, skip: 400) > 0.95)
        let narrowRMS = (narrowOut[400...].reduce(0.0) { $0 + Double($1) * Double($1) } / Double(narrowOut.count - 400)).squareRoot()
        #expect(narrowRMS < 600, "the narrowband master filters 6 kHz out: rms \(narrowRMS)")
    }

    @Test("Decoders for every codec at every master rate: sample counts scale with the rate", arguments: [8_000, 16_000, 48_000])
    func counts(rate: Int) {
        let libraries = CodecLibraries()
        #expect((libraries.makeDecoder(for: .pcmu, sampleRate: rate) == nil) == (rate == 8_000))
        let g729 = libraries.makeDecoder(for: .g729, sampleRate: rate)!
        #expect([UInt8](repeating: 0, count: 20).withUnsafeBytes { g729.samples(in: $0) } == 160 * rate / 8_000)
        #expect([UInt8](repeating: 0, count: 20).withUnsafeBytes { g729.decode($0).count } == 160 * rate / 8_000)
        let g726 = libraries.makeDecoder(for: .g726_32, sampleRate: rate)!
        #expect([UInt8](repeating: 0x11, count: 80).withUnsafeBytes { g726.decode($0).count } == 160 * rate / 8_000)
        // AMR NO_DATA and AMR-WB NO_DATA frames: 20 ms each.
        let amr = libraries.makeDecoder(for: .amrOctetAligned, sampleRate: rate)!
        #expect([UInt8]([0xF0, 0x7C]).withUnsafeBytes { amr.decode($0).count } == rate / 50)
        let amrWB = libraries.makeDecoder(for: .amrWBOctetAligned, sampleRate: rate)!
        #expect([UInt8]([0xF0, 0x7C]).withUnsafeBytes { amrWB.decode($0).count } == rate / 50)
    }
}
