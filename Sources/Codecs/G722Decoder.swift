import CSpanDSP
import MediaCore

/// G.722 at 64 kbit/s through spandsp (RFC 3551 §4.5.2): one octet per 8000 Hz RTP clock tick, each holding
/// two 16 kHz samples' worth of sub-band codes. Decoded to 16 kHz, then — while the master is narrowband —
/// resampled to 8 kHz by speexdsp (the lower sub-band alone, spandsp's 8 kHz mode, is not a clean
/// narrowband signal: it correlates only 0.97 with the full decode). The resampler delays the audio by its
/// filter's latency (32 8 kHz samples, well inside one packet). State and buffers are allocated when
/// the stream opens; `decode` allocates nothing.
public final class G722Decoder: AudioFrameDecoder {
    public let codec = AudioCodec.g722
    private let state: OpaquePointer
    private let output: WidebandToNarrowband
    /// The most 8 kHz samples (octets) one payload may hold (a 1,500-byte datagram).
    static let maxSamples = 1_500

    public init?() {
        guard let output = WidebandToNarrowband(capacity: G722Decoder.maxSamples),
              let state = g722_decode_init(nil, 64_000, 0) else { return nil }
        self.state = state
        self.output = output
    }

    deinit { g722_decode_free(state) }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        payload.count > 0 && payload.count <= G722Decoder.maxSamples ? payload.count : nil
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        // At most what the buffers hold, whatever the caller passes: two 16 kHz samples an octet.
        let octets = min(payload.count, G722Decoder.maxSamples)
        let count = Int(g722_decode(state, output.wide, payload.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(octets)))
        return output.narrowband(max(0, count))
    }
}
