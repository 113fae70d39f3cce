import MediaCore

/// G.711 into a wideband or fullband master: decoded by table at 8 kHz, then resampled to the master's rate
/// (into an 8 kHz master G.711 needs no decoder: the ring decodes it by table, bit-exact). One octet per
/// 8 kHz sample; any length is whole samples.
public final class G711Decoder: AudioFrameDecoder {
    public let codec: AudioCodec
    private let table: UnsafePointer<Int16>
    private let output: RateConverter
    /// The most 8 kHz samples one payload may hold (a 1,500-byte datagram).
    static let maxSamples = 1_500

    public init?(_ codec: AudioCodec, sampleRate: Int) {
        guard codec.isG711,
              let output = RateConverter(nativeRate: 8_000, outputRate: sampleRate, nativeCapacity: G711Decoder.maxSamples)
        else { return nil }
        self.codec = codec
        table = G711Tables.table(for: codec)
        self.output = output
    }

    public func discontinuity() { output.reset() }

    public func samples(in payload: UnsafeRawBufferPointer) -> Int? {
        payload.count > 0 && payload.count <= G711Decoder.maxSamples ? output.outputCount(payload.count) : nil
    }

    public func decode(_ payload: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int16> {
        let count = min(payload.count, G711Decoder.maxSamples)
        for index in 0..<count { output.native[index] = table[Int(payload[index])] }
        return output.convert(count)
    }
}
