import CSpanDSP
// Linked for spandsp's G.722: its own dot products crash in the static archive (vector_int.c).
import CSpanDSPVectors
import MediaCore

/// G.722 at 64 kbit/s through spandsp (RFC 3551 §4.5.2): one octet per 8000 Hz RTP clock tick, each holding
/// two 16 kHz samples' worth of sub-band codes. Decoded to 16 kHz — a 16 kHz master takes that as it is —
/// and otherwise resampled by speexdsp (to 8 kHz: the lower sub-band alone, spandsp's 8 kHz mode, is not a
/// clean narrowband signal: it correlates only 0.97 with the full decode). The resampler delays the audio
/// by its filter's latency (32 samples at 8 kHz, well inside one packet). State and buffers are allocated
/// when the stream opens; `decode` allocates nothing.
public final class G722Decoder: AudioFrameDecoder {
    public let codec = AudioCodec.g722
    private let state: OpaquePointer
    private let output: RateConverter
    /// The most octets (8000 Hz clock ticks) one payload may hold (a 1,500-byte datagram).
    static let maxOctets = 1_500

    public init?(sampleRate: Int = 8_000) {
        guard let output = RateConverter(nativeRate: 16_000, outputRate: sampleRate, nativeCapacity: 2 * G722Decoder.maxOctets),
              let state = g722_decode_init(nil, 64_000, 0) else { return nil }
        self.state = state
        self.output = output
    }

    deinit { g722_decode_free(state) }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        payload.count > 0 && payload.count <= G722Decoder.maxOctets ? output.outputCount(2 * payload.count) : nil
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        // At most what the buffers hold, whatever the caller passes: two 16 kHz samples an octet.
        let octets = min(payload.count, G722Decoder.maxOctets)
        let count = Int(g722_decode(state, output.native, payload.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(octets)))
        return output.convert(count)
    }

    /// The resampler's delay, in samples at the recording's rate (0 at 16 kHz).
    var latency: Int { output.latency }
}
