import COpus
import MediaCore

/// Opus through libopus (RFC 7587): one Opus packet per RTP payload (a TOC byte, then 1 to 48 frames of
/// 2.5–60 ms, at most 120 ms), mono or stereo, on a 48000 Hz RTP clock. Decoded to mono (libopus downmixes
/// itself) at the master's rate when that is 16 or 48 kHz; into an 8 kHz master at 16 kHz and resampled by
/// speexdsp like G.722 (libopus's own 8 kHz output correlates only 0.98 with an independent decode, the
/// resampled one 0.9998). A payload whose TOC or frame lengths do not parse is `malformed`. State and
/// buffers are allocated when the stream opens; `decode` allocates nothing.
public final class OpusDecoder: AudioFrameDecoder {
    public let codec = AudioCodec.opus
    private let state: OpaquePointer
    private let output: RateConverter
    /// The recording's rate, and the rate libopus decodes at.
    private let sampleRate: Int32
    private let decodeRate: Int32
    /// Frame sizes for `opus_packet_parse` (at most 48 frames a packet).
    private let frameSizes: UnsafeMutablePointer<Int16>
    /// 120 ms: the longest packet Opus allows.
    static let maxMillis = 120

    public init?(sampleRate: Int = 8_000) {
        let decodeRate = max(16_000, sampleRate)
        var error: Int32 = 0
        guard [8_000, 16_000, 48_000].contains(sampleRate),
              let output = RateConverter(nativeRate: decodeRate, outputRate: sampleRate, nativeCapacity: decodeRate / 1000 * OpusDecoder.maxMillis),
              let state = opus_decoder_create(Int32(decodeRate), 1, &error), error == OPUS_OK else { return nil }
        self.state = state
        self.output = output
        self.sampleRate = Int32(sampleRate)
        self.decodeRate = Int32(decodeRate)
        frameSizes = .allocate(capacity: 48)
        frameSizes.initialize(repeating: 0, count: 48)
    }

    deinit {
        opus_decoder_destroy(state)
        frameSizes.deallocate()
    }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        guard payload.count > 0, payload.count <= 1_500 else { return nil }
        let bytes = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
        // The TOC and frame count must parse, and so must every frame length (code 2 and 3 packets).
        let count = opus_packet_get_nb_samples(bytes, Int32(payload.count), sampleRate)
        guard count > 0, Int(count) <= Int(sampleRate) / 1000 * OpusDecoder.maxMillis,
              opus_packet_parse(bytes, Int32(payload.count), nil, nil, frameSizes, nil) > 0 else { return nil }
        return Int(count)
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        let bytes = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var count = Int(opus_decode(state, bytes, Int32(payload.count), output.native, Int32(output.nativeCapacity), 0))
        if count < 0 {
            // A packet the parser accepted but the decoder did not: its place stays silent.
            count = Int(max(0, opus_packet_get_nb_samples(bytes, Int32(payload.count), decodeRate)))
            output.native.update(repeating: 0, count: min(count, output.nativeCapacity))
        }
        return output.convert(count)
    }

    /// libopus's concealment: packet-loss concealment for the loss, and for its last frame the in-band FEC
    /// (LBRR) copy that `next` carries when the sender encoded one (RFC 7587 §3.2; libopus conceals that
    /// frame too when it does not). Whole 2.5 ms steps, at most 120 ms a call: a longer loss is concealed
    /// from its start and the FEC used on the call that reaches its end.
    public func conceal(_ samples: Int, before next: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>? {
        let step = Int(decodeRate) / 400
        let wanted = output.nativeCount(samples) / step * step
        let count = min(wanted, output.nativeCapacity)
        guard count > 0 else { return nil }
        let produced: Int32
        if count == wanted, next.count > 0 {
            produced = opus_decode(state, next.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(next.count),
                                   output.native, Int32(count), 1)
        } else {
            produced = opus_decode(state, nil, 0, output.native, Int32(count), 0)
        }
        guard produced > 0 else { return nil }
        return output.convert(Int(produced))
    }
}
