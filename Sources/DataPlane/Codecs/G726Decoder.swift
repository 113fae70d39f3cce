import CSpanDSP
import MediaCore

/// G.726 ADPCM through spandsp (RFC 3551 §4.5.4): 2, 3, 4 or 5 bits per 8 kHz sample, codewords packed from
/// the least significant bit of each octet (the RFC's order, "G726-32") or, for "AAL2-G726-32" and its
/// siblings, from the most significant. A payload must hold whole samples. Decoded at 8 kHz, resampled to a
/// wider master's rate. State and buffers are allocated when the stream opens; `decode` allocates nothing.
public final class G726Decoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let bits: Int
    private let state: OpaquePointer
    private let output: RateConverter
    /// The most samples one payload may hold (a 1,500-byte datagram at 2 bits a sample).
    static let maxSamples = 6_000

    public init?(_ codec: AudioCodec, sampleRate: Int = 8_000) {
        let aal2 = [.aal2G726_16, .aal2G726_24, .aal2G726_32, .aal2G726_40].contains(codec)
        guard let bits = codec.g726Bits,
              let output = RateConverter(nativeRate: 8_000, outputRate: sampleRate, nativeCapacity: G726Decoder.maxSamples),
              let state = g726_init(nil, Int32(bits * 8_000), Int32(G726_ENCODING_LINEAR), Int32(aal2 ? G726_PACKING_LEFT : G726_PACKING_RIGHT))
        else { return nil }
        self.codec = codec
        self.bits = bits
        self.state = state
        self.output = output
    }

    deinit { g726_free(state) }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        let total = payload.count * 8
        guard payload.count > 0, total % bits == 0, total / bits <= G726Decoder.maxSamples else { return nil }
        return output.outputCount(total / bits)
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        // At most what the output holds, whatever the caller passes.
        let count = g726_decode(state, output.native, payload.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                Int32(min(payload.count, G726Decoder.maxSamples * bits / 8)))
        return output.convert(Int(count))
    }
}
