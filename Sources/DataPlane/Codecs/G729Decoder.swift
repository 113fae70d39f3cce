import CBcg729
import MediaCore

/// G.729 / G.729A through bcg729 (RFC 3551 §4.5.6): a payload is whole 10-byte frames (80 samples each),
/// optionally ending with one 2-byte Annex B SID frame, which bcg729 turns into comfort noise. Decoded at
/// 8 kHz, resampled to a wider master's rate. The decoder's state and buffers are allocated when the stream
/// opens; `decode` allocates nothing.
public final class G729Decoder: AudioFrameDecoder {
    public let codec = AudioCodec.g729
    private let channel: OpaquePointer
    private let output: RateConverter
    /// The most frames one payload may hold (a 1,500-byte datagram's worth).
    static let maxFrames = 150

    public init?(sampleRate: Int = 8_000) {
        guard let output = RateConverter(nativeRate: 8_000, outputRate: sampleRate, nativeCapacity: G729Decoder.maxFrames * 80),
              let channel = initBcg729DecoderChannel() else { return nil }
        self.channel = channel
        self.output = output
    }

    deinit { closeBcg729DecoderChannel(channel) }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        let frames = payload.count / 10, rest = payload.count % 10
        guard payload.count > 0, rest == 0 || rest == 2, frames + (rest == 2 ? 1 : 0) <= G729Decoder.maxFrames else { return nil }
        return output.outputCount((frames + (rest == 2 ? 1 : 0)) * 80)
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        let bytes = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let frames = min(payload.count / 10, G729Decoder.maxFrames)
        let native = output.native
        var produced = 0
        for frame in 0..<frames {
            bcg729Decoder(channel, bytes + frame * 10, 10, 0, 0, 0, native + produced)
            produced += 80
        }
        if payload.count % 10 == 2, frames < G729Decoder.maxFrames {
            // Annex B SID: comfort noise at the level the frame carries.
            bcg729Decoder(channel, bytes + frames * 10, 2, 0, 1, 0, native + produced)
            produced += 80
        }
        return output.convert(produced)
    }

    /// bcg729's frame erasure (G.729 §4.4): each lost 10 ms frame repeats the last one's parameters, its
    /// excitation attenuated frame by frame.
    public func conceal(_ samples: Int, before next: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16>? {
        let frames = min(output.nativeCount(samples) / 80, G729Decoder.maxFrames)
        let native = output.native
        for frame in 0..<frames { bcg729Decoder(channel, nil, 0, 1, 0, 0, native + frame * 80) }
        return output.convert(frames * 80)
    }
}
