import CSpanDSP
import MediaCore

/// G.726 ADPCM through spandsp (RFC 3551 §4.5.4): 2, 3, 4 or 5 bits per 8 kHz sample, codewords packed from
/// the least significant bit of each octet (the RFC's order, "G726-32") or, for "AAL2-G726-32" and its
/// siblings, from the most significant. A payload must hold whole samples. State and output buffer are allocated when the stream
/// opens; `decode` allocates nothing.
public final class G726Decoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let bits: Int
    private let state: OpaquePointer
    private let output: UnsafeMutablePointer<Int16>
    /// The most samples one payload may hold (a 1,500-byte datagram at 2 bits a sample).
    static let maxSamples = 6_000

    public init?(_ codec: AudioCodec) {
        let aal2 = [.aal2G726_16, .aal2G726_24, .aal2G726_32, .aal2G726_40].contains(codec)
        guard let bits = codec.g726Bits,
              let state = g726_init(nil, Int32(bits * 8_000), Int32(G726_ENCODING_LINEAR), Int32(aal2 ? G726_PACKING_LEFT : G726_PACKING_RIGHT))
        else { return nil }
        self.codec = codec
        self.bits = bits
        self.state = state
        output = .allocate(capacity: G726Decoder.maxSamples)
        output.initialize(repeating: 0, count: G726Decoder.maxSamples)
    }

    deinit {
        g726_free(state)
        output.deallocate()
    }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        let total = payload.count * 8
        guard payload.count > 0, total % bits == 0, total / bits <= G726Decoder.maxSamples else { return nil }
        return total / bits
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        // At most what the output holds, whatever the caller passes.
        let count = g726_decode(state, output, payload.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                Int32(min(payload.count, G726Decoder.maxSamples * bits / 8)))
        return UnsafeBufferPointer(start: output, count: Int(max(0, count)))
    }
}
