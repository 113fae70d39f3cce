import CSpanDSP
import MediaCore

/// G.726 ADPCM through spandsp (RFC 3551 §4.5.4): 2, 3, 4 or 5 bits per 8 kHz sample, codewords packed from
/// the least significant bit of each octet (the RFC's order, "G726-32"; AAL2's other order is a different
/// encoding name). A payload must hold whole samples. State and output buffer are allocated when the stream
/// opens; `decode` allocates nothing.
public final class G726Decoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let bits: Int
    private let state: OpaquePointer
    private let output: UnsafeMutablePointer<Int16>
    /// The most samples one payload may hold (a 1,500-byte datagram at 2 bits a sample).
    static let maxSamples = 6_000

    public init?(_ codec: AudioCodec) {
        guard let bits = codec.g726Bits,
              let state = g726_init(nil, Int32(bits * 8_000), Int32(G726_ENCODING_LINEAR), Int32(G726_PACKING_RIGHT))
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
        let count = g726_decode(state, output, payload.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(payload.count))
        return UnsafeBufferPointer(start: output, count: Int(max(0, count)))
    }
}
